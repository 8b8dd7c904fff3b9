"""What an agent may write into the team's repository, whichever agent it is: files inside the
repository, and text that shows what a reviewer reads (no invisible or control characters)."""

from __future__ import annotations

import posixpath
import unicodedata


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
