"""In-memory fakes of the ports (valine.core.ports), for fast unit tests of the router, the
lifecycle and the agents. Each is assigned to its Protocol below, so mypy (which checks
tests/fakes) fails the build if a fake drifts from the port it stands in for."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Mapping
from typing import Any

from valine.core.github import (
    BaseFileChanged,
    GitHub,
    Head,
    ProposedChange,
    PullRequest,
    RepoFile,
    RepoFileMissing,
    TreeEntry,
)
from valine.core.outcomes import Message
from valine.core.ports import (
    Clock,
    DiscordWebhooks,
    Feedback,
    FeedbackStore,
    Flags,
    FlagSource,
    Job,
    JobQueue,
    MessageGone,
    Quota,
    TaskStore,
    TransitionError,
    TransitionResult,
)
from valine.core.task import Task, TaskState
from valine.discord import outcomes


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.t = now

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class FakeTaskStore:
    """The same conditions as the DynamoDB store's conditional writes, under one lock."""

    def __init__(self) -> None:
        self.tasks: dict[str, Task] = {}
        self.used: dict[tuple[str, str, float], int] = {}
        self._lock = threading.Lock()

    def _room(self, quota: Quota | None) -> bool:
        return quota is None or self.used.get((quota.user_id, quota.kind, quota.window_start), 0) < quota.limit

    def _use(self, quota: Quota | None) -> None:
        if quota is not None:
            key = (quota.user_id, quota.kind, quota.window_start)
            self.used[key] = self.used.get(key, 0) + 1

    def create(self, task: Task, *, quota: Quota | None = None) -> TransitionResult:
        with self._lock:
            if task.task_id in self.tasks:
                return TransitionResult(self.tasks[task.task_id], TransitionError.DUPLICATE)
            if not self._room(quota):
                return TransitionResult(task, TransitionError.RATE_LIMITED)
            self._use(quota)
            self.tasks[task.task_id] = task
            return TransitionResult(task)

    def get(self, task_id: str) -> Task | None:
        return self.tasks.get(task_id)

    def transition(self, task: Task, *, expect: tuple[TaskState, ...], now: float, actor_id: str | None = None,
                   actor_is_admin: bool = False, expect_version: int | None = None,
                   check_expiry: bool = True, quota: Quota | None = None) -> TransitionResult:
        with self._lock:
            current = self.tasks.get(task.task_id)
            if current is None:
                return TransitionResult(None, TransitionError.NOT_FOUND)
            if current.state not in expect:
                return TransitionResult(current, TransitionError.WRONG_STATE)
            if actor_id is not None and not actor_is_admin and current.requester_id != actor_id:
                return TransitionResult(current, TransitionError.NOT_ALLOWED)
            if check_expiry and current.expires_at <= now:
                return TransitionResult(current, TransitionError.EXPIRED)
            if expect_version is not None and current.version != expect_version:
                return TransitionResult(current, TransitionError.STALE)
            if not self._room(quota):
                return TransitionResult(task, TransitionError.RATE_LIMITED)
            self._use(quota)
            self.tasks[task.task_id] = task
            return TransitionResult(task)

    def update(self, task_id: str, *, changes: Mapping[str, Any], event: str, expect: tuple[TaskState, ...],
               now: float, by: str | None = None, actor_id: str | None = None, actor_is_admin: bool = False,
               expect_version: int | None = None, check_expiry: bool = True,
               quota: Quota | None = None, expect_agent: str | None = None) -> TransitionResult:
        with self._lock:
            current = self.tasks.get(task_id)
        if current is None or (expect_agent is not None and current.agent != expect_agent):
            return TransitionResult(current, TransitionError.NOT_FOUND)
        updated = current.with_event(now, event, by=by, **changes)
        result = self.transition(updated, expect=expect, now=now, actor_id=actor_id, actor_is_admin=actor_is_admin,
                                 expect_version=expect_version, check_expiry=check_expiry, quota=quota)
        if not result.ok:
            return result
        return TransitionResult(None if quota is not None else updated)  # as DynamoDB: a transaction returns no item

    def recent(self, *, requester_id: str | None, limit: int) -> list[Task]:
        tasks = [t for t in self.tasks.values() if requester_id is None or t.requester_id == requester_id]
        return sorted(tasks, key=lambda t: t.created_at, reverse=True)[:limit]

    def created_between(self, start: float, end: float) -> list[Task]:
        return [t for t in self.tasks.values() if start <= t.created_at <= end]

    def expired_open(self, *, now: float, created_after: float, limit: int) -> list[Task]:
        return [t for t in self.tasks.values() if t.created_at >= created_after and t.expired(now)][:limit]


