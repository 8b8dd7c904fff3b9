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
        """A bare repository whose ``branch`` holds ``source``: a git checkout's current commit (its
        committed files, as GitHub would have them), or a plain folder's files (build output and
        dependencies left out)."""
        if not source.is_dir():
            raise ValueError(f"{source} is not a folder; give the path of your site's checkout")
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(["git", "init", "-q", "--bare", "-b", branch, str(path)], check=True)
        repo = cls(path)
        if (source / ".git").exists():
            env = {**os.environ, **_GIT_ENV}
            head = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True, text=True,
                                  env=env, check=False)
            if head.returncode == 0:
                subprocess.run(["git", "-C", str(source), "push", "-q", "--no-verify", str(path),
                                f"HEAD:refs/heads/{branch}"], check=True, capture_output=True, env=env)
                return repo
        with tempfile.TemporaryDirectory() as work:
            shutil.copytree(source, work, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("node_modules", ".git", ".next", "dist", "build", ".cache"))
            env = {**os.environ, **_GIT_ENV}
            run = dict(cwd=work, check=True, env=env, capture_output=True)
            subprocess.run(["git", "init", "-q", "-b", branch], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "add", "-A"], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "commit", "-q", "-m", "Initial site"], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "push", "-q", str(path), branch], **run)  # type: ignore[call-overload]
        return repo

    def valid_ref(self, ref: str) -> bool:
        """git's ref-name rules (``git check-ref-format``), which GitHub applies: no ``..``, no
        component starting with ``.`` or ending in ``.lock``, no control characters, ``~^:?*[\\``, spaces."""
        if not ref.startswith("refs/") or len(ref) > 255:
            return False
        result = subprocess.run(["git", "check-ref-format", ref], capture_output=True, check=False)
        return result.returncode == 0

    def blob(self, oid: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.path), "cat-file", "blob", oid],
                              capture_output=True, check=True).stdout

    def rev(self, ref: str) -> str | None:
        out = self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return out or None
