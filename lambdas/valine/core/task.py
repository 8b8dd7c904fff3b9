"""The task record and its lifecycle.

proposed -> awaiting_confirmation -> in_progress -> completed | failed
completed (a pull request is open) -> merged | rejected (GitHub's webhook says it was closed)
proposed | awaiting_confirmation -> cancelled | expired
A proposed task is being parsed, or waits for the requester to answer a clarification
(Edit) or fix an invalid request.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class TaskState(StrEnum):
    """Where a task is in its lifecycle."""
    PROPOSED = "proposed"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    MERGED = "merged"  # its pull request was merged
    REJECTED = "rejected"  # its pull request was closed unmerged

    @property
    def terminal(self) -> bool:
        """True once nothing more will happen to the task."""
        return self in (TaskState.COMPLETED, TaskState.FAILED, TaskState.CANCELLED, TaskState.EXPIRED,
                        TaskState.MERGED, TaskState.REJECTED)

    @property
    def made_pull_request(self) -> bool:
        """True for the states of a task whose pull request was opened."""
        return self in (TaskState.COMPLETED, TaskState.MERGED, TaskState.REJECTED)

    @property
    def open(self) -> bool:
        """States in which the requester may still Edit or Cancel."""
        return self in (TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION)


@dataclass(frozen=True)
class Task:
    """A request delegated to an agent, with its lifecycle state and audit trail."""

    task_id: str
    requester_id: str
    requester_name: str
    requester_roles: tuple[str, ...]
    guild_id: str
    channel_id: str
    request: str
    state: TaskState
    created_at: float
    updated_at: float
    expires_at: float  # confirmation deadline; readers must check it (TTL deletes late)
    agent: str  # which agent owns it (its name in the agent registry)
    use_llm: bool = False
    version: int = 0  # bumped on every edit so stale worker jobs can tell they are stale
    intent: dict[str, Any] | None = None
    parser: str | None = None
    summary: str | None = None  # what the agent understood, e.g. "header: text → Welcome"
    part: str | None = None  # the section or page it edits
    preview_diff: str | None = None
    target_path: str | None = None
    base_sha: str | None = None
    original_sha: str | None = None  # git blob sha of the file the preview was computed from
    base_tree: str | None = None  # the tree of base_sha (the REST path builds on it without reading it again)
    new_content: str | None = None
    more_files: tuple[dict[str, str], ...] = field(default=())  # {path, original_sha, content} beyond the first
    notes: tuple[str, ...] = field(default=())  # what the agent said about its preview
    pick: str | None = None  # the candidate the requester picked from the agent's question
    asked: str | None = None  # what the last question was: clarify | invalid | unsupported | error
    previewed_at: float | None = None
    confirmed_by: str | None = None
    confirmed_at: float | None = None
    completed_at: float | None = None
    branch: str | None = None
    pr_url: str | None = None
    pr_number: int | None = None
    pr_closed_by: str | None = None  # the GitHub login that merged or closed it
    pr_closed_at: float | None = None
    outcome: str | None = None  # a line for the audit trail: why it failed, "dry run", ...
    history: tuple[dict[str, Any], ...] = field(default=())

    def expired(self, now: float) -> bool:
        """True for an open preview past its confirmation deadline."""
        return self.state.open and self.expires_at <= now

    def with_event(self, now: float, event: str, by: str | None = None, **changes: Any) -> Task:
        """A copy with ``changes`` applied and ``event`` appended to the audit trail."""
        entry = {"at": round(now, 3), "event": event}
        if by:
            entry["by"] = by
        return replace(self, updated_at=now, history=(*self.history, entry), **changes)

    @property
    def short_id(self) -> str:
        """The last six characters of the id, as people see it."""
        return self.task_id[-6:]
