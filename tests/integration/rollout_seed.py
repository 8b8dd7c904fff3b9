"""What the rollout-check tests seed: CloudWatch data for a stage as the functions publish it, a
phase's start as the worker records it, and the check of a phase against them."""

from __future__ import annotations

import datetime as dt
import itertools
import time

import boto3

from valine.adapters.cloudwatch import CloudWatchReader
from valine.core.phases import PHASES
from valine.metrics import NAMESPACE
from valine.ops.criteria import Measured, PhaseWindow, alias_dimensions, evaluate, function_names

_n = itertools.count()


def seed(cw, stage: str, *, invocations=2000, errors=0, durations=(400.0,) * 95 + (900.0,) * 5, flows=60,
         llm_daily=(1.0, 2.0), hours_ago=1, handled=0, previews=(800.0,) * 40, expired=0,
         llm_parses=(50, 1), llm_first=(30, 28)):
    at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
    stage_dim = [{"Name": "Stage", "Value": stage}]

    def ours(name, value, **dims):
        # Sorted, as EMF publishes them (moto matches dimensions in order).
        return {"MetricName": name, "Value": value, "Timestamp": at,
                "Dimensions": [{"Name": k, "Value": v} for k, v in sorted({"Stage": stage, **dims}.items())]}

    # What a person waits for (request to preview), and what became of the previews.
    if previews:
        cw.put_metric_data(Namespace=NAMESPACE, MetricData=[
            {**ours("PreviewLatency", v), "Unit": "Milliseconds"} for v in previews])
    cw.put_metric_data(Namespace=NAMESPACE, MetricData=[
        ours("Previews", float(len(previews))), ours("ConversationsExpired", float(expired)),
        ours("LlmParses", float(llm_parses[0]), Outcome="ok"), ours("LlmParses", float(llm_parses[1]),
                                                                     Outcome="fallback"),
        ours("FirstPreviews", float(llm_first[0]), Parser="llm"),
        ours("ConfirmedUnchanged", float(llm_first[1]), Parser="llm")])
    for kind, fn in function_names(stage).items():
        dims = [{"Name": k, "Value": v} for k, v in alias_dimensions(fn).items()]
        cw.put_metric_data(Namespace="AWS/Lambda", MetricData=[
            {"MetricName": "Invocations", "Dimensions": dims, "Value": invocations / 2, "Timestamp": at},
            {"MetricName": "Errors", "Dimensions": dims, "Value": errors / 2, "Timestamp": at}])
        cw.put_metric_data(Namespace="AWS/Lambda", MetricData=[
            {"MetricName": "Duration", "Dimensions": dims, "Value": d, "Timestamp": at, "Unit": "Milliseconds"}
            for d in durations])
        if handled:
            cw.put_metric_data(Namespace=NAMESPACE, MetricData=[
                {"MetricName": "HandledFailures", "Value": handled / 2, "Timestamp": at,
                 "Dimensions": [{"Name": "Function", "Value": kind}, {"Name": "Stage", "Value": stage}]}])
    cw.put_metric_data(Namespace=NAMESPACE, MetricData=[
        {"MetricName": "PullRequestsCreated", "Dimensions": stage_dim, "Value": flows, "Timestamp": at}])
    for i, cost in enumerate(llm_daily):
        cw.put_metric_data(Namespace=NAMESPACE, MetricData=[
            {"MetricName": "LlmCostUsd", "Dimensions": stage_dim, "Value": cost,
             "Timestamp": at - dt.timedelta(days=i)}])


HEALTHY_BASELINE = Measured(invocations=2000.0, errors=0.0, preview_p95_ms=900.0)


def check(cw, stage, phase, approval=None, now=None, ran=True, baseline=HEALTHY_BASELINE):
    """The check of a phase that started ``observation_hours`` + 2 h ago (``ran=False``: never
    recorded), held to an earlier phase's ``baseline`` where the plan compares with one."""
    found = None if approval is None else (approval, "recorded" if approval else "missing")
    now = now or dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(hours=PHASES[phase].criteria.observation_hours + 2)
    return evaluate(PHASES[phase], stage=stage, reader=CloudWatchReader(cw), now=now, approval_for_next=found,
                    ran=PhaseWindow(since) if ran else None, require_ran=True, baseline=baseline)


def by_name(results, fragment):
    (r,) = [r for r in results if fragment in r.criterion]
    return r


def started(stack, phase: int, hours_ago: float) -> None:
    """GIVEN the phase started on the local stage that long ago (as the worker records it)."""
    db = boto3.client("dynamodb", endpoint_url=stack.aws_url)
    db.put_item(TableName=stack.TABLE, Item={"pk": {"S": "ROLLOUT"}, "sk": {"S": f"PHASE#{phase}"},
                                             "since": {"N": f"{time.time() - hours_ago * 3600:.3f}"}})
