"""/agents: each agent like an employee, with the site's sections and its record."""

from __future__ import annotations

from valine import answers
from valine.core.commands import CommandAsk


def answer(ask: CommandAsk) -> str:
    recent = ask.store.recent(requester_id=None, limit=answers.RECORD_TASKS)
    return answers.agents_text(ask.settings, ask.flags, ask.caller, ask.agents, recent, ask.now,
                               sections=ask.sections)
