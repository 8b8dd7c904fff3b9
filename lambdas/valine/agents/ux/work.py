"""The UX agent's worker half.

A request is read against the site model of the base branch (``valine.site``): the texts, links,
lists and colours the team's code actually renders. A repository's ``.valine/catalog.json`` is
optional: its pinned rules (the example site's ``data-ux`` anchors) answer first when they apply,
its aliases name sections, and its allow/deny lists say what may be written. Every proposal is
checked before anyone sees it: each file still parses in its language and no import is left unused.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from valine.agents.ux import SPEC
from valine.agents.ux.catalog import Catalog
from valine.agents.ux.edits import apply_intent
from valine.agents.ux.intent import Clarify, Intent, ParseResult
from valine.agents.ux.jsx import EditError
from valine.agents.ux.proposal import Proposal, Question
from valine.agents.ux.understand import understand
from valine.core.agent import AgentSpec
from valine.core.ports import SiteSections
from valine.core.task import Task
from valine.core.work import Ask, Change, Edited
from valine.markup import code_span
from valine.site.places import section_names
from valine.site.source import SiteSource
from valine.site.writing import WriteError, apply, problems, tidy_imports

log = logging.getLogger("valine.agents.ux")


class UxWork:
    spec: AgentSpec = SPEC

    def __init__(self, *, catalog: Callable[[], Catalog | None], parse: Callable[[Task, Catalog], ParseResult],
                 site: SiteSource | None = None, sections: SiteSections | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.catalog = catalog
        self.parse = parse
        self.site = site
        self.sections = sections
        self.clock = clock

    def understand(self, task: Task) -> Change | Ask:
        snapshot = self.site.current() if self.site is not None else None
        catalog = _catalog_in(snapshot) if snapshot is not None else self.catalog()
        pinned: Ask | None = None
        if catalog is not None and catalog.pinned:
            found = self._pinned(task, catalog)
            if isinstance(found, Change) or self.site is None:
                return found
            pinned = found
        if snapshot is None:
            return Ask("This repository has no .valine/catalog.json and the site model is not available here.",
                       outcome="unsupported")
        named = {s.file: (s.name, *s.aliases) for s in catalog.sections.values() if s.file} if catalog else None
        model = snapshot.model()
        self._publish(model, named, snapshot.head.tree_sha)
        result = understand(task.request, model, pick=task.pick, named=named)
        if isinstance(result, Question):
            # The pinned rules' own question (the example site's wording) when they had one.
            if pinned is not None:
                return pinned
            return Ask(result.text, outcome="unsupported" if result.outcome == "unsupported" else "clarify",
                       parser="site", choices=tuple(result.choices))
        return self._change(result, snapshot, catalog)

    def _publish(self, model: Any, named: dict[str, tuple[str, ...]] | None, tree: str) -> None:
        """The sections the autocomplete offers and /agents names: this tree's (a failure only logs)."""
        if self.sections is None:
            return
        try:
            self.sections.publish(section_names(model, named), tree, self.clock())
        except Exception:  # the request itself does not depend on it
            log.warning("could not publish the site's sections", exc_info=True)

    def _change(self, proposal: Proposal, snapshot: Any, catalog: Catalog | None) -> Change | Ask:
        try:
            new = apply(snapshot.texts, proposal.splices)
        except WriteError as exc:
            return Ask(f"I would not propose that: {exc}.", outcome="invalid", parser="site")
        notes = list(proposal.notes)
        for path in sorted(new):
            new[path], dropped = tidy_imports(path, snapshot.texts[path], new[path])
            if dropped:
                notes.append(f"{', '.join(dropped)} {'is' if len(dropped) == 1 else 'are'} no longer used in {path}, "
                             "so the import goes too.")
        if catalog is not None:
            refused = sorted(p for p in new if not catalog.allows(p))
            if refused:
                return Ask(f"The change would touch {', '.join(refused)}, which the repository's .valine/catalog.json "
                           "does not let me edit. Ask the site's maintainers, or change the catalog's allow/deny "
                           "lists.", outcome="unsupported", parser="site")
        found = [p for path, text in new.items() for p in problems(path, snapshot.texts[path], text)]
        if found:
            return Ask(f"I would not propose that: {'; '.join(found)}.", outcome="invalid", parser="site")
        edited = tuple(Edited(snapshot.file(path), text) for path, text in sorted(new.items()))
        first = edited[0].before.path
        return Change(path=first, part=_slug(proposal.part), summary=proposal.summary, intent=proposal.intent,
                      parser="site", edit=lambda source: source, edited=edited, notes=tuple(notes))

    def _pinned(self, task: Task, catalog: Catalog) -> Change | Ask:
        """The example site's way: a property rule of the catalog pins the element."""
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
        if "section" in intent:
            return f"{self.spec.title}: {intent.get('section')} {', '.join(intent.get('changes') or {})}"
        return f"{self.spec.title}: {task.summary or task.part or 'site'}"

    def pr_changes(self, task: Task) -> str:
        intent = task.intent or {}
        if "changes" in intent:
            changes = intent.get("changes") or {}
            return "\n".join(f"- {code_span(k)} → {code_span(str(v))}" for k, v in changes.items())
        files = [task.target_path, *(f["path"] for f in task.more_files)]
        lines = [f"- {code_span(task.summary or '')}"] + [f"- file {code_span(str(p))}" for p in files if p]
        return "\n".join(lines + [f"- note: {code_span(n)}" for n in task.notes])


_CATALOGS: dict[str, Catalog] = {}


def _catalog_in(snapshot: Any) -> Catalog | None:
    """The repository's .valine/catalog.json at the snapshot's commit (parsed once per blob), or None."""
    import json

    from valine.agents.ux.catalog import REPO_CATALOG_PATH, CatalogError
    from valine.core.work import UserFacingError

    text = snapshot.texts.get(REPO_CATALOG_PATH)
    if text is None:
        return None
    sha = snapshot.blob_ids[REPO_CATALOG_PATH]
    if sha not in _CATALOGS:
        try:
            _CATALOGS[sha] = Catalog.from_json(json.loads(text))
        except (ValueError, CatalogError) as exc:
            raise UserFacingError(f"the repository's {REPO_CATALOG_PATH} is invalid: {exc}") from exc
    return _CATALOGS[sha]


def _slug(part: str) -> str:
    """The part's name as a branch name and metric dimension: lowercase letters, digits and dashes."""
    import re

    slug = re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-")[:32]
    return slug or "site"


def build(deps: Any) -> UxWork:
    from valine.agents.ux.parsing import CatalogSource, RequestParser

    return UxWork(catalog=CatalogSource(deps.github, deps.base_branch),
                  parse=RequestParser(phase=deps.settings.phase, flags=deps.flags, llm=deps.llm),
                  site=getattr(deps, "site", None), sections=getattr(deps, "sections", None))
