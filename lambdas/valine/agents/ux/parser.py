"""One entry point for understanding a request without an LLM."""

from __future__ import annotations

from valine.agents.ux.catalog import Catalog
from valine.agents.ux.grammar import looks_structured, parse_structured
from valine.agents.ux.intent import Intent, ParseResult
from valine.agents.ux.natural import parse_natural
from valine.agents.ux.validate import validate


def parse_request(text: str, catalog: Catalog) -> ParseResult:
    """Structured grammar when the request starts with ``section:``, plain English otherwise;
    an intent is validated (and its values normalised) before anyone sees a preview."""
    result = parse_structured(text, catalog) if looks_structured(text) else parse_natural(text, catalog)
    if isinstance(result, Intent):
        return validate(result, catalog)
    return result
