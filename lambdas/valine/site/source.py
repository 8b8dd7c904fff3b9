"""The team's repository as the agents read it: the base branch's files and the site model, cached.

A preview asks GitHub one question, the base branch's head commit and tree. While the tree is
one it has seen, the files (cached by blob id) and the site model (cached by tree id) are
already here. A new tree costs one listing and the blobs that changed since the last one, read
in batches, so a push to the base branch does not make every preview slow.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from valine.core.github import GitHub, Head, RepoFile, RepoFileMissing

log = logging.getLogger("valine.site")

# What the agents read: code, data, styles, content and the HTML shell. Everything else
# (images, fonts, lock files, build output, vendored libraries) is left out.
TEXT_SUFFIXES = (".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs", ".mts", ".json", ".css", ".scss", ".md", ".mdx",
                 ".html", ".yml", ".yaml")
SKIP_DIRS = {"node_modules", ".git", ".next", "dist", "build", "out", "coverage", ".turbo", ".vercel", ".cache",
             "vendor", "vendors", "fonts", "img", "images", "__tests__", "__mocks__", "cypress", "e2e", ".github",
             ".husky", "storybook-static", ".storybook"}
SKIP_FILES = {"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "CHANGELOG.md", "LICENSE.md",
              "CODE_OF_CONDUCT.md", "CONTRIBUTING.md"}
MAX_FILE_BYTES = 256 * 1024
MAX_FILES = 3000
MODELS_KEPT = 2
BLOB_BYTES_KEPT = 64 * 1024 * 1024


def wanted(path: str, size: int) -> bool:
    """A file the site model reads (by name and size)."""
    parts = path.split("/")
    name = parts[-1]
    if size > MAX_FILE_BYTES or not name.endswith(TEXT_SUFFIXES) or name in SKIP_FILES:
        return False
    if any(p in SKIP_DIRS for p in parts[:-1]) or ".min." in name or name.endswith((".test.tsx", ".test.ts",
                                                                                        ".spec.ts", ".spec.tsx",
                                                                                        ".test.js", ".stories.tsx")):
        return False
    # Vendored stylesheets and scripts under public/ are not the team's to edit.
    return not (parts[0] in ("public", "static") and (name.endswith((".js", ".mjs")) or
                                                       any(v in name.lower() for v in ("bootstrap", "font-awesome",
                                                                                        "fontawesome", "jquery"))))


@dataclass
class Snapshot:
    """The base branch at one commit: its files' texts and blob ids, and (built on first use) the model."""

    head: Head
    texts: Mapping[str, str]
    blob_ids: Mapping[str, str]
    _model: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def file(self, path: str) -> RepoFile:
        if path not in self.texts:
            raise RepoFileMissing(f"{path} does not exist on the base branch")
        return RepoFile(path=path, content=self.texts[path], sha=self.blob_ids[path],
                        commit_sha=self.head.commit_sha, tree_sha=self.head.tree_sha)

    def model(self) -> Any:
        """The site model of this commit (valine.site.model.SiteModel), built once."""
        with self._lock:
            if self._model is None:
                from valine.site.model import build

                started = time.monotonic()
                self._model = build(self.texts)
                log.info("site model built", extra={"tree": self.head.tree_sha, "files": len(self.texts),
                                                    "ms": round((time.monotonic() - started) * 1000, 1)})
            return self._model


class SiteSource:
    """The base branch, read through the GitHub port and cached per warm container."""

    def __init__(self, github: GitHub, base_branch: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._github = github
        self._base = base_branch
        self._snapshots: OrderedDict[str, Snapshot] = OrderedDict()
        self._blobs: OrderedDict[str, str] = OrderedDict()
        self._blob_bytes = 0
        self._lock = threading.Lock()
        self._clock = clock
        self._job = threading.local()  # the head this job read (a job runs on one thread)

    def new_job(self) -> None:
        """A job starts: the next ``current()`` asks GitHub for the head again. Within one job the agent and
        the preview share one answer, so a preview is one round trip."""
        self._job.head = None

    def current(self) -> Snapshot:
        """The base branch now: one round trip while its tree is cached."""
        head = getattr(self._job, "head", None) or self._github.head(self._base)
        self._job.head = head
        with self._lock:
            cached = self._snapshots.get(head.tree_sha)
            if cached is not None:
                self._snapshots.move_to_end(head.tree_sha)
                return cached if cached.head == head else Snapshot(head, cached.texts, cached.blob_ids,
                                                                   cached._model)
        snapshot = self._load(head)
        with self._lock:
            self._snapshots[head.tree_sha] = snapshot
            while len(self._snapshots) > MODELS_KEPT:
                self._snapshots.popitem(last=False)
        return snapshot

    def _load(self, head: Head) -> Snapshot:
        entries = [e for e in self._github.tree(head.tree_sha) if wanted(e.path, e.size)]
        if len(entries) > MAX_FILES:
            log.warning("the repository has more files than the site model reads; keeping the first",
                        extra={"files": len(entries), "kept": MAX_FILES})
            entries = sorted(entries, key=lambda e: (e.path.count("/"), e.path))[:MAX_FILES]
        missing = sorted({e.sha for e in entries if e.sha not in self._blobs})
        fetched = self._github.blobs(missing) if missing else {}
        texts: dict[str, str] = {}
        ids: dict[str, str] = {}
        with self._lock:
            for sha, text in fetched.items():
                if text is not None:
                    self._remember(sha, text)
            for entry in entries:
                text = self._blobs.get(entry.sha) if entry.sha in self._blobs else fetched.get(entry.sha)
                if text is not None:
                    texts[entry.path] = text
                    ids[entry.path] = entry.sha
        return Snapshot(head, texts, ids)

    def _remember(self, sha: str, text: str) -> None:
        if sha in self._blobs:
            return
        self._blobs[sha] = text
        self._blob_bytes += len(text)
        while self._blob_bytes > BLOB_BYTES_KEPT and self._blobs:
            _, old = self._blobs.popitem(last=False)
            self._blob_bytes -= len(old)


def from_folder(root: str) -> dict[str, str]:
    """The files of a checked-out site the model reads (``valine site scan``, the tests)."""
    from pathlib import Path

    base = Path(root)
    out: dict[str, str] = {}
    for path in sorted(base.rglob("*")):
        relative = path.relative_to(base).as_posix()
        if path.is_file() and not any(p in SKIP_DIRS for p in relative.split("/")[:-1]) and \
                wanted(relative, path.stat().st_size):
            try:
                out[relative] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return out
