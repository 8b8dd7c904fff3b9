"""How the worker understands a request: the rule-based parser, with the LLM in front of
it only when the phase, the kill switch and the user allow (see valine.llm)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from valine.cache import TtlCache
from valine.ports import RepoFileMissing
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
        self._cache: TtlCache[Catalog] = TtlCache(max_age)

    def __call__(self) -> Catalog:
        return self._cache.get("catalog", self._load)

    def _load(self) -> Catalog:
        from valine.agent import UserFacingError

        try:
            raw = self._github.read_file(REPO_CATALOG_PATH, self._base).content
        except RepoFileMissing:
            return default_catalog()
        try:
            return Catalog.from_json(json.loads(raw))
        except (ValueError, CatalogError) as exc:
            raise UserFacingError(f"the repository's {REPO_CATALOG_PATH} is invalid: {exc}") from exc


class RequestParser:
    """Rules by default; the LLM first when the phase, the kill switch and the user allow."""

    def __init__(self, *, settings: Any, flags: Any, secrets: Any, metrics: Any, db: Any = None,
                 llm_client: Any = None) -> None:
        self._settings = settings
        self._flags = flags
        self._secrets = secrets
        self._metrics = metrics
        self._db = db
        self._llm_client = llm_client
        self._llm: Any = None

    def __call__(self, task: Task, catalog: Catalog) -> ParseResult:
        from valine.llm import llm_allowed

        allowed, why = llm_allowed(self._settings.phase, self._flags.current().use_llm_parsing, task)
        if not allowed:
            return parse_request(task.request, catalog)
        try:
            llm = self._llm or self._build_llm()
        except Exception as exc:  # e.g. the OpenAI secret is not filled yet
            log.warning("LLM parser unavailable: %s", exc)
            result = parse_request(task.request, catalog)
            return _relabel(result, f"rules (LLM fallback: {str(exc)[:160]})")
        return llm.parse(task, catalog)

    def _build_llm(self) -> Any:
        from valine.adapters.dynamodb import DynamoBudget
        from valine.adapters.openai_llm import OpenAiChat
        from valine.llm import LlmParser, Prices

        s = self._settings
        client = self._llm_client
        if client is None:
            key = self._secrets.json(s.openai_secret_arn, required="api_key", example='{"api_key":"sk-..."}')
            client = OpenAiChat(api_key=str(key["api_key"]), model=s.llm_model, timeout_seconds=s.llm_timeout_seconds,
                                max_retries=s.llm_max_retries, base_url=s.llm_base_url)
        self._llm = LlmParser(
            client=client, budget=DynamoBudget(self._db, s.table_name, stage=s.stage),
            prices=Prices(s.llm_input_usd_per_million, s.llm_output_usd_per_million),
            daily_cap_usd=s.llm_daily_cap_usd, stage=s.stage, model=s.llm_model, metrics=self._metrics,
            clock=time.time, fallback=parse_request)
        return self._llm


def _relabel(result: ParseResult, parser: str) -> ParseResult:
    from dataclasses import replace

    return replace(result, parser=parser)
