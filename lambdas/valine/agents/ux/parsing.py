"""How the worker understands a request: the rule-based parser, with the LLM in front of
it only when the phase, the kill switch and the user allow (see valine.agents.ux.llm)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from valine.agents.ux.catalog import REPO_CATALOG_PATH, Catalog, CatalogError
from valine.agents.ux.intent import ParseResult
from valine.agents.ux.llm import LlmParser, llm_allowed
from valine.agents.ux.parser import parse_request
from valine.core.phases import PhaseConfig
from valine.core.ports import FlagSource
from valine.core.task import Task
from valine.site.repo_config import RepoConfig

log = logging.getLogger("valine.parsing")


def CatalogSource(github: Any, base_branch: str, *,  # noqa: N802
                  max_age: float = 300.0) -> RepoConfig[Catalog | None]:
    """The target repository's ``.valine/catalog.json``, or None: never another site's catalog."""
    return RepoConfig(github, base_branch, path=REPO_CATALOG_PATH, parse=Catalog.from_json, default=lambda: None,
                      errors=(CatalogError,), max_age=max_age)


class RequestParser:
    """Rules by default; the LLM first when the phase, the kill switch and the user allow.

    ``llm`` builds the LLM parser on first use (the composition root supplies it, with its
    OpenAI client and DynamoDB budget); building it may fail, e.g. while the OpenAI secret
    is not filled, and then the rules answer and say why.
    """

    def __init__(self, *, phase: PhaseConfig, flags: FlagSource, llm: Callable[[], LlmParser]) -> None:
        self._phase = phase
        self._flags = flags
        self._build = llm
        self._llm: LlmParser | None = None

    def __call__(self, task: Task, catalog: Catalog) -> ParseResult:
        allowed, why = llm_allowed(self._phase, self._flags.current().use_llm_parsing, task)
        if not allowed:
            return parse_request(task.request, catalog)
        try:
            llm = self._llm or self._build()
        except Exception as exc:  # e.g. the OpenAI secret is not filled yet
            log.warning("LLM parser unavailable: %s", exc)
            result = parse_request(task.request, catalog)
            return _relabel(result, f"rules (LLM fallback: {str(exc)[:160]})")
        self._llm = llm
        return llm.parse(task, catalog)


def _relabel(result: ParseResult, parser: str) -> ParseResult:
    from dataclasses import replace

    return replace(result, parser=parser)
