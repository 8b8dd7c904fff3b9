"""What an agent's work returns, on the worker only: a change of one or several files (with notes),
or a question for the person (with choices); and the worker half's seam, AgentWork."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from valine.core.agent import AgentSpec
from valine.core.github import RepoFile
from valine.core.outcomes import Choice
from valine.core.task import Task


class UserFacingError(Exception):
    """Something the user must hear about, with what to do next."""


@dataclass(frozen=True)
class Ask:
    """The agent cannot make a change yet: a question, or why the request cannot be done."""

    text: str
    outcome: str = "clarify"  # "clarify" | "invalid" | "unsupported" (the ParseOutcome metric)
    parser: str | None = None
    choices: tuple[Choice, ...] = ()  # offered as a select menu; the pick comes back as task.pick


@dataclass(frozen=True)
class Edited:
    """A file as the agent changed it, against the copy it read (the snapshot's)."""

    before: RepoFile
    after: str


@dataclass(frozen=True)
class Rewritten:
    """A file's new content from an agent's edit, with what the person should know about it
    (what it left alone, for example); shown with the preview like ``Change.notes``."""

    content: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """One edit of one file, as the agent understood the request."""

    path: str
    part: str  # the section or page: the Section metric dimension and the branch name
    summary: str  # e.g. "header: text → Welcome", shown in the preview header
    intent: dict[str, Any]  # stored on the task (audit trail, PR body)
    parser: str
    edit: Callable[[str], str | Rewritten | Ask]  # the new file content from the current one, or a question
    edited: tuple[Edited, ...] = ()  # the agent already changed these files (one or several): no edit() needed
    notes: tuple[str, ...] = ()  # shown with the preview ("shown 3 times; all change")


class AgentWork(Protocol):
    """The worker half of an agent."""

    spec: AgentSpec

    def understand(self, task: Task) -> Change | Ask:
        """Read the task's request; may read the repository's catalog (raises UserFacingError)."""

    def pr_title(self, task: Task) -> str:
        """The pull request's title, from catalog names only (never the user's words)."""

    def pr_changes(self, task: Task) -> str:
        """Markdown lines for the pull request's "Changes" section; user values in code spans."""
