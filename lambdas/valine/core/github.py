"""The GitHub port: read the team's repository at the base branch, and propose a change to it
as a draft pull request (one commit, one or several files)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class RepoFile:
    """A file of the repository as read at one commit: its path, content and blob sha."""

    path: str
    content: str
    sha: str  # blob sha
    commit_sha: str  # the base branch commit it was read at
    tree_sha: str | None = None  # that commit's tree


@dataclass(frozen=True)
class PullRequest:
    """A pull request the bot opened: its number, URL, branch and whether it is a draft."""

    number: int
    url: str
    draft: bool
    branch: str


class RepoFileMissing(Exception):
    """The file a catalog names is not in the repository (the message says which)."""


_BAD_REF = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|^/|/$|\.$|^@$")


def valid_branch(name: str) -> bool:
    """git's ref-name rules (``git check-ref-format``), which GitHub enforces: a branch name from
    outside never becomes ``refs/heads/a/../../main`` in a URL (clients collapse the dots to ``main``)."""
    if not name or len(name) > 200 or _BAD_REF.search(name):
        return False
    return all(part and not part.startswith(".") and not part.endswith(".lock") for part in name.split("/"))


@dataclass(frozen=True)
class FileChange:
    """One more file of a change: its path, its blob sha in the preview, its new content."""

    path: str
    original_sha: str
    content: str


@dataclass(frozen=True)
class ProposedChange:
    """Exactly the previewed change, as a draft pull request from a new branch."""

    branch: str
    base: str  # the base branch's name
    base_sha: str  # the commit the preview was computed at
    path: str
    original_sha: str  # the file's blob sha in the preview
    base_tree: str | None  # base_sha's tree, when the preview read it
    content: str  # the file's new content, exactly as previewed
    message: str  # commit message: headline, blank line, body
    title: str
    body: str
    more: tuple[FileChange, ...] = field(default=())  # the other files of the same commit

    def __post_init__(self) -> None:
        for name in (self.branch, self.base):
            if not valid_branch(name):
                raise ValueError(f"{name!r} is not a valid branch name (git's ref-name rules)")

    @property
    def files(self) -> tuple[FileChange, ...]:
        """Every file of the commit, the first one included."""
        return (FileChange(self.path, self.original_sha, self.content), *self.more)


@dataclass(frozen=True)
class Head:
    """The base branch now: its commit and that commit's tree (the site model is cached by the tree)."""

    commit_sha: str
    tree_sha: str


@dataclass(frozen=True)
class TreeEntry:
    """One entry of a git tree: its path, mode, type and sha."""

    path: str
    sha: str  # blob sha
    size: int


class BaseFileChanged(Exception):
    """The file changed on the base branch after the preview: a new preview is needed."""


class GitHub(Protocol):
    """What the agents need from GitHub: read the repository, propose a change, find or clean up a branch."""

    def read_file(self, path: str, ref: str) -> RepoFile:
        """The file at ``path`` on ``ref`` (RepoFileMissing when it is not there)."""

    def head(self, ref: str) -> Head:
        """The branch's head commit and tree, in one round trip."""

    def tree(self, tree_sha: str) -> list[TreeEntry]:
        """Every file (blob) of a tree, recursively."""

    def blobs(self, shas: list[str]) -> Mapping[str, str | None]:
        """The text of each blob (None for a binary one), as few round trips as the API allows."""

    def propose(self, change: ProposedChange, *, resume: bool) -> PullRequest:
        """Branch, one commit with exactly the previewed files, and a draft pull request.

        The branch starts at the base branch's current head when every file there is still the
        previewed one (so the commit's diff is exactly the preview), else ``BaseFileChanged``.
        ``resume``: an earlier attempt may have made the branch or the pull request; find and
        finish them instead of making a second commit or pull request."""

    def find_pull(self, branch: str) -> PullRequest | None:
        """The open pull request from ``branch``, if one exists (for an answer that was lost)."""

    def delete_branch(self, branch: str) -> None:
        """Delete a branch the bot made (a failed pull request leaves none behind)."""
