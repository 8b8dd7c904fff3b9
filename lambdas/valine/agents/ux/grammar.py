"""The structured request grammar: ``section:header text:"Welcome to Project Valine!"``.

- ``key:value`` pairs; the first colon separates key and value, so values may hold
  colons and URLs (``links:About:/about``, ``links:"Docs:https://docs.example.com"``).
- Double-quoted values may contain spaces and ``\\"`` / ``\\\\`` escapes.
- An unquoted value runs until the next ``known-key:`` word, so
  ``text:Welcome to Valine color:navy`` keeps every word (the earlier bot cut at the space).
"""

from __future__ import annotations

import re

from valine.agents.ux.catalog import Catalog
from valine.agents.ux.intent import Intent, ParseError, ParseResult

_KEY = re.compile(r"([a-z][a-z0-9-]*):", re.IGNORECASE)


def looks_structured(text: str) -> bool:
    return re.match(r"^\s*section:", text, re.IGNORECASE) is not None


def parse_structured(text: str, catalog: Catalog) -> ParseResult:
    known = {"section", *catalog.property_names()}
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        m = _KEY.match(text, i)
        if not m or m.group(1).lower() not in known:
            word = text[i:].split(None, 1)[0]
            if not pairs:
                return ParseError(f"expected key:value, found {word!r}. "
                                  'Example: section:header text:"Welcome to Project Valine!"', "structured")
            return ParseError(f"{word!r} is not a known key ({', '.join(sorted(known))}); quote values with spaces: "
                              f'{pairs[-1][0]}:"..."', "structured")
        key = m.group(1).lower()
        i = m.end()
        if i < n and text[i] == '"':
            value, i, ok = _quoted(text, i + 1)
            if not ok:
                return ParseError(f'the value of {key} has no closing quote; write {key}:"..." '
                                  r'(use \" for a quote inside)', "structured")
            if i < n and not text[i].isspace():
                return ParseError(f"put a space after the closing quote of {key}", "structured")
        else:
            start = i
            while i < n:
                nxt = re.compile(r"\s+([a-z][a-z0-9-]*):", re.IGNORECASE).match(text, i)
                if nxt and nxt.group(1).lower() in known:
                    break
                i += 1
            value = text[start:i].strip()
        if not value:
            return ParseError(f'{key} has no value; write {key}:"..."', "structured")
        if any(k == key for k, _ in pairs):
            return ParseError(f"{key} appears twice; give each property once", "structured")
        pairs.append((key, value))
    values = dict(pairs)
    section = values.pop("section", "").lower()
    if not section:
        return ParseError("say which section to change first, e.g. section:header", "structured")
    return Intent(section=section, changes=values, parser="structured")


def _quoted(text: str, i: int) -> tuple[str, int, bool]:
    out = []
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1, True
        out.append(ch)
        i += 1
    return "".join(out), i, False
