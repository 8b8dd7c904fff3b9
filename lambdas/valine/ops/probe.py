"""The P0 probe: every minute an unsigned request to the public endpoint must be refused with
401 within a second (the plan's "Discord bot unresponsive"), and a heartbeat job goes through the
job queue to the worker, which counts it (a stalled worker is as unresponsive to people). The
results are EMF metrics the EndpointProbe and WorkerHeartbeat alarms read; a probe that cannot
even run leaves no data, which both alarms treat as failing too."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from valine.core.ports import Job, JobQueue, Metrics

log = logging.getLogger("valine.probe")
EXPECTED_STATUS = 401
MAX_MILLISECONDS = 1000.0

# POST an unsigned ping to the URL: (HTTP status, or None and why there was no answer).
Send = Callable[[str, float], "tuple[int | None, str]"]


def probe(url: str, *, metrics: Metrics, send: Send, timeout: float = 3.0,
          clock: Callable[[], float] = time.monotonic, queue: JobQueue | None = None,
          now: Callable[[], float] = time.time) -> dict[str, Any]:
    """One probe: the endpoint's answer (the EndpointProbe alarm) and, with ``queue``, a heartbeat
    job for the worker to complete (the WorkerHeartbeat alarm: a dead worker is a P0 too)."""
    if queue is not None:
        try:
            queue.send(Job("heartbeat", f"heartbeat-{int(now())}", "", ""))
        except Exception:  # no heartbeat then: its alarm pages, and the log says why
            log.exception("could not enqueue the heartbeat job")
    started = clock()
    status, problem = send(url, timeout)
    elapsed_ms = (clock() - started) * 1000
    if status is not None and status != EXPECTED_STATUS:
        problem = f"HTTP {status}, expected {EXPECTED_STATUS} for an unsigned request"
    elif status is not None and elapsed_ms > MAX_MILLISECONDS:
        problem = f"answered in {elapsed_ms:.0f} ms, more than {MAX_MILLISECONDS:.0f} ms"
    ok = not problem
    metrics.count("EndpointProbeFailures", 0 if ok else 1)
    metrics.timing("EndpointProbeLatency", elapsed_ms)
    result = {"ok": ok, "status": status, "ms": round(elapsed_ms, 1), "problem": problem}
    (log.info if ok else log.error)(json.dumps({"event": "endpoint_probe", **result}))
    return result
