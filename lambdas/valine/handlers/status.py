"""Scheduled: every day, the last 24 hours' key metrics; every Monday (``{"report": "weekly"}``),
the weekly report. Both go to the team channel."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from valine.adapters.aws import client
from valine.adapters.secrets import SecretsCache
from valine.metrics import EmfMetrics
from valine.ops.cloudwatch import CloudWatchReader
from valine.ops.daily import daily_report
from valine.settings import Settings
from valine.wiring import settings

log = logging.getLogger("valine.status")


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    if (event or {}).get("report") == "weekly":
        return run_weekly_report(settings())
    return run_daily_status(settings())


def _bot_post(s: Settings) -> Callable[[str, str], str]:
    from valine.adapters.discord_channel import DiscordChannelHttp

    secrets = SecretsCache(client("secretsmanager", s.aws_endpoint_url, fast=False))
    token = secrets.json(s.bot_token_secret_arn, required="bot_token", example='{"bot_token":"..."}')["bot_token"]
    return DiscordChannelHttp(api_url=s.discord_api_url, bot_token=str(token)).post


def _adoption(s: Settings, now: dt.datetime, *, with_token: bool = True) -> Any:
    from valine.adapters.dynamodb import DynamoTaskStore
    from valine.ops.adoption import eligible_users, measure

    token = None
    if with_token and s.bot_token_secret_arn:
        secrets = SecretsCache(client("secretsmanager", s.aws_endpoint_url, fast=False))
        token = str(secrets.json(s.bot_token_secret_arn, required="bot_token",
                                 example='{"bot_token":"..."}')["bot_token"])
    eligible, why = eligible_users(s, s.phase, configured=json.loads(s.eligible_users or "{}"), bot_token=token)
    store = DynamoTaskStore(client("dynamodb", s.aws_endpoint_url, fast=False), s.table_name,
                            retention_days=s.audit_retention_days)
    tasks = store.created_between(now.timestamp() - 30 * 86400, now.timestamp())
    return measure(tasks, now=now.timestamp(), window_hours=7 * 24, eligible=eligible, why_no_eligible=why)


def _publish_adoption(s: Settings, now: dt.datetime, metrics: EmfMetrics, with_token: bool) -> None:
    """The dashboard's adoption: distinct requesters in 30 days against the eligible users, daily."""
    try:
        adoption = _adoption(s, now, with_token=with_token)
    except Exception:  # the daily status still goes out; the gauge waits for tomorrow
        log.exception("adoption not measured")
        return
    metrics.count("WeeklyActiveUsers", float(adoption.unique_7d))
    pct = adoption.pct(adoption.unique_30d)
    if pct is not None:
        metrics.percent("AdoptionPct", pct)


def run_weekly_report(s: Settings, *, now: dt.datetime | None = None,
                      post: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    """The plan's weekly report: the phase's criteria over 7 days with measured values, adoption,
    confirmation and rejection rates, feedback and the alarms that fired."""
    from valine.adapters.feedback import DynamoFeedback
    from valine.ops.report import gather, weekly_text

    now = now or dt.datetime.now(dt.UTC)
    metrics = EmfMetrics(stage=s.stage)
    reader = CloudWatchReader(client("cloudwatch", s.aws_endpoint_url, fast=False))
    db = client("dynamodb", s.aws_endpoint_url, fast=False)
    post = post or (_bot_post(s) if s.status_channel_id else None)
    adoption = _adoption(s, now)
    evidence = gather(s.phase, stage=s.stage, now=now, hours=7 * 24, reader=reader, alarms=reader,
                      feedback=DynamoFeedback(db, s.table_name, retention_days=s.audit_retention_days).between,
                      adoption=adoption, region=s.region)
    text = weekly_text(evidence)
    if post is None or not s.status_channel_id:
        log.info(json.dumps({"event": "weekly_report", "posted": False, "text": text}))
        return {"posted": False, "text": text}
    problem = post(s.status_channel_id, text)
    if problem:
        metrics.count("HandledFailures", Function="status")
    log.info(json.dumps({"event": "weekly_report", "posted": not problem, "problem": problem}))
    return {"posted": not problem, "text": text}


def run_daily_status(s: Settings, *, now: dt.datetime | None = None,
                     post: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    """``post(channel, text)`` returns "" when posted or why not; by default, as the bot over HTTP."""
    now = now or dt.datetime.now(dt.UTC)
    metrics = EmfMetrics(stage=s.stage)
    text = daily_report(phase=s.phase, stage=s.stage, now=now, region=s.region,
                        reader=CloudWatchReader(client("cloudwatch", s.aws_endpoint_url, fast=False)))
    # DynamoDB has no item-count metric; DescribeTable's (refreshed about every 6 hours) feeds the dashboard.
    table = client("dynamodb", s.aws_endpoint_url, fast=False).describe_table(TableName=s.table_name)["Table"]
    metrics.count("TableItemCount", float(table.get("ItemCount", 0)))
    _publish_adoption(s, now, metrics, post is None)
    if not s.status_channel_id:
        log.info(json.dumps({"event": "daily_status", "posted": False, "text": text}))
        return {"posted": False, "text": text}
    if post is None:
        from valine.adapters.discord_channel import DiscordChannelHttp

        secrets = SecretsCache(client("secretsmanager", s.aws_endpoint_url, fast=False))
        token = secrets.json(s.bot_token_secret_arn, required="bot_token", example='{"bot_token":"..."}')["bot_token"]
        post = DiscordChannelHttp(api_url=s.discord_api_url, bot_token=str(token)).post
    problem = post(s.status_channel_id, text)
    if problem:
        # Lambda sees a successful invocation; the StatusFailures alarm reads this instead.
        metrics.count("HandledFailures", Function="status")
    log.info(json.dumps({"event": "daily_status", "posted": not problem, "problem": problem}))
    return {"posted": not problem, "text": text}
