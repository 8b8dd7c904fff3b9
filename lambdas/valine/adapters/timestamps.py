"""The table's time format: the by-time index's sort key (``created_at``) and the audit fields."""

from __future__ import annotations

import datetime as dt


def iso(ts: float) -> str:
    """ISO 8601 in UTC with microseconds, so keys sort as the times do."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
