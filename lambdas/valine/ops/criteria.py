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
from valine.core.phases import (
    BASELINE_MORE_ERRORS_PTS,
    BASELINE_SLOWER_PCT,
    MAX_LLM_FALLBACK_PCT,
    MIN_LLM_PARSES,
    PHASES,
    FeedbackTarget,
    LlmMode,
    PhaseConfig,
)
from valine.core.ports import Feedback
from valine.metrics import NAMESPACE
from valine.ops.adoption import Adoption


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    MANUAL = "MANUAL"
    # Less evidence than the criterion states it needs: not a pass, so never GO.
    NO_DATA = "NO DATA"


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
    "PM aware of ongoing costs": "`valine costs --stage S` shown to the PM; " + RECORD_IT,
    "SLA targets defined": "the agreed targets in docs/; " + RECORD_IT,
}
MIN_ACCURACY_SAMPLE = 20  # LLM first previews before the accuracy proxy means anything (the alarm's too)
# The least evidence each measured criterion needs; below it the answer is NO DATA.
MIN_INVOCATIONS = 20  # of the two functions people call, in the window (error rates, response times)
MIN_SAMPLES = 10  # previews (request to preview latency), durations

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


@dataclass(frozen=True)
class PhaseWindow:
    """When the phase being judged ran on the stage: from ``since`` (recorded when it started) to
    ``until`` (when the next one started; None while it still runs)."""

    since: dt.datetime
    until: dt.datetime | None = None


@dataclass(frozen=True)
class Measured:
    """What a window showed of the two functions people call: the baseline a later phase is held to."""

    invocations: float
    errors: float
    preview_p95_ms: float | None

    @property
    def error_rate_pct(self) -> float | None:
        return 100.0 * self.errors / self.invocations if self.invocations >= MIN_INVOCATIONS else None


def measure(reader: MetricsReader, stage: str, start: dt.datetime, end: dt.datetime) -> Measured:
    fns = function_names(stage)
    invocations = errors = 0.0
    for kind, fn in fns.items():
        dims = alias_dimensions(fn)
        invocations += _one(reader.stat("AWS/Lambda", "Invocations", dims, "Sum", start, end))
        errors += _one(reader.stat("AWS/Lambda", "Errors", dims, "Sum", start, end))
        errors += _one(reader.stat(NAMESPACE, "HandledFailures", {"Stage": stage, "Function": kind}, "Sum", start, end))
    count = _one(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "SampleCount", start, end))
    p95 = max(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "p95", start, end), default=None)
    return Measured(invocations, errors, p95 if count >= MIN_SAMPLES else None)


def baseline_of(reader: MetricsReader, stage: str, ran: PhaseWindow | None, now: dt.datetime) -> Measured | None:
    """A phase's measured baseline over its own run on the stage (None: it never ran here)."""
    if ran is None:
        return None
    return measure(reader, stage, ran.since, ran.until or now)


