"""The on-call safety net holds on real AWS, for every phase and stage.

moto cannot show these semantics, so each test asserts what the AWS documentation says
the template must contain:

- SNS: a topic policy *replaces* the default policy; CloudWatch needs an explicit allow to
  publish alarm notifications.
- CloudWatch metric math: arithmetic on two series keeps only their common timestamps,
  so an addend that may be missing must be FILLed.
- CodeDeploy: alarms are only checked while the deployment runs; an alarm whose evaluation
  window is longer than the bake cannot roll the canary back.
- SQS event sources: visibility timeout at least 6x the function timeout.
"""

from __future__ import annotations

import json
import re
from typing import Any

from valine.core import budgets

from .conftest import template
from .test_observability import alarm_period, alarm_stat, alarms
from .test_stack import env, function, logical_id, resources


def _statements(tpl: dict[str, Any], role_fragment: str) -> list[dict[str, Any]]:
    out = []
    for policy in resources(tpl, "AWS::IAM::Policy").values():
        roles = json.dumps(policy["Properties"]["Roles"])
        if role_fragment in roles:
            out.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return out


def test_the_oncall_topic_policy_lets_cloudwatch_of_this_account_publish(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    (topic_id,) = resources(tpl, "AWS::SNS::Topic")
    (policy,) = resources(tpl, "AWS::SNS::TopicPolicy").values()
    assert policy["Properties"]["Topics"] == [{"Ref": topic_id}]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert allows == [{
        "Sid": "AllowAlarmsOfThisAccountToPage", "Effect": "Allow", "Action": "sns:Publish",
        "Principal": {"Service": "cloudwatch.amazonaws.com"}, "Resource": {"Ref": topic_id},
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
    }]
    # The SSL-only deny stays, and it cannot cancel the allow: CloudWatch publishes over TLS.
    (deny,) = [s for s in statements if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} and deny["Action"] == "sns:Publish"


def _alarm_by_logical_id(tpl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in resources(tpl, "AWS::CloudWatch::Alarm").items()}


def _rollback_alarms(tpl: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Deployment group (by its function) -> the alarms CodeDeploy watches."""
    by_id = _alarm_by_logical_id(tpl)
    out: dict[str, list[dict[str, Any]]] = {}
    for group in resources(tpl, "AWS::CodeDeploy::DeploymentGroup").values():
        cfg = group["Properties"].get("AlarmConfiguration")
        if cfg:
            app = json.dumps(group["Properties"]["ApplicationName"])
            kind = "interactions" if "Interactions" in app else "worker"
            out[kind] = [by_id[a["Name"]["Ref"]] for a in cfg["Alarms"]]
    return out


def test_the_rollback_error_rate_counts_handled_failures_of_the_live_alias(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    for kind, wired in _rollback_alarms(tpl).items():
        (rate,) = [a for a in wired if a["AlarmName"].endswith("ErrorRate")]
        metrics = {m["Id"]: m for m in rate["Metrics"]}
        (expression,) = [m for m in rate["Metrics"] if "Expression" in m]
        assert expression["ReturnData"] is not False
        text = expression["Expression"]
        # Both addends FILLed: metric math drops timestamps missing from either series.
        assert re.search(r"FILL\(err, 0\)", text) and re.search(r"FILL\(handled, 0\)", text), text
        assert "/ inv" in text
        handled = metrics["handled"]["MetricStat"]["Metric"]
        assert handled["MetricName"] == "HandledFailures" and handled["Namespace"] == "Valine/UxAgent"
        assert {d["Name"]: d["Value"] for d in handled["Dimensions"]} == {"Function": kind, "Stage": stage}
        for lambda_metric, name in (("err", "Errors"), ("inv", "Invocations")):
            metric = metrics[lambda_metric]["MetricStat"]["Metric"]
            assert metric["MetricName"] == name and metric["Namespace"] == "AWS/Lambda"
            dims = {d["Name"]: d["Value"] for d in metric["Dimensions"]}
            assert json.dumps(dims["Resource"]).endswith(':live"]]}'), dims  # the live alias, not $LATEST


def test_the_canary_bakes_at_least_as_long_as_every_rollback_alarm_needs(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    for group in resources(tpl, "AWS::CodeDeploy::DeploymentGroup").values():
        cfg = group["Properties"].get("AlarmConfiguration")
        if not cfg:
            continue
        name = group["Properties"]["DeploymentConfigName"]
        bake = re.search(r"Canary10Percent(\d+)Minutes", name)
        if stage == "dev":
            assert name == "CodeDeployDefault.LambdaAllAtOnce"
            continue
        assert bake, name
        bake_seconds = int(bake.group(1)) * 60
        by_id = _alarm_by_logical_id(tpl)
        for ref in cfg["Alarms"]:
            alarm = by_id[ref["Name"]["Ref"]]
            window = alarm_period(alarm) * alarm["EvaluationPeriods"]
            assert window <= bake_seconds, (alarm["AlarmName"], window, bake_seconds)


def test_the_queue_visibility_is_six_times_the_worker_timeout_and_fits_the_token(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    worker = function(tpl, f"valine-orchestrator-worker-{stage}")
    queue = next(q["Properties"] for q in resources(tpl, "AWS::SQS::Queue").values()
                 if q["Properties"]["QueueName"] == f"valine-jobs-{stage}")
    visibility, timeout = queue["VisibilityTimeout"], worker["Timeout"]
    receives = queue["RedrivePolicy"]["maxReceiveCount"]
    assert visibility >= 6 * timeout
    assert (receives - 1) * visibility + timeout <= budgets.DISCORD_TOKEN_SECONDS - budgets.TOKEN_MARGIN_SECONDS
    assert env(tpl, f"valine-orchestrator-worker-{stage}")["JOB_MAX_RECEIVES"] == str(receives)
    interactions = function(tpl, f"valine-orchestrator-discord-{stage}")
    assert interactions["Timeout"] == budgets.INTERACTIONS_TIMEOUT_SECONDS


def test_the_budget_arithmetic_refuses_what_would_not_fit(monkeypatch):
    budgets.check()
    monkeypatch.setattr(budgets, "JOB_VISIBILITY_SECONDS", 3 * budgets.WORKER_TIMEOUT_SECONDS)
    try:
        budgets.check()
        raise AssertionError("3x visibility was accepted")
    except budgets.BudgetError as exc:
        assert "6x" in str(exc)
    monkeypatch.setattr(budgets, "JOB_VISIBILITY_SECONDS", 480)
    try:
        budgets.check()
        raise AssertionError("deliveries past the token were accepted")
    except budgets.BudgetError as exc:
        assert "token" in str(exc)


def test_the_p0_probe_and_the_api_alarms_exist(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    found = alarms(tpl)
    probe = found[f"valine-{stage}-EndpointProbe"]
    assert probe["AlarmDescription"].startswith("[P0] ")
    assert probe["TreatMissingData"] == "breaching"
    (metric,) = probe["Metrics"]
    assert metric["MetricStat"]["Metric"]["MetricName"] == "EndpointProbeFailures"
    assert alarm_period(probe) == 60
    assert (probe["DatapointsToAlarm"], probe["EvaluationPeriods"]) == (3, 5)
    props = function(tpl, f"valine-orchestrator-probe-{stage}")
    assert props["Handler"] == "valine.handlers.probe.handler"
    url = json.dumps(props["Environment"]["Variables"]["PROBE_URL"])
    api_id = logical_id(tpl, "AWS::ApiGatewayV2::Api", lambda p: True)
    assert api_id in url and "/discord" in url
    probe_alias = logical_id(tpl, "AWS::Lambda::Alias", lambda p: "Probe" in json.dumps(p["FunctionName"]))
    (rule,) = [r["Properties"] for r in resources(tpl, "AWS::Events::Rule").values()
               if r["Properties"].get("ScheduleExpression") == "rate(1 minute)"]
    assert rule["Targets"][0]["Arn"] == {"Ref": probe_alias}
    for name, metric in (("ApiServerErrors", "5xx"), ("ApiLatencyP99", "Latency")):
        alarm = found[f"valine-{stage}-{name}"]
        assert alarm["Namespace"] == "AWS/ApiGateway" and alarm["MetricName"] == metric
        assert alarm["Dimensions"] == [{"Name": "ApiId", "Value": {"Ref": api_id}}]
        assert alarm["AlarmDescription"].startswith("[P1] ")
    assert alarm_stat(found[f"valine-{stage}-ApiLatencyP99"]) == "p99"
    (dash,) = resources(tpl, "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dash["Properties"]["DashboardBody"])
    assert "Endpoint probe (P0)" in body and "HTTP API: 5xx" in body


def test_the_worker_cannot_read_the_bot_token(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    token = logical_id(tpl, "AWS::SecretsManager::Secret",
                       lambda p: p["Name"] == f"valine/{stage}/discord-bot-token")
    worker = json.dumps(_statements(tpl, "WorkerFunctionServiceRole"))
    assert token not in worker
    assert "DISCORD_BOT_TOKEN_SECRET_ARN" not in env(tpl, f"valine-orchestrator-worker-{stage}")
    assert token in json.dumps(_statements(tpl, "StatusFunctionServiceRole"))
    assert token not in json.dumps(_statements(tpl, "InteractionsFunctionServiceRole"))


def test_each_role_gets_only_the_dynamodb_actions_its_function_calls(phase_stage):
    from valine.adapters import dynamodb as ddb
    from valine.adapters.deliveries import DELIVERIES
    from valine.adapters.site_sections import SECTIONS_READ, SECTIONS_WRITE
    from valine.core.phases import PHASES

    phase, stage = phase_stage
    tpl = template(phase, stage)

    def actions(role: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for st in _statements(tpl, role):
            acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            dyn = {a for a in acts if a.startswith("dynamodb:")}
            if dyn:
                where = "index" if "/index/" in json.dumps(st["Resource"]) else "table"
                out.setdefault(where, set()).update(dyn)
        return out

    assert actions("InteractionsFunctionServiceRole") == {
        "table": {*ddb.TASK_STORE_READ_WRITE, *ddb.QUOTAS, *ddb.FLAGS_READ, *SECTIONS_READ},
        "index": set(ddb.TASK_STORE_AUDIT)}
    worker = {*ddb.TASK_STORE_READ_WRITE, *ddb.FLAGS_READ, *SECTIONS_WRITE,
              *(ddb.BUDGET if PHASES[phase].llm_enabled else ())}
    assert actions("WorkerFunctionServiceRole") == {"table": worker}
    # The item count, and the weekly report's tasks and feedback (one query of the by-time index each).
    assert actions("StatusFunctionServiceRole") == {"table": {"dynamodb:DescribeTable"},
                                                    "index": set(ddb.TASK_STORE_AUDIT)}
    assert actions("ProbeFunctionServiceRole") == {}
    assert actions("SweepFunctionServiceRole") == {"table": set(ddb.TASK_STORE_READ_WRITE),
                                                   "index": set(ddb.TASK_STORE_AUDIT)}
    # The webhook: tasks, and its delivery markers (the only DeleteItem: a failed delivery's claim).
    assert actions("GitHubWebhookFunctionServiceRole") == {"table": {*ddb.TASK_STORE_READ_WRITE, *DELIVERIES}}
    for role in ("Interactions", "Worker", "Status"):
        flat = json.dumps(_statements(tpl, f"{role}FunctionServiceRole"))
        assert '"dynamodb:*"' not in flat and "BatchWriteItem" not in flat and "DeleteItem" not in flat


def test_the_github_route_reaches_only_the_webhook_function_and_secrets_stay_out_of_the_template(phase_stage):
    from valine.core import names

    phase, stage = phase_stage
    tpl = template(phase, stage)
    routes = {r["Properties"]["RouteKey"]: r for r in resources(tpl, "AWS::ApiGatewayV2::Route").values()}
    assert set(routes) == {"POST /discord", "POST /github"}
    variables = env(tpl, names.function_name("webhook", stage))
    assert "GITHUB_WEBHOOK_SECRET_ARN" in variables and not any(k.lower() == "secret" for k in variables)
    target = json.dumps(routes["POST /github"])
    webhook_alias = logical_id(tpl, "AWS::Lambda::Alias", lambda p: "GitHubWebhook" in json.dumps(p))
    assert "GitHubWebhook" in target and "Interactions" not in target.replace("InteractionsApi", "")
    assert webhook_alias
    (secret,) = [r for r in resources(tpl, "AWS::SecretsManager::Secret").values()
                 if r["Properties"]["Name"] == names.secret_name(stage, "github-webhook")]
    generated = secret["Properties"]["GenerateSecretString"]
    assert generated["GenerateStringKey"] == "secret" and "SecretString" not in secret["Properties"]


def test_what_valine_smoke_looks_for_is_what_the_stack_deploys(phase_stage):
    from valine.core import names
    from valine_cli.smoke import FUNCTIONS, REQUIRED_ALARMS

    phase, stage = phase_stage
    tpl = template(phase, stage)
    assert FUNCTIONS == ("interactions", "worker", "status", "probe", "sweep", "webhook", "relay")
    for fn in FUNCTIONS:
        function(tpl, names.function_name(fn, stage))
    found = alarms(tpl)
    assert {f"valine-{stage}-{a}" for a in REQUIRED_ALARMS} <= set(found)
    outputs = tpl["Outputs"]
    assert {"InteractionsEndpoint", "GitHubWebhookUrl", "Phase"} <= set(outputs)


def test_every_retained_resource_can_be_adopted_after_a_deleted_stack(phase_stage):
    from valine_cli.recover import retained

    phase, stage = phase_stage
    keep = retained(template(phase, stage))  # raises for a retained type it cannot import
    names = {name for _, name in keep.values()}
    assert {f"valine/{stage}/github", f"valine/{stage}/discord-bot-token"} <= names
    assert (f"valine-ux-agent-conversations-{stage}" in names) is (stage == "prod")


def test_the_weekly_report_runs_every_monday_through_the_status_functions_alias(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    rules = {r["Properties"]["ScheduleExpression"]: r["Properties"]
             for r in resources(tpl, "AWS::Events::Rule").values()}
    weekly = rules["cron(0 9 ? * MON *)"]
    (target,) = weekly["Targets"]
    assert json.loads(target["Input"]) == {"report": "weekly"}
    status_alias = logical_id(tpl, "AWS::Lambda::Alias", lambda p: "Status" in json.dumps(p["FunctionName"]))
    assert target["Arn"] == {"Ref": status_alias}
    variables = env(tpl, f"valine-orchestrator-status-{stage}")
    assert json.loads(variables["ELIGIBLE_USERS"]) == ({"admin": 2, "developer": 10, "member": 40, "pm": 3}
                                                        if stage == "dev" else {})


def test_every_alarm_notification_also_reaches_the_incident_relay(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    subs = [s["Properties"] for s in resources(tpl, "AWS::SNS::Subscription").values()]
    relay_alias = logical_id(tpl, "AWS::Lambda::Alias", lambda p: "IncidentRelay" in json.dumps(p["FunctionName"]))
    (lam,) = [s for s in subs if s["Protocol"] == "lambda"]
    assert lam["Endpoint"] == {"Ref": relay_alias}
    topic = logical_id(tpl, "AWS::SNS::Topic", lambda p: True)
    assert lam["TopicArn"] == {"Ref": topic}
    invoke = [p["Properties"] for p in resources(tpl, "AWS::Lambda::Permission").values()
              if p["Properties"].get("Principal") == "sns.amazonaws.com"]
    assert any(p["SourceArn"] == {"Ref": topic} for p in invoke)  # SNS may invoke it, from this topic only
