"""How the worker understands a request: the rule-based parser, with the LLM in front of
it only when the phase, the kill switch and the user allow (see valine.llm)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from valine.tasks.model import Task
from valine.ux.catalog import REPO_CATALOG_PATH, Catalog, CatalogError, default_catalog
from valine.ux.intent import ParseResult
from valine.ux.parser import parse_request

log = logging.getLogger("valine.parsing")


class CatalogSource:
    """The target repository's ``.valine/catalog.json`` if it has one, else the default."""

    def __init__(self, github: Any, base_branch: str, *, max_age: float = 300.0) -> None:
        self._github = github
        self._base = base_branch
        self._max_age = max_age
        self._cached: tuple[float, Catalog] | None = None

    def __call__(self) -> Catalog:
        from valine.adapters.github import FileNotFound
        from valine.agent import UserFacingError

        now = time.monotonic()
        if self._cached and now - self._cached[0] < self._max_age:
            return self._cached[1]
        try:
            raw = self._github.read_file(REPO_CATALOG_PATH, self._base).content
        except FileNotFound:
            catalog = default_catalog()
        else:
            try:
                catalog = Catalog.from_json(json.loads(raw))
            except (ValueError, CatalogError) as exc:
                raise UserFacingError(f"the repository's {REPO_CATALOG_PATH} is invalid: {exc}") from exc
        self._cached = (now, catalog)
        return catalog


class RequestParser:
    def __init__(self, *, settings: Any, flags: Any, secrets: Any, metrics: Any) -> None:
        self._settings = settings
        self._flags = flags
        self._secrets = secrets
        self._metrics = metrics

    def __call__(self, task: Task, catalog: Catalog) -> ParseResult:
        return parse_request(task.request, catalog)
