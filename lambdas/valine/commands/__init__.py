"""The registry of read-only slash commands: one line each. The Discord schema
(``valine.discord.commands``), the router (``valine.interactions``) and the docs table are built
from it. A new command is a module with ``answer(ask) -> str`` and a line here."""

from __future__ import annotations

from valine.core.commands import CommandSpec

COMMANDS: list[CommandSpec] = [
    CommandSpec("agents", "The bot's agents, what they do and their record", "valine.commands.agents"),
    CommandSpec("status", "Rollout phase, flags and what your roles allow", "valine.commands.status"),
    CommandSpec("tasks", "Recent tasks and their pull requests", "valine.commands.tasks"),
    CommandSpec("feedback", "Tell the team what works and what does not", "valine.commands.feedback",
                options=({"type": 3, "name": "text", "description": "Your feedback (read by the team)",
                          "required": True, "min_length": 1, "max_length": 1000},)),
]


def by_name() -> dict[str, CommandSpec]:
    """The registered commands by name (read at call time, so a test can register one)."""
    return {c.name: c for c in COMMANDS}
