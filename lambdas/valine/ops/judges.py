"""How each go/no-go criterion judges its evidence: one function per criterion, each taking the
check's ``Inputs`` and returning its result (or None where the criterion has nothing to say for
this check). ``valine.ops.criteria.CRITERIA`` lists them with what they read and need."""

from __future__ import annotations

import datetime as dt

from valine.core import names
from valine.core.phases import (
    BASELINE_MORE_ERRORS_PTS,
    BASELINE_SLOWER_PCT,
    MAX_LLM_FALLBACK_PCT,
    MIN_LLM_PARSES,
    MONITORING,
)
from valine.metrics import NAMESPACE
from valine.ops.evidence import (
    MIN_ACCURACY_SAMPLE,
    MIN_INVOCATIONS,
    MIN_SAMPLES,
    RECORD_IT,
    SUPPORT_FUNCTIONS,
    Inputs,
    Measured,
    Result,
    Verdict,
    _one,
    alias_dimensions,
    measure,
)

# The plan's monitoring table (targets every phase is held to).
P50_TARGET_MS = MONITORING.p50_target_ms
MAX_EXPIRY_PCT = MONITORING.expiry_target_pct


def observed(i: Inputs) -> Result | None:
    """The phase ran on the stage for the plan's observation time, recorded when it started."""
    if not (i.require_ran or i.ran is not None):
        return None
    hours = i.phase.criteria.observation_hours
    label = f"phase {i.phase.number} observed for the plan's {hours} h since it started"
    if i.ran is None:
        return Result(Verdict.NO_DATA, label, f"no recorded start of phase {i.phase.number} on this stage (the "
                                              "worker records it on its first run after the deploy)")
    ran_h = (i.end - i.ran.since).total_seconds() / 3600
    started = f"started {i.ran.since:%Y-%m-%d %H:%M} UTC"
    if ran_h < hours:
        return Result(Verdict.NO_DATA, label, f"{started}: {ran_h:.1f} h so far; check again after "
                                              f"{i.ran.since + dt.timedelta(hours=hours):%Y-%m-%d %H:%M} UTC")
    return Result(Verdict.PASS, label, f"{started}, {ran_h:.0f} h")


def flows(i: Inputs) -> Result:
    need = i.phase.criteria.min_successful_flows
    assert need is not None
    return Result(Verdict.PASS if i.flows >= need else Verdict.FAIL,
                  f"successful UX update flows >= {need} ({i.span})", f"{int(i.flows)}")


def dry_run(i: Inputs) -> Result:
    most = i.phase.criteria.max_prs_created
    assert most is not None
    return Result(Verdict.PASS if i.flows <= most else Verdict.FAIL,
                  f"pull requests created <= {most} (dry run, {i.span})", f"{int(i.flows)}")


def error_rate(i: Inputs) -> Result:
    limit = i.phase.criteria.max_error_rate_pct
    assert limit is not None
    errors = i.lambda_errors + i.handled
    rate = 100.0 * errors / i.invocations if i.invocations else 0.0
    ok = errors == 0 if limit == 0 else rate < limit
    label = "no errors" if limit == 0 else f"error rate < {limit}%"
    measured = (f"{rate:.2f}% ({int(errors)} of {int(i.invocations)} invocations: {int(i.lambda_errors)} "
                f"Lambda errors + {int(i.handled)} handled failures)")
    # An error fails with any evidence; a pass needs enough invocations to mean something.
    verdict = Verdict.FAIL if errors and not ok else (Verdict.NO_DATA if i.few else
                                                      (Verdict.PASS if ok else Verdict.FAIL))
    return Result(verdict, f"{label} ({i.span})", measured if verdict is not Verdict.NO_DATA else i.too_few)


def support_functions(i: Inputs) -> Result:
    """The functions people do not call directly fail in silence otherwise: a broken webhook stops
    the PR-quality metric, a broken sweep zeroes the expiry rate. Any error of theirs is a FAIL."""
    failed: dict[str, int] = {}
    for kind in SUPPORT_FUNCTIONS:
        dims = alias_dimensions(names.function_name(kind, i.stage))
        count = _one(i.reader.stat("AWS/Lambda", "Errors", dims, "Sum", i.start, i.end)) + i.ours(
            "HandledFailures", Function=kind)
        if count:
            failed[kind] = int(count)
    return Result(Verdict.FAIL if failed else Verdict.PASS,
                  f"the {', '.join(SUPPORT_FUNCTIONS)} functions did not fail ({i.span})",
                  ", ".join(f"{k}: {v}" for k, v in failed.items()) or "none")


