"""Scheduled once a day: post the last 24 hours' key metrics to the team channel."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from typing import Any

import requests

from valine.adapters.aws import client
from valine.adapters.http import Retrying, RetryPolicy
from valine.adapters.secrets import SecretsCache
from valine.metrics import EmfMetrics
from valine.ops.cloudwatch import CloudWatchReader
from valine.ops.daily import daily_report
from valine.settings import Settings
from valine.wiring import settings

log = logging.getLogger("valine.status")


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return run_daily_status(settings(), channel_id=os.environ.get("STATUS_CHANNEL_ID", ""),
                            bot_token_secret=os.environ.get("DISCORD_BOT_TOKEN_SECRET_ARN", ""))


def run_daily_status(s: Settings, *, channel_id: str, bot_token_secret: str,
                     now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or dt.datetime.now(dt.UTC)
    text = daily_report(phase=s.phase, stage=s.stage, now=now,
                        reader=CloudWatchReader(client("cloudwatch", s.aws_endpoint_url, fast=False)))
    # DynamoDB has no item-count metric; DescribeTable's (refreshed about every 6 hours) feeds the dashboard.
    table = client("dynamodb", s.aws_endpoint_url, fast=False).describe_table(TableName=s.table_name)["Table"]
    EmfMetrics(stage=s.stage).count("TableItemCount", float(table.get("ItemCount", 0)))
    if not channel_id:
        log.info(json.dumps({"event": "daily_status", "posted": False, "text": text}))
        return {"posted": False, "text": text}
    secrets = SecretsCache(client("secretsmanager", s.aws_endpoint_url, fast=False))
    token = secrets.json(bot_token_secret, required="bot_token", example='{"bot_token":"..."}')["bot_token"]
    try:
        response = Retrying(RetryPolicy(attempts=4, total_seconds=20)).call(lambda timeout: requests.post(
            f"{s.discord_api_url}/channels/{channel_id}/messages", timeout=timeout,
            headers={"Authorization": f"Bot {token}", "User-Agent": "valine-status"},
            json={"content": text[:2000], "allowed_mentions": {"parse": []}}))
        posted, status = response.ok, str(response.status_code)
    except (requests.ConnectionError, requests.Timeout) as exc:
        posted, status = False, type(exc).__name__
    if not posted:
        # Lambda sees a successful invocation; the StatusFailures alarm reads this instead.
        EmfMetrics(stage=s.stage).count("HandledFailures", Function="status")
    log.info(json.dumps({"event": "daily_status", "posted": posted, "status": status}))
    return {"posted": posted, "text": text}
