"""The read-only commands: /status, /agents (each agent like an employee) and /tasks."""

from __future__ import annotations

from collections.abc import Sequence

from valine.core.agent import AgentSpec
from valine.core.caller import Caller
from valine.core.phases import Role
from valine.core.ports import Flags
from valine.core.task import Task, TaskState
from valine.markup import discord_text
from valine.settings import Settings

RECORD_DAYS = 30
RECORD_TASKS = 200  # the most recent tasks read for /agents' record (one query on the 3-second path)


def status_text(settings: Settings, flags: Flags, caller: Caller, agents: Sequence[AgentSpec]) -> str:
    phase = settings.phase
    switches = ", ".join(f"{a.kill_switch}={str(flags.paused(a.kill_switch)).lower()}" for a in agents)
    lines = [
        f"**Valine** {settings.version} · stage `{settings.stage}` · rollout phase {phase.number}: {phase.name}",
        f"Pull requests: {'draft PRs' if phase.github_writes else 'none (dry run: previews only)'}",
        f"Flags: {switches}, USE_LLM_PARSING={str(flags.use_llm_parsing).lower()} (LLM mode: {phase.llm.value})",
    ]
    for a in agents:
        allowed = "yes" if phase.may_use(caller.roles, a.name) and not flags.paused(a.kill_switch) else "no"
        lines.append(f"You: {caller.role_label()} — /{a.command} allowed: {allowed}")
    return "\n".join(lines)


def agents_text(settings: Settings, flags: Flags, caller: Caller, agents: Sequence[AgentSpec],
                recent: Sequence[Task], now: float, *, sections: Sequence[str] = ()) -> str:
    """Each agent: what it does, its status in this phase, its record; for an agent whose ``section``
    option autocompletes, the site's sections as the worker last read them."""
    phase = settings.phase
    out = []
    for a in agents:
        roles = phase.roles_for(a.name)
        if not roles:
            status = f"not enabled in phase {phase.number}"
        elif flags.paused(a.kill_switch):
            status = f"paused (kill switch {a.kill_switch})"
        elif phase.dry_run:
            status = "dry run (previews only)"
        else:
            status = "active (draft PRs)"
        whom = ", ".join(sorted(r.value for r in roles)) or "nobody"
        you = "you may ask it" if phase.may_use(caller.roles, a.name) else "not open to you in this phase"
        known = ""
        if sections and any(o.get("name") == "section" and o.get("autocomplete") for o in a.options()):
            known = f"\nSections of the site: {', '.join(sections[:15])}{' ...' if len(sections) > 15 else ''}."
        out.append(f"**{a.employee}** (/{a.command}) — {a.does}.\n"
                   f"Status: {status}; open to {whom}; {you}.\n{record(a.name, recent, now)}\nAsk: {a.ask}{known}")
    return "\n\n".join(out)


def record(agent: str, recent: Sequence[Task], now: float) -> str:
    import statistics  # only /agents needs it; it costs the 3-second path's cold start ~5 ms

    since = now - RECORD_DAYS * 86400
    mine = [t for t in recent if t.agent == agent and t.created_at >= since]
    completed = [t for t in mine if t.state.made_pull_request]
    prs = [t for t in completed if t.pr_url]
    merged = sum(t.state is TaskState.MERGED for t in prs)
    rejected = sum(t.state is TaskState.REJECTED for t in prs)
    waits = [t.previewed_at - t.created_at for t in mine if t.previewed_at]
    median = f"{statistics.median(waits):.1f} s" if waits else "n/a"
    return (f"Last {RECORD_DAYS} days: {len(mine)} tasks, {len(completed)} completed, {len(prs)} draft PRs "
            f"({merged} merged, {rejected} rejected), median time to preview {median}.")


def tasks_text(caller: Caller, tasks: Sequence[Task], now: float, titles: dict[str, str]) -> str:
    everyone = caller.is_admin or Role.PM in caller.roles
    if not tasks:
        return "No tasks yet."
    lines = [f"**Recent tasks** ({'everyone' if everyone else 'yours'}):"]
    for t in tasks:
        state = TaskState.EXPIRED if t.expired(now) else t.state
        link = f" — {t.pr_url}" if t.pr_url else ""
        lines.append(f"`{t.short_id}` {titles.get(t.agent, t.agent)} · {state.value} · {_age(now - t.created_at)} "
                     f"ago · <@{t.requester_id}> · {discord_text(t.request[:60])}{link}")
    return "\n".join(lines)


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{int(seconds)}s"
    if seconds < 5400:
        return f"{int(seconds // 60)}m"
    if seconds < 172800:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"