def average_response(i: Inputs) -> Result:
    """The plan's "average response time": what a person waits, from the request to the preview
    (PreviewLatency), not a pool of the functions' durations, where the fast acknowledgement would
    hide a slow worker."""
    max_ms = i.phase.criteria.max_avg_duration_ms
    assert max_ms is not None
    label = f"average response time < {max_ms / 1000:g} s (request to preview, {i.span})"
    total, count = i.ours("PreviewLatency"), i.ours("PreviewLatency", "SampleCount")
    if count < MIN_SAMPLES:
        return Result(Verdict.NO_DATA, label, f"{int(count)} previews, fewer than the {MIN_SAMPLES} this needs")
    avg = total / count
    return Result(Verdict.PASS if avg < max_ms else Verdict.FAIL, label, f"{avg:.0f} ms over {int(count)} previews")


def p95(i: Inputs) -> Result:
    limit = i.phase.criteria.max_p95_duration_ms
    assert limit is not None
    label = f"P95 response time < {limit / 1000:g} s ({i.span})"
    if i.few:
        return Result(Verdict.NO_DATA, label, i.too_few)
    kinds = ("interactions", "worker")
    known = [p for p in (max(i.lam("Duration", "p95", f), default=None) for f in kinds) if p is not None]
    if len(known) < sum(1 for f in kinds if _one(i.lam("Invocations", "Sum", f))):
        return Result(Verdict.FAIL, label, "p95 not available from CloudWatch")
    worst = max(known, default=0.0)
    return Result(Verdict.PASS if worst < limit else Verdict.FAIL, label, f"{worst:.0f} ms")


def llm_cost(i: Inputs) -> Result:
    cap = i.phase.criteria.max_daily_llm_cost_usd
    assert cap is not None
    days = i.reader.stat(NAMESPACE, "LlmCostUsd", {"Stage": i.stage}, "Sum", i.start, i.end, period_seconds=86400)
    worst_day = max(days, default=0.0)
    return Result(Verdict.PASS if worst_day <= cap else Verdict.FAIL,
                  f"daily LLM cost <= ${cap:g} (rollback above ${i.phase.llm_daily_rollback_usd:g})",
                  f"${worst_day:.2f} on the worst day")


def p50(i: Inputs) -> Result:
    count = i.ours("PreviewLatency", "SampleCount")
    label = f"P50 response time < {P50_TARGET_MS / 1000:g} s (request to preview, {i.span})"
    value = max(i.reader.stat(NAMESPACE, "PreviewLatency", {"Stage": i.stage}, "p50", i.start, i.end), default=None)
    if count < MIN_SAMPLES or value is None:
        return Result(Verdict.NO_DATA, label, f"{int(count)} previews, fewer than the {MIN_SAMPLES} this needs")
    return Result(Verdict.PASS if value < P50_TARGET_MS else Verdict.FAIL, label, f"{value:.0f} ms")


def expiry(i: Inputs) -> Result:
    previews, expired = i.ours("Previews"), i.ours("ConversationsExpired")
    label = f"conversation TTL expiry rate < {MAX_EXPIRY_PCT:g}% of previews ({i.span})"
    if previews < MIN_SAMPLES:
        return Result(Verdict.NO_DATA, label, f"{int(previews)} previews, fewer than the {MIN_SAMPLES} this needs")
    pct = 100.0 * expired / previews
    return Result(Verdict.PASS if pct < MAX_EXPIRY_PCT else Verdict.FAIL, label,
                  f"{pct:.1f}% ({int(expired)} of {int(previews)})")


