"""GIVEN a phase and a stage WHEN the stack is synthesised THEN it holds what the plan says."""

from __future__ import annotations

import json
import re
from typing import Any

from valine.core.phases import PHASES

from .conftest import template


def resources(tpl: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in tpl["Resources"].items() if v["Type"] == kind}


def function(tpl: dict[str, Any], name: str) -> dict[str, Any]:
    fns = [f for f in resources(tpl, "AWS::Lambda::Function").values()
           if f["Properties"].get("FunctionName") == name]
    assert len(fns) == 1, f"expected one function named {name}"
    return fns[0]["Properties"]


def env(tpl: dict[str, Any], name: str) -> dict[str, Any]:
    return function(tpl, name)["Environment"]["Variables"]


def logical_id(tpl: dict[str, Any], kind: str, pred) -> str:
    ids = [k for k, v in resources(tpl, kind).items() if pred(v["Properties"])]
    assert len(ids) == 1, (kind, ids)
    return ids[0]


def test_names_are_scoped_by_stage(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    function(tpl, f"valine-orchestrator-discord-{stage}")
    function(tpl, f"valine-orchestrator-worker-{stage}")
    (table,) = resources(tpl, "AWS::DynamoDB::GlobalTable").values()
    assert table["Properties"]["TableName"] == f"valine-ux-agent-conversations-{stage}"
    queues = {q["Properties"]["QueueName"] for q in resources(tpl, "AWS::SQS::Queue").values()}
    assert queues == {f"valine-jobs-{stage}", f"valine-jobs-dlq-{stage}", f"valine-failed-events-{stage}",
                      f"valine-notices-{stage}"}


def test_table_has_ttl_pitr_on_demand_and_prod_protection(phase_stage):
    phase, stage = phase_stage
    (table,) = resources(template(phase, stage), "AWS::DynamoDB::GlobalTable").values()
    props = table["Properties"]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "purge_at", "Enabled": True}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    (replica,) = props["Replicas"]
    assert replica["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert replica.get("DeletionProtectionEnabled", False) is (stage == "prod")
    assert table["DeletionPolicy"] == ("Retain" if stage == "prod" else "Delete")


def test_phase_reaches_both_functions_as_configuration(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    for name in (f"valine-orchestrator-discord-{stage}", f"valine-orchestrator-worker-{stage}"):
        variables = env(tpl, name)
        assert variables["PHASE"] == str(phase)
        assert variables["STAGE"] == stage
        assert variables["DISABLE_UX_UPDATES"] == "false"
        assert variables["USE_LLM_PARSING"] == ("true" if PHASES[phase].llm_enabled else "false")


def test_llm_configuration_only_where_the_phase_enables_it(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    worker_env = env(tpl, f"valine-orchestrator-worker-{stage}")
    secret_names = {s["Properties"]["Name"] for s in resources(tpl, "AWS::SecretsManager::Secret").values()}
    if PHASES[phase].llm_enabled:
        assert f"valine/{stage}/openai" in secret_names
        assert "Ref" in worker_env["OPENAI_SECRET_ARN"]  # a reference, never a value
        assert worker_env["LLM_DAILY_CAP_USD"] == "5.0"
    else:
        assert f"valine/{stage}/openai" not in secret_names
        assert not any(k.startswith(("LLM_", "OPENAI")) for k in worker_env)
    # The interactions function never sees the LLM or GitHub credentials.
    inter_env = env(tpl, f"valine-orchestrator-discord-{stage}")
    assert not any("SECRET" in k or k.startswith("LLM_") for k in inter_env)


def test_no_secret_values_anywhere(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    for secret in resources(tpl, "AWS::SecretsManager::Secret").values():
        props = secret["Properties"]
        assert "SecretString" not in props
        template_ = json.loads(props["GenerateSecretString"]["SecretStringTemplate"])
        if props["Name"].endswith("/github-webhook"):  # ours to make: generated at deploy, never in the template
            assert template_ == {} and props["GenerateSecretString"]["GenerateStringKey"] == "secret"
        else:
            assert template_ == {"unset": True}
    for name in (f"valine-orchestrator-discord-{stage}", f"valine-orchestrator-worker-{stage}"):
        for key, value in env(tpl, name).items():
            if re.search(r"TOKEN|SECRET|PASSWORD|API_KEY|PRIVATE", key):
                assert key.endswith("_SECRET_ARN") and isinstance(value, dict), key
    text = json.dumps(tpl)
    assert not re.search(r"gh[pousr]_[A-Za-z0-9]{20,}|sk-[A-Za-z0-9]{20,}|-----BEGIN", text)


def test_functions_runtime_logging_and_retention(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    for name in (f"valine-orchestrator-discord-{stage}", f"valine-orchestrator-worker-{stage}"):
        props = function(tpl, name)
        assert props["Runtime"] == "python3.12"
        assert props["Architectures"] == ["x86_64"]
        assert props["LoggingConfig"]["LogFormat"] == "JSON"
    groups = {g["Properties"].get("LogGroupName"): g["Properties"].get("RetentionInDays")
              for g in resources(tpl, "AWS::Logs::LogGroup").values()}
    expected_days = 14 if stage == "dev" else 30  # cdk.json for dev; the default for prod
    assert groups[f"/aws/lambda/valine-orchestrator-discord-{stage}"] == expected_days
    assert all(days for days in groups.values()), "every log group has an explicit retention"


def test_api_routes_post_discord_and_post_github_to_their_live_aliases(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    routes = {r["Properties"]["RouteKey"]: r["Properties"]["Target"]
              for r in resources(tpl, "AWS::ApiGatewayV2::Route").values()}
    assert set(routes) == {"POST /discord", "POST /github"}
    integrations = resources(tpl, "AWS::ApiGatewayV2::Integration")
    for key, function in (("POST /discord", "Interactions"), ("POST /github", "GitHubWebhook")):
        (integration_id,) = [i for i in integrations if i in json.dumps(routes[key])]
        alias_id = logical_id(tpl, "AWS::Lambda::Alias", lambda p, f=function: f in json.dumps(p["FunctionName"]))
        assert integrations[integration_id]["Properties"]["IntegrationUri"] == {"Ref": alias_id}
    (stage_res,) = resources(tpl, "AWS::ApiGatewayV2::Stage").values()
    assert "AccessLogSettings" in stage_res["Properties"]


def test_worker_consumes_the_queue_through_its_alias_with_a_dead_letter_queue(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    worker_alias = logical_id(tpl, "AWS::Lambda::Alias", lambda p: "Worker" in json.dumps(p["FunctionName"]))
    # The worker's (the webhook function also consumes its own notices queue).
    (mapping,) = [m for m in resources(tpl, "AWS::Lambda::EventSourceMapping").values()
                  if worker_alias in json.dumps(m["Properties"]["FunctionName"])]
    target = json.dumps(mapping["Properties"]["FunctionName"])
    assert worker_alias in target and ":live" in target  # function-name:live, i.e. the alias
    assert mapping["Properties"]["BatchSize"] == 1
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = next(q for q in resources(tpl, "AWS::SQS::Queue").values()
                 if q["Properties"]["QueueName"] == f"valine-jobs-{stage}")
    assert queue["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 3
    # Three deliveries 6 minutes apart, the last one running 60 s, end 13 minutes after the first.
    assert queue["Properties"]["VisibilityTimeout"] == 360


def test_every_function_has_a_live_alias_and_deployment_group(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    aliases = resources(tpl, "AWS::Lambda::Alias")
    assert {a["Properties"]["Name"] for a in aliases.values()} == {"live"}
    assert len(aliases) == 7  # interactions, worker, status, probe, sweep, GitHub webhook, incident relay
    groups = resources(tpl, "AWS::CodeDeploy::DeploymentGroup").values()
    configs = sorted(json.dumps(g["Properties"]["DeploymentConfigName"]) for g in groups)
    expected = "Canary10Percent10Minutes" if stage == "prod" else "AllAtOnce"
    assert len(groups) == 7
    assert sum(expected in c for c in configs) >= 2 and sum("AllAtOnce" in c for c in configs) >= 5
    for alias in aliases.values():
        assert "CodeDeployLambdaAliasUpdate" in alias["UpdatePolicy"]


def test_oncall_topic_has_the_stage_subscriptions(phase_stage):
    phase, stage = phase_stage
    tpl = template(phase, stage)
    (topic,) = resources(tpl, "AWS::SNS::Topic").values()
    assert topic["Properties"]["TopicName"] == f"valine-oncall-{stage}"
    subs = {(s["Properties"]["Protocol"], s["Properties"]["Endpoint"])
            for s in resources(tpl, "AWS::SNS::Subscription").values()
            if s["Properties"]["Protocol"] != "lambda"}  # the incident relay: test_safety_net
    if stage == "prod":
        assert subs == {("email", "oncall@acme.test"), ("https", "https://pager.acme.test/hook")}
    else:
        assert subs == set()


def test_stack_name_keeps_the_plans_names():
    from .conftest import build

    for stage in ("dev", "prod"):
        _, stack = build(2, stage)
        assert stack.stack_name == f"valine-orchestrator-{stage}"
