"""Lambda entry point behind ``POST /discord`` (API Gateway HTTP API, payload 2.0)."""

from __future__ import annotations

import base64
import json
from typing import Any

from valine.wiring import interactions_app

_cold = True


def handler(event: dict[str, Any], context: Any = None, app: Any = None) -> dict[str, Any]:
    """``app`` lets ``make local`` and the tests inject their own composition; Lambda passes none."""
    global _cold
    app = app or interactions_app()
    if _cold:
        _cold = False
        app.metrics.count("ColdStarts", Function="interactions")
    body = event.get("body") or ""
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode("utf-8")
    except ValueError:
        return {"statusCode": 400, "headers": {"content-type": "application/json"},
                "body": '{"error":"body is not valid base64"}'}
    response = app.handle(event.get("headers") or {}, raw)
    return {"statusCode": response.status, "headers": response.headers, "body": json.dumps(response.body)}