def cancellations(i: Inputs) -> Result:
    """The plan tracks the cancellation rate but sets it no target: measured, for a person to judge."""
    previews, cancelled = i.ours("Previews"), i.ours("Cancellations")
    return Result(Verdict.MANUAL, f"cancellation rate ({i.span}; the plan sets no target)",
                  f"{100.0 * cancelled / previews:.0f}% ({int(cancelled)} of {int(previews)} previews); "
                  + RECORD_IT if previews else "no previews; " + RECORD_IT)


def _p95_text(value: float | None, seen: Measured | None) -> str:
    if seen is None:
        return "no recorded run"
    return f"{value:.0f} ms" if value is not None else f"fewer than {MIN_SAMPLES} previews"


def no_slower(i: Inputs) -> Result:
    earlier = i.phase.criteria.no_slower_than_phase
    now = measure(i.reader, i.stage, i.start, i.end)
    label = (f"no performance degradation: P95 request to preview within {BASELINE_SLOWER_PCT:g}% of phase "
             f"{earlier}'s ({i.span})")
    before = i.baseline.preview_p95_ms if i.baseline else None
    if before is None or now.preview_p95_ms is None:
        return Result(Verdict.NO_DATA, label, f"phase {earlier}: {_p95_text(before, i.baseline)}; now: "
                                              f"{_p95_text(now.preview_p95_ms, now)}")
    limit = before * (1 + BASELINE_SLOWER_PCT / 100)
    return Result(Verdict.PASS if now.preview_p95_ms <= limit else Verdict.FAIL, label,
                  f"{now.preview_p95_ms:.0f} ms against {before:.0f} ms (limit {limit:.0f} ms)")


def no_more_errors(i: Inputs) -> Result:
    earlier = i.phase.criteria.no_more_errors_than_phase
    now = measure(i.reader, i.stage, i.start, i.end)
    label = f"no increase in error rate: within {BASELINE_MORE_ERRORS_PTS:g} points of phase {earlier}'s ({i.span})"
    before = i.baseline.error_rate_pct if i.baseline else None
    if before is None or now.error_rate_pct is None:
        which = "no recorded run" if i.baseline is None else f"{int(i.baseline.invocations)} invocations"
        return Result(Verdict.NO_DATA, label, f"phase {earlier}: {which}; now: {int(now.invocations)} invocations "
                                              f"(each needs {MIN_INVOCATIONS})")
    rate = now.error_rate_pct
    return Result(Verdict.PASS if rate <= before + BASELINE_MORE_ERRORS_PTS else Verdict.FAIL, label,
                  f"{rate:.2f}% against {before:.2f}%")


def llm_accuracy(i: Inputs) -> Result:
    need = i.phase.criteria.min_llm_accuracy_pct
    first, kept = i.ours("FirstPreviews", Parser="llm"), i.ours("ConfirmedUnchanged", Parser="llm")
    label = f"LLM parsing accuracy > {need:g}% (proxy: first previews confirmed unchanged, {i.span})"
    if first < MIN_ACCURACY_SAMPLE:
        return Result(Verdict.NO_DATA, label, f"{int(first)} LLM first previews, fewer than the "
                                              f"{MIN_ACCURACY_SAMPLE} this needs: have admins use the LLM path, and "
                                              "run valine eval-llm --cases evals/llm_cases.jsonl")
    pct = 100.0 * kept / first
    return Result(Verdict.PASS if pct > (need or 0) else Verdict.FAIL, label, f"{pct:.0f}% ({int(kept)} of "
                                                                             f"{int(first)})")


def llm_fallbacks(i: Inputs) -> Result:
    ok, fallback = i.ours("LlmParses", Outcome="ok"), i.ours("LlmParses", Outcome="fallback")
    label = f"LLM fallbacks < {MAX_LLM_FALLBACK_PCT:g}% of LLM parses ({i.span})"
    total = ok + fallback
    if total < MIN_LLM_PARSES:
        return Result(Verdict.NO_DATA, label, f"{int(total)} LLM parses, fewer than the {MIN_LLM_PARSES} this "
                                              "needs: a phase with the LLM on is judged on LLM answers")
    pct = 100.0 * fallback / total
    return Result(Verdict.PASS if pct < MAX_LLM_FALLBACK_PCT else Verdict.FAIL, label,
                  f"{pct:.0f}% ({int(fallback)} of {int(total)} fell back to the rules)")
