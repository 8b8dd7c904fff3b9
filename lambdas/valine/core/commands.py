"""The seam every read-only slash command plugs into (/status, /agents, /tasks, /feedback).

A command is one module under ``valine/commands/`` with ``answer(ask) -> str`` (the reply a
person sees, as Discord Markdown) and one ``CommandSpec`` line in the registry,
``valine/commands/__init__.py``. The Discord command schema, the router and the docs come
from the registry; nothing else names the command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from valine.core.agent import GUILD_COMMAND, AgentSpec
from valine.core.ports import Flags, TaskStore


class CommandSpec(NamedTuple):
    """A read-only command: its name and description in Discord, its options (Discord's shape),
    and the module whose ``answer(ask)`` replies (imported when the command is first used)."""

    name: str
    description: str
    answer: str  # "package.module" with answer(ask: Ask) -> str
    options: tuple[Mapping[str, Any], ...] = ()

    def schema(self) -> dict[str, Any]:
        """The command in the shape of Discord's bulk-overwrite endpoint."""
        out: dict[str, Any] = {"name": self.name, **GUILD_COMMAND, "description": self.description}
        if self.options:
            out["options"] = [dict(o) for o in self.options]
        return out


class CommandAsk(NamedTuple):
    """What a command may read to answer one person: the settings, who asks (a
    ``discord.caller.Caller``), the registered agents, the tasks, the time, the command's options
    and the feedback desk (the one command that writes: a feedback line). The flags and the
    site's sections are read only by the commands that ask for them (each read may be an AWS call
    on the 3-second path)."""

    settings: Any
    caller: Any
    agents: Sequence[AgentSpec]
    store: TaskStore
    now: float
    options: Mapping[str, Any]
    feedback: Any
    read_flags: Callable[[], Flags]
    read_sections: Callable[[], Sequence[str]]

    @property
    def flags(self) -> Flags:
        """The kill switches and the LLM switch, read when a command asks for them."""
        return self.read_flags()

    @property
    def sections(self) -> Sequence[str]:
        """The site's sections, read when a command asks for them."""
        return self.read_sections()