def evaluate(phase: PhaseConfig, *, stage: str, reader: MetricsReader, now: dt.datetime,
             approval_for_next: tuple[bool, str] | None, hours: int | None = None,
             alarms: AlarmHistory | None = None, feedback: Sequence[Feedback] | None = None,
             adoption: Adoption | None = None, ran: PhaseWindow | None = None,
             require_ran: bool = False, corrupt: int | str | None = None,
             baseline: Measured | None = None) -> list[Result]:
    """``approval_for_next``: (recorded, what was found) for the next phase's PM sign-off, or None.
    ``feedback``: what was given in the window (``None``: not read, so the item is MANUAL).
    ``ran``: when the phase ran; the window never starts before it nor ends after it, so only this
    phase's traffic counts. ``require_ran``: without it (or with less than the plan's observation
    time) the check says NO DATA. ``corrupt``: task items that failed their invariants (or why
    they could not be read)."""
    c = phase.criteria
    window = hours or c.observation_hours
    end = min(now, ran.until) if ran and ran.until else now
    start = end - dt.timedelta(hours=window)
    if ran is not None:
        start = max(start, ran.since)
    span = f"last {window} h" if ran is None or start > ran.since else f"since phase {phase.number} started"
    out: list[Result] = []
    if require_ran or ran is not None:
        out.append(_observed(phase, ran, end))
    custom = {"Stage": stage}
    fns = function_names(stage)

    def lam(name: str, stat: str, fn: str) -> list[float]:
        return reader.stat("AWS/Lambda", name, alias_dimensions(fns[fn]), stat, start, end)

    def ours(name: str, stat: str = "Sum", **dims: str) -> float:
        return _one(reader.stat(NAMESPACE, name, {**custom, **dims}, stat, start, end))

    invocations = sum(_one(lam("Invocations", "Sum", f)) for f in fns)
    lambda_errors = sum(_one(lam("Errors", "Sum", f)) for f in fns)
    # Handled failures are invocations Lambda counts as successes (the apology, a failed job
    # attempt, a failed pull request): the same sum the rollback alarms use.
    handled = sum(ours("HandledFailures", Function=f) for f in fns)
    errors = lambda_errors + handled
    flows = ours("PullRequestsCreated")
    few = invocations < MIN_INVOCATIONS
    too_few = f"{int(invocations)} invocations, fewer than the {MIN_INVOCATIONS} this needs"

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
        measured = (f"{rate:.2f}% ({int(errors)} of {int(invocations)} invocations: {int(lambda_errors)} "
                    f"Lambda errors + {int(handled)} handled failures)")
        verdict = Verdict.FAIL if errors and not ok else (Verdict.NO_DATA if few else
                                                          (Verdict.PASS if ok else Verdict.FAIL))
        out.append(Result(verdict, f"{label} ({span})", measured if verdict is not Verdict.NO_DATA else too_few))
        out.append(_support_functions(reader, stage, start, end, span))
    if c.max_avg_duration_ms is not None:
        out.append(_average_response(reader, stage, c.max_avg_duration_ms, start, end, span))
    if c.max_p95_duration_ms is not None:
        p95s = [max(lam("Duration", "p95", f), default=None) for f in fns]
        known = [p for p in p95s if p is not None]
        label = f"P95 response time < {c.max_p95_duration_ms / 1000:g} s ({span})"
        if few:
            out.append(Result(Verdict.NO_DATA, label, too_few))
        elif len(known) < sum(1 for f in fns if _one(lam("Invocations", "Sum", f))):
            out.append(Result(Verdict.FAIL, label, "p95 not available from CloudWatch"))
        else:
            worst = max(known, default=0.0)
            out.append(Result(Verdict.PASS if worst < c.max_p95_duration_ms else Verdict.FAIL, label,
                              f"{worst:.0f} ms"))
    if c.max_daily_llm_cost_usd is not None:
        days = reader.stat(NAMESPACE, "LlmCostUsd", custom, "Sum", start, end, period_seconds=86400)
        worst_day = max(days, default=0.0)
        out.append(Result(Verdict.PASS if worst_day <= c.max_daily_llm_cost_usd else Verdict.FAIL,
                          f"daily LLM cost <= ${c.max_daily_llm_cost_usd:g} (rollback above "
                          f"${phase.llm_daily_rollback_usd:g})", f"${worst_day:.2f} on the worst day"))
    out += _plan_targets(reader, stage, start, end, span)
    if c.no_slower_than_phase is not None or c.no_more_errors_than_phase is not None:
        out += _against_baseline(phase, baseline, measure(reader, stage, start, end), span)
    if alarms is not None:
        out.append(_alarm_history(alarms, stage, start, end, span))
    if c.feedback is not None:
        out.append(feedback_result(c.feedback, feedback, start.timestamp(), end.timestamp(), span))
    if c.min_adoption_pct is not None:
        out.append(adoption_result(c.min_adoption_pct, adoption, span, prod=stage == "prod"))
    if c.min_weekly_active is not None:
        label = f"weekly active users >= {c.min_weekly_active} (distinct requesters, last 7 days)"
        out.append(Result(Verdict.MANUAL, label, "adoption not read") if adoption is None else
                   Result(Verdict.PASS if adoption.unique_7d >= c.min_weekly_active else Verdict.FAIL, label,
                          f"{adoption.unique_7d}"))
    if c.min_llm_accuracy_pct is not None:
        first, kept = ours("FirstPreviews", Parser="llm"), ours("ConfirmedUnchanged", Parser="llm")
        label = (f"LLM parsing accuracy > {c.min_llm_accuracy_pct:g}% (proxy: first previews confirmed "
                 f"unchanged, {span})")
        if first < MIN_ACCURACY_SAMPLE:
            out.append(Result(Verdict.NO_DATA, label, f"{int(first)} LLM first previews, fewer than the "
                                                      f"{MIN_ACCURACY_SAMPLE} this needs: have admins use the LLM "
                                                      "path, and run valine eval-llm --cases evals/llm_cases.jsonl"))
        else:
            pct = 100.0 * kept / first
            out.append(Result(Verdict.PASS if pct > c.min_llm_accuracy_pct else Verdict.FAIL, label,
                              f"{pct:.0f}% ({int(kept)} of {int(first)})"))
    if phase.llm is not LlmMode.OFF:
        out.append(_llm_fallbacks(ours("LlmParses", Outcome="ok"), ours("LlmParses", Outcome="fallback"), span))
    if corrupt is not None:
        out.append(_corruption(corrupt))
    for item in c.manual:
        if item == "No data corruption in DynamoDB" and corrupt is not None:
            continue  # measured above
        out.append(Result(Verdict.MANUAL, item, MANUAL_HOW.get(item, RECORD_IT)))
    nxt = PHASES.get(phase.number + 1)
    if nxt is not None and approval_for_next is not None:
        recorded, found = approval_for_next
        which = f"phase {nxt.number}" + (f" (or {nxt.number + 1}, skipping it)" if nxt.optional else "")
        out.append(Result(Verdict.PASS if recorded else Verdict.FAIL,
                          f"PM approval for {which} recorded in rollout/approvals.toml", found))
    return out


