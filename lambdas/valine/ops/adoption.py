"""Adoption: unique requesters against the eligible population, and weekly active users.

Eligible means the members holding a role the phase allows. Two sources, and the result says
which was used: Discord's guild-members API (it needs the bot's privileged Server Members
intent), else the counts configured per stage (``cdk.json`` → ``stages.<stage>.eligible_users``:
people by their highest role, e.g. ``{"admin": 3, "pm": 5, "developer": 20, "member": 150}``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from valine.core.phases import PhaseConfig, Role
from valine.core.task import Task
from valine.settings import Settings

DAY = 86400.0


@dataclass(frozen=True)
class Eligible:
    """How many people the phase allows, and where that number came from (the report says which)."""

    count: int
    source: str


@dataclass(frozen=True)
class Adoption:
    """Unique requesters in the judged window, 7 and 30 days, against the eligible people."""

    unique_window: int  # distinct requesters in the window judged
    unique_7d: int  # weekly active users
    unique_30d: int
    eligible: Eligible | None
    why_no_eligible: str = ""

    def pct(self, unique: int) -> float | None:
        if self.eligible is None or self.eligible.count <= 0:
            return None
        return 100.0 * unique / self.eligible.count


def _roles_of_phase(phase: PhaseConfig) -> frozenset[Role]:
    from valine.agents import AGENTS

    roles: set[Role] = set()
    for agent in AGENTS:
        roles |= phase.roles_for(agent.name)
    return frozenset(roles)


def eligible_from_config(counts: Mapping[str, Any] | None, phase: PhaseConfig) -> Eligible | None:
    if not counts:
        return None
    allowed = _roles_of_phase(phase)
    total = sum(int(counts.get(role.value, 0) or 0) for role in allowed)
    return Eligible(total, "configured per stage (cdk.json stages.<stage>.eligible_users, people by highest role: "
                           + ", ".join(f"{r.value} {int(counts.get(r.value, 0) or 0)}" for r in sorted(allowed)) + ")")


def eligible_from_members(members: Iterable[Mapping[str, Any]], settings: Settings, phase: PhaseConfig,
                          guilds: int) -> Eligible:
    allowed = _roles_of_phase(phase)
    count = sum(1 for m in members if not (m.get("user") or {}).get("bot")
                and settings.roles_of([str(r) for r in m.get("roles") or []]) & allowed)
    return Eligible(count, f"Discord guild members API ({guilds} guild{'s' * (guilds != 1)}, members holding "
                           f"{', '.join(sorted(r.value for r in allowed))})")


def measure(tasks: Iterable[Task], *, now: float, window_hours: float, eligible: Eligible | None,
            why_no_eligible: str = "") -> Adoption:
    tasks = list(tasks)

    def unique(seconds: float) -> int:
        return len({t.requester_id for t in tasks if t.created_at >= now - seconds})

    return Adoption(unique_window=unique(window_hours * 3600), unique_7d=unique(7 * DAY), unique_30d=unique(30 * DAY),
                    eligible=eligible, why_no_eligible=why_no_eligible)


# Every member of a guild, or why Discord would not list them: (guild id) -> members | why not.
MemberLister = Callable[[str], "list[dict[str, Any]] | str"]


def eligible_population(settings: Settings, phase: PhaseConfig, *, configured: Mapping[str, Any] | None,
                   members_of: MemberLister | None) -> tuple[Eligible | None, str]:
    """Discord's member list when it can be read, else the configured counts; and why neither."""
    problems = []
    if members_of is not None:
        members: list[dict[str, Any]] = []
        for guild in sorted(settings.guild_ids):
            got = members_of(guild)
            if isinstance(got, str):
                problems.append(got)
                break
            members += got
        else:
            listed = eligible_from_members(members, settings, phase, len(settings.guild_ids))
            if listed.count > 0:
                return listed, ""
            problems.append("Discord listed no member holding a role the phase allows")
    else:
        problems.append("no bot token to read the guild members")
    found = eligible_from_config(configured, phase)
    if found is not None:
        return found, ""
    return None, "; ".join(problems) + "; and no stages.<stage>.eligible_users in cdk.json"
