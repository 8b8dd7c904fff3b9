"""Lambda entry point behind ``POST /github`` (API Gateway HTTP API, payload 2.0)."""

from __future__ import annotations

from typing import Any

from valine.handlers.apigw import serve
from valine.wiring import github_webhook_app


def handler(event: dict[str, Any], context: Any = None, app: Any = None) -> dict[str, Any]:
    return serve(event, app or github_webhook_app())
