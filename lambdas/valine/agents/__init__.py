"""The registry: every agent the bot runs. Adding one is a package and one line here
(docs/architecture.md shows how, with the copy agent as the worked example)."""

from __future__ import annotations

from valine.agents import copy, ux
from valine.core.agent import AgentSpec

AGENTS: tuple[AgentSpec, ...] = (ux.SPEC, copy.SPEC)

BY_NAME = {a.name: a for a in AGENTS}
BY_COMMAND = {a.command: a for a in AGENTS}
BY_PREFIX = {a.prefix: a for a in AGENTS}
KILL_SWITCHES = tuple(a.kill_switch for a in AGENTS)

assert len(BY_NAME) == len(BY_COMMAND) == len(BY_PREFIX) == len(AGENTS), "agent names, commands, prefixes clash"
