"""The UX agent's slow work, run by the worker: previews and draft pull requests.

Every job is idempotent: a redelivered preview re-edits the same message, and a
redelivered PR job finds the branch or pull request it already made. Each outcome ends in
an edit of the user's message; nothing ends in silence.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from valine.deadlines import OutOfTime
from valine.discord import messages as msg
from valine.ports import (
    Clock,
    DiscordWebhooks,
    GitHub,
    Job,
    MessageGone,
    Metrics,
    PullRequest,
    RepoFileMissing,
    TaskStore,
)
from valine.rollout import PhaseConfig
from valine.tasks.model import Task, TaskState
from valine.ux.catalog import Catalog
from valine.ux.edits import apply_intent, preview_message, unified_diff
from valine.ux.intent import Clarify, Intent, ParseResult
from valine.ux.jsx import EditError

log = logging.getLogger("valine.agent")


class UserFacingError(Exception):
    """Something the user must hear about, with what to do next."""


@dataclass(frozen=True)
class AgentConfig:
    phase: PhaseConfig
    repository: str
    base_branch: str
    ttl_seconds: int


def branch_name(task: Task, section: str, at: float) -> str:
    stamp = dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"ux-update/{section}-{stamp}-{task.short_id}"


class UxAgent:
    def __init__(self, *, config: AgentConfig, store: TaskStore, github: GitHub, discord: DiscordWebhooks,
                 catalog: Callable[[], Catalog], parse: Callable[[Task, Catalog], ParseResult], clock: Clock,
                 metrics: Metrics) -> None:
        self.config = config
        self.store = store
        self.github = github
        self.discord = discord
        self.catalog = catalog
        self.parse = parse
        self.clock = clock
        self.metrics = metrics

    def run(self, job: Job) -> None:
        task = self.store.get(job.task_id)
        if task is None:
            self._say(job, "This request is gone (older than the audit retention); run /ux-update again.", [])
            return
        if task.state.terminal:
            # A redelivery after the outcome message could not be posted (or any late job):
            # say the outcome again rather than stay silent.
            self._say(job, self._outcome_text(task), self._outcome_components(task))
            return
        if job.kind == "preview":
            self.preview(job, task)
        elif job.kind == "create_pr":
            self.create_pr(job, task)
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
                pr = self._lookup_pull(task.branch)[1]
                if pr is not None:
                    self._completed(job, task, pr, started=now)
                    return
            if task is not None and not task.state.terminal:
                failed = task.with_event(now, "failed", state=TaskState.FAILED, completed_at=now, outcome=reason)
                self.store.transition(failed, expect=(task.state,), now=now, check_expiry=False)
        except Exception:
            log.exception("could not record the failure; telling the user from the job alone",
                          extra={"task_id": job.task_id})
        self.metrics.count("JobsFailed", Kind=job.kind)
        self._say(job, f"I could not finish this request ({reason}; ref {job.task_id[-8:]}). Nothing was merged; "
                       "run /ux-update again, and tell the operators if it keeps happening.", [])

    def retrying(self, job: Job, *, attempt: int, of: int) -> None:
        """An attempt ran out of time and SQS will deliver the job again: say so."""
        self._say(job, f"Still working on `{job.task_id[-6:]}`: it is taking longer than usual, so I am trying "
                       f"again automatically (attempt {attempt} of {of}).", [])

    def _outcome_text(self, task: Task) -> str:
        head = f"**UX update** `{task.short_id}`"
        if task.state is TaskState.COMPLETED and task.pr_url:
            return self._done_text(task)
        if task.state is TaskState.FAILED:
            return f"{head} failed: {task.outcome or 'unknown reason'}. Nothing was merged; ref {task.task_id[-8:]}."
        if task.state is TaskState.EXPIRED:
            return f"{head}: this preview expired. Run /ux-update again for a fresh one."
        return f"{head}: {task.outcome or task.state.value}. Nothing more to do."

    def _outcome_components(self, task: Task) -> list[dict[str, Any]]:
        if task.state is TaskState.COMPLETED and task.pr_url:
            return [msg.row(msg.link_button("Open pull request", task.pr_url))]
        return []

    # ---- preview -----------------------------------------------------------------------
    def preview(self, job: Job, task: Task) -> None:
        if task.version != job.version:
            return  # edited since; a newer job owns the message
        if task.state is TaskState.AWAITING_CONFIRMATION:
            self._say(job, self._preview_text(task), msg.preview_buttons(task.task_id))  # redelivery
            return
        if task.state is not TaskState.PROPOSED:
            return
        # End to end: from the moment the request (or its edit) was accepted and handed off.
        started = task.updated_at
        try:
            catalog = self.catalog()
        except UserFacingError as exc:
            self._ask(job, task, f"I cannot work on this repository: {exc}. Tell the site's maintainers.")
            return
        result = self.parse(task, catalog)
        if isinstance(result, Intent):
            try:
                self._preview_intent(job, task, result, catalog, started)
            except (EditError, UserFacingError, RepoFileMissing) as exc:
                self._ask(job, task, f"I cannot apply that: {exc}")
            return
        self.metrics.count("ParseOutcome", Outcome="clarify" if isinstance(result, Clarify) else "invalid")
        text = result.question if isinstance(result, Clarify) else f"{result.message[:1].upper()}{result.message[1:]}"
        self._ask(job, task, text, parser=result.parser)

    def _ask(self, job: Job, task: Task, text: str, parser: str | None = None) -> None:
        now = self.clock.now()
        asked = task.with_event(now, "needs input", outcome=text[:300], parser=parser or task.parser)
        result = self.store.transition(asked, expect=(TaskState.PROPOSED,), now=now, expect_version=job.version)
        if not result.ok:
            return
        self._say(job, f"**UX update** `{task.short_id}`: {task.request}\n{text}\n"
                       "Press **Edit request** to answer, or **Cancel**.", msg.revise_buttons(task.task_id))

    def _preview_intent(self, job: Job, task: Task, intent: Intent, catalog: Catalog, started: float) -> None:
        section = catalog.sections[intent.section]
        file = self.github.read_file(section.file, self.config.base_branch)
        new = apply_intent(file.content, intent, catalog)
        if new == file.content:
            self._ask(job, task, f"Nothing to change: {section.name} already has "
                                 f"{', '.join(f'{k} {v!r}' for k, v in intent.changes.items())}.")
            return
        now = self.clock.now()
        diff = unified_diff(file.content, new, section.file)
        updated = task.with_event(
            now, "previewed", state=TaskState.AWAITING_CONFIRMATION, intent=intent.to_json(), parser=intent.parser,
            preview_diff=diff, target_path=section.file, base_sha=file.commit_sha, original_sha=file.sha,
            new_content=new, previewed_at=now, expires_at=now + self.config.ttl_seconds, outcome=None)
        result = self.store.transition(updated, expect=(TaskState.PROPOSED,), now=now, expect_version=job.version)
        if not result.ok:
            return
        self.metrics.count("Previews", Section=section.name)
        self.metrics.timing("PreviewLatency", (self.clock.now() - started) * 1000)
        self._say(job, self._preview_text(updated), msg.preview_buttons(task.task_id))

    def _preview_text(self, task: Task) -> str:
        changes = ", ".join(f"{k} → {v}" for k, v in ((task.intent or {}).get("changes") or {}).items())
        minutes = self.config.ttl_seconds // 60
        mode = ("Dry run: this phase shows previews only; Confirm makes no pull request."
                if self.config.phase.dry_run else "Confirm opens a draft pull request with exactly this diff.")
        header = (f"**UX update** `{task.short_id}` for <@{task.requester_id}> — {(task.intent or {}).get('section')}: "
                  f"{changes} (parsed by {task.parser or 'rules'})")
        return preview_message(header, task.preview_diff or "",
                               f"{mode} Expires in {minutes} min. Only the requester or an admin can confirm.")

    # ---- pull request ------------------------------------------------------------------
    def create_pr(self, job: Job, task: Task) -> None:
        if task.state is not TaskState.IN_PROGRESS:
            return
        now = self.clock.now()
        if self.config.phase.dry_run:  # rolled back to phase 1 after the click
            self._finish(job, task, outcome="dry run: rolled back to phase 1, no pull request made")
            return
        intent = task.intent or {}
        section = str(intent.get("section"))
        branch = task.branch or branch_name(task, section, task.confirmed_at or now)
        if task.branch is None:
            task = task.with_event(now, "branch chosen", branch=branch)
            if not self.store.transition(task, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False).ok:
                return
        started = self.clock.now()
        created_branch = False
        try:
            pr = self.github.find_pull(branch)
            if pr is None:
                if self.github.branch_head(branch) is None:
                    self._commit(task, branch)
                    created_branch = True
                pr = self.github.open_draft_pull(branch=branch, base=self.config.base_branch,
                                                 title=self._title(task), body=self._body(task))
        except OutOfTime:
            raise  # the worker tells the user, or SQS delivers the job again
        except UserFacingError as exc:
            self._fail(job, task, str(exc), branch if created_branch else None)
            return
        except Exception as exc:
            reason = getattr(exc, "reason", None) or "GitHub failed"
            log.exception("pull request failed", extra={"task_id": task.task_id})
            # A timed-out or dropped call may still have worked: claim a pull request GitHub did
            # open, and delete the branch only when GitHub says there is none.
            known, found = self._lookup_pull(branch)
            if found is not None:
                self._completed(job, task, found, started=started)
                return
            self._fail(job, task, reason, branch if created_branch and known else None)
            return
        self._completed(job, task, pr, started=started)

    def _lookup_pull(self, branch: str) -> tuple[bool, PullRequest | None]:
        """(whether GitHub answered, the open pull request from ``branch`` if any)."""
        try:
            return True, self.github.find_pull(branch)
        except OutOfTime:
            raise
        except Exception:
            log.exception("could not look for the pull request", extra={"branch": branch})
            return False, None

    def _completed(self, job: Job, task: Task, pr: PullRequest, *, started: float) -> None:
        now = self.clock.now()
        done = task.with_event(now, "pull request opened", state=TaskState.COMPLETED, completed_at=now,
                               pr_url=pr.url, pr_number=pr.number,
                               outcome="draft pull request" if pr.draft else
                               "regular pull request marked [DRAFT] (drafts not supported by the repository)")
        if not self.store.transition(done, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False).ok:
            return
        self.metrics.count("PullRequestsCreated", Section=str((task.intent or {}).get("section")))
        self.metrics.timing("PullRequestLatency", (self.clock.now() - started) * 1000)
        self._say(job, self._done_text(done), [msg.row(msg.link_button("Open pull request", pr.url))])

    def _commit(self, task: Task, branch: str) -> None:
        assert task.target_path and task.new_content is not None and task.base_sha
        head = self.github.branch_head(self.config.base_branch)
        if head is None:
            raise UserFacingError(f"the base branch {self.config.base_branch} is gone")
        if head != task.base_sha:
            current = self.github.read_file(task.target_path, self.config.base_branch)
            if current.sha != task.original_sha:
                raise UserFacingError(f"{task.target_path} changed on {self.config.base_branch} after the preview; "
                                      "run /ux-update again for a fresh preview")
        self.github.commit_file(base_sha=head, branch=branch, path=task.target_path, content=task.new_content,
                                message=f"{self._title(task)}\n\nRequested in Discord by {task.requester_name} "
                                        f"(task {task.task_id}).")

    def _fail(self, job: Job, task: Task, reason: str, branch: str | None) -> None:
        if branch:
            try:
                self.github.delete_branch(branch)  # no half-made branches left behind
            except Exception:
                log.exception("could not delete branch", extra={"branch": branch})
        now = self.clock.now()
        failed = task.with_event(now, "failed", state=TaskState.FAILED, completed_at=now, outcome=reason[:300])
        self.store.transition(failed, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False)
        self.metrics.count("PullRequestsFailed")
        self.metrics.count("HandledFailures", Function="worker")
        self._say(job, f"**UX update** `{task.short_id}` failed: {reason}. Nothing was merged; ref "
                       f"{task.task_id[-8:]}.", [])

    def _finish(self, job: Job, task: Task, *, outcome: str) -> None:
        now = self.clock.now()
        done = task.with_event(now, "completed", state=TaskState.COMPLETED, completed_at=now, outcome=outcome)
        if self.store.transition(done, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False).ok:
            self._say(job, f"**UX update** `{task.short_id}`: {outcome}.", [])

    def _title(self, task: Task) -> str:
        intent = task.intent or {}
        changes = ", ".join(f"{k}" for k in (intent.get("changes") or {}))
        return f"UX update: {intent.get('section')} {changes}"[:120]

    def _body(self, task: Task) -> str:
        intent = task.intent or {}
        changes = "\n".join(f"- `{k}` → `{v}`" for k, v in (intent.get("changes") or {}).items())
        return (
            f"Requested in Discord by **{task.requester_name}** (<@{task.requester_id}>, roles: "
            f"{', '.join(task.requester_roles)}), confirmed by <@{task.confirmed_by}>.\n\n"
            f"> {task.request}\n\n### Changes\n{changes}\n\n"
            f"### Diff (as previewed)\n```diff\n{task.preview_diff}\n```\n\n"
            "### Review checklist\n- [ ] The change matches the request\n- [ ] The page renders as expected\n"
            "- [ ] No unrelated changes\n\n"
            f"Opened by the Valine UX agent · rollout phase {self.config.phase.number} · parser {task.parser} · "
            f"task `{task.task_id}`"
        )

    def _done_text(self, task: Task) -> str:
        return (f"**UX update** `{task.short_id}` — draft pull request #{task.pr_number} is ready for review: "
                f"{task.pr_url}\n{task.outcome or ''}")

    def _say(self, job: Job, content: str, components: list[dict[str, Any]] | None) -> None:
        try:
            self.discord.edit_original(job.application_id, job.token, msg.body(content, components))
        except MessageGone:
            # The task's state and the audit trail (/tasks) still hold the outcome.
            log.warning("the Discord message is gone; the outcome is only in /tasks",
                        extra={"task_id": job.task_id, "kind": job.kind})
            self.metrics.count("MessagesGone")
