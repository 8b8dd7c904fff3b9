"""/feedback text:...: free text for the team, checked like a request, stored with role and phase."""

from __future__ import annotations

from valine.core.commands import CommandAsk


def answer(ask: CommandAsk) -> str:
    return str(ask.feedback.command(ask.options, ask.caller))
