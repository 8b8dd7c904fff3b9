"""Scheduled once a day: post the last 24 hours' key metrics to the team channel."""

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
    return run_daily_status(settings())


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
