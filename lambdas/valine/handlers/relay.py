"""Subscribed to the on-call topic: every alarm notification also reaches the team channel."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from valine.adapters.aws import client
from valine.adapters.secrets import SecretsCache
from valine.metrics import EmfMetrics
from valine.ops.incidents import incident_text, notifications
from valine.settings import Settings
from valine.wiring import settings

log = logging.getLogger("valine.relay")


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return relay(event, settings())


def relay(event: dict[str, Any], s: Settings, *, post: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    texts = [t for t in (incident_text(n) for n in notifications(event)) if t]
    if not texts:
        return {"posted": 0}
    if not s.status_channel_id:
        log.info(json.dumps({"event": "incident_relay", "posted": 0, "why": "no team channel", "texts": texts}))
        return {"posted": 0}
    if post is None:
        from valine.adapters.discord_channel import DiscordChannelHttp

        secrets = SecretsCache(client("secretsmanager", s.aws_endpoint_url, fast=False))
        token = secrets.json(s.bot_token_secret_arn, required="bot_token", example='{"bot_token":"..."}')["bot_token"]
        post = DiscordChannelHttp(api_url=s.discord_api_url, bot_token=str(token)).post
    posted = 0
    for text in texts:
        problem = post(s.status_channel_id, text)
        if problem:
            # SNS retries a failed Lambda delivery; a handled failure is counted and logged instead,
            # because on-call already has the page: the channel message is the courtesy copy.
            EmfMetrics(stage=s.stage).count("HandledFailures", Function="relay")
            log.warning(json.dumps({"event": "incident_relay", "problem": problem}))
        else:
            posted += 1
    return {"posted": posted}
