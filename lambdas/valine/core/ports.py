"""The ports the domain talks to. Adapters implement them for AWS, Discord, GitHub and
OpenAI; tests and ``make local`` use the same adapters against local stand-ins, and the
in-memory fakes in tests/fakes implement these Protocols too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from valine.core.outcomes import Message
from valine.core.task import Task, TaskState


class Clock(Protocol):
    """The time, injected so tests can move it."""

    def now(self) -> float:
        """Seconds since the epoch."""


class TransitionError(StrEnum):
    """Why a conditional write of a task was refused."""
    NOT_FOUND = "not_found"
    WRONG_STATE = "wrong_state"
    EXPIRED = "expired"
    NOT_ALLOWED = "not_allowed"
    STALE = "stale"
    DUPLICATE = "duplicate"  # create(): a task with this id exists (a replayed interaction)
    RATE_LIMITED = "rate_limited"  # the write's quota is used up; nothing was written


@dataclass(frozen=True)
class Quota:
    """A per-user counter the write must also increment, atomically, staying within ``limit``
    for the fixed window that starts at ``window_start``."""

    user_id: str
    kind: str  # "request" | "pr"
    limit: int
    window_start: float
    window_seconds: int = 3600

    @property
    def resets_at(self) -> float:
        """When the current hour's counter starts again."""
        return self.window_start + self.window_seconds

    @classmethod
    def hourly(cls, user_id: str, kind: str, limit: int, now: float) -> Quota:
        """A per-person limit of ``limit`` per clock hour, counted in the same transaction."""
        return cls(user_id, kind, limit, now - now % 3600, 3600)


@dataclass(frozen=True)
class TransitionResult:
    """The task after a conditional write, or why the write was refused."""

    task: Task | None
    error: TransitionError | None = None

    @property
    def ok(self) -> bool:
        """True when the write happened."""
        return self.error is None


class TaskStore(Protocol):
    """Task persistence. Every state change is a single conditional write."""

    def create(self, task: Task, *, quota: Quota | None = None) -> TransitionResult:
        """Store a new task (and count it against ``quota``): DUPLICATE if one with this id
        exists (a replayed interaction), RATE_LIMITED if the quota is used up."""

    def get(self, task_id: str) -> Task | None:
        """The task, or None when it does not exist (or is past the audit retention)."""

    def transition(
        self,
        task: Task,
        *,
        expect: tuple[TaskState, ...],
        now: float,
        actor_id: str | None = None,
        actor_is_admin: bool = False,
        expect_version: int | None = None,
        check_expiry: bool = True,
        quota: Quota | None = None,
    ) -> TransitionResult:
        """Write ``task`` if the stored one is in ``expect`` (and, when given, belongs to
        ``actor_id`` unless an admin acts, is not expired, has ``expect_version``, and the
        quota has room: all in one atomic write)."""

    def update(
        self,
        task_id: str,
        *,
        changes: Mapping[str, Any],
        event: str,
        expect: tuple[TaskState, ...],
        now: float,
        by: str | None = None,
        actor_id: str | None = None,
        actor_is_admin: bool = False,
        expect_version: int | None = None,
        check_expiry: bool = True,
        quota: Quota | None = None,
        expect_agent: str | None = None,
    ) -> TransitionResult:
        """Change the named fields of the stored task (and record ``event``) without reading it
        first, under the same conditions as ``transition``: one round trip on the 3-second path.
        On success ``task`` is the updated task when the write can return it (a write with a
        quota cannot: DynamoDB transactions return no item), else None; on refusal it is the
        stored task as it was."""

    def recent(self, *, requester_id: str | None, limit: int) -> list[Task]:
        """The newest tasks, everyone's or one requester's."""

    def created_between(self, start: float, end: float) -> list[Task]:
        """Every task created in the window (adoption, the weekly and phase reports)."""

    def expired_open(self, *, now: float, created_after: float, limit: int) -> list[Task]:
        """Tasks created after ``created_after`` still open (proposed or awaiting confirmation)
        whose ``expires_at`` has passed: what the expiry sweep marks expired."""


