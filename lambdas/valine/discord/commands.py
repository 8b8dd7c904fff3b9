"""The slash commands, in the shape of Discord's bulk-overwrite endpoint (one schema): every
registered agent's command, then every registered read-only command. ``contexts: [0]`` (guild
only) and ``integration_types: [0]`` (installed to the server) replace the deprecated
``dm_permission``."""

from __future__ import annotations

from typing import Any

from valine import commands
from valine.agents import AGENTS


def command_schema() -> list[dict[str, Any]]:
    return [*[agent.schema() for agent in AGENTS], *[c.schema() for c in commands.COMMANDS]]
