"""/status: the rollout phase, the flags and what the caller's roles allow."""

from __future__ import annotations

from valine import answers
from valine.core.commands import CommandAsk


def answer(ask: CommandAsk) -> str:
    return answers.status_text(ask.settings, ask.flags, ask.caller, ask.agents)
