"""What a person is told when their click or edit cannot be written: a race they lost, or a
per-person limit. Text only; the lifecycle decides and counts."""

from __future__ import annotations

import datetime as dt
import math

from valine.core.agent import AgentSpec
from valine.core.caller import Caller
from valine.core.phases import PhaseConfig
from valine.core.ports import Quota, TransitionError
from valine.core.task import Task, TaskState
from valine.settings import Settings


def not_in_phase_text(spec: AgentSpec, caller: Caller, phase: PhaseConfig) -> str:
    allowed = ", ".join(sorted(r.value for r in phase.roles_for(spec.name))) or "nobody"
    return (f"/{spec.command} is open to: {allowed} during rollout phase {phase.number} ({phase.name}). "
            f"Your roles: {caller.role_label()}.")


def paused_text(spec: AgentSpec) -> str:
    return (f"{spec.plural} are switched off right now (kill switch {spec.kill_switch}). "
            "Ask the operators in the team channel; nothing was changed.")


def race_text(spec: AgentSpec, error: TransitionError | None, task: Task | None, action: str = "do that") -> str:
    if error is TransitionError.NOT_ALLOWED and task is not None:
        return f"Only <@{task.requester_id}> (who asked) or an admin can {action}."
    if error is TransitionError.STALE or (task is not None and task.state is TaskState.PROPOSED):
        return ("The preview is being updated (the request was edited); press Confirm on the new one when it "
                "appears.")
    if task is not None and task.state is TaskState.IN_PROGRESS:
        return "This request is already being turned into a pull request; the link appears on the message in a moment."
    if task is not None and task.state is TaskState.COMPLETED:
        where = f": {task.pr_url}" if task.pr_url else ""
        return f"This request is already done{where}."
    state = task.state.value.replace("_", " ") if task else "gone"
    return f"This request is already {state}; nothing more to do. Run /{spec.command} for a new one."


def rate_limited_text(spec: AgentSpec, kind: str, now: float, settings: Settings) -> str:
    quota = Quota.hourly("", kind, 0, now)
    at = dt.datetime.fromtimestamp(quota.resets_at, dt.UTC)
    minutes = max(1, math.ceil((quota.resets_at - now) / 60))
    if kind == "pr":
        what = (f"You have confirmed {settings.prs_per_hour} pull requests this hour, the most this stage allows per "
                "person. The preview stays open: press Confirm again")
    else:
        what = (f"You have made {settings.requests_per_hour} requests this hour, the most this stage allows per "
                f"person. Nothing was started: run /{spec.command} again")
    return f"{what} after {at:%H:%M} UTC (in {minutes} min)."
