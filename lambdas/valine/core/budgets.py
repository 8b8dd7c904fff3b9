"""Every time budget of the bot in one place, and the arithmetic that makes them fit.

The limits come from outside:

- Discord wants the first answer within 3 s and then accepts edits of the message through
  the interaction token for 15 minutes (docs: "Receiving and Responding").
- AWS asks for an SQS event source's visibility timeout of at least six times the
  function's timeout, so that Lambda can retry a batch under throttling ("Using Lambda
  with Amazon SQS": set the source queue's visibility timeout to at least six times the
  timeout that you configure on your function).
- A job is delivered at most ``JOB_MAX_RECEIVES`` times; delivery n starts about
  ``(n - 1) * visibility`` after the first one, so the last one must still end, and tell the
  user, before the token dies.

The CDK stack (queue, functions, alarms, canary) and the worker read these numbers; the
template tests check that the deployed values match them. ``check()`` runs at import of
``infra`` so a change that breaks the arithmetic cannot even synthesise.
"""

from __future__ import annotations

import contextvars
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DISCORD_ACK_SECONDS = 3.0
DISCORD_TOKEN_SECONDS = 15 * 60
# Discord makes the deferred message only when the endpoint's answer reaches it, and the worker
# can start before that. Until this long after the interaction's creation (its snowflake) a 404 on
# the original message means "not there yet", and the edit is tried again; after it, "gone".
DISCORD_ORIGINAL_WAIT_SECONDS = DISCORD_ACK_SECONDS + 5.0

INTERACTIONS_TIMEOUT_SECONDS = 5
# Alarm when the slowest 1% of answers come within half a second of Discord's limit.
INTERACTIONS_P99_ALARM_MS = 2500

WORKER_TIMEOUT_SECONDS = 60
# The worker alarms when its slowest jobs use 80% of their own budget.
WORKER_P99_ALARM_MS = int(WORKER_TIMEOUT_SECONDS * 1000 * 0.8)

SQS_VISIBILITY_FACTOR = 6
JOB_MAX_RECEIVES = 3
JOB_VISIBILITY_SECONDS = WORKER_TIMEOUT_SECONDS * SQS_VISIBILITY_FACTOR
# A job waits in the queue at most this long: longer than every delivery, and than any worker outage
# the age alarm pages about, so a job is never dropped unseen (it dead-letters, which pages too).
JOB_RETENTION_SECONDS = 4 * 86400
DEAD_LETTER_RETENTION_SECONDS = 14 * 86400  # SQS's maximum; longer than the queue's (SQS keeps the first enqueue time)
# The oldest job older than this: nobody is taking jobs (a person waits on "thinking" meanwhile).
JOB_AGE_ALARM_SECONDS = 120
JOB_AGE_ALARM_WINDOW_SECONDS = 180  # it evaluates 2 of the last 3 minutes
JOB_DEPTH_ALARM = 25
# Kept back on every delivery: the time needed to tell the user the outcome (one Discord
# edit with its retries) and to record it, after GitHub, the LLM or DynamoDB ran late.
TELL_USER_RESERVE_SECONDS = 8.0
# The token must outlive the last delivery by this much (clock skew, SQS delivery lag).
TOKEN_MARGIN_SECONDS = 60


def last_delivery_ends_after_seconds() -> int:
    """When the last delivery of a job ends at the latest, counted from the first receive."""
    return (JOB_MAX_RECEIVES - 1) * JOB_VISIBILITY_SECONDS + WORKER_TIMEOUT_SECONDS


class BudgetError(ValueError):
    """A time budget that does not fit inside the one it belongs to (checked at import and synth)."""
    pass


