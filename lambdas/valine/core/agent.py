"""The seam every agent plugs into.

An agent is one package under ``valine/agents/`` with two halves:

- ``SPEC`` (light, imported on the 3-second path): its slash command, custom_id prefix,
  kill switch, metric dimension value, help text for ``/agents``, and how the command's
  options become one request text;
- ``work.build(deps)`` (the worker only): an ``AgentWork`` that understands a task's
  request and edits one file of the repository.

Everything else is shared: Discord routing, the task lifecycle (preview, Confirm / Edit /
Cancel, expiry, owner-or-admin, exactly-once confirm, audit trail), the GitHub path (read,
branch, commit, draft PR, cleanup), rollout gating and metrics. The registry in
``valine/agents/__init__.py`` lists the agents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Options = Mapping[str, str]
# A chat-input command used in servers only (Discord's contexts/integration_types; dm_permission is deprecated).
GUILD_COMMAND: Mapping[str, Any] = {"type": 1, "contexts": [0], "integration_types": [0]}


@dataclass(frozen=True)
class AgentSpec:
    """Everything the 3-second path needs to know of an agent: its command, buttons, kill switch and help."""

    name: str  # stored on each task; the Agent metric dimension; lowercase
    employee: str  # "UX agent": how /agents introduces it
    title: str  # "UX update": message headers, PR titles
    plural: str  # "UX updates": refusals
    command: str  # the slash command, without "/"
    prefix: str  # custom_id prefix of its buttons and modal
    kill_switch: str  # the flag that pauses it without a redeploy, e.g. DISABLE_UX_UPDATES
    description: str  # the command's description in Discord
    # The command's options, in Discord's shape; a function so that the 3-second path, which
    # never needs them, does not pay for reading catalogs at import.
    options: Callable[[], tuple[Mapping[str, Any], ...]]
    does: str  # one line for /agents: what it does
    ask: str  # one line for /agents: how to ask it
    branch_prefix: str  # its pull requests' branches: <branch_prefix>/<part>-<stamp>-<id>
    compose: Callable[[Options], tuple[str, str | None]]  # (request text, problem) from the options
    work: str  # "package.module" whose build(deps) returns its AgentWork (worker only)

    def schema(self) -> dict[str, Any]:
        """The agent's slash command in the shape of Discord's bulk-overwrite endpoint."""
        return {"name": self.command, **GUILD_COMMAND, "description": self.description,
                "options": [dict(o) for o in self.options()]}


def request_only(options: Options) -> tuple[str, str | None]:
    """The plain ``request`` option as the whole request."""
    return options.get("request", "").strip(), None


