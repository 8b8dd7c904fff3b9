"""What every handler behind the HTTP API does around its app: the raw body of an API Gateway
(payload 2.0) event, and the app's answer as the proxy response."""

from __future__ import annotations

import base64
import json
from typing import Any, Protocol

from valine.discord.caller import HttpResponse

BAD_BODY = {"statusCode": 400, "headers": {"content-type": "application/json"},
            "body": '{"error":"body is not valid base64"}'}


class App(Protocol):
    def handle(self, headers: dict[str, str], raw: bytes) -> HttpResponse: ...


def serve(event: dict[str, Any], app: App) -> dict[str, Any]:
    """The exact bytes the sender signed go to ``app``: Discord and GitHub sign the raw body."""
    body = event.get("body") or ""
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode("utf-8")
    except ValueError:
        return dict(BAD_BODY)
    response = app.handle(event.get("headers") or {}, raw)
    return {"statusCode": response.status, "headers": response.headers, "body": json.dumps(response.body)}
