"""Subscribed to the on-call topic: every alarm notification also reaches the team channel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from valine.settings import Settings
from valine.wiring import settings
from valine.wiring.support import run_relay


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return relay(event, settings())


def relay(event: dict[str, Any], s: Settings, *, post: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    return run_relay(s, event, post=post)
