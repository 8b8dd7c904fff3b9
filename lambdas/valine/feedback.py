"""Feedback in Discord: 👍 / 👎 on every finished task's message (👎 opens a short optional comment
modal) and ``/feedback`` for free text at any time. Each is one write, stored with the person's role
and the rollout phase; ``valine rollout check`` judges the plan's feedback criteria from them."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from valine.core.caller import Caller
from valine.core.ports import Clock, Feedback, FeedbackStore, Metrics, TaskStore
from valine.core.task import Task, TaskState
from valine.discord import messages as msg
from valine.discord.caller import HttpResponse
from valine.discord.types import ButtonStyle, ComponentType, InteractionResponseType, TextInputStyle
from valine.settings import Settings
from valine.site.safety import check_text

PREFIX = "fb"
UP, DOWN, COMMENT = "up", "down", "comment"
MAX_TEXT = 1000
# Where a task's message carries the 👍 / 👎 row: its outcome is known. Votes on anything else
# (an open preview, a cancelled or expired one, a task that never existed) are refused, so no one
# can fill the feedback criterion with votes on work that was never finished.
FINISHED = frozenset({TaskState.COMPLETED, TaskState.FAILED, TaskState.MERGED, TaskState.REJECTED})


def buttons(task_id: str, agent: str) -> dict[str, Any]:
    """The row a finished task's message carries (``fb:up:<agent>:<task>``)."""
    return msg.row(
        {"type": ComponentType.BUTTON, "style": ButtonStyle.SECONDARY, "label": "Helpful",
         "emoji": {"name": "👍"}, "custom_id": f"{PREFIX}:{UP}:{agent}:{task_id}"},
        {"type": ComponentType.BUTTON, "style": ButtonStyle.SECONDARY, "label": "Not helpful",
         "emoji": {"name": "👎"}, "custom_id": f"{PREFIX}:{DOWN}:{agent}:{task_id}"},
    )


def is_feedback(custom_id: object) -> bool:
    return isinstance(custom_id, str) and custom_id.startswith(f"{PREFIX}:")


def _parse(custom_id: str) -> tuple[str, str, str] | None:
    parts = custom_id.split(":")
    if len(parts) != 4 or parts[1] not in (UP, DOWN, COMMENT) or not parts[2] or not parts[3].isalnum():
        return None
    return parts[1], parts[2], parts[3]


def comment_modal(task_id: str, agent: str) -> dict[str, Any]:
    return {"type": InteractionResponseType.MODAL, "data": {
        "custom_id": f"{PREFIX}:{COMMENT}:{agent}:{task_id}", "title": "What was not helpful?",
        "components": [{"type": ComponentType.LABEL, "label": "Comment (optional)",
                        "description": "What went wrong, or what you expected. The team reads every one.",
                        "component": {"type": ComponentType.TEXT_INPUT, "custom_id": "comment",
                                      "style": TextInputStyle.PARAGRAPH, "required": False,
                                      "max_length": MAX_TEXT}}]}}


def _text(data: Mapping[str, Any], custom_id: str) -> str:
    for top in data.get("components") or []:
        top = top if isinstance(top, dict) else {}
        for comp in [top.get("component"), *(top.get("components") or [])]:
            if isinstance(comp, dict) and comp.get("custom_id") == custom_id:
                return str(comp.get("value") or "").strip()
    return ""


@dataclass
class FeedbackDesk:
    settings: Settings
    store: FeedbackStore
    clock: Clock
    metrics: Metrics
    tasks: TaskStore

    def _votable(self, task_id: str, agent: str) -> Task | str:
        """The finished task a vote is about, or why the vote is refused."""
        task = self.tasks.get(task_id)
        if task is None or task.agent != agent:
            return "This button is not one of mine any more."
        if task.state not in FINISHED or task.expired(self.clock.now()):
            return (f"`{task.short_id}` is {task.state.value}: votes are for finished tasks, on the message "
                    "that shows the outcome.")
        return task

    def component(self, kind: int, data: Mapping[str, Any], caller: Caller) -> HttpResponse:
        parsed = _parse(str(data.get("custom_id")))
        if parsed is None:
            return HttpResponse(200, msg.reply("This button is not one of mine any more."))
        action, agent, task_id = parsed
        task = self._votable(task_id, agent)
        if isinstance(task, str):
            self.metrics.count("Feedback", Kind="refused")
            return HttpResponse(200, msg.reply(task))
        now = self.clock.now()
        vote = 1 if action == UP else -1
        if action == COMMENT:
            # One line (the modal is a paragraph; the reports show it on one line), no invisible characters.
            text = " ".join(_text(data, "comment").split())[:MAX_TEXT]
            problem = check_text(text, MAX_TEXT) if text else None
            # The modal only follows a 👎, so its comment is that vote's, whether or not the vote
            # itself arrived: written with the vote, in one write, it is in every report.
            kept = "" if problem else text
            self.store.vote(dataclasses.replace(self._feedback(caller, task, vote, now), comment=kept))
            if problem:
                return HttpResponse(200, msg.reply(f"Your 👎 is recorded; the comment was not: {problem}."))
            if text:
                self.metrics.count("Feedback", Kind="comment")
            return HttpResponse(200, msg.reply("Thank you: your 👎 and your comment are with the team."
                                               if text else "Thank you: your 👎 is recorded."))
        self.store.vote(self._feedback(caller, task, vote, now))
        self.metrics.count("Feedback", Kind=action)
        if vote < 0:
            return HttpResponse(200, comment_modal(task_id, agent))
        return HttpResponse(200, msg.reply(f"Thank you: 👍 recorded for `{task_id[-6:]}`. One vote per person per "
                                           "task; press 👎 to change it."))

    def _feedback(self, caller: Caller, task: Task, vote: int, now: float) -> Feedback:
        return Feedback(user_id=caller.user_id, role=caller.role_label(), phase=self.settings.phase.number, at=now,
                        task_id=task.task_id, agent=task.agent, vote=vote)

    def command(self, options: Mapping[str, Any], caller: Caller) -> str:
        """/feedback text:...: the reply to the person (one write when the text is acceptable)."""
        text = " ".join(str(options.get("text") or "").split())
        problem = check_text(text, MAX_TEXT)  # validated like a request: no invisible or control characters
        if problem:
            return (f"Your feedback was not saved: {problem}. Say it in `text` (1 to {MAX_TEXT} characters), e.g. "
                    "/feedback text: the previews are too long")
        self.store.free_text(Feedback(user_id=caller.user_id, role=caller.role_label(),
                                      phase=self.settings.phase.number, at=self.clock.now(), comment=text),
                             uuid.uuid4().hex)
        self.metrics.count("Feedback", Kind="text")
        return "Thank you: your feedback is with the team (it goes into the phase report)."
