"""Scheduled every 5 minutes: mark abandoned previews expired (valine.workflow.sweep)."""

from __future__ import annotations

from typing import Any

from valine.wiring import settings
from valine.wiring.support import run_sweep

# Previews live conversation_ttl_minutes; a day of lookback covers any TTL the stage allows.
LOOKBACK_SECONDS = 24 * 3600


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return {"marked": run_sweep(settings(), lookback_seconds=LOOKBACK_SECONDS)}
