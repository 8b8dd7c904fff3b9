"""Evaluate a phase's success and go/no-go criteria against measured metrics.

Used by ``valine rollout check`` (the operator) and the daily status function (the team
channel). What no metric shows is reported as MANUAL, never passed silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from valine.core import names
from valine.core.phases import PHASES, FeedbackTarget, PhaseConfig
from valine.core.ports import Feedback
from valine.metrics import NAMESPACE
from valine.ops.adoption import Adoption


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    MANUAL = "MANUAL"


@dataclass(frozen=True)
class Result:
    verdict: Verdict
    criterion: str
    measured: str


class MetricsReader(Protocol):
    """CloudWatch statistics over one window (period = the whole window unless given)."""

    def stat(self, namespace: str, name: str, dimensions: dict[str, str], stat: str, start: dt.datetime,
             end: dt.datetime, period_seconds: int | None = None) -> list[float]: ...


class AlarmHistory(Protocol):
    """The stage's alarms that went to ALARM in a window: (alarm name, when), oldest first; or why
    the history could not be read (moto has no DescribeAlarmHistory)."""

    def fired(self, stage: str, start: dt.datetime, end: dt.datetime) -> list[tuple[str, dt.datetime]] | str: ...


# What only a person can answer, how they find out, and where the answer is recorded.
RECORD_IT = "a person answers: record it in the notes of the next phase's approval (rollout/approvals.toml)"
MANUAL_HOW = {
    "All Lambda functions healthy": "`valine smoke --stage S` checks each function's live alias; " + RECORD_IT,
    "Smoke tests with basic commands passed": "`valine smoke --stage S` and a /ux-update by an admin; " + RECORD_IT,
    "No open P0/P1 bugs": "the issue tracker's open P0/P1 issues; " + RECORD_IT,
    "No data corruption in DynamoDB": "`/tasks` and the audit trail of recent tasks; " + RECORD_IT,
    "No performance degradation vs phase 2": "compare `valine rollout report` of both phases; " + RECORD_IT,
    "PM aware of ongoing costs": "`valine costs --stage S` shown to the PM; " + RECORD_IT,
    "SLA targets defined": "the agreed targets in docs/; " + RECORD_IT,
}
MIN_ACCURACY_SAMPLE = 20  # LLM first previews before the accuracy proxy means anything (the alarm's too)

# Set by hand by `valine oncall test`: a drill is not an incident.
NOT_INCIDENTS = ("OncallDrill",)


# Every function but the two that answer people (their errors are the error-rate criterion's).
SUPPORT_FUNCTIONS = ("webhook", "relay", "status", "sweep", "probe")


def function_names(stage: str) -> dict[str, str]:
    return {kind: names.function_name(kind, stage) for kind in ("interactions", "worker")}


def alias_dimensions(function_name: str) -> dict[str, str]:
    """CloudWatch's dimensions for a Lambda alias: what API Gateway and SQS invoke."""
    return {"FunctionName": function_name, "Resource": f"{function_name}:{names.LIVE_ALIAS}"}


def _one(values: list[float]) -> float:
    return float(sum(values)) if values else 0.0


