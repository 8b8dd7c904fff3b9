"""`valine smoke`, `valine oncall test` and `valine recover` against moto over HTTP, the local
endpoint and the Discord emulator. The stage is laid out in moto the way the deployed stack
names it (functions, aliases, alarms, topic, stack outputs); where moto lacks an API the
commands must say so, not pass."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3
import pytest

from valine.core import names
from valine.discord.commands import command_schema
from valine_cli.main import main as valine
from valine_cli.smoke import FUNCTIONS, REQUIRED_ALARMS


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {}\n")
    return buf.getvalue()


@pytest.fixture(scope="module")
def deployed(stack) -> dict[str, Any]:
    """GIVEN the local stack's stage, laid out in moto as `cdk deploy` would leave it."""
    name, url = stack.config.name, stack.aws_url
    clients = {s: boto3.client(s, endpoint_url=url) for s in ("cloudformation", "lambda", "iam", "dynamodb",
                                                               "cloudwatch", "sns", "secretsmanager")}
    clients["cloudformation"].create_stack(StackName=f"valine-orchestrator-{name}", TemplateBody=json.dumps({
        "Resources": {"Marker": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"marker-{name}"}}},
        "Outputs": {"InteractionsEndpoint": {"Value": f"{stack.url}/discord"}, "Phase": {"Value": "4"}}}))
    role = clients["iam"].create_role(RoleName=f"valine-{name}", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    for fn in FUNCTIONS:
        fname = names.function_name(fn, name)
        clients["lambda"].create_function(FunctionName=fname, Runtime="python3.12", Role=role, Handler="index.handler",
                                          Code={"ZipFile": _zip()})
        version = clients["lambda"].publish_version(FunctionName=fname)["Version"]
        clients["lambda"].create_alias(FunctionName=fname, Name="live", FunctionVersion=version)
    clients["dynamodb"].update_continuous_backups(
        TableName=stack.TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    topic = clients["sns"].create_topic(Name=f"valine-oncall-{name}")["TopicArn"]
    clients["sns"].subscribe(TopicArn=topic, Protocol="email", Endpoint="oncall@example.test")
    for alarm in REQUIRED_ALARMS:
        clients["cloudwatch"].put_metric_alarm(
            AlarmName=f"valine-{name}-{alarm}", Namespace="Valine/UxAgent", MetricName=alarm, Statistic="Sum",
            Period=60, EvaluationPeriods=1, Threshold=0, ComparisonOperator="GreaterThanThreshold",
            AlarmActions=[topic], OKActions=[topic])
    return {"name": name, "topic": topic, **clients}


@pytest.fixture
def cli(stack, monkeypatch):
    monkeypatch.setenv("PORT", str(stack.config.port))
    monkeypatch.delenv("DISCORD_BOT_TOKEN", raising=False)
    return valine


def test_smoke_passes_on_a_healthy_stage_and_says_what_each_check_saw(stack, deployed, cli, capsys):
    guild = stack.settings.guild_ids and sorted(stack.settings.guild_ids)[0]
    assert cli(["register-commands", "--stage", "local", "--guild", guild]) == 0
    capsys.readouterr()
    code = cli(["smoke", "--stage", "local"])
    out = capsys.readouterr().out
    assert code == 0, out
    for line in ("PASS        stack outputs — CREATE_COMPLETE; phase 4",
                 f"PASS        function valine-orchestrator-worker-{deployed['name']} — live -> version 1",
                 f"PASS        table {stack.TABLE} — TTL ENABLED on purge_at, point-in-time recovery ENABLED",
                 f"PASS        secret valine/{deployed['name']}/github — filled",
                 "PASS        endpoint refuses a bad signature — HTTP 401 in",
                 "PASS        slash commands — " + ", ".join(sorted(f"/{c['name']}" for c in command_schema())) + " at",
                 f"PASS        alarms — {len(REQUIRED_ALARMS)} alarms",
                 "PASS        on-call topic — confirmed for people: ['email oncall@example.test']"):
        assert line in out, (line, out)
    assert out.strip().endswith("ALL PASSED")


def test_smoke_fails_on_a_placeholder_secret_an_alarm_in_alarm_and_a_missing_alias(stack, deployed, cli, capsys):
    sm, cw, lam = deployed["secretsmanager"], deployed["cloudwatch"], deployed["lambda"]
    secret = f"valine/{deployed['name']}/github"
    before = sm.get_secret_value(SecretId=secret)["SecretString"]
    alarm = f"valine-{deployed['name']}-EndpointProbe"
    probe = f"valine-orchestrator-probe-{deployed['name']}"
    sm.put_secret_value(SecretId=secret, SecretString=json.dumps({"unset": True, "filler": "x"}))
    cw.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="test")
    lam.delete_alias(FunctionName=probe, Name="live")
    try:
        code = cli(["smoke", "--stage", "local"])
        out = capsys.readouterr().out
    finally:
        sm.put_secret_value(SecretId=secret, SecretString=before)
        cw.set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="test")
        lam.create_alias(FunctionName=probe, Name="live", FunctionVersion="1")
    assert code == 1
    assert f"FAIL        secret {secret} — still a placeholder: fill it (docs/runbook.md)" in out
    assert "FAIL        alarms — " in out and "IN ALARM ['EndpointProbe']" in out
    assert f"FAIL        function {probe} — " in out
    assert "3 of" in out.strip().splitlines()[-1], out


