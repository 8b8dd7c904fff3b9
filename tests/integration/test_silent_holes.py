"""Issue 19, against the local stack: every outcome reaches the person and every failure pages
someone. Each test reproduces one of the holes as it was found."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest

from tests.integration.emf import emf_lines
from valine.adapters.endpoint import post_unsigned
from valine.adapters.sqs import SqsJobQueue
from valine.metrics import EmfMetrics
from valine.ops.probe import probe
from valine_local.stack import LocalStack


def test_the_probe_heartbeat_goes_through_the_queue_and_the_worker(stack: LocalStack,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the probe, as it runs every minute, with the stack's job queue
    out = io.StringIO()
    result = probe(f"{stack.url}/discord", metrics=EmfMetrics(stage="local", stream=out), send=post_unsigned,
                   queue=SqsJobQueue(stack.sqs, stack.queue_url))
    assert result["ok"], result
    # THEN the worker completes the heartbeat job and counts it (the WorkerHeartbeat alarm reads that)
    deadline = time.monotonic() + 15
    seen: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not seen:
        time.sleep(0.2)
        seen = [line for line in emf_lines(capsys.readouterr().out) if "Heartbeats" in line]
    assert seen and seen[0]["Heartbeats"] == 1


def test_rollout_check_fails_when_a_support_function_failed(stack: LocalStack) -> None:
    """Point 4: only interactions and the worker fed `rollout check`; a broken webhook or sweep passed."""
    import datetime as dt

    import boto3

    from tests.integration.test_rollout_check import check, seed
    from valine.core import names
    from valine.ops.criteria import Verdict, alias_dimensions

    cw = boto3.client("cloudwatch", endpoint_url=stack.aws_url)
    stage = "holes-support"
    seed(cw, stage)
    results = check(cw, stage, 2)
    (quiet,) = [r for r in results if "functions did not fail" in r.criterion]
    assert quiet.verdict is Verdict.PASS
    # WHEN the sweep fails once (a Lambda error on its alias) THEN the check FAILs and names it
    dims = [{"Name": k, "Value": v} for k, v in alias_dimensions(names.function_name("sweep", stage)).items()]
    cw.put_metric_data(Namespace="AWS/Lambda", MetricData=[
        {"MetricName": "Errors", "Dimensions": dims, "Value": 1,
         "Timestamp": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)}])
    (failed,) = [r for r in check(cw, stage, 2) if "functions did not fail" in r.criterion]
    assert failed.verdict is Verdict.FAIL and failed.measured == "sweep: 1"


def test_the_drill_and_smoke_fail_when_only_the_relay_is_confirmed(stack: LocalStack, capsys: Any,
                                                                    monkeypatch: Any) -> None:
    """Point 2: the relay's Lambda subscription is confirmed at once, so the drill and smoke passed while
    every email and pager subscription was still pending."""
    import boto3

    from valine_cli.main import main as valine
    from valine_cli.oncall import Subscription, paged

    # The rule, on what SNS lists: a pending email and a confirmed Lambda page nobody.
    people, line = paged([Subscription("lambda", "arn:aws:lambda:us-east-1:1:function:relay:live", True),
                          Subscription("email", "oncall@example.test", False)])
    assert people == [] and "confirmed for people: none" in line and "pending confirmation" in line
    # Against the stage: a topic whose only subscription is the relay's Lambda.
    name = stack.config.name
    sns = boto3.client("sns", endpoint_url=stack.aws_url)
    topic = sns.create_topic(Name=f"valine-oncall-{name}")["TopicArn"]
    for sub in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]:
        sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=f"arn:aws:lambda:us-east-1:123456789012:function:"
                                                              f"valine-orchestrator-relay-{name}:live")
    cw = boto3.client("cloudwatch", endpoint_url=stack.aws_url)
    cw.put_metric_alarm(AlarmName=f"valine-{name}-OncallDrill", Namespace="Valine/UxAgent", MetricName="OncallDrill",
                        Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=0,
                        ComparisonOperator="GreaterThanThreshold", AlarmActions=[topic], OKActions=[topic])
    # The stage as `cdk deploy` leaves it (smoke and the drill check deployed resources).
    cfn = boto3.client("cloudformation", endpoint_url=stack.aws_url)
    stack_name = f"valine-orchestrator-{name}"
    existing = {s["StackName"] for s in cfn.list_stacks(StackStatusFilter=["CREATE_COMPLETE"])["StackSummaries"]}
    made = stack_name not in existing
    if made:
        cfn.create_stack(StackName=stack_name, TemplateBody=json.dumps({"Resources": {"Marker": {
            "Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"marker-{name}"}}}}))
    monkeypatch.setenv("PORT", str(stack.config.port))
    try:
        assert valine(["oncall", "test", "--stage", "local", "--wait", "0"]) == 1
        out = capsys.readouterr().out
        assert "confirmed for people: none" in out and "not on-call" in out and "FAILED: no person" in out
        assert valine(["smoke", "--stage", "local"]) == 1
        assert "FAIL        on-call topic — confirmed for people: none" in capsys.readouterr().out
    finally:
        sns.delete_topic(TopicArn=topic)
        cw.delete_alarms(AlarmNames=[f"valine-{name}-OncallDrill"])
        if made:
            cfn.delete_stack(StackName=stack_name)


# ---- point 5: the webhook path --------------------------------------------------------------------
def _signed(client: Any, interaction: dict[str, Any]) -> Any:
    import json

    body = json.dumps(interaction).encode()
    return client.post(interaction, body=body, headers=client.sign(body))


@pytest.mark.parametrize("change", [
    lambda i: i["data"].__setitem__("options", 5),
    lambda i: i["member"].__setitem__("roles", 5),
    lambda i: i.__setitem__("id", "9" * 5000),
    lambda i: i.__setitem__("id", "1311000000000000002/../../main"),
    lambda i: i.__setitem__("application_id", "999999999999999999"),
    lambda i: i["member"]["user"].__setitem__("id", {"x": 1}),
])
def test_odd_shapes_are_refused_with_400_and_page_nobody(client: Any, capsys: Any, change: Any) -> None:
    interaction = client._interaction(2, "odd", ["admin"], {"id": "1", "name": "ux-update", "type": 1, "options": [
        {"name": "request", "type": 3, "value": "make the footer blue"}]})
    change(interaction)
    capsys.readouterr()
    answer = _signed(client, interaction)
    assert answer.status_code == 400, answer.text
    assert "error" in answer.json()
    counted = [m["Name"] for line in emf_lines(capsys.readouterr().out) for b in line["_aws"]["CloudWatchMetrics"]
               for m in b["Metrics"]]
    assert "HandledFailures" not in counted and "Requests" not in counted


def test_the_github_emulator_refuses_ref_names_git_refuses(stack: LocalStack) -> None:
    import requests

    main = stack.github.repo.rev("refs/heads/main")
    headers = {"Authorization": f"Bearer {stack.github_token}", "Accept": "application/vnd.github+json",
               "X-GitHub-Api-Version": "2022-11-28"}
    base = f"{stack.github.url}/repos/{stack.config.repository}"
    for ref in ("refs/heads/ux-update/x-1311/../../main", "refs/heads/a..b", "refs/heads/x.lock", "refs/heads/a b"):
        answer = requests.post(f"{base}/git/refs", json={"ref": ref, "sha": main}, headers=headers, timeout=5)
        assert answer.status_code == 422, (ref, answer.text)
    assert stack.github.repo.rev("refs/heads/main") == main


def test_a_branch_name_from_outside_never_reaches_a_url() -> None:
    """An HTTP client collapses ``heads/ux-update/x/../../main`` to ``heads/main``: that id deleted main."""
    from valine.adapters.github_client import GitHubClient
    from valine.core.github import ProposedChange, valid_branch

    for bad in ("ux-update/x-1311/../../main", "a..b", "x.lock", "a b", "-/.x", "a//b", "a/", "@{x}"):
        assert not valid_branch(bad), bad
    assert valid_branch("ux-update/header-20261201-000000-1311000000000000001")
    client = GitHubClient(api_url="http://127.0.0.1:9", repository="o/r", token_provider=lambda: "t")
    with pytest.raises(ValueError, match="not a valid branch name"):
        client.delete_branch("ux-update/x/../../main")  # refused before any request is made
    with pytest.raises(ValueError, match="not a valid branch name"):
        ProposedChange(branch="ux-update/x/../../main", base="main", base_sha="a", path="p", original_sha="b",
                       base_tree=None, content="", message="m", title="t", body="b")
