"""The go/no-go criteria, as one list. Each says what it reads, the least evidence it needs, in
which phases it applies and how it judges (``valine.ops.judges``). ``valine rollout check``, the
phase summary, the weekly report and the daily status all evaluate this list, and the table in
docs/rollout.md is generated from it (``valine rollout criteria``). A new criterion is one entry.

What no metric shows is MANUAL, never passed silently; less evidence than a criterion needs is
NO DATA, which is never a pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from valine.core.phases import PHASES, LlmMode, PhaseConfig
from valine.core.ports import Feedback
from valine.ops import judges, judges_records
from valine.ops.adoption import Adoption
from valine.ops.evidence import (  # re-exported: the check's vocabulary
    MANUAL_HOW,
    MIN_ACCURACY_SAMPLE,
    MIN_INVOCATIONS,
    MIN_SAMPLES,
    NOT_INCIDENTS,
    RECORD_IT,
    SUPPORT_FUNCTIONS,
    AlarmHistory,
    Inputs,
    Measured,
    MetricsReader,
    PhaseWindow,
    Result,
    Verdict,
    alias_dimensions,
    baseline_of,
    function_names,
    measure,
)
from valine.ops.judges_records import adoption_result, feedback_result

__all__ = ["CRITERIA", "MANUAL_HOW", "MIN_ACCURACY_SAMPLE", "MIN_INVOCATIONS", "MIN_SAMPLES", "NOT_INCIDENTS",
           "RECORD_IT", "SUPPORT_FUNCTIONS", "AlarmHistory", "Criterion", "Inputs", "Measured", "MetricsReader",
           "PhaseWindow", "Result", "Verdict", "adoption_result", "alias_dimensions", "baseline_of",
           "criteria_table", "evaluate", "feedback_result", "function_names", "go", "measure"]


@dataclass(frozen=True)
class Criterion:
    """One go/no-go criterion: its name, what it reads, the least evidence it needs, in which
    phases it applies, and its judge (Inputs -> a result, several, or None: nothing to say here)."""

    name: str
    reads: str
    needs: str
    applies: Callable[[PhaseConfig], bool]
    judge: Callable[[Inputs], Result | Sequence[Result] | None]


def _every(phase: PhaseConfig) -> bool:
    return True


CRITERIA: list[Criterion] = [
    Criterion("observed since the phase started", "the phase's recorded start (ROLLOUT items)",
              "the plan's observation hours", _every, judges.observed),
    Criterion("successful flows", "PullRequestsCreated", "none (a count)",
              lambda p: p.criteria.min_successful_flows is not None, judges.flows),
    Criterion("no pull requests (dry run)", "PullRequestsCreated", "none (a count)",
              lambda p: p.criteria.max_prs_created is not None, judges.dry_run),
    Criterion("error rate", "AWS/Lambda Invocations, Errors; HandledFailures", f"{MIN_INVOCATIONS} invocations "
              "to pass (one error fails)", lambda p: p.criteria.max_error_rate_pct is not None, judges.error_rate),
    Criterion("support functions did not fail", "AWS/Lambda Errors, HandledFailures of webhook, relay, status, "
              "sweep, probe", "none (any error fails)", lambda p: p.criteria.max_error_rate_pct is not None,
              judges.support_functions),
    Criterion("average response time", "PreviewLatency (request to preview)", f"{MIN_SAMPLES} previews",
              lambda p: p.criteria.max_avg_duration_ms is not None, judges.average_response),
    Criterion("P95 response time", "AWS/Lambda Duration p95", f"{MIN_INVOCATIONS} invocations",
              lambda p: p.criteria.max_p95_duration_ms is not None, judges.p95),
    Criterion("daily LLM cost", "LlmCostUsd per day", "none (no calls cost nothing)",
              lambda p: p.criteria.max_daily_llm_cost_usd is not None, judges.llm_cost),
    Criterion("P50 response time", "PreviewLatency p50", f"{MIN_SAMPLES} previews", _every, judges.p50),
    Criterion("conversation expiry rate", "ConversationsExpired / Previews", f"{MIN_SAMPLES} previews", _every,
              judges.expiry),
    Criterion("cancellation rate", "Cancellations / Previews", "none (MANUAL: the plan sets no target)", _every,
              judges.cancellations),
    Criterion("no performance degradation", "PreviewLatency p95, now and in the earlier phase's run",
              f"{MIN_SAMPLES} previews in each", lambda p: p.criteria.no_slower_than_phase is not None,
              judges.no_slower),
    Criterion("no increase in error rate", "the error rate, now and in the earlier phase's run",
              f"{MIN_INVOCATIONS} invocations in each", lambda p: p.criteria.no_more_errors_than_phase is not None,
              judges.no_more_errors),
    Criterion("no alarm fired", "CloudWatch alarm history", "the history (else MANUAL)", _every,
              judges_records.alarm_history),
    Criterion("feedback", "votes on finished tasks, by role (the table)", "the target's votes",
              lambda p: p.criteria.feedback is not None, judges_records.feedback),
    Criterion("adoption", "distinct requesters (tasks) and eligible users (Discord or cdk.json)",
              "a known eligible population (prod: else FAIL)", lambda p: p.criteria.min_adoption_pct is not None,
              judges_records.adoption),
    Criterion("weekly active users", "distinct requesters in 7 days", "none (a count)",
              lambda p: p.criteria.min_weekly_active is not None, judges_records.weekly_active),
    Criterion("LLM parsing accuracy", "FirstPreviews and ConfirmedUnchanged (Parser=llm)",
              f"{MIN_ACCURACY_SAMPLE} LLM first previews", lambda p: p.criteria.min_llm_accuracy_pct is not None,
              judges.llm_accuracy),
    Criterion("LLM fallbacks", "LlmParses by Outcome", "20 LLM parses", lambda p: p.llm is not LlmMode.OFF,
              judges.llm_fallbacks),
    Criterion("no data corruption", "every task item of the audit retention", "the items (else NO DATA)", _every,
              judges_records.corruption),
    Criterion("what only a person can answer", "the phase's MANUAL items", "a person",
              lambda p: bool(p.criteria.manual), judges_records.manual),
    Criterion("PM approval of the next phase", "rollout/approvals.toml", "the record", _every,
              judges_records.next_approval),
]


def evaluate(phase: PhaseConfig, *, stage: str, reader: MetricsReader, now: dt.datetime,
             approval_for_next: tuple[bool, str] | None, hours: int | None = None,
             alarms: AlarmHistory | None = None, feedback: Sequence[Feedback] | None = None,
             adoption: Adoption | None = None, ran: PhaseWindow | None = None,
             require_ran: bool = False, corrupt: int | str | None = None,
             baseline: Measured | None = None) -> list[Result]:
    """Every criterion that applies to the phase, judged over its window.

    ``approval_for_next``: (recorded, what was found) for the next phase's PM sign-off, or None.
    ``feedback``: what was given in the window (``None``: not read, so the item is MANUAL).
    ``ran``: when the phase ran; the window never starts before it nor ends after it, so only this
    phase's traffic counts. ``require_ran``: without it (or with less than the plan's observation
    time) the check says NO DATA. ``corrupt``: task items that failed their invariants (or why
    they could not be read). ``baseline``: the earlier phase's measured run, where one is compared."""
    window = hours or phase.criteria.observation_hours
    end = min(now, ran.until) if ran and ran.until else now
    start = end - dt.timedelta(hours=window)
    if ran is not None:
        start = max(start, ran.since)
    span = f"last {window} h" if ran is None or start > ran.since else f"since phase {phase.number} started"
    inputs = Inputs(phase=phase, stage=stage, reader=reader, start=start, end=end, span=span, ran=ran,
                    require_ran=require_ran, alarms=alarms, feedback=feedback, adoption=adoption, corrupt=corrupt,
                    baseline=baseline, approval_for_next=approval_for_next)
    out: list[Result] = []
    for criterion in CRITERIA:
        if not criterion.applies(phase):
            continue
        judged = criterion.judge(inputs)
        if isinstance(judged, Result):
            out.append(judged)
        elif judged is not None:
            out.extend(judged)
    return out


def go(results: list[Result]) -> bool:
    """GO only on evidence: nothing failed and nothing lacked the evidence it needs."""
    return all(r.verdict not in (Verdict.FAIL, Verdict.NO_DATA) for r in results)


def criteria_table() -> str:
    """The Markdown table of docs/rollout.md: every criterion, what it reads, what it needs, where."""
    rows = ["| criterion | reads | least evidence (below it: NO DATA) | phases |", "|---|---|---|---|"]
    for c in CRITERIA:
        phases = ", ".join(str(n) for n, p in sorted(PHASES.items()) if c.applies(p))
        rows.append(f"| {c.name} | {c.reads} | {c.needs} | {phases} |")
    return "\n".join(rows)
