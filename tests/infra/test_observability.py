"""The plan's dashboard, alarms and canary wiring, for every phase and stage."""

from __future__ import annotations

import json
import re
from typing import Any

from valine.metrics import METRICS, NAMESPACE
from valine.rollout import PHASES

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
                  "UX update requests by role", "Previews by section", "Confirmation rate % (confirms / previews)",
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
    for name, alarm in found.items():
        assert alarm["AlarmActions"] == [{"Ref": topic}] and alarm["OKActions"] == [{"Ref": topic}], name
        assert alarm["TreatMissingData"] == "notBreaching", name
        assert re.match(r"^\[P[0-3]\] .+ Runbook: docs/runbook\.md#[a-z-]+$", alarm["AlarmDescription"]), name
        anchor = alarm["AlarmDescription"].split("#")[1]
        runbook = (ROOT / "docs/runbook.md").read_text()
        assert f'<a id="{anchor}"></a>' in runbook, f"runbook has no section {anchor}"


def test_alarm_thresholds_come_from_the_phase(phase_stage):
    phase, stage = phase_stage
    cfg = PHASES[phase]
    found = alarms(template(phase, stage))
    prefix = f"valine-{stage}-"
    for fn in ("Interactions", "Worker"):
        assert found[f"{prefix}{fn}ErrorRate"]["Threshold"] == cfg.error_rate_rollback_pct
        assert found[f"{prefix}{fn}DurationP50"]["Threshold"] == 5000
        assert found[f"{prefix}{fn}DurationP95"]["Threshold"] == 10000
        assert found[f"{prefix}{fn}Timeouts"]["Threshold"] == 0.1
        assert found[f"{prefix}{fn}Throttles"]["Threshold"] == 0
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


def test_canary_rolls_back_on_error_duration_and_throttle_alarms(phase_stage):
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
        assert wired == sorted(f"valine-{stage}-{fn}{a}" for a in ("ErrorRate", "DurationP50", "DurationP95",
                                                                   "Throttles"))


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
