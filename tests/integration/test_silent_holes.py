"""Issue 19, against the local stack: every outcome reaches the person and every failure pages
someone. Each test reproduces one of the holes as it was found."""

from __future__ import annotations

import io
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
