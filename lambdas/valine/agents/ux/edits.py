"""Apply a validated intent to the real file and compute the preview diff."""

from __future__ import annotations

from valine.agents.ux import jsx
from valine.agents.ux.catalog import Catalog, RuleKind
from valine.agents.ux.intent import Intent


def apply_intent(source: str, intent: Intent, catalog: Catalog) -> str:
    section = catalog.sections[intent.section]
    out = source
    for prop, value in intent.changes.items():
        rule = section.properties[prop]
        if rule.kind is RuleKind.TEXT:
            out = jsx.set_text(out, rule.element, value)
        elif rule.kind is RuleKind.COLOR:
            assert rule.style is not None
            out = jsx.set_style(out, rule.element, rule.style, value)
        else:
            label, _, href = value.partition(":")
            out = jsx.add_link(out, rule.element, label, href)
    if not jsx.parses_cleanly(out):
        # Cannot happen for validated values; refusing beats opening a PR that breaks the build.
        raise jsx.EditError(f"the edited {section.file} would not parse; nothing was changed")
    return out
