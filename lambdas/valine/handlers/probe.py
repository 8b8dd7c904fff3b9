"""Scheduled every minute: the P0 probe of the public endpoint (valine.ops.probe)."""

from __future__ import annotations

from typing import Any

from valine.wiring import settings
from valine.wiring.support import run_probe


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return run_probe(settings())