@dataclass(frozen=True)
class Job:
    """One unit of work for the worker: a preview or a pull request for a task, or a notice."""

    kind: str  # "preview" | "create_pr" | "heartbeat" (the probe's synthetic job: the queue and worker live)
    task_id: str
    application_id: str
    token: str  # interaction token: edits the message for 15 minutes
    version: int = 0
    interaction_id: str = ""

    def to_json(self) -> dict[str, Any]:
        """The job as the queue's message body."""
        return {"kind": self.kind, "task_id": self.task_id, "application_id": self.application_id,
                "token": self.token, "version": self.version, "interaction_id": self.interaction_id}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Job:
        """A job from a queue message body."""
        return cls(kind=str(data["kind"]), task_id=str(data["task_id"]),
                   application_id=str(data["application_id"]), token=str(data["token"]),
                   version=int(data.get("version", 0)), interaction_id=str(data.get("interaction_id", "")))


class JobQueue(Protocol):
    """The job queue port: the hand-off from the 3-second path to the worker."""

    def send(self, job: Job) -> None:
        """Enqueue one job (raises when it could not be enqueued)."""


@dataclass(frozen=True)
class Flags:
    """The LLM switch and the agents' kill switches that are on (e.g. ``DISABLE_UX_UPDATES``)."""

    use_llm_parsing: bool = False
    disabled: frozenset[str] = frozenset()

    def paused(self, kill_switch: str) -> bool:
        """Whether the agent with this kill switch is paused."""
        return kill_switch in self.disabled

    def to_json(self) -> dict[str, Any]:
        """The flags as stored in the audit trail."""
        return {"use_llm_parsing": self.use_llm_parsing, "disabled": sorted(self.disabled)}


class FlagSource(Protocol):
    """Where the kill switches come from (the table, behind a short cache)."""

    def current(self) -> Flags:
        """The flags now."""


class Metrics(Protocol):
    """Custom metrics (valine.metrics.METRICS names them): counts, timings, percentages, money."""

    def count(self, name: str, value: float = 1, **dimensions: str) -> None:
        """Add to a Count metric."""

    def timing(self, name: str, milliseconds: float, **dimensions: str) -> None:
        """Record a duration in milliseconds."""

    def percent(self, name: str, value: float, **dimensions: str) -> None:
        """Record a percentage."""

    def money(self, name: str, usd: float, **dimensions: str) -> None:
        """Record an amount in US dollars."""


class MessageGone(Exception):
    """Discord no longer knows the interaction's message (token expired or message deleted)."""


class DiscordWebhooks(Protocol):
    """What the worker needs from Discord: edit the interaction's original message."""

    def edit_original(self, application_id: str, token: str, message: Message, *,
                      interaction_id: str = "") -> None:
        """Show ``message`` (an outcome value, which the adapter renders) as the interaction's answer.
        Discord makes the deferred message only once the endpoint's answer reaches it, so a missing
        message soon after ``interaction_id`` was created is waited for; one gone for good gets a
        follow-up instead (MessageGone if neither)."""


@dataclass(frozen=True)
class Feedback:
    """One person's word on a task (a vote, and an optional comment), or free text (/feedback)."""

    user_id: str
    role: str  # the person's highest role when they gave it (admin, pm, developer, member)
    phase: int  # the rollout phase it was given in
    at: float
    task_id: str | None = None  # None: free text from /feedback
    agent: str | None = None
    vote: int = 0  # +1 helpful, -1 not helpful, 0 free text
    comment: str = ""


class FeedbackStore(Protocol):
    """Feedback in the conversation table: one vote per person per task, changeable."""

    def vote(self, feedback: Feedback) -> None:
        """Record or change ``feedback.user_id``'s vote on ``feedback.task_id``, with ``feedback.comment``
        when it has one (else an earlier comment is kept)."""

    def free_text(self, feedback: Feedback, feedback_id: str) -> None:
        """Store a /feedback line with the person's role and phase."""

    def between(self, start: float, end: float) -> list[Feedback]:
        """Everything given (or last changed) in the window."""



class SiteSections(Protocol):
    """The names of the team's site's sections, as the site model last read them: the worker
    publishes them for each new base tree; the interactions function reads them for the ``section``
    option's autocomplete and for /agents."""

    def current(self) -> tuple[str, ...]:
        """The site's section names for autocomplete and /agents (cached)."""

    def publish(self, names: Sequence[str], tree: str, now: float) -> None:
        """Record the section names of a base tree (once per tree)."""
