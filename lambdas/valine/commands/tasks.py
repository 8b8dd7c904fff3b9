"""/tasks: recent tasks (everyone's for admins and PMs, else the caller's), request text inert."""

from __future__ import annotations

from valine import answers
from valine.core.commands import CommandAsk
from valine.core.phases import Role


def answer(ask: CommandAsk) -> str:
    everyone = ask.caller.is_admin or Role.PM in ask.caller.roles
    tasks = ask.store.recent(requester_id=None if everyone else ask.caller.user_id, limit=10)
    return answers.tasks_text(ask.caller, tasks, ask.now, {a.name: a.title for a in ask.agents})