def evaluate(phase: PhaseConfig, *, stage: str, reader: MetricsReader, now: dt.datetime,
             approval_for_next: tuple[bool, str] | None, hours: int | None = None,
             alarms: AlarmHistory | None = None, feedback: Sequence[Feedback] | None = None,
             adoption: Adoption | None = None) -> list[Result]:
    """``approval_for_next``: (recorded, what was found) for the next phase's PM sign-off, or None.
    ``feedback``: what was given in the window (``None``: not read, so the item is MANUAL)."""
    c = phase.criteria
    window = hours or c.observation_hours
    start, end = now - dt.timedelta(hours=window), now
    span = f"last {window} h"
    out: list[Result] = []
    custom = {"Stage": stage}
    fns = function_names(stage)

    def lam(name: str, stat: str, fn: str) -> list[float]:
        return reader.stat("AWS/Lambda", name, alias_dimensions(fns[fn]), stat, start, end)

    invocations = sum(_one(lam("Invocations", "Sum", f)) for f in fns)
    lambda_errors = sum(_one(lam("Errors", "Sum", f)) for f in fns)
    # Handled failures are invocations Lambda counts as successes (the apology, a failed job
    # attempt, a failed pull request): the same sum the rollback alarms use.
    handled = sum(_one(reader.stat(NAMESPACE, "HandledFailures", {**custom, "Function": f}, "Sum", start, end))
                  for f in fns)
    errors = lambda_errors + handled
    flows = _one(reader.stat(NAMESPACE, "PullRequestsCreated", custom, "Sum", start, end))

    if c.min_successful_flows is not None:
        out.append(Result(Verdict.PASS if flows >= c.min_successful_flows else Verdict.FAIL,
                          f"successful UX update flows >= {c.min_successful_flows} ({span})", f"{int(flows)}"))
    if c.max_prs_created is not None:
        out.append(Result(Verdict.PASS if flows <= c.max_prs_created else Verdict.FAIL,
                          f"pull requests created <= {c.max_prs_created} (dry run, {span})", f"{int(flows)}"))
    if c.max_error_rate_pct is not None:
        rate = 100.0 * errors / invocations if invocations else 0.0
        ok = errors == 0 if c.max_error_rate_pct == 0 else rate < c.max_error_rate_pct
        label = "no errors" if c.max_error_rate_pct == 0 else f"error rate < {c.max_error_rate_pct}%"
        out.append(Result(Verdict.PASS if ok else Verdict.FAIL, f"{label} ({span})",
                          f"{rate:.2f}% ({int(errors)} of {int(invocations)} invocations: {int(lambda_errors)} "
                          f"Lambda errors + {int(handled)} handled failures)"))
    if c.max_error_rate_pct is not None:
        # The functions people do not call directly fail in silence otherwise: a broken webhook stops the
        # PR-quality metric, a broken sweep zeroes the expiry rate. Any error of theirs is a FAIL.
        failed: dict[str, int] = {}
        for kind in SUPPORT_FUNCTIONS:
            dims = alias_dimensions(names.function_name(kind, stage))
            count = _one(reader.stat("AWS/Lambda", "Errors", dims, "Sum", start, end)) + _one(reader.stat(
                NAMESPACE, "HandledFailures", {**custom, "Function": kind}, "Sum", start, end))
            if count:
                failed[kind] = int(count)
        out.append(Result(Verdict.FAIL if failed else Verdict.PASS,
                          f"the {', '.join(SUPPORT_FUNCTIONS)} functions did not fail ({span})",
                          ", ".join(f"{k}: {v}" for k, v in failed.items()) or "none"))
    if c.max_avg_duration_ms is not None:
        total = sum(_one(lam("Duration", "Sum", f)) for f in fns)
        count = sum(_one(lam("Duration", "SampleCount", f)) for f in fns)
        avg = total / count if count else 0.0
        out.append(Result(Verdict.PASS if avg < c.max_avg_duration_ms else Verdict.FAIL,
                          f"average response time < {c.max_avg_duration_ms / 1000:g} s ({span})",
                          f"{avg:.0f} ms" if count else "no invocations"))
    if c.max_p95_duration_ms is not None:
        p95s = [max(lam("Duration", "p95", f), default=None) for f in fns]
        known = [p for p in p95s if p is not None]
        if invocations and len(known) < sum(1 for f in fns if _one(lam("Invocations", "Sum", f))):
            out.append(Result(Verdict.FAIL, f"P95 response time < {c.max_p95_duration_ms / 1000:g} s ({span})",
                              "p95 not available from CloudWatch"))
        else:
            worst = max(known, default=0.0)
            out.append(Result(Verdict.PASS if worst < c.max_p95_duration_ms else Verdict.FAIL,
                              f"P95 response time < {c.max_p95_duration_ms / 1000:g} s ({span})",
                              f"{worst:.0f} ms" if known else "no invocations"))
    if c.max_daily_llm_cost_usd is not None:
        days = reader.stat(NAMESPACE, "LlmCostUsd", custom, "Sum", start, end, period_seconds=86400)
        worst_day = max(days, default=0.0)
        out.append(Result(Verdict.PASS if worst_day <= c.max_daily_llm_cost_usd else Verdict.FAIL,
                          f"daily LLM cost <= ${c.max_daily_llm_cost_usd:g} (rollback above "
                          f"${phase.llm_daily_rollback_usd:g})", f"${worst_day:.2f} on the worst day"))
    if alarms is not None:
        out.append(_alarm_history(alarms, stage, start, end, span))
    if c.feedback is not None:
        out.append(feedback_result(c.feedback, feedback, start.timestamp(), end.timestamp(), span))
    if c.min_adoption_pct is not None:
        out.append(adoption_result(c.min_adoption_pct, adoption, span))
    if c.min_weekly_active is not None:
        label = f"weekly active users >= {c.min_weekly_active} (distinct requesters, last 7 days)"
        out.append(Result(Verdict.MANUAL, label, "adoption not read") if adoption is None else
                   Result(Verdict.PASS if adoption.unique_7d >= c.min_weekly_active else Verdict.FAIL, label,
                          f"{adoption.unique_7d}"))
    if c.min_llm_accuracy_pct is not None:
        first = _one(reader.stat(NAMESPACE, "FirstPreviews", {**custom, "Parser": "llm"}, "Sum", start, end))
        kept = _one(reader.stat(NAMESPACE, "ConfirmedUnchanged", {**custom, "Parser": "llm"}, "Sum", start, end))
        label = (f"LLM parsing accuracy > {c.min_llm_accuracy_pct:g}% (proxy: first previews confirmed "
                 f"unchanged, {span})")
        if first < MIN_ACCURACY_SAMPLE:
            out.append(Result(Verdict.MANUAL, label, f"{int(first)} LLM first previews, fewer than "
                                                     f"{MIN_ACCURACY_SAMPLE}: review real requests and run "
                                                     "valine eval-llm --cases evals/llm_cases.jsonl"))
        else:
            pct = 100.0 * kept / first
            out.append(Result(Verdict.PASS if pct > c.min_llm_accuracy_pct else Verdict.FAIL, label,
                              f"{pct:.0f}% ({int(kept)} of {int(first)})"))
    for item in c.manual:
        out.append(Result(Verdict.MANUAL, item, MANUAL_HOW.get(item, RECORD_IT)))
    nxt = PHASES.get(phase.number + 1)
    if nxt is not None and approval_for_next is not None:
        recorded, found = approval_for_next
        which = f"phase {nxt.number}" + (f" (or {nxt.number + 1}, skipping it)" if nxt.optional else "")
        out.append(Result(Verdict.PASS if recorded else Verdict.FAIL,
                          f"PM approval for {which} recorded in rollout/approvals.toml", found))
    return out


