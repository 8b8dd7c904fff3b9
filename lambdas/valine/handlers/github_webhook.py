"""Lambda entry point behind ``POST /github`` (API Gateway HTTP API, payload 2.0), and of the notices
queue it fills (SQS records: pull-request outcomes to post in the task's channel)."""

from __future__ import annotations

from typing import Any

from valine.handlers.apigw import serve
from valine.wiring import settings
from valine.wiring.support import github_webhook_app, run_notices


def handler(event: dict[str, Any], context: Any = None, app: Any = None) -> dict[str, Any]:
    if "Records" in event:
        return run_notices(settings(), event)
    return serve(event, app or github_webhook_app())
