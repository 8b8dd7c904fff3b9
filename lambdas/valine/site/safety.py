"""What an agent may write into the team's repository, whichever agent it is: files inside the
repository, and text that shows what a reviewer reads (no invisible or control characters)."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

CATALOG_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")


def named_objects(data: Any, key: str, error: type[ValueError], *, shape: str,
                  what: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The entries of a catalog file's ``{key: {"<name>": {...}}}``: each name short, lowercase
    letters, digits and dashes, and each entry an object. ``error`` says ``shape`` (the file's
    expected shape) when there are none, and which ``what`` (say "page") is wrong otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get(key), dict) or not data[key]:
        raise error(shape)
    for name, raw in data[key].items():
        if not CATALOG_NAME.match(str(name)):
            raise error(f"{what} name {name!r} must be lowercase letters, digits and dashes")
        if not isinstance(raw, dict):
            raise error(f"{what} {name}: must be an object ({shape})")
        yield name, raw


def inside_repository(path: str, suffixes: tuple[str, ...]) -> bool:
    """A relative path inside the repository with one of ``suffixes``: no leading /, no \\, no ..,
    already normalised. Every agent's catalog checks the files it names with this."""
    norm = posixpath.normpath(path) if path else ""
    return bool(path) and not (path.startswith("/") or "\\" in path or norm.startswith("..")
                               or "/../" in f"/{path}/" or norm != path) and path.endswith(suffixes)


_BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def invisible_character(value: str) -> str | None:
    """Name the first control, invisible-format (Unicode Cf) or private character, and where it is.

    Format characters (bidi overrides and isolates, zero-width space and joiner, BOM, soft
    hyphen) make text display differently from what a reviewer reads in the diff.
    """
    for position, ch in enumerate(value, 1):
        category = unicodedata.category(ch)
        if category not in ("Cc", "Cf", "Cs", "Co") and ch not in "\u2028\u2029":
            continue
        name = unicodedata.name(ch, "") or {"\n": "LINE FEED", "\t": "TAB", "\r": "CARRIAGE RETURN"}.get(ch, "")
        if unicodedata.bidirectional(ch) in _BIDI_CONTROLS or ch in "\u200e\u200f\u061c":
            kind = "a bidirectional control, which changes the order text is displayed in"
        elif category == "Cf":
            kind = "an invisible formatting character"
        else:
            kind = "a control character (line break, tab or similar)"
        return (f"character {position} is U+{ord(ch):04X} {name or 'without a name'}, {kind}; remove it "
                "(typing the text again instead of pasting it usually does)")
    return None


def check_text(value: str, max_length: int) -> str | None:
    if not value.strip():
        return "the text is empty"
    if len(value) > max_length:
        return f"the text is {len(value)} characters; the limit here is {max_length}"
    return invisible_character(value)


# Schemes a link an agent writes may use. javascript:, vbscript: and data: run or carry code;
# anything else unknown is refused rather than guessed about.
SAFE_SCHEMES = frozenset({"https", "http", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def link_target_problem(href: str) -> str | None:
    """Why a link target must not be written, or None for a relative path, an #anchor or an
    http(s)/mailto URL. Browsers ignore tabs, line breaks and leading spaces or control characters
    when they read a scheme (WHATWG URL), so those are dropped before it is read."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", href)
    if re.search(r"&#|&[A-Za-z]+;", href):
        return f"the link target {href[:80]!r} holds an HTML character reference; write the character itself"
    if re.match(r"[/\\]{2}", cleaned):
        return f"the link target {href[:80]!r} is protocol-relative (//host), which leaves the site"
    m = _SCHEME.match(cleaned)
    if m and m.group(1).lower() not in SAFE_SCHEMES:
        return (f"the link target uses the {m.group(1).lower()}: scheme; links may be relative paths (/about), "
                "#anchors, or https://, http:// or mailto: addresses")
    return None


_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?")


def html_tags(text: str) -> list[str]:
    """The raw HTML tags (and comments, processing instructions) in a text, as written."""
    return [" ".join(m.group(0).split()).lower() for m in _TAG.finditer(text)]
