"""Bounded retries for HTTP APIs that say when to come back (GitHub, Discord)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from valine.core import budgets


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    total_seconds: float = 25.0  # the worker has 60 s; leave room for the rest of the job
    base_delay: float = 0.25
    max_delay: float = 8.0
    timeout: tuple[float, float] = (3.05, 10.0)


class Retrying:
    """Calls ``send`` until it returns a final response, sleeping as the server asks.

    Retried: connection errors, timeouts, 5xx, 429, and 403 with ``retry-after`` or an
    exhausted rate limit (GitHub's secondary limits). Everything else is final.
    """

    def __init__(self, policy: RetryPolicy, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._sleep = sleep
        self._clock = clock

    def call(self, send: Callable[[tuple[float, float]], requests.Response], *,
             delay_for: Callable[[requests.Response], float | None] | None = None,
             unsafe: bool = False) -> requests.Response:
        """Inside a job, the whole call (retries included) ends before the job's deadline less
        the reserve kept to tell the user (``valine.core.budgets``).

        ``delay_for`` classifies a response (default ``retry_delay``). ``unsafe``: the request
        may have taken effect when it failed (a mutation), so only answers that say it did not
        run (rate limits) are retried; 5xx, timeouts and dropped connections are final, and the
        caller finds out what happened before it tries again."""
        delay_for = delay_for or retry_delay
        left = budgets.work_time_left()
        if left is not None and left <= 0:
            raise budgets.OutOfTime()
        deadline = self._clock() + budgets.budget(self.policy.total_seconds)
        last_error: Exception | None = None
        for attempt in range(self.policy.attempts):
            remaining = max(0.1, deadline - self._clock())
            connect, read = self.policy.timeout
            try:
                response = send((min(connect, remaining), min(read, remaining)))
            except (requests.ConnectionError, requests.Timeout) as exc:
                if unsafe:
                    raise
                last_error, response = exc, None
            if response is not None:
                wait = delay_for(response)
                if wait is None or (unsafe and response.status_code >= 500):
                    return response
                last_error = None
            else:
                wait = None
            backoff = min(self.policy.max_delay, self.policy.base_delay * (2 ** attempt)) * (0.5 + random.random() / 2)
            delay = max(wait or 0.0, backoff)
            if attempt == self.policy.attempts - 1 or self._clock() + delay > deadline:
                if response is not None:
                    return response
                break
            self._sleep(delay)
        assert last_error is not None
        raise last_error


def retry_delay(response: requests.Response) -> float | None:
    """Seconds to wait before retrying, or None when the response is final."""
    status = response.status_code
    header = response.headers.get("retry-after")
    if status == 429 or (status == 403 and (header or response.headers.get("x-ratelimit-remaining") == "0")):
        if header:
            try:
                return max(0.0, float(header))
            except ValueError:
                return 1.0
        try:
            body = response.json()
            if isinstance(body, dict) and "retry_after" in body:  # Discord puts it in the body
                return max(0.0, float(body["retry_after"]))
        except ValueError:
            pass
        reset = response.headers.get("x-ratelimit-reset")
        if reset:
            return max(0.0, min(60.0, float(reset) - time.time()))
        return 1.0
    if status >= 500:
        return 0.0
    return None