def _observed(phase: PhaseConfig, ran: PhaseWindow | None, end: dt.datetime) -> Result:
    hours = phase.criteria.observation_hours
    label = f"phase {phase.number} observed for the plan's {hours} h since it started"
    if ran is None:
        return Result(Verdict.NO_DATA, label, f"no recorded start of phase {phase.number} on this stage (the worker "
                                              "records it on its first run after the deploy)")
    ran_h = (end - ran.since).total_seconds() / 3600
    started = f"started {ran.since:%Y-%m-%d %H:%M} UTC"
    if ran_h < hours:
        return Result(Verdict.NO_DATA, label, f"{started}: {ran_h:.1f} h so far; check again after "
                                              f"{ran.since + dt.timedelta(hours=hours):%Y-%m-%d %H:%M} UTC")
    return Result(Verdict.PASS, label, f"{started}, {ran_h:.0f} h")


def _support_functions(reader: MetricsReader, stage: str, start: dt.datetime, end: dt.datetime,
                       span: str) -> Result:
    """The functions people do not call directly fail in silence otherwise: a broken webhook stops
    the PR-quality metric, a broken sweep zeroes the expiry rate. Any error of theirs is a FAIL."""
    failed: dict[str, int] = {}
    for kind in SUPPORT_FUNCTIONS:
        dims = alias_dimensions(names.function_name(kind, stage))
        count = _one(reader.stat("AWS/Lambda", "Errors", dims, "Sum", start, end)) + _one(reader.stat(
            NAMESPACE, "HandledFailures", {"Stage": stage, "Function": kind}, "Sum", start, end))
        if count:
            failed[kind] = int(count)
    return Result(Verdict.FAIL if failed else Verdict.PASS,
                  f"the {', '.join(SUPPORT_FUNCTIONS)} functions did not fail ({span})",
                  ", ".join(f"{k}: {v}" for k, v in failed.items()) or "none")


