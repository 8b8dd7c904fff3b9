"""Scheduled every minute: the synthetic probe behind the plan's P0, "Discord bot unresponsive".

It sends an unsigned interaction to the public endpoint, as Discord's own endpoint checks
do, and expects 401 within a second: that proves API Gateway, the integration and the
interactions function (its signature check) all answer. The result is an EMF metric the
EndpointProbe alarm reads; a probe that cannot even run leaves no data, which that alarm
treats as failing too.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from valine.metrics import EmfMetrics

log = logging.getLogger("valine.probe")
EXPECTED_STATUS = 401
MAX_MILLISECONDS = 1000.0


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    from valine.settings import Settings

    s = Settings.from_env()
    return probe(s.probe_url, metrics=EmfMetrics(stage=s.stage))


def probe(url: str, *, metrics: Any, timeout: float = 3.0,
          clock: Callable[[], float] = time.monotonic) -> dict[str, Any]:
    request = urllib.request.Request(url, data=b'{"type":1}', method="POST",
                                     headers={"content-type": "application/json", "user-agent": "valine-probe"})
    started = clock()
    status: int | None = None
    problem = ""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (our own https URL)
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
    except (urllib.error.URLError, OSError) as exc:
        problem = f"no answer ({type(exc).__name__})"
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
