"""The shared GitHub path of a confirmed task: branch, one commit with exactly the previewed
content, a draft pull request, and cleanup. Every agent's pull requests go through here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from valine.core.budgets import OutOfTime
from valine.core.github import BaseFileChanged, FileChange, GitHub, ProposedChange, PullRequest
from valine.core.outcomes import Message, Shown
from valine.core.ports import Clock, Job, Metrics, TaskStore
from valine.core.task import Task, TaskState
from valine.core.work import AgentWork, UserFacingError
from valine.markup import code_span, fence
from valine.metrics import parser_family

log = logging.getLogger("valine.pull_request")


def branch_name(prefix: str, task: Task, part: str, at: float) -> str:
    """``<prefix>/<part>-<yyyymmdd-hhmmss>-<task id>``: the whole id, so GitHub's webhook about
    the pull request leads back to its task (``task_id_of_branch``)."""
    stamp = dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"{prefix}/{part}-{stamp}-{task.task_id}"


def task_id_of_branch(branch: str) -> str | None:
    tail = branch.rsplit("/", 1)[-1].rsplit("-", 1)[-1]
    return tail if tail.isascii() and tail.isalnum() and "/" in branch else None


class PullRequestPath:
    def __init__(self, *, config: Any, store: TaskStore, github: GitHub, clock: Clock, metrics: Metrics,
                 say: Callable[[Job, Message], None],
                 title: Callable[[Task], str], heading: Callable[[Task], str]) -> None:
        self.config = config
        self.store = store
        self.github = github
        self.clock = clock
        self.metrics = metrics
        self._say = say
        self._title = title  # the pull request's title
        self._heading = heading  # the agent's name in messages, e.g. "UX update"

    def create(self, job: Job, task: Task, work: AgentWork) -> None:
        if task.state is not TaskState.IN_PROGRESS:
            return
        now = self.clock.now()
        if self.config.phase.dry_run:  # rolled back to phase 1 after the click
            self._finish(job, task, work, outcome="dry run: rolled back to phase 1, no pull request made")
            return
        branch = task.branch or branch_name(work.spec.branch_prefix, task, task.part or task.agent,
                                            task.confirmed_at or now)
        resume = task.branch is not None
        if not resume:
            task = task.with_event(now, "branch chosen", branch=branch)
            if not self.store.transition(task, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False).ok:
                return
            if task.previewed_at and task.confirmed_at:  # once per task (Confirm does not read the task)
                self.metrics.timing("PreviewToConfirmation", (task.confirmed_at - task.previewed_at) * 1000,
                                    Agent=task.agent)
            if task.version == 0:  # confirmed as first parsed: the accuracy proxy's numerator
                self.metrics.count("ConfirmedUnchanged", Parser=parser_family(task.parser))
        started = self.clock.now()
        try:
            # ``resume``: the branch name was recorded by an earlier attempt, which may have got
            # as far as the branch or the pull request. A first attempt made nothing on GitHub.
            pr = self.github.propose(self._change(task, branch, work), resume=resume)
        except OutOfTime:
            raise  # the worker tells the user, or SQS delivers the job again
        except BaseFileChanged as exc:
            self._fail(job, task, work, f"{exc}; run /{work.spec.command} again for a fresh preview",
                       branch if resume else None)
            return
        except UserFacingError as exc:
            self._fail(job, task, work, str(exc), None)
            return
        except Exception as exc:
            reason = getattr(exc, "reason", None) or "GitHub failed"
            log.exception("pull request failed", extra={"task_id": task.task_id})
            # A timed-out or dropped call may still have worked: claim a pull request GitHub did
            # open, and delete the branch (unique to this task) only when GitHub says there is none.
            known, found = self.lookup(branch)
            if found is not None:
                self.completed(job, task, found, started=started)
                return
            self._fail(job, task, work, reason, branch if known else None)
            return
        self.completed(job, task, pr, started=started)

    def lookup(self, branch: str) -> tuple[bool, PullRequest | None]:
        """(whether GitHub answered, the pull request from ``branch`` if any)."""
        try:
            return True, self.github.find_pull(branch)
        except OutOfTime:
            raise
        except Exception:
            log.exception("could not look for the pull request", extra={"branch": branch})
            return False, None

    def completed(self, job: Job, task: Task, pr: PullRequest, *, started: float) -> None:
        now = self.clock.now()
        done = task.with_event(now, "pull request opened", state=TaskState.COMPLETED, completed_at=now,
                               pr_url=pr.url, pr_number=pr.number,
                               outcome="draft pull request" if pr.draft else
                               "regular pull request marked [DRAFT] (drafts not supported by the repository)")
        if not self.store.transition(done, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False).ok:
            return
        self.metrics.count("PullRequestsCreated", Agent=task.agent, Section=task.part or task.agent)
        self.metrics.timing("PullRequestLatency", (self.clock.now() - started) * 1000, Agent=task.agent)
        self._say(job, self.done(done, pr.url))

    def _change(self, task: Task, branch: str, work: AgentWork) -> ProposedChange:
        assert task.target_path and task.new_content is not None and task.base_sha and task.original_sha
        return ProposedChange(
            branch=branch, base=self.config.base_branch, base_sha=task.base_sha, path=task.target_path,
            original_sha=task.original_sha, base_tree=task.base_tree, content=task.new_content,
            more=tuple(FileChange(f["path"], f["original_sha"], f["content"]) for f in task.more_files),
            message=f"{self._title(task)}\n\nRequested in Discord by {task.requester_name} (task {task.task_id}).",
            title=self._title(task), body=self._body(task, work))

    def _fail(self, job: Job, task: Task, work: AgentWork, reason: str, branch: str | None) -> None:
        if branch:
            try:
                self.github.delete_branch(branch)  # no half-made branches left behind
            except Exception:
                log.exception("could not delete branch", extra={"branch": branch})
        now = self.clock.now()
        failed = task.with_event(now, "failed", state=TaskState.FAILED, completed_at=now, outcome=reason[:300])
        self.store.transition(failed, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False)
        self.metrics.count("PullRequestsFailed", Agent=task.agent)
        self.metrics.count("HandledFailures", Function="worker")
        self._say(job, Shown(f"**{work.spec.title}** `{task.short_id}` failed: {reason}. Nothing was merged; ref "
                             f"{task.task_id[-8:]}.", (task.task_id, task.agent)))

    def _finish(self, job: Job, task: Task, work: AgentWork, *, outcome: str) -> None:
        now = self.clock.now()
        done = task.with_event(now, "completed", state=TaskState.COMPLETED, completed_at=now, outcome=outcome)
        if self.store.transition(done, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False).ok:
            self._say(job, Shown(f"**{work.spec.title}** `{task.short_id}`: {outcome}.", (task.task_id, task.agent)))

    def _body(self, task: Task, work: AgentWork) -> str:
        # Everything the user typed is inside code (a fence it cannot close, or a code span):
        # it cannot form headings, lists, checkboxes, images, links, @mentions or #references.
        return (
            f"Requested in Discord by {code_span(task.requester_name)} (user id {task.requester_id}, roles: "
            f"{', '.join(task.requester_roles)}), confirmed by user id {task.confirmed_by}.\n\n"
            f"The request, as typed:\n\n{fence(task.request, 'text')}\n\n"
            f"### Changes\n{work.pr_changes(task)}\n\n"
            f"### Diff (as previewed)\n{fence(task.preview_diff or '', 'diff')}\n\n"
            "### Review checklist\n- [ ] The change matches the request\n- [ ] The page renders as expected\n"
            "- [ ] No unrelated changes\n\n"
            f"Opened by the Valine {work.spec.name} agent · rollout phase {self.config.phase.number} · "
            f"parser {code_span(task.parser or 'rules')} · task `{task.task_id}`"
        )

    def done(self, task: Task, url: str, *, extra: str = "") -> Shown:
        """The message of a task whose pull request is open (or was since merged or closed: ``extra``)."""
        return Shown(f"**{self._heading(task)}** `{task.short_id}` — draft pull request #{task.pr_number} is ready "
                     f"for review: {url}\n{task.outcome or ''}{extra}", (task.task_id, task.agent), link=url)