def test_smoke_says_unsupported_where_the_aws_endpoint_lacks_an_api(stack, deployed, cli, capsys, monkeypatch):
    from valine_cli import smoke

    real = smoke.aws

    def without_pitr(service: str, endpoint: str | None) -> Any:
        client = real(service, endpoint)
        if service == "dynamodb":
            def missing(**_: Any) -> Any:
                raise RuntimeError("The describe_continuous_backups action has not been implemented")
            client.describe_continuous_backups = missing
        return client

    monkeypatch.setattr(smoke, "aws", without_pitr)
    assert cli(["smoke", "--stage", "local"]) == 1
    out = capsys.readouterr().out
    assert f"UNSUPPORTED table {stack.TABLE} — this AWS endpoint does not implement the call" in out
    assert "not verified" in out and "ALL PASSED" not in out


def test_the_paging_drill_sets_the_drill_alarm_and_says_where_pages_went(deployed, cli, capsys):
    cw = deployed["cloudwatch"]
    drill = f"valine-{deployed['name']}-OncallDrill"
    code = cli(["oncall", "test", "--stage", "local", "--wait", "0"])
    out = capsys.readouterr().out
    assert f"set {drill} to ALARM at" in out and f"set {drill} to OK at" in out
    assert f"On-call should have received 2 notifications from {deployed['topic']}" in out
    assert "  - email oncall@example.test" in out
    # moto records no action history: the drill says it could not verify delivery, and does not pass.
    assert "UNVERIFIED: this AWS endpoint cannot show the alarm's action history" in out
    assert code == 1 and "NOT PASSED" in out
    assert cw.describe_alarms(AlarmNames=[drill])["MetricAlarms"][0]["StateValue"] == "OK"


class _History:
    """CloudWatch's DescribeAlarmHistory as real AWS answers it (HistoryItemType Action)."""

    def __init__(self, summaries: list[str]) -> None:
        self.summaries = summaries

    def describe_alarm_history(self, **_: Any) -> dict[str, Any]:
        return {"AlarmHistoryItems": [{"HistorySummary": s} for s in self.summaries]}


def test_the_drill_reads_cloudwatchs_action_history():
    from valine_cli.oncall import _delivery

    ok = _History(["Successfully executed action arn:aws:sns:us-east-1:1:valine-oncall-prod"] * 2)
    assert _delivery(ok, "a", since=None)[0] is True  # type: ignore[arg-type]
    refused = _History(["Failed to execute action arn:aws:sns:us-east-1:1:valine-oncall-prod. Received error: "
                        "CloudWatch Alarms is not authorized to perform: SNS:Publish"])
    verdict, text = _delivery(refused, "a", since=None)  # type: ignore[arg-type]
    assert verdict is False and "topic policy" in text


