"""The daily status message of the plan's communication plan."""

from __future__ import annotations

import datetime as dt

from valine.ops.criteria import MetricsReader, Verdict, evaluate, go
from valine.rollout import PhaseConfig


def daily_report(*, phase: PhaseConfig, stage: str, reader: MetricsReader, now: dt.datetime) -> str:
    results = evaluate(phase, stage=stage, reader=reader, now=now, approval_for_next=None, hours=24)
    measured = [r for r in results if r.verdict is not Verdict.MANUAL]
    mark = {Verdict.PASS: "✅", Verdict.FAIL: "❌"}
    lines = [f"**Valine daily status** — {stage}, rollout phase {phase.number} ({phase.name}), last 24 h: "
             f"{'on target' if go(results) else 'OFF TARGET'}"]
    lines += [f"{mark[r.verdict]} {r.criterion}: {r.measured}" for r in measured]
    lines.append(f"Full check: `valine rollout check --stage {stage} --phase {phase.number}`")
    return "\n".join(lines)
