"""Validation of an intent against the catalog, at preview time (never first at Confirm)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from valine.agents.ux import colors
from valine.agents.ux.catalog import Catalog, RuleKind
from valine.agents.ux.intent import Intent, ParseError
from valine.site.safety import check_text, invisible_character

_LABEL = re.compile(r"^[^\x00-\x1f<>{}\"`\\]{1,40}$")
_PATH = re.compile(r"^/[A-Za-z0-9\-._~/%#?=&+]*$")


def _fmt(names: list[str]) -> str:
    return ", ".join(names)


def check_link(value: str) -> tuple[str, str] | str:
    """``Label:/path`` or ``Label:https://...`` -> (label, href); or a message for the user."""
    hidden = invisible_character(value)
    if hidden:
        return f"the link {hidden}"
    label, sep, href = value.partition(":")
    label, href = label.strip(), href.strip()
    if not sep or not label or not href:
        return 'a link is written Label:/path, e.g. links:"About:/about"'
    if not _LABEL.match(label):
        return f"link label {label!r} must be 1-40 characters without <, >, {{, }}, quotes or backslashes"
    if href.startswith("/"):
        if href.startswith("//") or not _PATH.match(href):
            return f"link target {href!r} is not a plain relative path like /about"
    else:
        parts = urlsplit(href)
        if parts.scheme != "https" or not parts.netloc or re.search(r"[\s\"'<>{}`\\]", href):
            return f"link target {href!r} must be a relative path (/about) or an https:// URL"
    if len(href) > 300:
        return "link target is longer than 300 characters"
    return label, href







def validate(intent: Intent, catalog: Catalog) -> Intent | ParseError:
    """Normalise values (colour names to #rrggbb) and refuse what cannot be applied safely."""
    section = catalog.sections.get(intent.section)
    if section is None:
        return ParseError(f"there is no section {intent.section!r}; valid sections: {_fmt(catalog.section_names())}. "
                          'Example: section:header text:"Welcome"', intent.parser)
    if not intent.changes:
        return ParseError(f"nothing to change in {section.name}; add a property such as "
                          f"{next(iter(section.properties))}:\"...\"", intent.parser)
    out: dict[str, str] = {}
    for prop, value in intent.changes.items():
        rule = section.properties.get(prop)
        if rule is None:
            return ParseError(f"{section.name} has no property {prop!r}; valid: {_fmt(list(section.properties))}. "
                              f'Example: section:{section.name} {next(iter(section.properties))}:"..."', intent.parser)
        if rule.kind is RuleKind.COLOR:
            hexed = colors.normalize(value, catalog.palette)
            if hexed is None:
                return ParseError(f"{value!r} is not a colour; use a CSS colour name (navy, dark blue) or "
                                  f"#rrggbb. Example: section:{section.name} {prop}:#1e90ff", intent.parser)
            out[prop] = hexed
        elif rule.kind is RuleKind.LINKS:
            checked = check_link(value)
            if isinstance(checked, str):
                return ParseError(f"{checked}. Example: section:{section.name} {prop}:\"About:/about\"", intent.parser)
            out[prop] = f"{checked[0]}:{checked[1]}"
        else:
            problem = check_text(value, rule.max_length)
            if problem:
                return ParseError(f"{section.name} {prop}: {problem}. Example: section:{section.name} "
                                  f'{prop}:"Welcome to Project Valine!"', intent.parser)
            out[prop] = value.strip()
    return Intent(section=section.name, changes=out, parser=intent.parser)