def _average_response(reader: MetricsReader, stage: str, max_ms: int, start: dt.datetime, end: dt.datetime,
                      span: str) -> Result:
    """The plan's "average response time": what a person waits, from the request to the preview
    (PreviewLatency), not a pool of the functions' durations, where the fast acknowledgement would
    hide a slow worker."""
    label = f"average response time < {max_ms / 1000:g} s (request to preview, {span})"
    total = _one(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "Sum", start, end))
    count = _one(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "SampleCount", start, end))
    if count < MIN_SAMPLES:
        return Result(Verdict.NO_DATA, label, f"{int(count)} previews, fewer than the {MIN_SAMPLES} this needs")
    avg = total / count
    return Result(Verdict.PASS if avg < max_ms else Verdict.FAIL, label, f"{avg:.0f} ms over {int(count)} previews")


# The plan's monitoring table (targets every phase is held to) and its phase-3 metrics.
P50_TARGET_MS = 2000
MAX_EXPIRY_PCT = 5.0


def _plan_targets(reader: MetricsReader, stage: str, start: dt.datetime, end: dt.datetime, span: str) -> list[Result]:
    def total(name: str, stat: str = "Sum") -> float:
        return _one(reader.stat(NAMESPACE, name, {"Stage": stage}, stat, start, end))

    out = []
    count = total("PreviewLatency", "SampleCount")
    label = f"P50 response time < {P50_TARGET_MS / 1000:g} s (request to preview, {span})"
    p50 = max(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "p50", start, end), default=None)
    if count < MIN_SAMPLES or p50 is None:
        out.append(Result(Verdict.NO_DATA, label, f"{int(count)} previews, fewer than the {MIN_SAMPLES} this needs"))
    else:
        out.append(Result(Verdict.PASS if p50 < P50_TARGET_MS else Verdict.FAIL, label, f"{p50:.0f} ms"))
    previews, expired, cancelled = total("Previews"), total("ConversationsExpired"), total("Cancellations")
    label = f"conversation TTL expiry rate < {MAX_EXPIRY_PCT:g}% of previews ({span})"
    if previews < MIN_SAMPLES:
        out.append(Result(Verdict.NO_DATA, label, f"{int(previews)} previews, fewer than the {MIN_SAMPLES} this needs"))
    else:
        pct = 100.0 * expired / previews
        out.append(Result(Verdict.PASS if pct < MAX_EXPIRY_PCT else Verdict.FAIL, label,
                          f"{pct:.1f}% ({int(expired)} of {int(previews)})"))
    # The plan tracks the cancellation rate but sets it no target: measured, for a person to judge.
    out.append(Result(Verdict.MANUAL, f"cancellation rate ({span}; the plan sets no target)",
                      f"{100.0 * cancelled / previews:.0f}% ({int(cancelled)} of {int(previews)} previews); "
                      + RECORD_IT if previews else "no previews; " + RECORD_IT))
    return out


def _against_baseline(phase: PhaseConfig, baseline: Measured | None, now: Measured, span: str) -> list[Result]:
    c = phase.criteria
    out = []
    if c.no_slower_than_phase is not None:
        label = (f"no performance degradation: P95 request to preview within {BASELINE_SLOWER_PCT:g}% of phase "
                 f"{c.no_slower_than_phase}'s ({span})")
        before = baseline.preview_p95_ms if baseline else None
        if before is None or now.preview_p95_ms is None:
            out.append(Result(Verdict.NO_DATA, label, f"phase {c.no_slower_than_phase}: {_p95_text(before, baseline)}"
                                                      f"; now: {_p95_text(now.preview_p95_ms, now)}"))
        else:
            limit = before * (1 + BASELINE_SLOWER_PCT / 100)
            out.append(Result(Verdict.PASS if now.preview_p95_ms <= limit else Verdict.FAIL, label,
                              f"{now.preview_p95_ms:.0f} ms against {before:.0f} ms (limit {limit:.0f} ms)"))
    if c.no_more_errors_than_phase is not None:
        label = (f"no increase in error rate: within {BASELINE_MORE_ERRORS_PTS:g} points of phase "
                 f"{c.no_more_errors_than_phase}'s ({span})")
        before = baseline.error_rate_pct if baseline else None
        if before is None or now.error_rate_pct is None:
            which = "no recorded run" if baseline is None else f"{int(baseline.invocations)} invocations"
            out.append(Result(Verdict.NO_DATA, label, f"phase {c.no_more_errors_than_phase}: {which}; now: "
                                                      f"{int(now.invocations)} invocations (each needs "
                                                      f"{MIN_INVOCATIONS})"))
        else:
            rate = now.error_rate_pct
            ok = rate <= before + BASELINE_MORE_ERRORS_PTS
            out.append(Result(Verdict.PASS if ok else Verdict.FAIL, label, f"{rate:.2f}% against {before:.2f}%"))
    return out


