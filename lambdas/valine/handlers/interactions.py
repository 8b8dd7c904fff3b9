"""Lambda entry point behind ``POST /discord`` (API Gateway HTTP API, payload 2.0)."""

from __future__ import annotations

from typing import Any

from valine.handlers.apigw import serve
from valine.wiring import interactions_app

_cold = True


def handler(event: dict[str, Any], context: Any = None, app: Any = None) -> dict[str, Any]:
    """``app`` lets ``make local`` and the tests inject their own composition; Lambda passes none."""
    global _cold
    app = app or interactions_app()
    if _cold:
        _cold = False
        app.metrics.count("ColdStarts", Function="interactions")
    return serve(event, app)
