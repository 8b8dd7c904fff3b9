"""The P0 synthetic probe: a function on a one-minute schedule, and the two alarms that page: the
endpoint's answer and the heartbeat job the worker completes."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.alarms import AlarmFactory, AlarmSpec, Cadence, custom_metric, down
from infra.constructs.bot_function import scheduled_function
from valine.core.names import Env

PROBE_RATE = Duration.minutes(1)
# Three failed (or missing) minutes out of five: a dead endpoint pages within five minutes,
# one slow answer or one late metric does not.
PROBE_CADENCE = Cadence(60, 5, 3)


class EndpointProbe(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, url: str,
                 log_retention_days: int, alarm: AlarmFactory, jobs: sqs.IQueue, failed_events: sqs.IQueue) -> None:
        super().__init__(scope, construct_id)
        self.function = scheduled_function(
            self, "Function", rule_id="Schedule", rule_description="The P0 endpoint probe",
            schedule=events.Schedule.rate(PROBE_RATE), retry_attempts=0,
            kind="probe", stage=stage,
            description="Every minute: an unsigned request to the Discord endpoint must get 401 within 1 s, and a "
                        "heartbeat job goes to the worker",
            environment={Env.STAGE: stage, Env.PROBE_URL: url, Env.JOB_QUEUE_URL: jobs.queue_url},
            timeout=Duration.seconds(10), memory_mb=256, log_retention_days=log_retention_days,
            failed_events=failed_events)
        jobs.grant_send_messages(self.function.alias)
        self.alarm = alarm(
            "EndpointProbe", custom_metric("EndpointProbeFailures", PROBE_CADENCE.period, stage=stage), 0,
            cadence=PROBE_CADENCE, missing=down("the probe itself did not run: as alarming as a failed probe"),
            spec=AlarmSpec("P0", "the Discord endpoint does not answer an unsigned request with 401 within 1 s "
                                 "(Discord bot unresponsive)", "endpoint-down"))
        # The real path: probe -> job queue -> worker -> metric. No heartbeat for three minutes of five
        # means people's requests are not being worked on either.
        self.heartbeat = alarm(
            "WorkerHeartbeat", custom_metric("Heartbeats", PROBE_CADENCE.period, stage=stage), 1,
            cadence=PROBE_CADENCE, below=True,
            missing=down("no heartbeat is the outage: the probe, the queue or the worker did not do its part"),
            spec=AlarmSpec("P0", "no heartbeat job completed: the worker is not taking jobs (requests stay at "
                                 "'thinking')", "stalled-worker"))
