"""The 3-second half of the task lifecycle, shared by every agent: start a task, and
Confirm / Edit / Cancel it. One conditional write per step and one hand-off to the worker;
who may act (requester or admin), expiry and the preview's version are enforced by the
store's conditions, so a double click or twenty simultaneous Confirms act once.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from valine.core.agent import AgentSpec
from valine.core.caller import Caller, Interaction
from valine.core.outcomes import CANCEL, CONFIRM, EDIT, PICK, AskEdit, Outcome, Said, Shown, Thinking
from valine.core.ports import Clock, FlagSource, JobQueue, Metrics, Quota, TaskStore, TransitionError
from valine.core.task import Task, TaskState
from valine.markup import discord_text
from valine.metrics import parser_family
from valine.settings import Settings
from valine.workflow import refusals
from valine.workflow.pinned import NOT_THIS_AGENT, PinnedWrites

log = logging.getLogger("valine.lifecycle")
MAX_REQUEST_CHARS = 1000



class Lifecycle(PinnedWrites):
    def __init__(self, *, settings: Settings, store: TaskStore, queue: JobQueue, flags: FlagSource, clock: Clock,
                 metrics: Metrics) -> None:
        self.settings = settings
        self.store = store
        self.queue = queue
        self.flags = flags
        self.clock = clock
        self.metrics = metrics

    def refusal(self, spec: AgentSpec, caller: Caller) -> str | None:
        # The role check needs no I/O, so it goes first; the flags are a cached read after it.
        if not self.settings.phase.may_use(caller.roles, spec.name):
            return refusals.not_in_phase_text(spec, caller, self.settings.phase)
        if self.flags.current().paused(spec.kill_switch):
            return refusals.paused_text(spec)
        return None

    # ---- start ---------------------------------------------------------------------------
    def start(self, spec: AgentSpec, interaction: Interaction, caller: Caller) -> Outcome:
        refusal = self.refusal(spec, caller)
        if refusal:
            self.metrics.count("Refused", Agent=spec.name, Role=caller.role_label())
            return Said(refusal)
        options = interaction.options
        request, problem = spec.compose(options)
        if problem:
            return Said(f"I did not start anything: {problem}. Try: {spec.ask}")
        if not request:
            return Said(f"Tell me what to change, e.g. {spec.ask}")
        if len(request) > MAX_REQUEST_CHARS:
            return Said(
                f"That request is {len(request)} characters; keep it under {MAX_REQUEST_CHARS}.")
        flags = self.flags.current()
        use_llm = flags.use_llm_parsing and options.get("use_llm", "").lower() in ("true", "1", "yes")
        now = self.clock.now()
        task = Task(
            task_id=interaction.id, requester_id=caller.user_id, requester_name=caller.name,
            requester_roles=tuple(sorted(r.value for r in caller.roles)), guild_id=caller.guild_id,
            channel_id=interaction.channel_id, request=request, state=TaskState.PROPOSED,
            created_at=now, updated_at=now, expires_at=now + self.settings.conversation_ttl_seconds,
            use_llm=use_llm, agent=spec.name,
        ).with_event(now, "requested", by=caller.user_id)
        created = self.store.create(task, quota=Quota.hourly(caller.user_id, "request",
                                                             self.settings.requests_per_hour, now))
        if created.error is TransitionError.DUPLICATE:
            return Said("I already have this request (a replayed interaction).")
        if created.error is TransitionError.RATE_LIMITED:
            return self._rate_limited(spec, "request", now)
        self.queue.send(interaction.job("preview", task.task_id, task.version))
        self.metrics.count("Requests", Agent=spec.name, Role=caller.role_label())
        return Thinking()

    # ---- buttons -------------------------------------------------------------------------
    def button(self, spec: AgentSpec, interaction: Interaction, caller: Caller, action: str,
               task_id: str, version: int | None = None) -> Outcome:
        if action == CONFIRM and version is not None and not self.settings.phase.dry_run:
            return self._confirm_pinned(spec, interaction, caller, task_id, version)
        if action == PICK:
            return self._pick(spec, interaction, caller, task_id, version)
        task = self.store.get(task_id)
        now = self.clock.now()
        if task is None:
            return Shown("This request is gone (older than the audit retention).")
        if task.agent != spec.name:  # a button of another agent's: the task's own message stays as it is
            return Said(NOT_THIS_AGENT)
        if action != CANCEL:  # anyone who may start a task may cancel their own, even after a rollback
            refusal = self.refusal(spec, caller)
            if refusal:
                return Said(refusal)
        if caller.user_id != task.requester_id and not caller.is_admin:
            return Said(
                f"Only <@{task.requester_id}> (who asked) or an admin can {action} this request.")
        if task.expired(now):
            return self.expire(spec, task, now)
        if action == EDIT:
            if not task.state.open:
                return Said(f"This request is already {task.state.value}.")
            return AskEdit(task.task_id, task.request, prefix=spec.prefix, title=spec.title,
                                                    version=task.version)
        if action == CANCEL:
            return self._cancel(spec, task, caller, now)
        return self._confirm(spec, interaction, task, caller, now)

    def expire(self, spec: AgentSpec, task: Task, now: float) -> Outcome:
        expired = task.with_event(now, "expired", state=TaskState.EXPIRED)
        if self.store.transition(expired, expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION), now=now,
                                 check_expiry=False).ok:
            self.metrics.count("ConversationsExpired", Agent=spec.name)  # once per preview, however many clicks
        minutes = self.settings.conversation_ttl_seconds // 60
        return Shown(f"This preview expired (previews last {minutes} minutes). Run /{spec.command} again for a "
                     "fresh one.")

    def _cancel(self, spec: AgentSpec, task: Task, caller: Caller, now: float) -> Outcome:
        cancelled = task.with_event(now, "cancelled", by=caller.user_id, state=TaskState.CANCELLED,
                                    completed_at=now, outcome=f"cancelled by {caller.name}")
        result = self.store.transition(cancelled, expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION),
                                       now=now, actor_id=caller.user_id, actor_is_admin=caller.is_admin,
                                       expect_version=task.version)
        if not result.ok:
            return self._transition_refusal(spec, result.error, result.task, now)
        self.metrics.count("Cancellations", Agent=spec.name)
        return Shown(f"Cancelled by <@{caller.user_id}>. Nothing was changed.")

    def _confirm(self, spec: AgentSpec, interaction: Interaction, task: Task, caller: Caller,
                 now: float) -> Outcome:
        phase = self.settings.phase
        if task.state is not TaskState.AWAITING_CONFIRMATION:
            return self._transition_refusal(spec, TransitionError.WRONG_STATE, task, now)
        header = f"**{spec.title}** `{task.short_id}` requested by <@{task.requester_id}>: {discord_text(task.request)}"
        if phase.dry_run:
            done = task.with_event(now, "confirmed (dry run)", by=caller.user_id, state=TaskState.COMPLETED,
                                   confirmed_by=caller.user_id, confirmed_at=now, completed_at=now,
                                   outcome=f"dry run: phase {phase.number} makes no pull request")
            result = self.store.transition(done, expect=(TaskState.AWAITING_CONFIRMATION,), now=now,
                                           actor_id=caller.user_id, actor_is_admin=caller.is_admin,
                                           expect_version=task.version)
            if not result.ok:
                return self._transition_refusal(spec, result.error, result.task, now)
            self.metrics.count("Confirmations", Agent=spec.name)
            if task.version == 0:
                self.metrics.count("ConfirmedUnchanged", Parser=parser_family(task.parser))
            return Shown(header, votes=(task.task_id, task.agent), diff=task.preview_diff or "",
                         footer=f"Dry run: rollout phase {phase.number} shows previews only, so no pull request "
                         "was made.")
        started = task.with_event(now, "confirmed", by=caller.user_id, state=TaskState.IN_PROGRESS,
                                  confirmed_by=caller.user_id, confirmed_at=now)
        # The version pins the confirmation to the preview that was read: an Edit in between
        # makes the write fail instead of confirming a diff the user no longer sees.
        result = self.store.transition(started, expect=(TaskState.AWAITING_CONFIRMATION,), now=now,
                                       actor_id=caller.user_id, actor_is_admin=caller.is_admin,
                                       expect_version=task.version,
                                       quota=Quota.hourly(caller.user_id, "pr", self.settings.prs_per_hour, now))
        if not result.ok:
            return self._transition_refusal(spec, result.error, result.task, now)
        try:
            self.queue.send(interaction.job("create_pr", task.task_id, task.version))
        except Exception:
            # Put the task back so the user can press Confirm again; nothing is lost.
            log.exception("hand-off failed", extra={"task_id": task.task_id})
            self.metrics.count("HandledFailures", Function="interactions")
            self.store.transition(replace(task, updated_at=now), expect=(TaskState.IN_PROGRESS,), now=now,
                                  check_expiry=False)
            ref = uuid.uuid4().hex[:8]
            return Said(f"I could not start the pull request (ref {ref}); "
                                               "press Confirm again in a moment.")
        self.metrics.count("Confirmations", Agent=spec.name)
        if task.previewed_at:
            self.metrics.timing("PreviewToConfirmation", (now - task.previewed_at) * 1000, Agent=spec.name)
        return Shown(f"{header}\nConfirmed by <@{caller.user_id}>: creating the draft pull request…")

    def _transition_refusal(self, spec: AgentSpec, error: TransitionError | None, task: Task | None,
                            now: float, action: str = "do that") -> Outcome:
        """Every refusal after a race says what happened and what to do."""
        if error is TransitionError.RATE_LIMITED:
            return self._rate_limited(spec, "pr", now)
        if error is TransitionError.EXPIRED and task is not None:
            return self.expire(spec, task, now)
        return Said(refusals.race_text(spec, error, task, action))

    def _rate_limited(self, spec: AgentSpec, kind: str, now: float) -> Outcome:
        """Not an error: counted as RateLimited, with when to try again."""
        self.metrics.count("RateLimited", Kind=kind)
        return Said(refusals.rate_limited_text(spec, kind, now, self.settings))

    # ---- the Edit modal ------------------------------------------------------------------
    def edit_submitted(self, spec: AgentSpec, interaction: Interaction, caller: Caller, task_id: str,
                       version: int | None = None) -> Outcome:
        text = interaction.text
        if not text or len(text) > MAX_REQUEST_CHARS:
            return Said(f"The request must be 1 to {MAX_REQUEST_CHARS} characters.")
        refusal = self.refusal(spec, caller)
        if refusal:
            return Said(refusal)
        if version is not None:
            return self._edit_pinned(spec, interaction, caller, task_id, version, text)
        task = self.store.get(task_id)
        now = self.clock.now()
        if task is None:
            return Said(f"This request is gone; run /{spec.command} again.")
        if task.agent != spec.name:
            return Said(NOT_THIS_AGENT)
        if task.expired(now):
            return self.expire(spec, task, now)
        edited = task.with_event(now, "edited", by=caller.user_id, request=text, state=TaskState.PROPOSED,
                                 version=task.version + 1, intent=None, preview_diff=None, new_content=None,
                                 summary=None, expires_at=now + self.settings.conversation_ttl_seconds)
        result = self.store.transition(edited, expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION),
                                       now=now, actor_id=caller.user_id, actor_is_admin=caller.is_admin,
                                       expect_version=task.version,
                                       quota=Quota.hourly(caller.user_id, "request", self.settings.requests_per_hour,
                                                          now))
        if result.error is TransitionError.RATE_LIMITED:
            return self._rate_limited(spec, "request", now)
        if not result.ok:
            return self._transition_refusal(spec, result.error, result.task, now)
        self.queue.send(interaction.job("preview", task.task_id, edited.version))
        return Shown(f"Updating the preview for: {discord_text(text)}")

