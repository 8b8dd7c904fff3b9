"""Answers Discord interactions within the 3-second limit: verify, resolve the caller, route.

Slash commands go to the agent that owns the command (``valine.agents``) or to a read-only
answer; buttons and modals go to the agent that owns their custom_id prefix. The task
lifecycle is the same for every agent (``valine.workflow.lifecycle``). Parsing, GitHub and
the LLM run in the worker.
"""

from __future__ import annotations

import importlib
import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from valine import commands
from valine.core.agent import AgentSpec
from valine.core.caller import Caller
from valine.core.commands import CommandAsk
from valine.core.ports import Clock, FeedbackStore, FlagSource, JobQueue, Metrics, SiteSections, TaskStore
from valine.discord import messages as msg
from valine.discord.caller import HttpResponse, caller_of, interaction_of
from valine.discord.outcomes import response
from valine.discord.shape import malformed
from valine.discord.signature import Verifier
from valine.discord.types import InteractionType
from valine.feedback import FeedbackDesk, is_feedback
from valine.logs import correlation_id
from valine.settings import Settings
from valine.workflow.lifecycle import Lifecycle

log = logging.getLogger("valine.interactions")
_TYPES = (InteractionType.APPLICATION_COMMAND, InteractionType.MESSAGE_COMPONENT, InteractionType.MODAL_SUBMIT,
          InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE)


def _bad(status: int, error: str) -> HttpResponse:
    return HttpResponse(status, {"error": error})


class Interactions:
    def __init__(self, *, settings: Settings, verifier: Verifier, store: TaskStore, queue: JobQueue,
                 flags: FlagSource, clock: Clock, metrics: Metrics, agents: Sequence[AgentSpec],
                 feedback: FeedbackStore, sections: SiteSections | None = None) -> None:
        self.settings = settings
        self.sections = sections
        self.verifier = verifier
        self.store = store
        self.flags = flags
        self.clock = clock
        self.metrics = metrics
        self.agents = tuple(agents)
        self._by_command = {a.command: a for a in self.agents}
        self._by_prefix = {a.prefix: a for a in self.agents}
        self.lifecycle = Lifecycle(settings=settings, store=store, queue=queue, flags=flags, clock=clock,
                                   metrics=metrics)
        self.feedback = FeedbackDesk(settings=settings, store=feedback, clock=clock, metrics=metrics, tasks=store)

    # ---- entry point -------------------------------------------------------------------
    def handle(self, headers: Mapping[str, str], body: bytes) -> HttpResponse:
        lower = {str(k).lower(): str(v) for k, v in headers.items()}
        if not self.verifier.verify(lower.get("x-signature-ed25519"), lower.get("x-signature-timestamp"),
                                    body, self.clock.now()):
            return _bad(401, "invalid request signature")
        try:
            interaction = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurdly deep nesting
            return _bad(400, "body is not JSON")
        if not isinstance(interaction, dict) or not isinstance(interaction.get("type"), int):
            return _bad(400, "not an interaction")
        try:
            return self._dispatch(interaction)
        except Exception:
            # A verified request always gets a visible answer, never a 5xx or silence.
            ref = str(interaction.get("id") or uuid.uuid4().hex)[-8:]
            log.exception("interaction failed", extra={"interaction_id": interaction.get("id")})
            self.metrics.count("HandledFailures", Function="interactions")
            return HttpResponse(200, msg.reply(
                f"Something went wrong on my side (ref {ref}); nothing was changed. Try again in a minute."))

    def _dispatch(self, interaction: dict[str, Any]) -> HttpResponse:
        correlation_id.set(str(interaction.get("id") or ""))
        kind = interaction["type"]
        data_name = (interaction.get("data") or {}).get("name") if isinstance(interaction.get("data"), dict) else None
        log.info("interaction", extra={"interaction_type": kind, "command": data_name})
        if kind == InteractionType.PING:
            return HttpResponse(200, msg.pong())
        if kind not in _TYPES:
            return _bad(400, f"unsupported interaction type {kind}")
        problem = malformed(interaction, self.settings.application_id)
        if problem is not None:  # a refusal, not a failure of ours: it does not count against the error rate
            log.info("malformed interaction refused", extra={"problem": problem})
            return _bad(400, problem)
        data = interaction["data"]
        caller = caller_of(interaction, self.settings)
        if isinstance(caller, HttpResponse):
            return caller
        if kind == InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE:
            return HttpResponse(200, msg.autocomplete(self._suggest(data)))
        if kind == InteractionType.APPLICATION_COMMAND:
            return self._command(interaction, data, caller)
        if is_feedback(data.get("custom_id")):  # 👍 / 👎 on a finished task, and its comment modal
            return self.feedback.component(kind, data, caller)
        parsed = msg.parse_custom_id(data.get("custom_id"))
        agent = self._by_prefix.get(parsed[0]) if parsed else None
        if parsed is None or agent is None:
            return HttpResponse(200, msg.reply("This button is not one of mine any more; ask again with /agents."))
        _, action, task_id, version = parsed
        if kind == InteractionType.MODAL_SUBMIT:
            return response(self.lifecycle.edit_submitted(agent, interaction_of(interaction, self.settings), caller,
                                                          task_id, version))
        return response(self.lifecycle.button(agent, interaction_of(interaction, self.settings), caller, action,
                                               task_id, version))

    def _suggest(self, data: Mapping[str, Any]) -> list[dict[str, str]]:
        """The site's sections that fit what is typed so far (Discord shows at most 25)."""
        focused = next((o for o in data.get("options") or [] if isinstance(o, dict) and o.get("focused")), None)
        if focused is None or focused.get("name") != "section" or self.sections is None:
            return []
        typed = str(focused.get("value") or "").strip().lower()
        names = self.sections.current()
        first = [n for n in names if n.lower().startswith(typed)]
        rest = [n for n in names if typed in n.lower() and n not in first]
        # The value is what the request carries: section:pricing-box (the structured grammar's one word).
        return [{"name": n[:100], "value": "-".join(n.split())[:100]} for n in (first + rest)[:25]]

    def _command(self, interaction: Mapping[str, Any], data: Mapping[str, Any], caller: Caller) -> HttpResponse:
        name = str(data.get("name"))
        agent = self._by_command.get(name)
        if agent is not None:
            return response(self.lifecycle.start(agent, interaction_of(interaction, self.settings), caller))
        command = commands.by_name().get(name)
        if command is None:
            return HttpResponse(200, msg.reply(f"I do not know /{name}; try /agents."))
        options = {str(o.get("name")): o.get("value") for o in data.get("options") or [] if isinstance(o, dict)}
        sections = self.sections
        ask = CommandAsk(settings=self.settings, caller=caller, agents=self.agents, store=self.store,
                         now=self.clock.now(), options=options, feedback=self.feedback,
                         read_flags=self.flags.current,
                         read_sections=sections.current if sections is not None else tuple)
        text = importlib.import_module(command.answer).answer(ask)
        return HttpResponse(200, msg.reply(text))
