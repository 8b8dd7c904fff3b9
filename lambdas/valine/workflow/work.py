"""The worker's half of the task lifecycle, shared by every agent: previews and draft pull
requests, through the agent's ``understand`` and the shared GitHub path.

Every job is idempotent: a redelivered preview re-edits the same message, and a
redelivered PR job finds the branch or pull request it already made. Each outcome ends in
an edit of the user's message; nothing ends in silence.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from valine.core.github import GitHub, RepoFileMissing
from valine.core.outcomes import Asked, Message, Previewed, Shown
from valine.core.phases import PhaseConfig
from valine.core.ports import Clock, DiscordWebhooks, Job, MessageGone, Metrics, TaskStore
from valine.core.task import Task, TaskState
from valine.core.work import AgentWork, Ask, Change, Choice, Edited, Rewritten, UserFacingError
from valine.markup import discord_text
from valine.metrics import parser_family
from valine.site.diff import unified_diff
from valine.site.source import SiteSource
from valine.workflow.pull_request import PullRequestPath

log = logging.getLogger("valine.work")


@dataclass(frozen=True)
class Rewrite:
    """What editing one file by a function gave: the file as changed, and the agent's notes."""

    files: tuple[Edited, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkConfig:
    phase: PhaseConfig
    repository: str
    base_branch: str
    ttl_seconds: int


class TaskWorker:
    def __init__(self, *, config: WorkConfig, agents: Mapping[str, AgentWork], store: TaskStore, github: GitHub,
                 discord: DiscordWebhooks, clock: Clock, metrics: Metrics, site: SiteSource | None = None) -> None:
        self.config = config
        self.site = site  # the base branch cached by tree: a preview asks GitHub one question
        self.agents = dict(agents)
        self.store = store
        self.github = github
        self.discord = discord
        self.clock = clock
        self.metrics = metrics
        self.pulls = PullRequestPath(config=config, store=store, github=github, clock=clock, metrics=metrics,
                                     say=self._say, title=self._title,
                                     heading=lambda task: self.work(task).spec.title)

    def work(self, task: Task) -> AgentWork:
        return self.agents[task.agent]

    # ---- jobs ----------------------------------------------------------------------------
    def run(self, job: Job) -> None:
        if job.kind == "heartbeat":
            # The probe's synthetic job through the real path: the queue, this function, the table.
            self.store.get(job.task_id)
            self.metrics.count("Heartbeats")
            return
        if self.site is not None:
            self.site.new_job()
        task = self.store.get(job.task_id)
        if task is None:
            self._say(job, Shown("This request is gone (older than the audit retention); ask again."))
            return
        if task.state.terminal:
            # A redelivery after the outcome message could not be posted (or any late job):
            # say the outcome again rather than stay silent.
            self._say(job, self.outcome(task))
            return
        if job.kind == "preview":
            self.preview(job, task)
        elif job.kind == "create_pr":
            self.pulls.create(job, task, self.work(task))
        else:
            log.error("unknown job kind", extra={"kind": job.kind, "task_id": job.task_id})

    def fail(self, job: Job, reason: str) -> None:
        """The last delivery failed: record it if the store lets us, and tell the user in any case.

        The message is built from the job alone, so a task store outage still ends in a
        visible outcome. A pull request that GitHub did open is still claimed for the task.
        """
        now = self.clock.now()
        try:
            task = self.store.get(job.task_id)
            if task is not None and task.state is TaskState.IN_PROGRESS and task.branch:
                pr = self.pulls.lookup(task.branch)[1]
                if pr is not None:
                    self.pulls.completed(job, task, pr, started=now)
                    return
            if task is not None and not task.state.terminal:
                failed = task.with_event(now, "failed", state=TaskState.FAILED, completed_at=now, outcome=reason)
                self.store.transition(failed, expect=(task.state,), now=now, check_expiry=False)
        except Exception:
            log.exception("could not record the failure; telling the user from the job alone",
                          extra={"task_id": job.task_id})
        self.metrics.count("JobsFailed", Kind=job.kind)
        self._say(job, Shown(f"I could not finish this request ({reason}; ref {job.task_id[-8:]}). Nothing was "
                             "merged; ask again, and tell the operators if it keeps happening."))

    def retrying(self, job: Job, *, attempt: int, of: int) -> None:
        """An attempt ran out of time and SQS will deliver the job again: say so."""
        self._say(job, Shown(f"Still working on `{job.task_id[-6:]}`: it is taking longer than usual, so I am "
                             f"trying again automatically (attempt {attempt} of {of})."))

    # ---- preview -------------------------------------------------------------------------
    def preview(self, job: Job, task: Task) -> None:
        if task.version != job.version:
            return  # edited since; a newer job owns the message
        if task.state is TaskState.AWAITING_CONFIRMATION:
            self._say(job, self._previewed(task))
            return
        if task.state is not TaskState.PROPOSED:
            return
        # End to end: from the moment the request (or its edit) was accepted and handed off.
        started = task.updated_at
        try:
            understood = self.work(task).understand(task)
        except UserFacingError as exc:
            self._ask(job, task, f"I cannot work on this repository: {exc}. Tell the site's maintainers.",
                      asked="error")
            return
        if isinstance(understood, Ask):
            self.metrics.count("ParseOutcome", Agent=task.agent, Outcome=understood.outcome)
            self._ask(job, task, understood.text, parser=understood.parser, choices=understood.choices,
                      asked=understood.outcome)
            return
        try:
            self._preview_change(job, task, understood, started)
        except (UserFacingError, RepoFileMissing) as exc:
            self._ask(job, task, f"I cannot apply that: {exc}", asked="invalid")

    def _ask(self, job: Job, task: Task, text: str, parser: str | None = None,
             choices: tuple[Choice, ...] = (), *, asked: str = "clarify") -> None:
        now = self.clock.now()
        asked_task = task.with_event(now, "needs input", outcome=text[:300], parser=parser or task.parser,
                                     asked=asked)
        result = self.store.transition(asked_task, expect=(TaskState.PROPOSED,), now=now,
                                       expect_version=job.version)
        if not result.ok:
            return
        how = "Pick one below, or press **Edit request** to answer, or **Cancel**." if choices else \
            "Press **Edit request** to answer, or **Cancel**."
        self._say(job, Asked(f"**{self.work(task).spec.title}** `{task.short_id}`: {discord_text(task.request)}\n"
                             f"{discord_text(text, one_line=False)}\n{how}", task.task_id, self._prefix(task),
                             task.version, choices))

    def _preview_change(self, job: Job, task: Task, change: Change, started: float) -> None:
        edited = change.edited or self._edit_one(change)
        if isinstance(edited, Ask):
            self.metrics.count("ParseOutcome", Agent=task.agent, Outcome=edited.outcome)
            self._ask(job, task, edited.text, parser=change.parser, asked=edited.outcome)
            return
        if isinstance(edited, Rewrite):  # one file, with notes of its own
            change = dataclasses.replace(change, notes=change.notes + edited.notes)
            edited = edited.files
        changed = [e for e in edited if e.after != e.before.content]
        if not changed:
            self._ask(job, task, f"Nothing to change: {change.summary} is already so in {change.path}.",
                      asked="invalid")
            return
        first, rest = changed[0], changed[1:]
        diff = "\n".join(unified_diff(e.before.content, e.after, e.before.path) for e in changed)
        now = self.clock.now()
        updated = task.with_event(
            now, "previewed", state=TaskState.AWAITING_CONFIRMATION, intent=change.intent, parser=change.parser,
            summary=change.summary, part=change.part, preview_diff=diff, target_path=first.before.path,
            base_sha=first.before.commit_sha, original_sha=first.before.sha, base_tree=first.before.tree_sha,
            new_content=first.after, more_files=tuple({"path": e.before.path, "original_sha": e.before.sha,
                                                      "content": e.after} for e in rest),
            notes=change.notes, previewed_at=now, expires_at=now + self.config.ttl_seconds, outcome=None,
            asked=None)
        result = self.store.transition(updated, expect=(TaskState.PROPOSED,), now=now, expect_version=job.version)
        if not result.ok:
            return
        self.metrics.count("Previews", Agent=task.agent, Section=change.part)
        if updated.version == 0:  # the request as first typed: the accuracy proxy's denominator
            self.metrics.count("FirstPreviews", Parser=parser_family(change.parser))
        self.metrics.timing("PreviewLatency", (self.clock.now() - started) * 1000, Agent=task.agent)
        self._say(job, self._previewed(updated))

    def _edit_one(self, change: Change) -> Rewrite | Ask:
        """An agent that edits one file by a function: read it (from the cached snapshot when there is one)."""
        file = self.site.current().file(change.path) if self.site is not None else \
            self.github.read_file(change.path, self.config.base_branch)
        new = change.edit(file.content)
        if isinstance(new, Ask):
            return new
        if isinstance(new, Rewritten):
            return Rewrite((Edited(file, new.content),), new.notes)
        return Rewrite((Edited(file, new),))

    def _previewed(self, task: Task) -> Previewed:
        minutes = self.config.ttl_seconds // 60
        mode = ("Dry run: this phase shows previews only; Confirm makes no pull request."
                if self.config.phase.dry_run else "Confirm opens a draft pull request with exactly this diff.")
        header = (f"**{self.work(task).spec.title}** `{task.short_id}` for <@{task.requester_id}> — "
                  f"{discord_text(task.summary or '')} (parsed by {discord_text(task.parser or 'rules')})")
        colours = tuple(dict((task.intent or {}).get("changes") or {}).items())
        return Previewed(header, task.preview_diff or "",
                         f"{mode} Expires in {minutes} min. Only the requester or an admin can confirm.",
                         task.task_id, self._prefix(task), task.version, colours)

    # ---- outcomes ------------------------------------------------------------------------
    def outcome(self, task: Task) -> Shown:
        """A finished task's message, said again (a late or redelivered job)."""
        head = f"**{self.work(task).spec.title}** `{task.short_id}`"
        votes = (task.task_id, task.agent)
        if task.state.made_pull_request and task.pr_url:
            return self.pulls.done(task, task.pr_url, extra=f" It was {task.state.value} by "
                                   f"{discord_text(task.pr_closed_by)}." if task.pr_closed_by else "")
        if task.state is TaskState.FAILED:
            return Shown(f"{head} failed: {task.outcome or 'unknown reason'}. Nothing was merged; ref "
                         f"{task.task_id[-8:]}.", votes)
        if task.state is TaskState.EXPIRED:
            return Shown(f"{head}: this preview expired. Run /{self.work(task).spec.command} again for a fresh one.")
        return Shown(f"{head}: {task.outcome or task.state.value}. Nothing more to do.",
                     votes if task.state is TaskState.COMPLETED else None)

    def _title(self, task: Task) -> str:
        return self.work(task).pr_title(task)[:120]

    def _prefix(self, task: Task) -> str:
        return self.work(task).spec.prefix

    def _say(self, job: Job, message: Message) -> None:
        try:
            self.discord.edit_original(job.application_id, job.token, message, interaction_id=job.interaction_id)
        except MessageGone:
            # The task's state and the audit trail (/tasks) still hold the outcome.
            log.warning("the Discord message is gone; the outcome is only in /tasks",
                        extra={"task_id": job.task_id, "kind": job.kind})
            self.metrics.count("MessagesGone")
