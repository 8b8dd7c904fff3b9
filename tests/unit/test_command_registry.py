"""#21: a new read-only command is one module plus one registry line. A throwaway command,
registered in this test's scope only, is in the Discord schema and answered by the router,
with no other file edited."""

from __future__ import annotations

import sys
import types

import pytest

from tests.unit.test_agents_on_fakes import World
from valine import commands
from valine.core.commands import CommandAsk, CommandSpec
from valine.discord.commands import command_schema


@pytest.fixture
def whoami(monkeypatch: pytest.MonkeyPatch) -> CommandSpec:
    module = types.ModuleType("tests_whoami_command")

    def answer(ask: CommandAsk) -> str:
        return f"You are <@{ask.caller.user_id}> ({ask.caller.role_label()}); phase {ask.settings.phase.number}."

    module.answer = answer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_whoami_command", module)
    spec = CommandSpec("whoami", "Who the bot thinks you are", "tests_whoami_command")
    monkeypatch.setattr(commands, "COMMANDS", [*commands.COMMANDS, spec])
    return spec


def test_a_registered_command_is_in_the_schema_and_answered(whoami: CommandSpec) -> None:
    schema = {c["name"]: c for c in command_schema()}
    assert schema["whoami"] == {"name": "whoami", "type": 1, "contexts": [0], "integration_types": [0],
                                "description": "Who the bot thinks you are"}
    w = World()
    out = w.send(w.interaction(2, {"name": "whoami"}))
    assert out.body["type"] == 4 and out.body["data"]["content"] == "You are <@42> (admin); phase 4."


def test_the_schema_is_the_agents_then_the_registry() -> None:
    from valine.agents import AGENTS

    assert [c["name"] for c in command_schema()] == [a.command for a in AGENTS] + [c.name for c in commands.COMMANDS]


def test_an_unregistered_command_is_answered_with_a_pointer() -> None:
    w = World()
    out = w.send(w.interaction(2, {"name": "nope"}))
    assert "I do not know /nope; try /agents." in out.body["data"]["content"]


def test_commands_that_do_not_need_the_flags_or_sections_do_not_read_them() -> None:
    w = World()
    reads: list[str] = []
    real = w.flags.current
    w.router.flags.current = lambda: reads.append("flags") or real()  # type: ignore[method-assign]
    w.send(w.interaction(2, {"name": "tasks"}))
    assert reads == []
    w.send(w.interaction(2, {"name": "status"}))
    assert reads == ["flags"]
