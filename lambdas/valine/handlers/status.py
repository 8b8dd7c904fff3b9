"""Scheduled: every day, the last 24 hours' key metrics; every Monday (``{"report": "weekly"}``),
the weekly report. Both go to the team channel (valine.ops.status)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from valine.settings import Settings
from valine.wiring import settings
from valine.wiring.support import build_status


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    if (event or {}).get("report") == "weekly":
        return run_weekly_report(settings())
    return run_daily_status(settings())


def run_daily_status(s: Settings, *, now: dt.datetime | None = None,
                     post: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    """``post(channel, text)`` returns "" when posted or why not; by default, as the bot over HTTP."""
    return build_status(s, post=post).daily(now)


def run_weekly_report(s: Settings, *, now: dt.datetime | None = None,
                      post: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    return build_status(s, post=post).weekly(now)
