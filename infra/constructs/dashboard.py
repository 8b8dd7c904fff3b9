"""The stage's CloudWatch dashboard: the plan's metrics, each agent's own row, the latencies,
errors and costs, the alarms. A mixin of ``infra.constructs.observability.Observability``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_sqs as sqs

from infra.constructs.alarms import (
    RUNBOOK,
    error_rate,
)
from infra.constructs.bot_function import BotFunction
from valine.agents import AGENTS
from valine.core.phases import (
    PhaseConfig,
)
from valine.metrics import METRICS, NAMESPACE, ROLES

NET_REJECTED = "IF(FILL(r, 0) - FILL(o, 0) > 0, FILL(r, 0) - FILL(o, 0), 0)"


def rollback_trigger(phase: PhaseConfig) -> str:
    return "any error" if phase.error_rate_rollback_pct == 0 else f"> {phase.error_rate_rollback_pct}%"


class DashboardWidgets:
    """The dashboard's widgets, drawn from the metric registry, the agents and the phase."""

    _stage: str
    dashboard: cw.Dashboard
    alarms: dict[str, cw.Alarm]

    if TYPE_CHECKING:  # provided by the class this mixes into; declared for the type checker only
        def custom(self, name: str, period: Duration, statistic: str = "Sum", **dims: str) -> cw.Metric: ...

    def _widgets(self, functions: dict[str, BotFunction], table: dynamodb.TableV2, queue: sqs.IQueue,
                 dead_letters: sqs.IQueue, phase: PhaseConfig, api: apigw.HttpApi) -> None:
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
                cw.GraphWidget(title=f"{title}: error rate % (Lambda errors + handled failures)", width=6,
                               left=[error_rate(fn.alias, kind, stage=self._stage, period=hour)]),
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
            cw.GraphWidget(title="Requests by agent and role", width=8, stacked=True, left=[
                self.custom("Requests", hour, Agent=a.name, Role=r) for a in AGENTS for r in ROLES]),
            # The sections are the team's site's, not a list known at synth: a search finds each one that
            # had a preview (CloudWatch SEARCH, graphs only; the schema names the exact dimension set).
            cw.GraphWidget(title="Previews by agent and section", width=8, stacked=True, left=[cw.MathExpression(
                expression=f"SEARCH('{{{NAMESPACE},Agent,Section,Stage}} MetricName=\"Previews\" "
                           f"Stage=\"{self._stage}\"', 'Sum', 3600)",
                using_metrics={}, label="", period=hour)]),
            cw.GraphWidget(title="Confirmation rate % (confirms / previews)", width=8, left=[cw.MathExpression(
                expression="IF(p > 0, 100 * c / p, 0)", label="confirmation rate %", period=hour,
                using_metrics={"p": self.custom("Previews", hour), "c": self.custom("Confirmations", hour)})]),
        )
        d.add_widgets(
            cw.GraphWidget(title="Outcomes", width=8, left=[
                self.custom(n, hour) for n in ("Confirmations", "Cancellations", "ConversationsExpired",
                                               "PullRequestsCreated", "PullRequestsFailed", "Refused")],
                right=[self.custom("RateLimited", hour, Kind=k) for k in METRICS["RateLimited"].values]),
            cw.GraphWidget(title="Time from preview to confirmation (avg, ms)", width=8, left=[
                self.custom("PreviewToConfirmation", hour, statistic="Average"),
                self.custom("PreviewLatency", hour, statistic="Average"),
                self.custom("PullRequestLatency", hour, statistic="Average")]),
            cw.GraphWidget(title="Accuracy proxy: first previews confirmed unchanged %, LLM vs rules", width=8,
                           left=[cw.MathExpression(
                               expression=f"IF(p{f} > 0, 100 * FILL(c{f}, 0) / p{f}, 0)", label=f"{f} %",
                               period=Duration.days(1),
                               using_metrics={f"p{f}": self.custom("FirstPreviews", Duration.days(1), Parser=f),
                                              f"c{f}": self.custom("ConfirmedUnchanged", Duration.days(1), Parser=f)})
                                 for f in METRICS["FirstPreviews"].values]),
            cw.GraphWidget(title="Parsing: clarifications, invalid requests, LLM ok / fallback", width=8, left=[
                *[self.custom("ParseOutcome", hour, Agent=a.name, Outcome=o) for a in AGENTS
                  for o in METRICS["ParseOutcome"].values],
                *[self.custom("LlmParses", hour, Outcome=o) for o in METRICS["LlmParses"].values]]),
        )
        d.add_widgets(*[
            cw.GraphWidget(title=f"{a.title} agent: requests, previews, confirmations, PRs", width=24 // len(AGENTS),
                           left=[self.custom(n, hour, Agent=a.name) for n in (
                               "Requests", "Previews", "Confirmations", "Cancellations", "PullRequestsCreated",
                               "PullRequestsFailed")])
            for a in AGENTS])
        d.add_widgets(
            cw.GraphWidget(title="LLM cost (USD per day, per request)", width=8, left=[
                self.custom("LlmCostUsd", Duration.days(1))], right=[
                self.custom("LlmCostUsd", hour, statistic="Average")]),
            cw.GraphWidget(title="Job queue depth and dead letters", width=8, left=[
                queue.metric_approximate_number_of_messages_visible(statistic="Maximum", period=five),
                dead_letters.metric_approximate_number_of_messages_visible(statistic="Maximum", period=five)]),
            cw.GraphWidget(title="Cold starts and handled errors", width=8, left=[
                *[self.custom("ColdStarts", hour, Function=f) for f in METRICS["ColdStarts"].values],
                *[self.custom("HandledFailures", hour, Function=f) for f in METRICS["HandledFailures"].values],
                self.custom("MessagesGone", hour),
                *[self.custom("JobsFailed", hour, Kind=k) for k in METRICS["JobsFailed"].values]]),
        )
        d.add_widgets(
            cw.GraphWidget(title="HTTP API: 5xx and p99 latency (ms)", width=8,
                           left=[api.metric_server_error(period=five, statistic="Sum")],
                           right=[api.metric_latency(period=five, statistic="p99")]),
            cw.GraphWidget(title="Endpoint probe (P0): failures and latency (ms)", width=8,
                           left=[self.custom("EndpointProbeFailures", five)],
                           right=[self.custom("EndpointProbeLatency", five, statistic="Maximum")]),
            cw.GraphWidget(title="End-to-end preview time p50 / p95 (ms)", width=8, left=[
                self.custom("PreviewLatency", five, statistic=s) for s in ("p50", "p95")]),
        )
        month = Duration.days(30)
        d.add_widgets(
            cw.SingleValueWidget(title="Effectiveness, 30 days: previews confirmed % (plan: >= 80%)", width=4,
                                 metrics=[cw.MathExpression(
                                     expression="IF(p > 0, 100 * c / p, 0)", label="confirmed %", period=month,
                                     using_metrics={"p": self.custom("Previews", month),
                                                    "c": self.custom("Confirmations", month)})]),
            cw.SingleValueWidget(title="Quality, 30 days: pull requests rejected % (plan: < 5%)", width=4,
                                 metrics=[cw.MathExpression(
                                     # A closed pull request reopened later is no rejection: r - o.
                                     expression=f"IF(FILL(m, 0) + {NET_REJECTED} > 0, 100 * {NET_REJECTED} / "
                                                f"(FILL(m, 0) + {NET_REJECTED}), 0)",
                                     label="rejected %", period=month,
                                     using_metrics={"m": self.custom("PullRequestsMerged", month),
                                                    "r": self.custom("PullRequestsRejected", month),
                                                    "o": self.custom("PullRequestsReopened", month)})]),
            cw.SingleValueWidget(title="Adoption: % of eligible users in 30 days (plan: >= 50%); weekly active",
                                 width=4, metrics=[self.custom("AdoptionPct", Duration.days(1), statistic="Maximum"),
                                                   self.custom("WeeklyActiveUsers", Duration.days(1),
                                                               statistic="Maximum")]),
            cw.SingleValueWidget(title="Speed, 30 days: preview p95 ms (plan: < 5000)", width=4, metrics=[
                self.custom("PreviewLatency", month, statistic="p95")]),
            cw.GraphWidget(title="Feedback per day: helpful, not helpful, comments, /feedback", width=6, left=[
                self.custom("Feedback", Duration.days(1), Kind=k) for k in METRICS["Feedback"].values]),
            cw.GraphWidget(title="Pull requests merged and rejected per day", width=6, left=[
                self.custom(n, Duration.days(1), Agent=a.name) for a in AGENTS
                for n in ("PullRequestsMerged", "PullRequestsRejected")]),
        )
        d.add_widgets(cw.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=24))