def test_recover_maps_every_retained_resource_of_the_prod_template_for_cdk_import(stack):
    from tests.infra.conftest import template
    from valine_cli.recover import aws_lookup, resource_mapping, retained

    tpl = template(2, "prod")
    keep = retained(tpl)
    kinds = sorted(kind for kind, _ in keep.values())
    assert kinds == ["AWS::DynamoDB::GlobalTable", *["AWS::SecretsManager::Secret"] * 3]  # github, bot token, webhook
    # GIVEN the stack was deleted and left its table and secrets behind (in moto)
    ddb = boto3.client("dynamodb", endpoint_url=stack.aws_url)
    sm = boto3.client("secretsmanager", endpoint_url=stack.aws_url)
    arns = {}
    for _, (kind, name) in keep.items():
        if kind == "AWS::DynamoDB::GlobalTable":
            ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        else:
            arns[name] = sm.create_secret(Name=name, SecretString='{"token":"kept"}')["ARN"]
    # WHEN the mapping is computed THEN each retained resource is adopted by its real identifier
    mapping, gone = resource_mapping(tpl, aws_lookup(stack.aws_url))
    assert gone == [] and set(mapping) == set(keep)
    for logical, (kind, name) in keep.items():
        expected = {"TableName": name} if kind == "AWS::DynamoDB::GlobalTable" else {"Id": arns[name]}
        assert mapping[logical] == expected


def test_recover_writes_the_mapping_and_prints_the_commands(stack, tmp_path, capsys, monkeypatch):
    sm = boto3.client("secretsmanager", endpoint_url=stack.aws_url)
    # dev keeps its secrets (the dev table is deleted with the stack and simply created again)
    sm.create_secret(Name="valine/dev/github", SecretString='{"token":"kept"}')
    out = tmp_path / "mapping.json"
    code = valine(["recover", "--stage", "dev", "--phase", "1", "--endpoint-url", stack.aws_url, "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    mapping = json.loads(out.read_text())
    assert list(mapping.values()) == [{"Id": sm.describe_secret(SecretId="valine/dev/github")["ARN"]}]
    assert "valine/dev/discord-bot-token: does not exist any more" in printed
    assert f"npx cdk import --no-notices -c phase=1 -c stage=dev --resource-mapping {out} --force" in printed
    assert "npx cdk deploy --no-notices -c phase=1 -c stage=dev" in printed


def test_recover_refuses_a_retained_resource_it_cannot_adopt():
    from valine_cli.aws_stage import CliError
    from valine_cli.recover import retained

    with pytest.raises(CliError, match="cannot adopt that type"):
        retained({"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain",
                                         "Properties": {"LogGroupName": "x"}}}})


def test_commands_that_check_deployed_resources_refuse_a_bare_local_stack(tmp_path_factory, monkeypatch, capsys):
    """`make local` runs the functions in-process: smoke and the drill say so in one line instead of
    failing 12 of 16 checks or reporting "no alarm"; recover does not offer local at all (#20)."""
    from tests.integration.conftest import start_stack

    bare = start_stack(tmp_path_factory, "2", name="bare-local", worker_threads=0)
    try:
        monkeypatch.setenv("PORT", str(bare.config.port))
        for command in (["smoke", "--stage", "local"], ["oncall", "test", "--stage", "local", "--wait", "0"]):
            assert valine(command) == 2, command
            err = capsys.readouterr().err
            assert "--stage local` checks deployed resources, and the local stack has none" in err, err
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    finally:
        bare.stop()
    with pytest.raises(SystemExit):
        valine(["recover", "--help"])
    assert "or local" not in capsys.readouterr().out
