"""Issue 20 in the template: what the go/no-go check judges also pages between checks. LLM
fallbacks (phases with the LLM), negative feedback (the plan's rollback trigger) and corrupt task
items each have an alarm whose metric math and thresholds come from the phase table, and whose
missing data is not a breach (each says why)."""

from __future__ import annotations

from typing import Any

from valine.core.phases import (
    MAX_LLM_FALLBACK_PCT,
    MAX_NEGATIVE_FEEDBACK_PCT,
    MIN_FEEDBACK_VOTES,
    MIN_LLM_PARSES,
    PHASES,
)

from .conftest import template
from .test_observability import alarms


def _by_suffix(tpl: dict[str, Any], suffix: str) -> dict[str, Any] | None:
    found = [a for name, a in alarms(tpl).items() if name.endswith(f"-{suffix}")]
    return found[0] if found else None


def _expression(alarm: dict[str, Any]) -> str:
    (expr,) = [m["Expression"] for m in alarm["Metrics"] if "Expression" in m]
    return str(expr)


def _metrics(alarm: dict[str, Any]) -> dict[str, tuple[str, dict[str, str]]]:
    out = {}
    for m in alarm["Metrics"]:
        if "MetricStat" in m:
            metric = m["MetricStat"]["Metric"]
            dims = {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}
            out[m["Id"]] = (metric["MetricName"], dims)
    return out


def test_llm_fallbacks_page_in_the_phases_that_use_the_llm(phase_stage: tuple[int, str]) -> None:
    phase, stage = phase_stage
    alarm = _by_suffix(template(phase, stage), "LlmFallbacks")
    if not PHASES[phase].llm_enabled:
        assert alarm is None
        return
    assert alarm is not None and alarm["Threshold"] == MAX_LLM_FALLBACK_PCT
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold" and alarm["TreatMissingData"] == "notBreaching"
    assert f">= {MIN_LLM_PARSES}" in _expression(alarm)  # a quiet hour cannot page
    used = _metrics(alarm)
    assert {(name, dims.get("Outcome")) for name, dims in used.values()} == {("LlmParses", "ok"),
                                                                           ("LlmParses", "fallback")}


def test_negative_feedback_pages_as_the_plans_rollback_trigger(phase_stage: tuple[int, str]) -> None:
    phase, stage = phase_stage
    alarm = _by_suffix(template(phase, stage), "NegativeFeedback")
    assert alarm is not None and alarm["Threshold"] == MAX_NEGATIVE_FEEDBACK_PCT
    assert f">= {MIN_FEEDBACK_VOTES}" in _expression(alarm)
    assert {(name, dims.get("Kind")) for name, dims in _metrics(alarm).values()} == {("Feedback", "up"),
                                                                                   ("Feedback", "down")}
    assert all(m["MetricStat"]["Period"] == 86400 for m in alarm["Metrics"] if "MetricStat" in m)


def test_corrupt_task_items_page(phase_stage: tuple[int, str]) -> None:
    phase, stage = phase_stage
    alarm = _by_suffix(template(phase, stage), "CorruptTasks")
    assert alarm is not None and alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert "daily status" in alarm["AlarmDescription"]


def test_every_metric_math_alarm_keeps_cloudwatchs_published_rules(phase_stage: tuple[int, str]) -> None:
    """The CloudWatch API reference, MetricDataQuery as PutMetricAlarm takes it: an Id is letters, digits
    and underscores starting with a lowercase letter, unique in the array; each entry has an Expression
    or a MetricStat, not both; at most 10 of each; exactly one entry has ReturnData true (the value the
    alarm watches). An expression can only name the Ids beside it (moto checks none of this)."""
    import re

    phase, stage = phase_stage
    maths = [a for a in alarms(template(phase, stage)).values() if "Metrics" in a]
    assert maths, "no metric-math alarm in the template"
    for alarm in maths:
        queries = alarm["Metrics"]
        ids = [q["Id"] for q in queries]
        assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[a-z][A-Za-z0-9_]*", i) for i in ids), ids
        assert all(("Expression" in q) != ("MetricStat" in q) for q in queries), alarm["AlarmName"]
        assert sum("MetricStat" in q for q in queries) <= 10 and sum("Expression" in q for q in queries) <= 10
        assert [q.get("ReturnData", True) for q in queries].count(True) == 1, alarm["AlarmName"]
        for q in queries:
            if "Expression" in q:
                named = set(re.findall(r"\b([a-z][A-Za-z0-9_]*)\b", q["Expression"]))
                functions = {n for n in named if re.search(rf"\b{n}\s*\(", q["Expression"])}
                assert named - functions <= set(ids), (alarm["AlarmName"], q["Expression"])
