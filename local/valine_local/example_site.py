"""The example site's own catalog (example-site/.valine/catalog.json): the structured grammar's and the
rule parser's fixture for the local tools and the tests. The bot reads a repository's catalog from that
repository; it never falls back to this one."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from valine.agents.ux.catalog import Catalog

EXAMPLE_SITE = Path(__file__).resolve().parents[2] / "example-site"
EXAMPLE_CATALOG = EXAMPLE_SITE / ".valine" / "catalog.json"


@cache
def example_catalog() -> Catalog:
    return Catalog.from_json(json.loads(EXAMPLE_CATALOG.read_text(encoding="utf-8")))
