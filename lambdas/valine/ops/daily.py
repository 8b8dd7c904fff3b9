"""The daily status message of the plan's communication plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from valine.core.names import dashboard_url
from valine.core.phases import PhaseConfig
from valine.ops.criteria import MetricsReader, Verdict, evaluate, go


def per_day(phase: PhaseConfig) -> PhaseConfig:
    """The phase's criteria as a day's share: 50 flows over 7 days is 8 a day; rates, latencies
    and costs are the same every day."""
    c = phase.criteria
    if c.min_successful_flows is None:
        return phase
    daily = math.ceil(c.min_successful_flows * 24 / c.observation_hours)
    return dataclasses.replace(phase, criteria=dataclasses.replace(c, min_successful_flows=daily))


def daily_report(*, phase: PhaseConfig, stage: str, reader: MetricsReader, now: dt.datetime,
                 region: str = "us-east-1") -> str:
    day = per_day(phase)
    results = evaluate(day, stage=stage, reader=reader, now=now, approval_for_next=None, hours=24)
    measured = [r for r in results if r.verdict is not Verdict.MANUAL]
    mark = {Verdict.PASS: "✅", Verdict.FAIL: "❌", Verdict.NO_DATA: "⬜"}
    lines = [f"**Valine daily status** — {stage}, rollout phase {phase.number} ({phase.name}), last 24 h: "
             f"{'on target' if go(results) else 'OFF TARGET'}"]
    lines += [f"{mark[r.verdict]} {r.criterion}: {r.measured}" for r in measured]
    c = phase.criteria
    if c.min_successful_flows is not None:
        lines.append(f"Targets are a day's share of the phase's: {c.min_successful_flows} flows over "
                     f"{c.observation_hours // 24} days is {day.criteria.min_successful_flows} a day.")
    lines.append(f"Dashboard: {dashboard_url(stage, region)}")
    lines.append(f"Full check: `valine rollout check --stage {stage} --phase {phase.number}`")
    return "\n".join(lines)
