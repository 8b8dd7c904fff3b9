"""The UX agent's worker half: the catalog, the parsers (rules, LLM) and tree-sitter edits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from valine.agents.ux import SPEC
from valine.agents.ux.catalog import Catalog
from valine.agents.ux.edits import apply_intent
from valine.agents.ux.intent import Clarify, Intent, ParseResult
from valine.agents.ux.jsx import EditError
from valine.core.agent import AgentSpec, Ask, Change
from valine.core.task import Task
from valine.markup import code_span


class UxWork:
    spec: AgentSpec = SPEC

    def __init__(self, *, catalog: Callable[[], Catalog], parse: Callable[[Task, Catalog], ParseResult]) -> None:
        self.catalog = catalog
        self.parse = parse

    def understand(self, task: Task) -> Change | Ask:
        catalog = self.catalog()
        result = self.parse(task, catalog)
        if isinstance(result, Clarify):
            return Ask(result.question, outcome="clarify", parser=result.parser)
        if not isinstance(result, Intent):
            return Ask(f"{result.message[:1].upper()}{result.message[1:]}", outcome="invalid", parser=result.parser)
        intent = result
        section = catalog.sections[intent.section]

        def edit(source: str) -> str | Ask:
            try:
                return apply_intent(source, intent, catalog)
            except EditError as exc:
                return Ask(f"I cannot apply that: {exc}", outcome="invalid")

        changes = ", ".join(f"{k} → {v}" for k, v in intent.changes.items())
        return Change(path=section.file, part=section.name, summary=f"{section.name}: {changes}",
                      intent=intent.to_json(), parser=intent.parser, edit=edit)

    def pr_title(self, task: Task) -> str:
        intent = task.intent or {}
        return f"{self.spec.title}: {intent.get('section')} {', '.join(intent.get('changes') or {})}"

    def pr_changes(self, task: Task) -> str:
        return "\n".join(f"- {code_span(k)} → {code_span(str(v))}"
                         for k, v in ((task.intent or {}).get("changes") or {}).items())


def build(deps: Any) -> UxWork:
    from valine.agents.ux.parsing import CatalogSource, RequestParser

    return UxWork(catalog=CatalogSource(deps.github, deps.base_branch),
                  parse=RequestParser(phase=deps.settings.phase, flags=deps.flags, llm=deps.llm))
