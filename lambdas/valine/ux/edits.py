"""Apply a validated intent to the real file and compute the preview diff."""

from __future__ import annotations

import difflib

from valine.discord.types import MAX_CONTENT
from valine.markup import discord_code_block
from valine.ux import jsx
from valine.ux.catalog import Catalog, RuleKind
from valine.ux.intent import Intent


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


def unified_diff(old: str, new: str, path: str) -> str:
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{path}", tofile=f"b/{path}", n=2)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines).rstrip("\n")


def trim_diff(diff: str, budget: int) -> str:
    """Fit a diff into ``budget`` characters, ending with "… N more lines" when cut."""
    if len(diff) <= budget:
        return diff
    lines = diff.splitlines()
    kept: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        remaining = len(lines) - i
        note = f"… {remaining} more lines"
        if used + len(line) + 1 + len(note) + 1 > budget:
            kept.append(f"… {remaining} more lines")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def preview_message(header: str, diff: str, footer: str) -> str:
    frame = f"{header}\n```diff\n\n```\n{footer}"
    return f"{header}\n{discord_code_block(trim_diff(diff, MAX_CONTENT - len(frame) - 4), 'diff')}\n{footer}"
