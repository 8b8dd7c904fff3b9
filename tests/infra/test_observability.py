"""The plan's dashboard, alarms and canary wiring, for every phase and stage."""

from __future__ import annotations

import json
import re
from typing import Any

from valine.core.phases import PHASES
from valine.metrics import METRICS, NAMESPACE

from .conftest import ROOT, template
from .test_stack import resources


def alarms(tpl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["Properties"]["AlarmName"]: a["Properties"] for a in resources(tpl, "AWS::CloudWatch::Alarm").values()}


def dashboard_body(tpl: dict[str, Any]) -> str:
    (dash,) = resources(tpl, "AWS::CloudWatch::Dashboard").values()
    body = dash["Properties"]["DashboardBody"]
    parts = body["Fn::Join"][1] if isinstance(body, dict) else [body]
    return "".join(p if isinstance(p, str) else "<token>" for p in parts)


def topic_id(tpl: dict[str, Any]) -> str:
    (tid,) = resources(tpl, "AWS::SNS::Topic")
    return tid


def test_dashboard_is_named_per_stage_and_has_the_plans_widgets(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    (dash,) = resources(tpl, "AWS::CloudWatch::Dashboard").values()
    assert dash["Properties"]["DashboardName"] == ("Valine-UX-Agent-Production" if stage == "prod"
                                                    else "Valine-UX-Agent-Dev")
    body = dashboard_body(tpl)
    for title in ("Interactions: invocations and errors per hour", "Worker: error rate %",
                  "Interactions: duration p50 / p95 / p99", "Worker: concurrent executions",
                  "DynamoDB consumed capacity", "DynamoDB throttle events", "Items in the conversation table",
                  "Requests by agent and role", "Previews by agent and section",
                  "Confirmation rate % (confirms / previews)", "UX update agent: requests, previews",
                  "Copy update agent: requests, previews",
                  "Time from preview to confirmation", "LLM cost (USD per day, per request)",
                  "Job queue depth and dead letters", '"type":"alarm"'):
        assert title in body, title
    for stat in ("p50", "p95", "p99"):
        assert f'"stat":"{stat}"' in body


def test_every_alarm_pages_oncall_with_severity_and_runbook(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    topic = topic_id(tpl)
    found = alarms(tpl)
    assert found
    runbook = (ROOT / "docs/runbook.md").read_text()
    for name, alarm in found.items():
        assert alarm["AlarmActions"] == [{"Ref": topic}] and alarm["OKActions"] == [{"Ref": topic}], name
        # Only the probe's two alarms treat silence as failure: no data means the probe, the queue or the
        # worker did not run. Every alarm says why its no-data policy is right.
        expected_missing = "breaching" if name.endswith(("EndpointProbe", "WorkerHeartbeat")) else "notBreaching"
        assert alarm["TreatMissingData"] == expected_missing, name
        assert re.match(r"^\[P[0-3]\] .+\. No data: .{20,}\. Runbook: docs/runbook\.md#[a-z-]+$",
                        alarm["AlarmDescription"]), name
        anchor = alarm["AlarmDescription"].split("#")[1]
        assert f'<a id="{anchor}"></a>' in runbook, f"runbook has no section {anchor}"


def test_alarm_thresholds_come_from_the_phase_and_the_deadlines(phase_stage):
    from valine.core import budgets

    phase, stage = phase_stage
    cfg = PHASES[phase]
    found = alarms(template(phase, stage))
    prefix = f"valine-{stage}-"
    for fn in ("Interactions", "Worker"):
        assert found[f"{prefix}{fn}ErrorRate"]["Threshold"] == cfg.error_rate_rollback_pct
        assert found[f"{prefix}{fn}Timeouts"]["Threshold"] == 0  # any timeout
        assert found[f"{prefix}{fn}Throttles"]["Threshold"] == 0
    # Reachable latency alarms: the interactions function within Discord's 3 s, the worker its own budget.
    assert found[f"{prefix}InteractionsLatencyP99"]["Threshold"] == budgets.INTERACTIONS_P99_ALARM_MS == 2500
    assert found[f"{prefix}WorkerLatencyP99"]["Threshold"] == budgets.WORKER_P99_ALARM_MS
    assert budgets.WORKER_P99_ALARM_MS < budgets.WORKER_TIMEOUT_SECONDS * 1000
    assert budgets.INTERACTIONS_P99_ALARM_MS < budgets.INTERACTIONS_TIMEOUT_SECONDS * 1000
    # The plan's key-metric thresholds, on the end-to-end preview time where they can be reached.
    assert found[f"{prefix}PreviewTimeP50"]["Threshold"] == 5000
    assert found[f"{prefix}PreviewTimeP95"]["Threshold"] == 10000
    assert alarm_stat(found[f"{prefix}PreviewTimeP95"]) == "p95"
    assert found[f"{prefix}DynamoDbThrottles"]["Threshold"] == 5
    assert found[f"{prefix}ExpiryRate"]["Threshold"] == 20
    assert found[f"{prefix}DeadLetters"]["Threshold"] == 0
    if cfg.llm_enabled:
        assert found[f"{prefix}LlmDailyCost"]["Threshold"] == cfg.llm_daily_rollback_usd == 10
        cost = found[f"{prefix}LlmDailyCost"]
        period = cost.get("Period") or cost["Metrics"][0]["MetricStat"]["Period"]
        assert period == 86400
    else:
        assert f"{prefix}LlmDailyCost" not in found


def test_alarms_evaluate_one_minute_datapoints_m_of_n(phase_stage):
    phase, stage = phase_stage
    found = alarms(template(phase, stage))
    prefix = f"valine-{stage}-"
    for fn in ("Interactions", "Worker"):
        for kind in ("ErrorRate", "LatencyP99", "Timeouts", "Throttles"):
            alarm = found[f"{prefix}{fn}{kind}"]
            assert alarm_period(alarm) == 60, (fn, kind)
            assert 1 <= alarm["DatapointsToAlarm"] <= alarm["EvaluationPeriods"] <= 5, (fn, kind)
    # "Any error" in phase 1 alarms on the first bad minute; later phases on 2 of 5.
    rate = found[f"{prefix}InteractionsErrorRate"]
    expected = (1, 1) if PHASES[phase].error_rate_rollback_pct == 0 else (2, 5)
    assert (rate["DatapointsToAlarm"], rate["EvaluationPeriods"]) == expected


def alarm_stat(alarm: dict[str, Any]) -> str:
    if "ExtendedStatistic" in alarm or "Statistic" in alarm:
        return str(alarm.get("ExtendedStatistic") or alarm["Statistic"])
    (metric,) = [m for m in alarm["Metrics"] if "MetricStat" in m]
    return str(metric["MetricStat"]["Stat"])


def alarm_period(alarm: dict[str, Any]) -> int:
    if "Period" in alarm:
        return int(alarm["Period"])
    periods = {m["MetricStat"]["Period"] for m in alarm["Metrics"] if "MetricStat" in m}
    periods |= {m["Period"] for m in alarm["Metrics"] if "Period" in m}
    assert len(periods) == 1, periods
    return int(periods.pop())


def test_canary_rolls_back_on_error_rate_latency_throttle_and_timeout_alarms(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    names = {k: v["Properties"]["AlarmName"] for k, v in resources(tpl, "AWS::CloudWatch::Alarm").items()}
    by_group = {}
    for group in resources(tpl, "AWS::CodeDeploy::DeploymentGroup").values():
        cfg = group["Properties"].get("AlarmConfiguration")
        app = json.dumps(group["Properties"]["ApplicationName"])
        if cfg:
            by_group[app] = sorted(names[a["Name"]["Ref"]] for a in cfg["Alarms"])
            assert cfg["Enabled"] is True
    assert len(by_group) == 2
    for fn in ("Interactions", "Worker"):
        (wired,) = [v for k, v in by_group.items() if fn in k]
        expected = [f"valine-{stage}-{fn}{a}" for a in ("ErrorRate", "LatencyP99", "Throttles", "Timeouts")]
        if fn == "Interactions":
            expected.append(f"valine-{stage}-ApiServerErrors")
        assert wired == sorted(expected)


def _custom_metrics(tpl: dict[str, Any]) -> set[str]:
    names = set()
    for alarm in alarms(tpl).values():
        for m in alarm.get("Metrics", []):
            stat = m.get("MetricStat", {}).get("Metric", {})
            if stat.get("Namespace") == NAMESPACE:
                names.add(stat["MetricName"])
        if alarm.get("Namespace") == NAMESPACE:
            names.add(alarm["MetricName"])
    body = dashboard_body(tpl)
    names |= set(re.findall(rf'\["{re.escape(NAMESPACE)}","([A-Za-z]+)"', body))
    return names


def test_every_custom_metric_shown_or_alarmed_is_emitted_or_derived_from_logs():
    tpl = template(6, "prod")
    filters = {f["Properties"]["MetricTransformations"][0]["MetricName"]
               for f in resources(tpl, "AWS::Logs::MetricFilter").values()}
    used = _custom_metrics(tpl)
    assert used, "the dashboard shows custom metrics"
    assert used <= set(METRICS) | filters, used - set(METRICS) - filters
    # And each declared metric is shown somewhere, so nothing is emitted for no one.
    assert set(METRICS) <= used, set(METRICS) - used
