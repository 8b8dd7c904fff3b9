"""Scheduled every 5 minutes: mark abandoned previews expired (valine.workflow.sweep)."""

from __future__ import annotations

from typing import Any

from valine.adapters.aws import client
from valine.adapters.dynamodb import DynamoTaskStore
from valine.core.clock import SystemClock
from valine.metrics import EmfMetrics
from valine.wiring import settings
from valine.workflow.sweep import sweep_expired

# Previews live conversation_ttl_minutes; a day of lookback covers any TTL the stage allows.
LOOKBACK_SECONDS = 24 * 3600


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    s = settings()
    store = DynamoTaskStore(client("dynamodb", s.aws_endpoint_url, fast=False), s.table_name,
                            retention_days=s.audit_retention_days)
    marked = sweep_expired(store=store, clock=SystemClock(), metrics=EmfMetrics(stage=s.stage),
                           lookback_seconds=LOOKBACK_SECONDS + s.conversation_ttl_seconds)
    return {"marked": marked}
