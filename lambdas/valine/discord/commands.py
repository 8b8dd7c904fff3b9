"""The slash commands, in the shape of Discord's bulk-overwrite endpoint (one schema):
every registered agent's command, and the read-only ones. ``contexts: [0]`` (guild only)
and ``integration_types: [0]`` (installed to the server) replace the deprecated
``dm_permission``."""

from __future__ import annotations

from typing import Any

from valine.agents import AGENTS
from valine.core.agent import GUILD_COMMAND as _GUILD_ONLY


def command_schema() -> list[dict[str, Any]]:
    return [
        *[agent.schema() for agent in AGENTS],
        {"name": "agents", **_GUILD_ONLY, "description": "The bot's agents, what they do and their record"},
        {"name": "status", **_GUILD_ONLY, "description": "Rollout phase, flags and what your roles allow"},
        {"name": "tasks", **_GUILD_ONLY, "description": "Recent tasks and their pull requests"},
        {"name": "feedback", **_GUILD_ONLY, "description": "Tell the team what works and what does not",
         "options": [{"type": 3, "name": "text", "description": "Your feedback (read by the team)",
                      "required": True, "min_length": 1, "max_length": 1000}]},
    ]
