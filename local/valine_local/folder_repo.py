"""A folder (or a git checkout's working tree) as the GitHub port's read side, for the tools that
look at a team's site without a server: ``valine site scan``, ``valine catalog check``,
``valine parse --site``. Proposing is not possible here; ``valine local --site`` serves a real
git repository through the GitHub emulator for that."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from valine.core.github import Head, ProposedChange, PullRequest, RepoFile, RepoFileMissing, TreeEntry
from valine.site.source import from_folder


def _sha(text: str) -> str:
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class FolderRepo:
    """The files of a folder, read once, as one commit of a branch."""

    def __init__(self, root: str, files: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.files = dict(files) if files is not None else from_folder(root)
        self._shas = {path: _sha(text) for path, text in self.files.items()}
        self._by_sha = {sha: self.files[path] for path, sha in self._shas.items()}
        digest = hashlib.sha1("".join(sorted(self._shas.values())).encode(), usedforsecurity=False).hexdigest()
        self.commit, self.tree_sha = "c" + digest[1:], "t" + digest[1:]

    def head(self, ref: str) -> Head:
        return Head(self.commit, self.tree_sha)

    def tree(self, tree_sha: str) -> list[TreeEntry]:
        return [TreeEntry(path, sha, len(self.files[path].encode())) for path, sha in self._shas.items()]

    def blobs(self, shas: list[str]) -> dict[str, str | None]:
        return {sha: self._by_sha.get(sha) for sha in shas}

    def read_file(self, path: str, ref: str) -> RepoFile:
        if path not in self.files:
            raise RepoFileMissing(f"{path} does not exist in {self.root}")
        return RepoFile(path, self.files[path], self._shas[path], self.commit, self.tree_sha)

    def propose(self, change: ProposedChange, *, resume: bool) -> PullRequest:
        raise NotImplementedError("a folder cannot take a pull request; run `valine local --site` for that")

    def find_pull(self, branch: str) -> PullRequest | None:
        return None

    def delete_branch(self, branch: str) -> None:
        return None
