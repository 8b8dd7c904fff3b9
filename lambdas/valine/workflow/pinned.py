"""The writes pinned to what a person saw: Confirm at the preview's version, an Edit at the
version the modal opened at, a pick from the agent's question. Each is one conditional write on
the 3-second path (no read first), then the hand-off to the worker; a refusal is read from the
item as it was. A mixin of ``valine.workflow.lifecycle.Lifecycle``."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from valine.core.agent import AgentSpec
from valine.core.caller import Caller, Interaction
from valine.core.outcomes import CONFIRM, Outcome, Said, Shown
from valine.core.ports import Clock, JobQueue, Metrics, Quota, TaskStore, TransitionError
from valine.core.task import Task, TaskState
from valine.markup import discord_text
from valine.settings import Settings

log = logging.getLogger("valine.lifecycle")
NOT_THIS_AGENT = "This button belongs to another agent's request; use the buttons on that request's own message."


class PinnedWrites:
    """Confirm, Edit and pick as writes pinned to a version (see the module docstring)."""

    settings: Settings
    store: TaskStore
    queue: JobQueue
    clock: Clock
    metrics: Metrics

    if TYPE_CHECKING:  # provided by the class this mixes into; declared for the type checker only
        def refusal(self, spec: AgentSpec, caller: Caller) -> str | None: ...
        def _rate_limited(self, spec: AgentSpec, kind: str, now: float) -> Outcome: ...
        def _transition_refusal(self, spec: AgentSpec, error: TransitionError | None, task: Task | None,
                                now: float, action: str = "do that") -> Outcome: ...

    def _confirm_pinned(self, spec: AgentSpec, interaction: Interaction, caller: Caller, task_id: str,
                        version: int) -> Outcome:
        """Confirm in two AWS calls: one conditional write pinned to the version on the button (the
        preview the person saw; an Edit since bumps it), with the PR quota, then the hand-off."""
        now = self.clock.now()
        refusal = self.refusal(spec, caller)
        if refusal:
            return Said(refusal)
        result = self.store.update(
            task_id, changes={"state": TaskState.IN_PROGRESS, "confirmed_by": caller.user_id, "confirmed_at": now},
            event="confirmed", by=caller.user_id, expect=(TaskState.AWAITING_CONFIRMATION,), now=now,
            actor_id=caller.user_id, actor_is_admin=caller.is_admin, expect_version=version, expect_agent=spec.name,
            quota=Quota.hourly(caller.user_id, "pr", self.settings.prs_per_hour, now))
        if not result.ok:
            return self._pinned_refusal(spec, result.error, result.task, "confirm", now)
        try:
            self.queue.send(interaction.job("create_pr", task_id, version))
        except Exception:
            # Put the task back so the user can press Confirm again; nothing is lost.
            log.exception("hand-off failed", extra={"task_id": task_id})
            self.metrics.count("HandledFailures", Function="interactions")
            self.store.update(task_id, changes={"state": TaskState.AWAITING_CONFIRMATION, "confirmed_by": None,
                                                "confirmed_at": None}, event="hand-off failed",
                              expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False)
            ref = uuid.uuid4().hex[:8]
            return Said(f"I could not start the pull request (ref {ref}); "
                                               "press Confirm again in a moment.")
        self.metrics.count("Confirmations", Agent=spec.name)
        # The task was not read: the header is the first line of the preview that was clicked.
        clicked = interaction.clicked
        header = clicked if clicked.startswith("**") else f"**{spec.title}** `{task_id[-6:]}`"
        return Shown(f"{header}\nConfirmed by <@{caller.user_id}>: creating the draft pull request…")


    def _pinned_refusal(self, spec: AgentSpec, error: TransitionError | None, task: Task | None, action: str,
                        now: float) -> Outcome:
        """Why a write pinned to a button's version was refused, from the item as it was."""
        if error is TransitionError.RATE_LIMITED:
            return self._rate_limited(spec, "pr" if action == CONFIRM else "request", now)
        if task is None:
            return Shown("This request is gone (older than the audit retention).")
        if task.agent != spec.name:
            return Said(NOT_THIS_AGENT)
        return self._transition_refusal(spec, error, task, now, action=f"{action} this request")


    def _pick(self, spec: AgentSpec, interaction: Interaction, caller: Caller, task_id: str,
              version: int | None) -> Outcome:
        """The requester picked one of the agent's candidates: the preview is made again for that one."""
        value = interaction.picked
        if not value or len(value) > 100 or version is None:
            return Said("Pick one of the options in the menu, or press Edit request.")
        refusal = self.refusal(spec, caller)
        if refusal:
            return Said(refusal)
        now = self.clock.now()
        result = self.store.update(
            task_id, changes={"pick": value, "state": TaskState.PROPOSED, "version": version + 1, "intent": None,
                              "preview_diff": None, "new_content": None, "summary": None,
                              "expires_at": now + self.settings.conversation_ttl_seconds},
            event="picked", by=caller.user_id, expect=(TaskState.PROPOSED,), now=now, actor_id=caller.user_id,
            actor_is_admin=caller.is_admin, expect_version=version,
            quota=Quota.hourly(caller.user_id, "request", self.settings.requests_per_hour, now))
        if not result.ok:
            return self._pinned_refusal(spec, result.error, result.task, "pick", now)
        self.queue.send(interaction.job("preview", task_id, version + 1))
        return Shown("Making the preview for your pick…")


    def _edit_pinned(self, spec: AgentSpec, interaction: Interaction, caller: Caller, task_id: str,
                     version: int, text: str) -> Outcome:
        """The edited request in two AWS calls: one write pinned to the version the modal was opened
        at (with the request quota), then the preview job."""
        now = self.clock.now()
        result = self.store.update(
            task_id, changes={"request": text, "state": TaskState.PROPOSED, "version": version + 1, "intent": None,
                              "preview_diff": None, "new_content": None, "summary": None,
                              "expires_at": now + self.settings.conversation_ttl_seconds},
            event="edited", by=caller.user_id, expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION),
            now=now, actor_id=caller.user_id, actor_is_admin=caller.is_admin, expect_version=version,
            expect_agent=spec.name, quota=Quota.hourly(caller.user_id, "request", self.settings.requests_per_hour, now))
        if not result.ok:
            return self._pinned_refusal(spec, result.error, result.task, "edit", now)
        self.queue.send(interaction.job("preview", task_id, version + 1))
        return Shown(f"Updating the preview for: {discord_text(text)}")
