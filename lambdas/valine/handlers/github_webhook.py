"""Lambda entry point behind ``POST /github`` (API Gateway HTTP API, payload 2.0)."""

from __future__ import annotations

import base64
import json
from typing import Any

from valine.wiring import github_webhook_app


def handler(event: dict[str, Any], context: Any = None, app: Any = None) -> dict[str, Any]:
    app = app or github_webhook_app()
    body = event.get("body") or ""
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode("utf-8")
    except ValueError:
        return {"statusCode": 400, "headers": {"content-type": "application/json"},
                "body": '{"error":"body is not valid base64"}'}
    response = app.handle(event.get("headers") or {}, raw)
    return {"statusCode": response.status, "headers": {"content-type": "application/json"},
            "body": json.dumps(response.body)}
