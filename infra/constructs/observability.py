"""The plan's dashboard and alarms. Thresholds come from the phase table and
``valine.core.budgets``, metric names from ``valine.metrics.METRICS``; every alarm pages the
on-call topic (``infra.constructs.alarms``)."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.alarms import (
    ANY,
    LATENCY,
    RATE,
    SLOW,
    AlarmFactory,
    AlarmSpec,
    Cadence,
    custom_metric,
    error_rate,
    quiet,
)
from infra.constructs.bot_function import BotFunction
from infra.constructs.dashboard import DashboardWidgets, rollback_trigger
from valine.core import budgets
from valine.core.names import dashboard_name
from valine.core.phases import (
    MAX_LLM_FALLBACK_PCT,
    MAX_NEGATIVE_FEEDBACK_PCT,
    MIN_FEEDBACK_VOTES,
    MIN_LLM_FIRST_PREVIEWS,
    MIN_LLM_PARSES,
    MONITORING,
    PhaseConfig,
)
from valine.metrics import FUNCTIONS, NAMESPACE

# What each function's p99 may reach before on-call hears of it (its own budget).
P99_ALARM_MS = {"interactions": budgets.INTERACTIONS_P99_ALARM_MS, "worker": budgets.WORKER_P99_ALARM_MS}
# Rejections less the pull requests reopened later (metric math: IF keeps it a time series, never < 0).
IDLE = quiet("no invocations in the window; the probe's heartbeat and endpoint alarms page when nothing runs")




def share(part: cw.Metric, other: cw.Metric, *, at_least: int, period: Duration, label: str) -> cw.MathExpression:
    """``part``'s share (%) of ``part`` + ``other``; 0 below ``at_least`` of both together, so a quiet
    window cannot alarm (FILL makes a missing metric 0)."""
    return cw.MathExpression(
        expression=f"IF(FILL(p, 0) + FILL(o, 0) >= {at_least}, 100 * FILL(p, 0) / (FILL(p, 0) + FILL(o, 0)), 0)",
        period=period, using_metrics={"p": part, "o": other}, label=label)


class Observability(DashboardWidgets, Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, phase: PhaseConfig,
                 functions: dict[str, BotFunction], table: dynamodb.TableV2, queue: sqs.IQueue,
                 dead_letters: sqs.IQueue, topic: sns.ITopic, api: apigw.HttpApi,
                 failed_events: sqs.IQueue | None = None) -> None:
        """``functions``: the canaries (their rollback alarms); ``watch`` adds every other function."""
        super().__init__(scope, construct_id)
        self._stage = stage
        alarm = AlarmFactory(self, stage=stage, topic=topic)
        self.factory = alarm
        self.alarms = alarm.alarms
        self.canary_alarms: dict[str, list[cw.Alarm]] = {}

        for kind, fn in functions.items():
            title = kind.title()
            trigger = rollback_trigger(phase)
            rate = alarm(f"{title}ErrorRate", error_rate(fn.alias, kind, stage=stage, period=RATE.period),
                         phase.error_rate_rollback_pct, cadence=ANY if phase.error_rate_rollback_pct == 0 else RATE,
                         spec=AlarmSpec("P1", f"{kind} error rate (Lambda errors + handled failures) above the "
                                              f"phase-{phase.number} rollback trigger ({trigger})", "high-error-rate"),
                         missing=IDLE)
            p99 = alarm(f"{title}LatencyP99", fn.alias.metric_duration(statistic="p99", period=LATENCY.period),
                        P99_ALARM_MS[kind], cadence=LATENCY,
                        spec=AlarmSpec("P2", f"{kind} p99 duration > {P99_ALARM_MS[kind] / 1000:g} s "
                                             "(its own budget)", "slow-responses"), missing=IDLE)
            throttles = alarm(f"{title}Throttles", fn.alias.metric_throttles(statistic="Sum", period=ANY.period), 0,
                              cadence=ANY, spec=AlarmSpec("P2", f"{kind} Lambda throttling", "throttling"),
                              missing=quiet("Lambda reports throttles only when there are some"))
            logs.MetricFilter(
                self, f"{title}TimeoutFilter", log_group=fn.log_group, metric_namespace=NAMESPACE,
                metric_name=f"{title}Timeouts", metric_value="1", default_value=0,
                filter_pattern=logs.FilterPattern.literal('{ $.type = "platform.report" && '
                                                          '$.record.status = "timeout" }'))
            timeouts = alarm(f"{title}Timeouts", cw.Metric(namespace=NAMESPACE, metric_name=f"{title}Timeouts",
                                                           statistic="Sum", period=ANY.period),
                             0, cadence=ANY, spec=AlarmSpec("P2", f"{kind} timed out", "timeouts"),
                             missing=quiet("the filter writes 0 for every report line; none means no invocations"))
            self.canary_alarms[kind] = [rate, p99, throttles, timeouts]

        # The API in front of Discord: 5xx means Discord got an error page; latency is what Discord waits.
        api_errors = alarm("ApiServerErrors", api.metric_server_error(period=ANY.period, statistic="Sum"), 0,
                           cadence=ANY, spec=AlarmSpec("P1", "the HTTP API answered Discord with 5xx", "api-errors"),
                           missing=quiet("no requests reached the API; the endpoint probe calls it every minute"))
        alarm("ApiLatencyP99", api.metric_latency(period=LATENCY.period, statistic="p99"),
              budgets.INTERACTIONS_P99_ALARM_MS, cadence=LATENCY,
              spec=AlarmSpec("P1", f"HTTP API p99 latency > {budgets.INTERACTIONS_P99_ALARM_MS / 1000:g} s "
                                   "(Discord gives up at 3 s)", "api-errors"),
              missing=quiet("no requests reached the API; the endpoint probe calls it every minute"))
        self.canary_alarms["interactions"].append(api_errors)

        # The plan's key-metric thresholds, where they can be reached: the end-to-end preview time.
        for stat, limit in (("p50", MONITORING.p50_alert_ms), ("p95", MONITORING.p95_alert_ms)):
            alarm(f"PreviewTime{stat.upper()}", custom_metric("PreviewLatency", SLOW.period, stage=stage,
                                                              statistic=stat),
                  limit, cadence=SLOW, spec=AlarmSpec("P2", f"end-to-end preview time {stat} > {limit / 1000:g} s",
                                                      "slow-responses"),
                  missing=quiet("no previews were made; a worker that takes no jobs pages through "
                                "JobQueueAge and WorkerHeartbeat"))

        ddb_throttles = cw.MathExpression(
            expression="FILL(r, 0) + FILL(w, 0)", period=Duration.hours(1), label="DynamoDB throttle events",
            using_metrics={
                "r": cw.Metric(namespace="AWS/DynamoDB", metric_name="ReadThrottleEvents", statistic="Sum",
                               dimensions_map={"TableName": table.table_name}, period=Duration.hours(1)),
                "w": cw.Metric(namespace="AWS/DynamoDB", metric_name="WriteThrottleEvents", statistic="Sum",
                               dimensions_map={"TableName": table.table_name}, period=Duration.hours(1)),
            })
        hourly = Cadence(3600, 1, 1)
        throttles_per_hour = MONITORING.dynamodb_throttles_alert_per_hour
        alarm("DynamoDbThrottles", ddb_throttles, throttles_per_hour, cadence=hourly,
              spec=AlarmSpec("P2", f"DynamoDB throttles > {throttles_per_hour} per hour", "dynamodb-throttling"),
              missing=quiet("the expression FILLs both metrics with 0"))
        previews, expired = self.custom("Previews", Duration.hours(1)), self.custom("ConversationsExpired",
                                                                                     Duration.hours(1))
        alarm("ExpiryRate", cw.MathExpression(expression="IF(p > 0, 100 * FILL(e, 0) / p, 0)",
                                              period=Duration.hours(1), using_metrics={"p": previews, "e": expired},
                                              label="conversation expiry rate %"),
              MONITORING.expiry_alert_pct, cadence=hourly,
              spec=AlarmSpec("P3", f"conversation TTL expiry rate > {MONITORING.expiry_alert_pct:g}%", "expiry-rate"),
              missing=quiet("no previews in the hour, so nothing could expire"))
        alarm("DeadLetters", dead_letters.metric_approximate_number_of_messages_visible(
            statistic="Maximum", period=ANY.period), 0, cadence=ANY,
            spec=AlarmSpec("P2", "a job landed in the dead-letter queue", "dead-letters"),
            missing=quiet("SQS reports an idle queue rarely; an empty queue is the good case"))
        alarm("JobQueueAge", queue.metric_approximate_age_of_oldest_message(statistic="Maximum", period=ANY.period),
              budgets.JOB_AGE_ALARM_SECONDS, cadence=Cadence(60, budgets.JOB_AGE_ALARM_WINDOW_SECONDS // 60, 2),
              spec=AlarmSpec("P1", f"the oldest job has waited > {budgets.JOB_AGE_ALARM_SECONDS} s: nobody is "
                                   "taking jobs (people see 'thinking')", "stalled-worker"),
              missing=quiet("SQS reports an idle queue rarely; WorkerHeartbeat pages when no job is done at all"))
        alarm("JobQueueDepth", queue.metric_approximate_number_of_messages_visible(statistic="Maximum",
                                                                                  period=ANY.period),
              budgets.JOB_DEPTH_ALARM, cadence=LATENCY,
              spec=AlarmSpec("P2", f"more than {budgets.JOB_DEPTH_ALARM} jobs are waiting", "stalled-worker"),
              missing=quiet("SQS reports an idle queue rarely; an empty queue is the good case"))
        if failed_events is not None:
            alarm("FailedEvents", failed_events.metric_approximate_number_of_messages_visible(
                statistic="Maximum", period=ANY.period), 0, cadence=ANY,
                spec=AlarmSpec("P2", "an asynchronous event (an alarm notice, a scheduled run) failed after "
                                     "Lambda's retries", "failed-events"),
                missing=quiet("SQS reports an idle queue rarely; an empty queue is the good case"))
        self.watched: dict[str, BotFunction] = dict(functions)
        if phase.llm_enabled:
            # The plan's "accuracy < 60%" rollback trigger, on the proxy: first previews confirmed unchanged.
            # As a misparse rate (> 40%), and only with at least MIN_LLM_FIRST_PREVIEWS first previews in the day.
            day, floor = Duration.days(1), phase.llm_accuracy_rollback_pct
            alarm("LlmAccuracyProxy", cw.MathExpression(
                expression=f"IF(p >= {MIN_LLM_FIRST_PREVIEWS}, 100 - 100 * FILL(c, 0) / p, 0)", period=day,
                using_metrics={"p": self.custom("FirstPreviews", day, Parser="llm"),
                               "c": self.custom("ConfirmedUnchanged", day, Parser="llm")},
                label="LLM first previews not confirmed unchanged %"), 100 - floor, cadence=Cadence(86400, 1, 1),
                spec=AlarmSpec("P1", f"LLM accuracy proxy < {floor:g}% (first previews confirmed unchanged, "
                                     f">= {MIN_LLM_FIRST_PREVIEWS} a day)", "llm-accuracy"),
                missing=quiet("fewer than 20 LLM first previews a day is too little to judge"))
            alarm("LlmDailyCost", self.custom("LlmCostUsd", Duration.days(1)), phase.llm_daily_rollback_usd,
                  cadence=Cadence(86400, 1, 1),
                  spec=AlarmSpec("P1", f"daily LLM cost > ${phase.llm_daily_rollback_usd:g}", "llm-cost"),
                  missing=quiet("no LLM calls, no cost"))
            hour = Duration.hours(1)
            alarm("LlmFallbacks", share(self.custom("LlmParses", hour, Outcome="fallback"),
                                        self.custom("LlmParses", hour, Outcome="ok"), at_least=MIN_LLM_PARSES,
                                        period=hour, label="LLM parses that fell back to the rules %"),
                  MAX_LLM_FALLBACK_PCT, cadence=hourly,
                spec=AlarmSpec("P2", f"more than {MAX_LLM_FALLBACK_PCT:g}% of LLM parses fell back to the rules "
                                     f"(>= {MIN_LLM_PARSES} in an hour)", "llm-fallbacks"),
                missing=quiet("the expression FILLs both metrics with 0"))
        day = Duration.days(1)
        alarm("NegativeFeedback", share(self.custom("Feedback", day, Kind="down"),
                                        self.custom("Feedback", day, Kind="up"), at_least=MIN_FEEDBACK_VOTES,
                                        period=day, label="thumbs-down share of the day's votes %"),
              MAX_NEGATIVE_FEEDBACK_PCT,
            cadence=Cadence(86400, 1, 1),
            spec=AlarmSpec("P2", f"more than {MAX_NEGATIVE_FEEDBACK_PCT:g}% of the day's votes were thumbs-down (>= "
                                 f"{MIN_FEEDBACK_VOTES} votes): the plan's negative-feedback rollback trigger",
                           "negative-feedback"),
            missing=quiet("the expression FILLs both metrics with 0"))
        alarm("CorruptTasks", self.custom("CorruptTasks", day, statistic="Maximum"), 0, cadence=Cadence(86400, 1, 1),
              spec=AlarmSpec("P2", "task items in the table do not parse or break their invariants",
                             "corrupt-tasks"),
              missing=quiet("the daily status publishes the count once a day; StatusErrors pages when it fails"))
        alarm("OncallDrill", self.custom("OncallDrill", ANY.period), 0, cadence=ANY,
              spec=AlarmSpec("P3", "paging drill (valine oncall test); no action needed", "paging-drill"),
              missing=quiet("never emitted: the drill sets the alarm's state by hand"))

        self.dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=dashboard_name(stage),
                                      default_interval=Duration.days(1))
        self._widgets(functions, table, queue, dead_letters, phase, api)

    def watch(self, kind: str, fn: BotFunction) -> cw.Alarm:
        """A function that is not a canary: any error in a minute (Lambda's, or a handled failure) pages."""
        assert kind in FUNCTIONS, kind
        self.watched[kind] = fn
        return self.factory(f"{kind.title()}Errors", error_rate(fn.alias, kind, stage=self._stage,
                                                                period=ANY.period), 0,
                            cadence=ANY, spec=AlarmSpec("P2", f"the {kind} function failed", f"{kind}-errors"),
                            missing=IDLE)

    def error_widget(self) -> None:
        """One row on the dashboard: each function's error alarm and the pipeline's stall alarms."""
        names_ = [n for n in self.alarms if n.endswith(("ErrorRate", "Errors")) or n in (
            "JobQueueAge", "JobQueueDepth", "WorkerHeartbeat", "FailedEvents", "DeadLetters")]
        self.dashboard.add_widgets(cw.AlarmStatusWidget(
            title="Every function and the job pipeline (an error anywhere pages)",
            alarms=[self.alarms[n] for n in names_], width=24, height=4))

    # ---- helpers -----------------------------------------------------------------------
    def custom(self, name: str, period: Duration, statistic: str = "Sum", **dims: str) -> cw.Metric:
        return custom_metric(name, period, stage=self._stage, statistic=statistic, **dims)