def _p95_text(value: float | None, seen: Measured | None) -> str:
    if seen is None:
        return "no recorded run"
    return f"{value:.0f} ms" if value is not None else f"fewer than {MIN_SAMPLES} previews"


def _llm_fallbacks(ok: float, fallback: float, span: str) -> Result:
    label = f"LLM fallbacks < {MAX_LLM_FALLBACK_PCT:g}% of LLM parses ({span})"
    total = ok + fallback
    if total < MIN_LLM_PARSES:
        return Result(Verdict.NO_DATA, label, f"{int(total)} LLM parses, fewer than the {MIN_LLM_PARSES} this "
                                              "needs: a phase with the LLM on is judged on LLM answers")
    pct = 100.0 * fallback / total
    return Result(Verdict.PASS if pct < MAX_LLM_FALLBACK_PCT else Verdict.FAIL, label,
                  f"{pct:.0f}% ({int(fallback)} of {int(total)} fell back to the rules)")


def _corruption(corrupt: int | str) -> Result:
    label = "No data corruption in DynamoDB (every task item parses and keeps its invariants)"
    if isinstance(corrupt, str):
        return Result(Verdict.NO_DATA, label, f"the tasks could not be read ({corrupt})")
    return Result(Verdict.PASS if corrupt == 0 else Verdict.FAIL, label,
                  "none" if corrupt == 0 else f"{corrupt} bad task items: valine tasks check --stage S lists them")


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
    # What people wrote is never part of a verdict's text: the reports quote it, made inert, in
    # their feedback section, and a verdict is computed, never read back from rendered words.
    comments = sum(1 for f in votes if f.vote < 0 and f.comment)
    said = f"; {comments} 👎 comment{'s' if comments != 1 else ''} (see the feedback)" if comments else ""
    if len(votes) < target.min_responses:
        return Result(Verdict.NO_DATA, criterion, f"{measured}: too few responses (ask them to vote 👍/👎 on "
                                               f"finished tasks or use /feedback){trend}{said}")
    ok = pct >= target.min_positive_pct and not trend
    return Result(Verdict.PASS if ok else Verdict.FAIL, criterion, f"{measured}{trend}{said}")


def adoption_result(min_pct: float, adoption: Adoption | None, span: str, *, prod: bool = False) -> Result:
    criterion = f"adoption > {min_pct:g}% of eligible users (distinct requesters, {span})"
    if adoption is None:
        return Result(Verdict.MANUAL, criterion, "adoption not read")
    pct = adoption.pct(adoption.unique_window)
    if pct is None or adoption.eligible is None:
        why = (f"{adoption.unique_window} requesters; eligible users unknown "
               f"({adoption.why_no_eligible or 'none counted'})")
        if prod:  # a share of an unknown population is no evidence: in prod that is NO-GO, with the fix
            return Result(Verdict.FAIL, criterion, why + ": turn on the bot's Server Members intent, or set "
                                                         "eligible_users in cdk.json's prod stage")
        return Result(Verdict.MANUAL, criterion, why)
    return Result(Verdict.PASS if pct > min_pct else Verdict.FAIL, criterion,
                  f"{adoption.unique_window} of {adoption.eligible.count} ({pct:.0f}%); eligible: "
                  f"{adoption.eligible.source}")


def go(results: list[Result]) -> bool:
    """GO only on evidence: nothing failed and nothing lacked the evidence it needs."""
    return all(r.verdict not in (Verdict.FAIL, Verdict.NO_DATA) for r in results)
