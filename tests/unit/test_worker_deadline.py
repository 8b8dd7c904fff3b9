"""GIVEN a job that would outlive its Lambda invocation WHEN the worker runs it THEN the user
hears the outcome before the time is up: on the last delivery the failure, on an earlier one
that it is being tried again. Real SIGALRM timers, a fake agent."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.fakes.metrics import RecordingMetrics
from valine.core import budgets
from valine.core.ports import Job
from valine.handlers.worker import process


class SlowAgent:
    """Blocks in ``run`` like a hung GitHub call; records what the worker told the user."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.metrics = RecordingMetrics()
        self.told: list[tuple[str, Any]] = []
        self.budget_seen: float | None = None

    def run(self, job: Job) -> None:
        self.budget_seen = budgets.budget(25.0)
        time.sleep(self.seconds)

    def fail(self, job: Job, reason: str) -> None:
        self.told.append(("fail", reason, budgets.budget(25.0)))

    def retrying(self, job: Job, *, attempt: int, of: int) -> None:
        self.told.append(("retrying", attempt, of))


def event(receives: int) -> dict[str, Any]:
    job = Job("create_pr", "1234567890", "app", "token")
    return {"Records": [{"messageId": "m1", "body": json.dumps(job.to_json()),
                         "attributes": {"ApproximateReceiveCount": str(receives)}}]}


def lambda_clock(seconds: float):
    end = time.monotonic() + seconds
    return lambda: end - time.monotonic()


@pytest.mark.parametrize("receives", [3, 1])
def test_a_job_about_to_run_out_of_time_tells_the_user_first(receives):
    agent = SlowAgent(seconds=30)
    # 0.5 s of work left after the reserve kept to tell the user
    remaining = lambda_clock(budgets.TELL_USER_RESERVE_SECONDS + 0.5)
    started = time.monotonic()
    out = process(event(receives), agent=agent, max_receives=3, remaining_seconds=remaining)
    took = time.monotonic() - started
    assert took < 3, took  # interrupted at the deadline, not after the 30 s sleep
    assert out == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert agent.metrics.total("HandledFailures", Function="worker") == 1
    assert agent.budget_seen is not None and agent.budget_seen <= 0.5  # calls were capped by the deadline
    if receives == 3:
        ((what, reason, budget),) = agent.told
        assert what == "fail" and reason == budgets.OutOfTime.reason
        # telling the user may use the reserve, less a second to return to Lambda
        assert budgets.TELL_USER_RESERVE_SECONDS - 2 < budget <= budgets.TELL_USER_RESERVE_SECONDS - 1
    else:
        assert agent.told == [("retrying", 2, 3)]


def test_no_timer_outlives_the_job():
    agent = SlowAgent(seconds=0)
    out = process(event(1), agent=agent, max_receives=3, remaining_seconds=lambda_clock(20))
    assert out == {"batchItemFailures": []} and agent.told == []
    time.sleep(0.1)
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert budgets.current() is None


def test_outside_lambda_there_is_no_deadline():
    assert budgets.budget(25.0) == 25.0 and budgets.work_time_left() is None


def test_a_store_error_reads_as_words_not_a_class_name():
    from botocore.exceptions import ClientError

    from valine.handlers.worker import _reason

    error = ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}}, "GetItem")
    assert _reason(error) == "an AWS service failed (DynamoDB, SQS or Secrets Manager)"
    assert _reason(budgets.OutOfTime()) == budgets.OutOfTime.reason