def check() -> None:
    """Raise if the budgets no longer fit together (run at synth and in the unit tests)."""
    if JOB_VISIBILITY_SECONDS < SQS_VISIBILITY_FACTOR * WORKER_TIMEOUT_SECONDS:
        raise BudgetError("the job queue's visibility timeout must be at least 6x the worker timeout")
    if last_delivery_ends_after_seconds() > DISCORD_TOKEN_SECONDS - TOKEN_MARGIN_SECONDS:
        raise BudgetError(
            f"{JOB_MAX_RECEIVES} deliveries {JOB_VISIBILITY_SECONDS} s apart, the last one running "
            f"{WORKER_TIMEOUT_SECONDS} s, end {last_delivery_ends_after_seconds()} s after the first: past Discord's "
            f"{DISCORD_TOKEN_SECONDS} s token less {TOKEN_MARGIN_SECONDS} s margin; the last user message would fail")
    if last_delivery_ends_after_seconds() + JOB_AGE_ALARM_SECONDS >= JOB_RETENTION_SECONDS:
        raise BudgetError("the job queue must keep a job longer than all its deliveries and the age alarm")
    if DEAD_LETTER_RETENTION_SECONDS <= JOB_RETENTION_SECONDS:
        raise BudgetError("the dead-letter queue must keep messages longer than the job queue, or SQS drops them")
    if JOB_AGE_ALARM_SECONDS + JOB_AGE_ALARM_WINDOW_SECONDS >= DISCORD_TOKEN_SECONDS / 2:
        raise BudgetError("the queue-age alarm must page while most of the waiting person's token is left")
    if INTERACTIONS_P99_ALARM_MS >= DISCORD_ACK_SECONDS * 1000:
        raise BudgetError("the interactions latency alarm must fire before Discord's 3 s limit")
    if DISCORD_ORIGINAL_WAIT_SECONDS > TELL_USER_RESERVE_SECONDS + DISCORD_ACK_SECONDS:
        raise BudgetError("waiting for Discord's deferred message must fit in the reserve to tell the user")
    if TELL_USER_RESERVE_SECONDS * 3 > WORKER_TIMEOUT_SECONDS:
        raise BudgetError("the reserve to tell the user must leave most of the worker's time for the work")


# ---- the running job's deadline -----------------------------------------------------------
class OutOfTime(Exception):  # noqa: N818 (reads as what happened, like TimeoutError)
    """The job reached its deadline less the reserve kept to tell the user."""

    reason = "it took too long (GitHub, Discord or the LLM answered too slowly)"


@dataclass(frozen=True)
class Deadline:
    """The end of the current invocation, on the monotonic clock."""

    at: float
    reserve: float = TELL_USER_RESERVE_SECONDS

    def remaining(self) -> float:
        """Seconds left before the deadline (negative once past it)."""
        return self.at - time.monotonic()

    def for_work(self) -> float:
        """Seconds an external call may still take, keeping the reserve to tell the user."""
        return self.remaining() - self.reserve


_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("valine_deadline", default=None)


def current() -> Deadline | None:
    """The deadline of the job this thread is working on, if any."""
    return _current.get()


def budget(wanted: float) -> float:
    """``wanted`` seconds, or less when the current job's deadline is nearer; never below 0.1 s."""
    deadline = _current.get()
    if deadline is None:
        return wanted
    return max(0.1, min(wanted, deadline.for_work()))


def work_time_left() -> float | None:
    """Seconds the current job may still spend on work, keeping the reserve to tell the user."""
    deadline = _current.get()
    return None if deadline is None else deadline.for_work()


def disarm() -> None:
    """Stop the timer ``job_deadline`` armed (no-op outside Lambda's main thread)."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def telling_user() -> Iterator[None]:
    """The outcome message may use the reserve, less a second to return to Lambda."""
    deadline = _current.get()
    if deadline is None:
        yield
        return
    token = _current.set(Deadline(deadline.at, reserve=1.0))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def job_deadline(remaining_seconds: Callable[[], float] | None) -> Iterator[Deadline | None]:
    """Bind the invocation's deadline for the adapters, and in Lambda's main thread arm a
    timer that raises ``OutOfTime`` when only the reserve is left, whatever is blocking.

    Every adapter call already limits itself with ``budget()``; the timer catches what no
    timeout can (a slow TLS handshake inside an SDK, a loop that never returns).
    """
    if remaining_seconds is None:
        yield None
        return
    deadline = Deadline(time.monotonic() + remaining_seconds())
    token = _current.set(deadline)
    armed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    if armed:
        def _raise(signum: int, frame: object) -> None:
            raise OutOfTime()

        previous = signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, max(0.05, deadline.for_work()))
    try:
        yield deadline
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous or signal.SIG_DFL)
        _current.reset(token)
