"""Alarm building blocks shared by the constructs that page on-call.

Every alarm notifies the on-call topic on ALARM and on OK, says its severity (the plan's
incident levels) and the runbook section to follow, and evaluates 1-minute datapoints
M out of N, so that a rollback alarm can fire inside the canary's bake time
(``Cadence.window_seconds`` is what the template tests compare with the bake).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct

from valine.core import names
from valine.metrics import METRICS, NAMESPACE

RUNBOOK = "docs/runbook.md"


@dataclass(frozen=True)
class AlarmSpec:
    """Severity (as in the plan's incident levels) and the runbook section to follow."""

    severity: str
    what: str
    anchor: str


@dataclass(frozen=True)
class Cadence:
    """How an alarm evaluates: ``datapoints`` breaching of the last ``periods`` periods."""

    period_seconds: int
    periods: int
    datapoints: int

    @property
    def period(self) -> Duration:
        return Duration.seconds(self.period_seconds)

    @property
    def window_seconds(self) -> int:
        return self.period_seconds * self.periods


@dataclass(frozen=True)
class Missing:
    """What a period without data means for an alarm, and why."""

    policy: cw.TreatMissingData
    why: str


def quiet(why: str) -> Missing:
    """No data is no trouble (nothing happened); ``why`` says what else would notice a real outage."""
    return Missing(cw.TreatMissingData.NOT_BREACHING, why)


def down(why: str) -> Missing:
    """No data is the outage itself (what should report did not run)."""
    return Missing(cw.TreatMissingData.BREACHING, why)


# Rates and percentiles: two (or three) bad minutes out of five, so one odd request in a quiet
# minute does not roll a canary back, and a real regression does within five minutes.
RATE = Cadence(60, 5, 2)
LATENCY = Cadence(60, 5, 3)
# Events that must never happen (a timeout, a throttle, a 5xx from the API): the first minute.
ANY = Cadence(60, 1, 1)
# The plan's slower signals (end-to-end preview time, expiry, cost): paging, never rollback.
SLOW = Cadence(300, 3, 2)


def custom_metric(name: str, period: Duration, *, stage: str, statistic: str = "Sum", **dims: str) -> cw.Metric:
    spec = METRICS[name]
    assert set(dims) <= set(spec.dimensions), (name, dims)
    return cw.Metric(namespace=NAMESPACE, metric_name=name, statistic=statistic, period=period,
                     dimensions_map={"Stage": stage, **dims}, label=" ".join([name, *dims.values()]))


def error_rate(alias: lambda_.IFunction, kind: str, *, stage: str, period: Duration) -> cw.MathExpression:
    """(Lambda errors + handled failures) / invocations of the live alias, in percent.

    Handled failures are invocations Lambda counts as successes: the apology an interaction
    answers with, a job attempt reported in ``batchItemFailures``, a pull request that could
    not be made. In metric math, arithmetic on two time series keeps only the timestamps
    both have, so each addend is FILLed with 0: a minute with errors but no handled
    failures (or the reverse) still counts.
    """
    return cw.MathExpression(
        expression="IF(inv > 0, 100 * (FILL(err, 0) + FILL(handled, 0)) / inv, 0)",
        using_metrics={
            "inv": alias.metric_invocations(period=period, statistic="Sum"),
            "err": alias.metric_errors(period=period, statistic="Sum"),
            "handled": custom_metric("HandledFailures", period, stage=stage, Function=kind),
        },
        label=f"{kind} error rate % (Lambda errors + handled failures)", period=period)


class AlarmFactory:
    """Makes alarms named ``valine-<stage>-<Id>`` that page ``topic``."""

    def __init__(self, scope: Construct, *, stage: str, topic: sns.ITopic) -> None:
        self._scope = scope
        self._stage = stage
        self._topic = topic
        self.alarms: dict[str, cw.Alarm] = {}
        self.cadences: dict[str, Cadence] = {}

    def __call__(self, construct_id: str, metric: cw.IMetric, threshold: float, *, cadence: Cadence,
                 spec: AlarmSpec, missing: Missing,
                 below: bool = False) -> cw.Alarm:
        """An alarm above ``threshold`` (``below``: under it). ``missing`` says what a minute without data
        means and why: every alarm decides it explicitly (``NO_DATA_IS_QUIET`` / ``NO_DATA_IS_DOWN``)."""
        alarm = cw.Alarm(
            self._scope, construct_id, metric=metric, threshold=threshold,
            evaluation_periods=cadence.periods, datapoints_to_alarm=cadence.datapoints,
            alarm_name=names.alarm_name(self._stage, construct_id),
            comparison_operator=cw.ComparisonOperator.LESS_THAN_THRESHOLD if below
            else cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=missing.policy,
            alarm_description=f"[{spec.severity}] {spec.what}. No data: {missing.why}. "
                              f"Runbook: {RUNBOOK}#{spec.anchor}",
        )
        alarm.add_alarm_action(actions.SnsAction(self._topic))
        alarm.add_ok_action(actions.SnsAction(self._topic))
        self.alarms[construct_id] = alarm
        self.cadences[construct_id] = cadence
        return alarm