class FakeQueue:
    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.fail_next = 0

    def send(self, job: Job) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("SQS is unreachable")
        self.jobs.append(job)

    def take(self) -> Job:
        return self.jobs.pop(0)


class FakeFlags:
    def __init__(self, flags: Flags | None = None) -> None:
        self.flags = flags or Flags()

    def current(self) -> Flags:
        return self.flags


class FakeDiscord:
    """The webhook messages the worker edits, by token."""

    def __init__(self) -> None:
        self.messages: dict[str, dict[str, Any]] = {}
        self.gone: set[str] = set()

    def edit_original(self, application_id: str, token: str, message: Message, *,
                      interaction_id: str = "") -> None:
        if token in self.gone:
            raise MessageGone("Unknown Webhook")
        self.messages[token] = outcomes.message(message)  # the body Discord would be sent


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class FakeGitHub:
    """Branches as {path: content} snapshots; commits are their content hashes."""

    def __init__(self, files: Mapping[str, str], base: str = "main") -> None:
        self.branches: dict[str, dict[str, str]] = {base: dict(files)}
        self.pulls: list[PullRequest] = []
        self.proposals: list[tuple[ProposedChange, bool]] = []
        self.reads = 0

    def commit_of(self, branch: str) -> str:
        return _sha(repr(sorted(self.branches[branch].items())))

    def head(self, ref: str) -> Head:
        self.reads += 1
        return Head(self.commit_of(ref), "tree-" + self.commit_of(ref))

    def tree(self, tree_sha: str) -> list[TreeEntry]:
        branch = next(b for b in self.branches if "tree-" + self.commit_of(b) == tree_sha)
        return [TreeEntry(path, _sha(text), len(text.encode())) for path, text in self.branches[branch].items()]

    def blobs(self, shas: list[str]) -> dict[str, str | None]:
        every = {_sha(t): t for files in self.branches.values() for t in files.values()}
        return {sha: every[sha] for sha in shas}

    def read_file(self, path: str, ref: str) -> RepoFile:
        self.reads += 1
        files = self.branches[ref]
        if path not in files:
            raise RepoFileMissing(f"{path} does not exist on {ref}")
        return RepoFile(path=path, content=files[path], sha=_sha(files[path]), commit_sha=self.commit_of(ref),
                        tree_sha="tree-" + self.commit_of(ref))

    def branch_head(self, branch: str) -> str | None:
        return self.commit_of(branch) if branch in self.branches else None

    def propose(self, change: ProposedChange, *, resume: bool) -> PullRequest:
        self.proposals.append((change, resume))
        found = self.find_pull(change.branch)
        if found is not None:
            return found
        if change.branch not in self.branches:
            base = self.branches[change.base]
            for file in change.files:
                if base.get(file.path) is None or _sha(base[file.path]) != file.original_sha:
                    raise BaseFileChanged(f"{file.path} changed on {change.base} after the preview")
            self.branches[change.branch] = {**base, **{f.path: f.content for f in change.files}}
        pr = PullRequest(number=len(self.pulls) + 1, url=f"https://github.test/pull/{len(self.pulls) + 1}",
                         draft=True, branch=change.branch)
        self.pulls.append(dataclasses.replace(pr))
        self.last_body = change.body
        self.last_title = change.title
        return pr

    def find_pull(self, branch: str) -> PullRequest | None:
        return next((p for p in self.pulls if p.branch == branch), None)

    def delete_branch(self, branch: str) -> None:
        self.branches.pop(branch, None)


class FakeFeedback:
    """Votes keyed by (task, user) like the table's items; a changed vote keeps the comment."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Feedback] = {}

    def vote(self, feedback: Feedback) -> None:
        assert feedback.task_id is not None
        old = self.items.get((feedback.task_id, feedback.user_id))
        self.items[(feedback.task_id, feedback.user_id)] = dataclasses.replace(
            feedback, comment=feedback.comment or (old.comment if old else ""))

    def free_text(self, feedback: Feedback, feedback_id: str) -> None:
        self.items[(f"TEXT#{feedback_id}", feedback.user_id)] = feedback

    def between(self, start: float, end: float) -> list[Feedback]:
        return [f for f in self.items.values() if start <= f.at <= end]


# Type-checked: each fake must satisfy the port it replaces.
_clock: Clock = FakeClock()
_store: TaskStore = FakeTaskStore()
_queue: JobQueue = FakeQueue()
_flags: FlagSource = FakeFlags()
_discord: DiscordWebhooks = FakeDiscord()
_github: GitHub = FakeGitHub({})
_feedback: FeedbackStore = FakeFeedback()