def _alarm_history(alarms: AlarmHistory, stage: str, start: dt.datetime, end: dt.datetime, span: str) -> Result:
    """"All green" means no rollback or paging alarm fired in the window, not just green now."""
    criterion = f"no alarm fired ({span})"
    fired = alarms.fired(stage, start, end)
    if isinstance(fired, str):
        return Result(Verdict.MANUAL, criterion, f"alarm history unavailable ({fired}); read the dashboard's alarm "
                                                 "widget and the on-call channel for the window")
    incidents = [(name, at) for name, at in fired if not name.endswith(NOT_INCIDENTS)]
    if not incidents:
        return Result(Verdict.PASS, criterion, "none")
    shown = ", ".join(f"{name} at {at:%Y-%m-%d %H:%M} UTC" for name, at in incidents[:5])
    more = f" and {len(incidents) - 5} more" if len(incidents) > 5 else ""
    return Result(Verdict.FAIL, criterion, f"{len(incidents)} fired: {shown}{more}")


def feedback_result(target: FeedbackTarget, given: Sequence[Feedback] | None, start: float, end: float,
                    span: str) -> Result:
    roles = {r.value for r in target.roles}
    criterion = (f"{target.label}: >= {target.min_responses} votes from {', '.join(sorted(roles))}, "
                 f">= {target.min_positive_pct:g}% 👍, no negative trend ({span})")
    if given is None:
        return Result(Verdict.MANUAL, criterion, "feedback not read; ask the people involved")
    votes = [f for f in given if f.vote and f.role in roles and start <= f.at <= end]
    up = sum(f.vote > 0 for f in votes)
    pct = 100.0 * up / len(votes) if votes else 0.0
    measured = f"{len(votes)} votes, {pct:.0f}% 👍"
    middle = (start + end) / 2
    first, second = ([f for f in votes if (f.at < middle) is early] for early in (True, False))
    trend = ""
    if len(first) >= 3 and len(second) >= 3:
        before, after = (100.0 * sum(f.vote > 0 for f in half) / len(half) for half in (first, second))
        if before - after > target.max_drop_pts:
            trend = f"; negative trend: {before:.0f}% 👍 in the first half, {after:.0f}% in the second"
    comments = [f.comment for f in sorted(votes, key=lambda f: f.at) if f.vote < 0 and f.comment]
    said = ("; 👎 comments: " + " | ".join(repr(c[:120]) for c in comments[-5:])) if comments else ""
    if len(votes) < target.min_responses:
        return Result(Verdict.FAIL, criterion, f"{measured}: too few responses (ask them to vote 👍/👎 on "
                                               f"finished tasks or use /feedback){trend}{said}")
    ok = pct >= target.min_positive_pct and not trend
    return Result(Verdict.PASS if ok else Verdict.FAIL, criterion, f"{measured}{trend}{said}")


def adoption_result(min_pct: float, adoption: Adoption | None, span: str) -> Result:
    criterion = f"adoption > {min_pct:g}% of eligible users (distinct requesters, {span})"
    if adoption is None:
        return Result(Verdict.MANUAL, criterion, "adoption not read")
    pct = adoption.pct(adoption.unique_window)
    if pct is None or adoption.eligible is None:
        return Result(Verdict.MANUAL, criterion, f"{adoption.unique_window} requesters; eligible users unknown "
                                                 f"({adoption.why_no_eligible or 'none counted'})")
    return Result(Verdict.PASS if pct > min_pct else Verdict.FAIL, criterion,
                  f"{adoption.unique_window} of {adoption.eligible.count} ({pct:.0f}%); eligible: "
                  f"{adoption.eligible.source}")


def go(results: list[Result]) -> bool:
    return all(r.verdict is not Verdict.FAIL for r in results)
