"""The words a request's reading looks for: colours, attributes, ordinals, roles and the words that
scope a request to a part of the site."""

from __future__ import annotations

import re

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
            "last": -1}


ATTRIBUTES = [("alt", r"\balt(?:[- ]text)?\b|alternative text"), ("aria-label", r"aria-label|screen[- ]reader label|"
                                                                                 r"hidden .*label|accessible name"),
              ("placeholder", r"\bplaceholder\b"), ("title", r"\btitle attribute\b|tooltip")]


def attr_in(text: str) -> str | None:
    for attr, pattern in ATTRIBUTES:
        if re.search(pattern, text, re.IGNORECASE):
            return attr
    return None


def ordinals_in(text: str) -> tuple[int, ...]:
    found: list[int] = []
    for m in re.finditer(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|"
                         r"1st|2nd|3rd|[4-9]th)\b(?:\s+(two|three|four|five|2|3|4|5))?", text, re.I):
        n = ORDINALS[m.group(1).lower()]
        count = {"two": 2, "three": 3, "four": 4, "five": 5}.get((m.group(2) or "").lower(),
                                                                  int(m.group(2)) if (m.group(2) or "").isdigit()
                                                                  else 0)
        if count and n == 1:
            found.extend(range(1, count + 1))
        else:
            found.append(n)
    return tuple(found)


_COLOUR_NAMES = ("red", "orange", "amber", "yellow", "lime", "green", "emerald", "teal", "cyan", "sky", "blue",
                 "indigo", "violet", "purple", "fuchsia", "pink", "rose", "slate", "gray", "grey", "zinc",
                 "neutral", "stone", "black", "white", "navy", "maroon", "olive", "gold", "silver", "beige",
                 "ivory", "brown", "magenta", "crimson", "turquoise", "off-white")


def _colour_words(low: str) -> list[str]:
    return [c for c in _COLOUR_NAMES if re.search(rf"\b{c}\b", low)]


def colour_words(text: str) -> list[str]:
    return _colour_words(text.lower())
