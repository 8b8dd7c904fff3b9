"""Issue 19 in the template: every function fails loudly. Each of the seven functions has an error
alarm; every asynchronous invocation (SNS -> relay, EventBridge -> status, sweep, probe) has a
failure destination with an alarm on it; a stalled pipeline pages (the oldest job's age, the queue's
depth, a heartbeat through the real path); and no job can age out of the queue unseen."""

from __future__ import annotations

from typing import Any

from valine.core import budgets
from valine.metrics import FUNCTIONS

from .conftest import template
from .test_observability import alarms
from .test_stack import resources


def _ref(value: Any) -> str | None:
    if isinstance(value, dict):
        if "Fn::GetAtt" in value:
            return str(value["Fn::GetAtt"][0])
        if "Ref" in value:
            return str(value["Ref"])
    return None


def _metric(alarm: dict[str, Any]) -> str:
    """The alarm's metric name, whether it is a plain metric or a one-metric query (a labelled metric)."""
    if "MetricName" in alarm:
        return str(alarm["MetricName"])
    (stat,) = [m["MetricStat"] for m in alarm["Metrics"] if "MetricStat" in m]
    return str(stat["Metric"]["MetricName"])


def _queue(tpl: dict[str, Any], name: str) -> str:
    return next(k for k, q in resources(tpl, "AWS::SQS::Queue").items() if q["Properties"]["QueueName"] == name)


def test_every_function_has_an_error_alarm_and_a_dead_letter_queue(phase_stage: tuple[int, str]) -> None:
    phase, stage = phase_stage
    tpl = template(phase, stage)
    functions = resources(tpl, "AWS::Lambda::Function")
    names = {f["Properties"]["FunctionName"]: k for k, f in functions.items()}
    assert len(names) == len(FUNCTIONS) == 7, sorted(names)  # no function is left out of FUNCTIONS
    failed = _queue(tpl, f"valine-failed-events-{stage}")
    for name, key in names.items():
        # checkov's CKV_AWS_116 (LambdaDLQConfigured): Properties.DeadLetterConfig.TargetArn is set.
        target = functions[key]["Properties"].get("DeadLetterConfig", {}).get("TargetArn")
        assert _ref(target) == failed, f"{name} has no dead-letter queue (CKV_AWS_116)"
    found = alarms(tpl)
    errors = {n for n in found if n.endswith(("ErrorRate", "Errors"))}
    for kind in FUNCTIONS:
        title = kind.title()
        assert {f"valine-{stage}-{title}ErrorRate", f"valine-{stage}-{title}Errors"} & errors, \
            f"no error alarm for the {kind} function"


def test_every_asynchronous_invocation_has_a_failure_destination(phase_stage: tuple[int, str]) -> None:
    phase, stage = phase_stage
    tpl = template(phase, stage)
    failed = _queue(tpl, f"valine-failed-events-{stage}")
    rules = resources(tpl, "AWS::Events::Rule")
    assert rules
    for key, rule in rules.items():
        for target in rule["Properties"]["Targets"]:
            assert _ref(target.get("DeadLetterConfig", {}).get("Arn")) == failed, f"rule {key} drops failed events"
    subscriptions = [s["Properties"] for s in resources(tpl, "AWS::SNS::Subscription").values()
                     if s["Properties"]["Protocol"] == "lambda"]
    assert subscriptions
    for sub in subscriptions:
        assert _ref(sub.get("RedrivePolicy", {}).get("deadLetterTargetArn")) == failed, "the relay drops notices"
    (alarm,) = [a for n, a in alarms(tpl).items() if n.endswith("-FailedEvents")]
    assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert _metric(alarm) == "ApproximateNumberOfMessagesVisible"
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [failed, "QueueName"]}}]


def test_a_stalled_pipeline_pages(phase_stage: tuple[int, str]) -> None:
    phase, stage = phase_stage
    tpl = template(phase, stage)
    found = {n.split("-", 2)[2]: a for n, a in alarms(tpl).items()}
    age = found["JobQueueAge"]
    assert _metric(age) == "ApproximateAgeOfOldestMessage" and age["Threshold"] == budgets.JOB_AGE_ALARM_SECONDS
    assert _metric(found["JobQueueDepth"]) == "ApproximateNumberOfMessagesVisible"
    heartbeat = found["WorkerHeartbeat"]
    # No heartbeat, or no data at all, is the page: the probe, the queue or the worker did not do its part.
    assert _metric(heartbeat) == "Heartbeats" and heartbeat["ComparisonOperator"] == "LessThanThreshold"
    assert heartbeat["Threshold"] == 1 and heartbeat["TreatMissingData"] == "breaching"
    assert heartbeat["AlarmDescription"].startswith("[P0]")
    # The probe can enqueue the heartbeat: its role may SendMessage to the job queue, and it knows the URL.
    probe = next(f for f in resources(tpl, "AWS::Lambda::Function").values()
                 if f["Properties"]["FunctionName"].startswith("valine-orchestrator-probe"))
    assert "JOB_QUEUE_URL" in probe["Properties"]["Environment"]["Variables"]


def test_no_job_ages_out_of_the_queue_unseen(phase_stage: tuple[int, str]) -> None:
    phase, stage = phase_stage
    tpl = template(phase, stage)
    queues = {q["Properties"]["QueueName"]: q["Properties"] for q in resources(tpl, "AWS::SQS::Queue").values()}
    jobs, dead = queues[f"valine-jobs-{stage}"], queues[f"valine-jobs-dlq-{stage}"]
    last = (budgets.JOB_MAX_RECEIVES - 1) * jobs["VisibilityTimeout"] + budgets.WORKER_TIMEOUT_SECONDS
    # Retention outlasts every delivery and the age alarm's page; the dead-letter queue outlasts the
    # source queue, because SQS keeps a message's first enqueue time when it moves it there.
    assert jobs["MessageRetentionPeriod"] > last + budgets.JOB_AGE_ALARM_SECONDS
    assert dead["MessageRetentionPeriod"] > jobs["MessageRetentionPeriod"]
    assert queues[f"valine-failed-events-{stage}"]["MessageRetentionPeriod"] == 14 * 86400


def test_the_dashboard_shows_every_functions_error_alarm(phase_stage: tuple[int, str]) -> None:
    import json

    phase, stage = phase_stage
    tpl = template(phase, stage)
    (dash,) = resources(tpl, "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dash["Properties"]["DashboardBody"])
    assert "Every function and the job pipeline" in body
    ids = {a["Properties"]["AlarmName"]: k for k, a in resources(tpl, "AWS::CloudWatch::Alarm").items()}
    for kind in FUNCTIONS:
        title = kind.title()
        key = ids.get(f"valine-{stage}-{title}ErrorRate") or ids[f"valine-{stage}-{title}Errors"]
        assert key in body, f"the {kind} error alarm is not on the dashboard"
    for name in ("JobQueueAge", "WorkerHeartbeat", "FailedEvents"):
        assert ids[f"valine-{stage}-{name}"] in body
