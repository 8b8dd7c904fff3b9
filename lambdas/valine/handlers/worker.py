"""Lambda entry point for the job queue (SQS, batch size 1, partial batch responses)."""

from __future__ import annotations

import json
import logging
from typing import Any

from valine.logs import correlation_id
from valine.ports import Job
from valine.wiring import settings, worker_agent

log = logging.getLogger("valine.worker")


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return process(event, agent=worker_agent(), max_receives=settings().job_max_receives)


_cold = True


def process(event: dict[str, Any], *, agent: Any, max_receives: int) -> dict[str, Any]:
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
        try:
            agent.run(job)
            log.info("job done", extra={"kind": job.kind, "receives": receives})
        except Exception as exc:
            log.exception("job failed", extra={"task_id": job.task_id, "kind": job.kind, "receives": receives})
            if receives >= max_receives:
                # Last delivery: tell the user now; the message still goes to the DLQ for on-call.
                try:
                    agent.fail(job, getattr(exc, "reason", None) or type(exc).__name__)
                except Exception:
                    log.exception("could not report the failure", extra={"task_id": job.task_id})
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
