"""The P0 synthetic probe: a function on a one-minute schedule and the alarm that pages."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.constructs.alarms import AlarmFactory, AlarmSpec, Cadence, custom_metric
from infra.constructs.bot_function import scheduled_function
from valine.core import names
from valine.core.names import Env

PROBE_RATE = Duration.minutes(1)
# Three failed (or missing) minutes out of five: a dead endpoint pages within five minutes,
# one slow answer or one late metric does not.
PROBE_CADENCE = Cadence(60, 5, 3)


class EndpointProbe(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, url: str, code: lambda_.Code,
                 log_retention_days: int, alarm: AlarmFactory) -> None:
        super().__init__(scope, construct_id)
        self.function = scheduled_function(
            self, "Function", rule_id="Schedule", rule_description="The P0 endpoint probe",
            schedule=events.Schedule.rate(PROBE_RATE), retry_attempts=0,
            function_name=names.function_name("probe", stage),
            description="Every minute: an unsigned request to the Discord endpoint must get 401 within 1 s",
            handler="valine.handlers.probe.handler", code=code, environment={Env.STAGE: stage, Env.PROBE_URL: url},
            timeout=Duration.seconds(10), memory_mb=256, log_retention_days=log_retention_days)
        self.alarm = alarm(
            "EndpointProbe", custom_metric("EndpointProbeFailures", PROBE_CADENCE.period, stage=stage), 0,
            cadence=PROBE_CADENCE,
            # No data means the probe itself did not run: as alarming as a failed probe.
            missing=cw.TreatMissingData.BREACHING,
            spec=AlarmSpec("P0", "the Discord endpoint does not answer an unsigned request with 401 within 1 s "
                                 "(Discord bot unresponsive)", "endpoint-down"))
