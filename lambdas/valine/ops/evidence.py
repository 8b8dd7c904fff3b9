"""The evidence a phase is judged on: verdicts and results, the readers of CloudWatch and the
alarm history, the window a phase ran in, and what a window measured (the baseline a later
phase is held to). The criteria themselves are in ``valine.ops.criteria``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Protocol

from valine.core import names
from valine.core.phases import PhaseConfig
from valine.core.ports import Feedback
from valine.metrics import NAMESPACE
from valine.ops.adoption import Adoption


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    MANUAL = "MANUAL"
    # Less evidence than the criterion states it needs: not a pass, so never GO.
    NO_DATA = "NO DATA"


@dataclass(frozen=True)
class Result:
    verdict: Verdict
    criterion: str
    measured: str


class MetricsReader(Protocol):
    """CloudWatch statistics over one window (period = the whole window unless given)."""

    def stat(self, namespace: str, name: str, dimensions: dict[str, str], stat: str, start: dt.datetime,
             end: dt.datetime, period_seconds: int | None = None) -> list[float]: ...


class AlarmHistory(Protocol):
    """The stage's alarms that went to ALARM in a window: (alarm name, when), oldest first; or why
    the history could not be read (moto has no DescribeAlarmHistory)."""

    def fired(self, stage: str, start: dt.datetime, end: dt.datetime) -> list[tuple[str, dt.datetime]] | str: ...


# What only a person can answer, how they find out, and where the answer is recorded.
RECORD_IT = "a person answers: record it in the notes of the next phase's approval (rollout/approvals.toml)"
MANUAL_HOW = {
    "All Lambda functions healthy": "`valine smoke --stage S` checks each function's live alias; " + RECORD_IT,
    "Smoke tests with basic commands passed": "`valine smoke --stage S` and a /ux-update by an admin; " + RECORD_IT,
    "No open P0/P1 bugs": "the issue tracker's open P0/P1 issues; " + RECORD_IT,
    "No data corruption in DynamoDB": "`/tasks` and the audit trail of recent tasks; " + RECORD_IT,
    "PM aware of ongoing costs": "`valine costs --stage S` shown to the PM; " + RECORD_IT,
    "SLA targets defined": "the agreed targets in docs/; " + RECORD_IT,
}
MIN_ACCURACY_SAMPLE = 20  # LLM first previews before the accuracy proxy means anything (the alarm's too)
# The least evidence each measured criterion needs; below it the answer is NO DATA.
MIN_INVOCATIONS = 20  # of the two functions people call, in the window (error rates, response times)
MIN_SAMPLES = 10  # previews (request to preview latency), durations

# Set by hand by `valine oncall test`: a drill is not an incident.
NOT_INCIDENTS = ("OncallDrill",)


# Every function but the two that answer people (their errors are the error-rate criterion's).
SUPPORT_FUNCTIONS = ("webhook", "relay", "status", "sweep", "probe")


def function_names(stage: str) -> dict[str, str]:
    return {kind: names.function_name(kind, stage) for kind in ("interactions", "worker")}


def alias_dimensions(function_name: str) -> dict[str, str]:
    """CloudWatch's dimensions for a Lambda alias: what API Gateway and SQS invoke."""
    return {"FunctionName": function_name, "Resource": f"{function_name}:{names.LIVE_ALIAS}"}


def _one(values: list[float]) -> float:
    return float(sum(values)) if values else 0.0


@dataclass(frozen=True)
class PhaseWindow:
    """When the phase being judged ran on the stage: from ``since`` (recorded when it started) to
    ``until`` (when the next one started; None while it still runs)."""

    since: dt.datetime
    until: dt.datetime | None = None


@dataclass(frozen=True)
class Measured:
    """What a window showed of the two functions people call: the baseline a later phase is held to."""

    invocations: float
    errors: float
    preview_p95_ms: float | None

    @property
    def error_rate_pct(self) -> float | None:
        return 100.0 * self.errors / self.invocations if self.invocations >= MIN_INVOCATIONS else None


def measure(reader: MetricsReader, stage: str, start: dt.datetime, end: dt.datetime) -> Measured:
    fns = function_names(stage)
    invocations = errors = 0.0
    for kind, fn in fns.items():
        dims = alias_dimensions(fn)
        invocations += _one(reader.stat("AWS/Lambda", "Invocations", dims, "Sum", start, end))
        errors += _one(reader.stat("AWS/Lambda", "Errors", dims, "Sum", start, end))
        errors += _one(reader.stat(NAMESPACE, "HandledFailures", {"Stage": stage, "Function": kind}, "Sum", start, end))
    count = _one(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "SampleCount", start, end))
    p95 = max(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "p95", start, end), default=None)
    return Measured(invocations, errors, p95 if count >= MIN_SAMPLES else None)


def baseline_of(reader: MetricsReader, stage: str, ran: PhaseWindow | None, now: dt.datetime) -> Measured | None:
    """A phase's measured baseline over its own run on the stage (None: it never ran here)."""
    if ran is None:
        return None
    return measure(reader, stage, ran.since, ran.until or now)


@dataclass(frozen=True)
class Inputs:
    """Everything one check reads, gathered once; each criterion takes what it needs. ``start`` and
    ``end`` are the window (never before the phase started, never after it ended); ``span`` names it."""

    phase: PhaseConfig
    stage: str
    reader: MetricsReader
    start: dt.datetime
    end: dt.datetime
    span: str
    ran: PhaseWindow | None = None
    require_ran: bool = False
    alarms: AlarmHistory | None = None
    feedback: Sequence[Feedback] | None = None
    adoption: Adoption | None = None
    corrupt: int | str | None = None
    baseline: Measured | None = None
    approval_for_next: tuple[bool, str] | None = None

    def ours(self, name: str, stat: str = "Sum", **dims: str) -> float:
        """A custom metric of the stage over the window, summed."""
        return _one(self.reader.stat(NAMESPACE, name, {"Stage": self.stage, **dims}, stat, self.start, self.end))

    def lam(self, name: str, stat: str, kind: str) -> list[float]:
        """AWS/Lambda's metric of one of the two functions people call (its live alias)."""
        return self.reader.stat("AWS/Lambda", name, alias_dimensions(function_names(self.stage)[kind]), stat,
                                self.start, self.end)

    @cached_property
    def invocations(self) -> float:
        return sum(_one(self.lam("Invocations", "Sum", f)) for f in function_names(self.stage))

    @cached_property
    def lambda_errors(self) -> float:
        return sum(_one(self.lam("Errors", "Sum", f)) for f in function_names(self.stage))

    @cached_property
    def handled(self) -> float:
        """Invocations Lambda counts as successes that failed for the person (the apology, a failed
        job attempt, a failed pull request): the same sum the rollback alarms use."""
        return sum(self.ours("HandledFailures", Function=f) for f in function_names(self.stage))

    @cached_property
    def flows(self) -> float:
        return self.ours("PullRequestsCreated")

    @property
    def few(self) -> bool:
        return self.invocations < MIN_INVOCATIONS

    @property
    def too_few(self) -> str:
        return f"{int(self.invocations)} invocations, fewer than the {MIN_INVOCATIONS} this needs"
