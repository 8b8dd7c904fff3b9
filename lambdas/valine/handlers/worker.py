"""Lambda entry point for the job queue (SQS, batch size 1, partial batch responses)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from valine.core import budgets
from valine.core.ports import Job
from valine.logs import correlation_id
from valine.wiring import settings, task_worker

log = logging.getLogger("valine.worker")


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    remaining = None
    if context is not None and hasattr(context, "get_remaining_time_in_millis"):
        def remaining() -> float:
            return float(context.get_remaining_time_in_millis()) / 1000.0
    return process(event, agent=task_worker(), max_receives=settings().job_max_receives,
                   remaining_seconds=remaining)


_cold = True


def process(event: dict[str, Any], *, agent: Any, max_receives: int,
            remaining_seconds: Callable[[], float] | None = None) -> dict[str, Any]:
    """Run each job; a failed attempt is reported to SQS (redelivered later) and counted as a
    handled failure, and the user hears about it when it is the last delivery or the job ran
    out of time. ``remaining_seconds`` is the Lambda context's clock (None: no deadline)."""
    global _cold
    if _cold:
        _cold = False
        agent.metrics.count("ColdStarts", Function="worker")
    failures = []
    for record in event.get("Records", []):
        try:
            job = Job.from_json(json.loads(record["body"]))
        except (KeyError, TypeError, ValueError):
            log.error("dropping a message that is not a job", extra={"message_id": record.get("messageId")})
            continue
        correlation_id.set(job.task_id)  # the task id is the original interaction's id
        receives = int((record.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
        with budgets.job_deadline(remaining_seconds):
            error = _run(agent, job)
            if error is None:
                log.info("job done", extra={"kind": job.kind, "receives": receives})
                continue
            log.error("job failed", exc_info=error,
                      extra={"task_id": job.task_id, "kind": job.kind, "receives": receives})
            agent.metrics.count("HandledFailures", Function="worker")
            with budgets.telling_user():
                _tell(agent, job, error, receives=receives, max_receives=max_receives)
        failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def _run(agent: Any, job: Job) -> BaseException | None:
    try:
        try:
            agent.run(job)
        finally:
            budgets.disarm()  # the outcome message below must not be interrupted
    except Exception as exc:
        return exc
    return None


def _tell(agent: Any, job: Job, error: BaseException, *, receives: int, max_receives: int) -> None:
    """The last delivery tells the user the outcome; an earlier one that ran out of time says
    it is trying again. Either way the message goes out before SQS hears of the failure."""
    try:
        if receives >= max_receives:
            agent.fail(job, _reason(error))
        elif isinstance(error, budgets.OutOfTime):
            agent.retrying(job, attempt=receives + 1, of=max_receives)
    except Exception:
        log.exception("could not tell the user", extra={"task_id": job.task_id})


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None)
    if reason:
        return str(reason)
    if type(error).__module__.startswith(("botocore", "boto3")):
        return "an AWS service failed (DynamoDB, SQS or Secrets Manager)"
    return type(error).__name__
