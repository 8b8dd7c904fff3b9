"""A bare git repository the GitHub emulator serves, driven with git plumbing."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_GIT_ENV = {"GIT_AUTHOR_NAME": "Valine Bot", "GIT_AUTHOR_EMAIL": "bot@valine.invalid",
            "GIT_COMMITTER_NAME": "Valine Bot", "GIT_COMMITTER_EMAIL": "bot@valine.invalid"}


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = path

    def git(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None,
            check: bool = True) -> str:
        result = subprocess.run(["git", "--git-dir", str(self.path), *args], input=input, capture_output=True,
                                env={**os.environ, **_GIT_ENV, **(env or {})}, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)}: {result.stderr.decode()[:300]}")
        return result.stdout.decode("utf-8", "replace").strip()

    @classmethod
    def seed(cls, path: Path, source: Path, branch: str = "main") -> GitRepo:
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(["git", "init", "-q", "--bare", "-b", branch, str(path)], check=True)
        repo = cls(path)
        with tempfile.TemporaryDirectory() as work:
            shutil.copytree(source, work, dirs_exist_ok=True)
            env = {**os.environ, **_GIT_ENV}
            run = dict(cwd=work, check=True, env=env, capture_output=True)
            subprocess.run(["git", "init", "-q", "-b", branch], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "add", "-A"], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "commit", "-q", "-m", "Initial site"], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "push", "-q", str(path), branch], **run)  # type: ignore[call-overload]
        return repo

    def blob(self, oid: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.path), "cat-file", "blob", oid],
                              capture_output=True, check=True).stdout

    def rev(self, ref: str) -> str | None:
        out = self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return out or None
