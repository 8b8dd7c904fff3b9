"""The composition root for the functions people do not call directly: the GitHub webhook and its
notices, the status reports, the incident relay, the sweep and the probe."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from valine.adapters.aws import client
from valine.adapters.dynamodb import DynamoTaskStore, task_from_item
from valine.adapters.sqs import SqsJobQueue
from valine.agents import AGENTS
from valine.core.clock import SystemClock
from valine.core.task import Task
from valine.metrics import EmfMetrics
from valine.settings import Settings
from valine.wiring import _secrets, bot_token, channel_poster, eligible_users, settings

if TYPE_CHECKING:
    from valine.github_webhook import GitHubWebhooks
    from valine.ops.adoption import Eligible
    from valine.ops.status import StatusReports


def build_github_webhook(settings: Settings, *, notify: Callable[[Task], None] | None = None) -> GitHubWebhooks:
    """``POST /github``: pull requests the bot opened being merged or closed; telling the requester is
    a ``notify`` job for the worker, so GitHub is answered at once whatever Discord does."""
    from valine.adapters.deliveries import DynamoDeliveries
    from valine.github_webhook import GitHubWebhooks
    from valine.workflow.notices import notice_job

    secrets = _secrets(settings)
    db = client("dynamodb", settings.aws_endpoint_url, fast=False)

    def secret() -> str:
        return str(secrets.json(settings.github_webhook_secret_arn, required="secret",
                                example='{"secret":"<the webhook secret GitHub signs with>"}')["secret"])

    # Telling the requester goes through the function's own notices queue (it consumes it too, as the bot).
    queue = SqsJobQueue(client("sqs", settings.aws_endpoint_url), settings.notice_queue_url)

    def enqueue(task: Task) -> None:
        queue.send(notice_job(task))

    return GitHubWebhooks(
        repository=settings.github_repository,
        store=DynamoTaskStore(db, settings.table_name, retention_days=settings.audit_retention_days),
        deliveries=DynamoDeliveries(db, settings.table_name), metrics=EmfMetrics(stage=settings.stage),
        clock=SystemClock(), secret=secret, notify=notify or enqueue)


def run_notices(settings: Settings, event: dict[str, Any], *, post: Callable[..., str] | None = None) -> dict[str, Any]:
    """The notices queue's records: each pull-request outcome posted in the task's channel, once."""
    from valine.workflow.notices import send_batch

    db = client("dynamodb", settings.aws_endpoint_url, fast=False)
    store = DynamoTaskStore(db, settings.table_name, retention_days=settings.audit_retention_days)
    poster = post or channel_poster(settings, _secrets(settings))
    return send_batch(event, store=store, post=lambda c, t, m, n: poster(c, t, m, nonce=n),
                      titles={a.name: a.title for a in AGENTS}, metrics=EmfMetrics(stage=settings.stage))


def build_status(settings: Settings, *, post: Callable[[str, str], str] | None = None) -> StatusReports:
    """The daily status and weekly report: CloudWatch, the tasks and feedback in the table, the channel."""
    import json as _json

    from valine.adapters.cloudwatch import CloudWatchReader
    from valine.adapters.feedback import DynamoFeedback
    from valine.ops.status import StatusReports

    s = settings
    db = client("dynamodb", s.aws_endpoint_url, fast=False)
    reader = CloudWatchReader(client("cloudwatch", s.aws_endpoint_url, fast=False))
    secrets = _secrets(s)

    def eligible() -> tuple[Eligible | None, str]:
        token = bot_token(s, secrets) if s.bot_token_secret_arn else None
        return eligible_users(s, s.phase, configured=_json.loads(s.eligible_users or "{}"), bot_token=token)

    if post is None and s.status_channel_id:
        post = channel_poster(s, secrets)
    tasks = DynamoTaskStore(db, s.table_name, retention_days=s.audit_retention_days)
    return StatusReports(
        phase=s.phase, stage=s.stage, region=s.region, channel=s.status_channel_id, reader=reader, alarms=reader,
        tasks=tasks, task_items=tasks.items_between, parse_item=task_from_item,
        feedback=DynamoFeedback(db, s.table_name, retention_days=s.audit_retention_days).between,
        eligible=eligible, table_items=lambda: int(db.describe_table(TableName=s.table_name)["Table"]
                                                    .get("ItemCount", 0)),
        metrics=EmfMetrics(stage=s.stage), post=post)


def run_relay(settings: Settings, event: dict[str, Any], *,
              post: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    """The incident relay: each alarm notification to the team channel, as the bot."""
    from valine.ops.incidents import relay

    return relay(event, channel=settings.status_channel_id, metrics=EmfMetrics(stage=settings.stage),
                 post=(lambda: post) if post is not None else (lambda: channel_poster(settings)))


def run_sweep(settings: Settings, *, lookback_seconds: int) -> int:
    """The expiry sweep over the tasks table."""
    from valine.workflow.sweep import sweep_expired

    store = DynamoTaskStore(client("dynamodb", settings.aws_endpoint_url, fast=False), settings.table_name,
                            retention_days=settings.audit_retention_days)
    return sweep_expired(store=store, clock=SystemClock(), metrics=EmfMetrics(stage=settings.stage),
                         lookback_seconds=lookback_seconds + settings.conversation_ttl_seconds)


def run_probe(settings: Settings) -> dict[str, Any]:
    """The P0 probe of the public endpoint."""
    from valine.adapters.endpoint import post_unsigned
    from valine.ops.probe import probe

    queue = SqsJobQueue(client("sqs", settings.aws_endpoint_url), settings.job_queue_url) \
        if settings.job_queue_url else None
    return probe(settings.probe_url, metrics=EmfMetrics(stage=settings.stage), send=post_unsigned, queue=queue)


@cache
def github_webhook_app() -> GitHubWebhooks:
    return build_github_webhook(settings())
