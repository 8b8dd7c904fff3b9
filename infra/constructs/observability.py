"""The plan's dashboard and alarms. Thresholds come from the phase table, metric names
from ``valine.metrics.METRICS``; every alarm notifies the on-call topic."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.bot_function import BotFunction
from valine.metrics import METRICS, NAMESPACE
from valine.rollout import PhaseConfig

RUNBOOK = "docs/runbook.md"


def dashboard_name(stage: str) -> str:
    return "Valine-UX-Agent-Production" if stage == "prod" else f"Valine-UX-Agent-{stage.title()}"


def rollback_trigger(phase: PhaseConfig) -> str:
    return "any error" if phase.error_rate_rollback_pct == 0 else f"> {phase.error_rate_rollback_pct}%"


@dataclass(frozen=True)
class AlarmSpec:
    """Severity (as in the plan's incident levels) and the runbook section to follow."""

    severity: str
    what: str
    anchor: str


class Observability(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, phase: PhaseConfig,
                 functions: dict[str, BotFunction], table: dynamodb.TableV2, queue: sqs.IQueue,
                 dead_letters: sqs.IQueue, topic: sns.ITopic) -> None:
        super().__init__(scope, construct_id)
        self._stage = stage
        self._topic = topic
        self.alarms: dict[str, cw.Alarm] = {}
        self.canary_alarms: dict[str, list[cw.Alarm]] = {}

        for kind, fn in functions.items():
            title = kind.title()
            invocations = fn.alias.metric_invocations(period=Duration.minutes(5), statistic="Sum")
            errors = fn.alias.metric_errors(period=Duration.minutes(5), statistic="Sum")
            rate = cw.MathExpression(expression="IF(inv > 0, 100 * err / inv, 0)",
                                     using_metrics={"inv": invocations, "err": errors},
                                     label=f"{title} error rate %", period=Duration.minutes(5))
            trigger = rollback_trigger(phase)
            error_alarm = self._alarm(
                f"{title}ErrorRate", rate, phase.error_rate_rollback_pct, periods=1,
                spec=AlarmSpec("P1", f"{kind} error rate above the phase-{phase.number} rollback trigger ({trigger})",
                               "high-error-rate"))
            p50 = self._alarm(f"{title}DurationP50", fn.alias.metric_duration(statistic="p50",
                                                                             period=Duration.minutes(5)),
                              5000, periods=3, spec=AlarmSpec("P2", f"{kind} p50 duration > 5 s", "slow-responses"))
            p95 = self._alarm(f"{title}DurationP95", fn.alias.metric_duration(statistic="p95",
                                                                             period=Duration.minutes(5)),
                              10000, periods=3, spec=AlarmSpec("P2", f"{kind} p95 duration > 10 s", "slow-responses"))
            throttles = self._alarm(f"{title}Throttles", fn.alias.metric_throttles(statistic="Sum",
                                                                                  period=Duration.minutes(5)),
                                    0, periods=1, spec=AlarmSpec("P2", f"{kind} Lambda throttling", "throttling"))
            timeouts_metric = cw.Metric(namespace=NAMESPACE, metric_name=f"{title}Timeouts", statistic="Sum",
                                        period=Duration.minutes(15))
            logs.MetricFilter(
                self, f"{title}TimeoutFilter", log_group=fn.log_group, metric_namespace=NAMESPACE,
                metric_name=f"{title}Timeouts", metric_value="1", default_value=0,
                filter_pattern=logs.FilterPattern.literal('{ $.type = "platform.report" && '
                                                          '$.record.status = "timeout" }'))
            timeout_rate = cw.MathExpression(
                expression="IF(inv > 0, 100 * t / inv, 0)", period=Duration.minutes(15),
                using_metrics={"t": timeouts_metric,
                               "inv": fn.alias.metric_invocations(period=Duration.minutes(15), statistic="Sum")},
                label=f"{title} timeout rate %")
            self._alarm(f"{title}Timeouts", timeout_rate, 0.1, periods=1,
                        spec=AlarmSpec("P2", f"{kind} timeouts > 0.1% of invocations", "timeouts"))
            self.canary_alarms[kind] = [error_alarm, p50, p95, throttles]

        ddb_throttles = cw.MathExpression(
            expression="r + w", period=Duration.hours(1), label="DynamoDB throttle events",
            using_metrics={
                "r": cw.Metric(namespace="AWS/DynamoDB", metric_name="ReadThrottleEvents", statistic="Sum",
                               dimensions_map={"TableName": table.table_name}, period=Duration.hours(1)),
                "w": cw.Metric(namespace="AWS/DynamoDB", metric_name="WriteThrottleEvents", statistic="Sum",
                               dimensions_map={"TableName": table.table_name}, period=Duration.hours(1)),
            })
        self._alarm("DynamoDbThrottles", ddb_throttles, 5, periods=1,
                    spec=AlarmSpec("P2", "DynamoDB throttles > 5 per hour", "dynamodb-throttling"))
        previews, expired = self.custom("Previews", Duration.hours(1)), self.custom("ConversationsExpired",
                                                                                     Duration.hours(1))
        self._alarm("ExpiryRate", cw.MathExpression(expression="IF(p > 0, 100 * e / p, 0)", period=Duration.hours(1),
                                                    using_metrics={"p": previews, "e": expired},
                                                    label="conversation expiry rate %"),
                    20, periods=1, spec=AlarmSpec("P3", "conversation TTL expiry rate > 20%", "expiry-rate"))
        self._alarm("DeadLetters", dead_letters.metric_approximate_number_of_messages_visible(
            statistic="Maximum", period=Duration.minutes(5)), 0, periods=1,
            spec=AlarmSpec("P2", "a job landed in the dead-letter queue", "dead-letters"))
        if phase.llm_enabled:
            self._alarm("LlmDailyCost", self.custom("LlmCostUsd", Duration.days(1)), phase.llm_daily_rollback_usd,
                        periods=1, spec=AlarmSpec("P1", f"daily LLM cost > ${phase.llm_daily_rollback_usd:g}",
                                                  "llm-cost"))

        self.dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=dashboard_name(stage),
                                      default_interval=Duration.days(1))
        self._widgets(functions, table, queue, dead_letters, phase)

    # ---- helpers -----------------------------------------------------------------------
    def custom(self, name: str, period: Duration, statistic: str = "Sum", **dims: str) -> cw.Metric:
        spec = METRICS[name]
        assert set(dims) <= set(spec.dimensions), (name, dims)
        return cw.Metric(namespace=NAMESPACE, metric_name=name, statistic=statistic, period=period,
                         dimensions_map={"Stage": self._stage, **dims}, label=" ".join([name, *dims.values()]))

    def _alarm(self, construct_id: str, metric: cw.IMetric, threshold: float, *, periods: int,
               spec: AlarmSpec) -> cw.Alarm:
        alarm = cw.Alarm(
            self, construct_id, metric=metric, threshold=threshold, evaluation_periods=periods,
            alarm_name=f"valine-{self._stage}-{construct_id}",
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            # An idle stage has no data; that is not an incident.
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            alarm_description=f"[{spec.severity}] {spec.what}. Runbook: {RUNBOOK}#{spec.anchor}",
        )
        alarm.add_alarm_action(actions.SnsAction(self._topic))
        alarm.add_ok_action(actions.SnsAction(self._topic))
        self.alarms[construct_id] = alarm
        return alarm

    def _widgets(self, functions: dict[str, BotFunction], table: dynamodb.TableV2, queue: sqs.IQueue,
                 dead_letters: sqs.IQueue, phase: PhaseConfig) -> None:
        hour, five = Duration.hours(1), Duration.minutes(5)
        d = self.dashboard
        d.add_widgets(cw.TextWidget(
            markdown=f"# Valine UX agent — {self._stage}, rollout phase {phase.number}: {phase.name}\n"
                     f"Rollback when the error rate is {rollback_trigger(phase)} · runbook: {RUNBOOK}",
            width=24, height=2))
        for kind, fn in functions.items():
            title = kind.title()
            inv, err = (fn.alias.metric_invocations(period=hour, statistic="Sum"),
                        fn.alias.metric_errors(period=hour, statistic="Sum"))
            d.add_widgets(
                cw.GraphWidget(title=f"{title}: invocations and errors per hour", left=[inv, err], width=6),
                cw.GraphWidget(title=f"{title}: error rate %", width=6, left=[cw.MathExpression(
                    expression="IF(inv > 0, 100 * err / inv, 0)", using_metrics={"inv": inv, "err": err},
                    label="error rate %", period=hour)]),
                cw.GraphWidget(title=f"{title}: duration p50 / p95 / p99", width=6, left=[
                    fn.alias.metric_duration(statistic=s, period=five, label=s) for s in ("p50", "p95", "p99")]),
                cw.GraphWidget(title=f"{title}: concurrent executions", width=6, left=[
                    fn.function.metric("ConcurrentExecutions", statistic="Maximum", period=five)]),
            )
        tname = {"TableName": table.table_name}
        d.add_widgets(
            cw.GraphWidget(title="DynamoDB consumed capacity", width=8, left=[
                cw.Metric(namespace="AWS/DynamoDB", metric_name=m, dimensions_map=tname, statistic="Sum", period=hour)
                for m in ("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits")]),
            cw.GraphWidget(title="DynamoDB throttle events", width=8, left=[
                cw.Metric(namespace="AWS/DynamoDB", metric_name=m, dimensions_map=tname, statistic="Sum", period=hour)
                for m in ("ReadThrottleEvents", "WriteThrottleEvents")]),
            cw.GraphWidget(title="Items in the conversation table", width=8, left=[
                self.custom("TableItemCount", Duration.days(1), statistic="Maximum")]),
        )
        d.add_widgets(
            cw.GraphWidget(title="UX update requests by role", width=8, stacked=True, left=[
                self.custom("UxUpdateRequests", hour, Role=r) for r in METRICS["UxUpdateRequests"].values]),
            cw.GraphWidget(title="Previews by section", width=8, stacked=True, left=[
                self.custom("Previews", hour, Section=s) for s in METRICS["Previews"].values]),
            cw.GraphWidget(title="Confirmation rate % (confirms / previews)", width=8, left=[cw.MathExpression(
                expression="IF(p > 0, 100 * c / p, 0)", label="confirmation rate %", period=hour,
                using_metrics={"p": self.custom("Previews", hour), "c": self.custom("Confirmations", hour)})]),
        )
        d.add_widgets(
            cw.GraphWidget(title="Outcomes", width=8, left=[
                self.custom(n, hour) for n in ("Confirmations", "Cancellations", "ConversationsExpired",
                                               "PullRequestsCreated", "PullRequestsFailed", "UxUpdateRefused")]),
            cw.GraphWidget(title="Time from preview to confirmation (avg, ms)", width=8, left=[
                self.custom("PreviewToConfirmation", hour, statistic="Average"),
                self.custom("PreviewLatency", hour, statistic="Average"),
                self.custom("PullRequestLatency", hour, statistic="Average")]),
            cw.GraphWidget(title="Parsing: clarifications, invalid requests, LLM ok / fallback", width=8, left=[
                *[self.custom("ParseOutcome", hour, Outcome=o) for o in METRICS["ParseOutcome"].values],
                *[self.custom("LlmParses", hour, Outcome=o) for o in METRICS["LlmParses"].values]]),
        )
        d.add_widgets(
            cw.GraphWidget(title="LLM cost (USD per day, per request)", width=8, left=[
                self.custom("LlmCostUsd", Duration.days(1))], right=[
                self.custom("LlmCostUsd", hour, statistic="Average")]),
            cw.GraphWidget(title="Job queue depth and dead letters", width=8, left=[
                queue.metric_approximate_number_of_messages_visible(statistic="Maximum", period=five),
                dead_letters.metric_approximate_number_of_messages_visible(statistic="Maximum", period=five)]),
            cw.GraphWidget(title="Cold starts and handled errors", width=8, left=[
                *[self.custom("ColdStarts", hour, Function=f) for f in METRICS["ColdStarts"].values],
                self.custom("InteractionErrors", hour), self.custom("MessagesGone", hour),
                *[self.custom("JobsFailed", hour, Kind=k) for k in METRICS["JobsFailed"].values]]),
        )
        d.add_widgets(cw.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=24))
