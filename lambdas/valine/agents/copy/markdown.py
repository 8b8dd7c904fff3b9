"""What a Markdown page holds besides its prose, for the copy agent: the front matter and code
blocks it leaves alone unless asked, and the links and HTML a replacement must not make unsafe.

The check reads the page as written after the edit, not the words typed: a replacement is
judged by the link or tag it ends up in, whichever syntax put it there.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from valine.site.safety import html_tags, link_target_problem

FRONT_MATTER, CODE = "front-matter", "code"
WHERE = {FRONT_MATTER: "the front matter", CODE: "a code block"}

_FRONT = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n.*?^\1[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[`~]*[ \t]*$|\Z)", re.S | re.M)
# Where Markdown and HTML keep link targets: [text](target "title"), [ref]: target, <scheme:...>,
# and the URL attributes of raw HTML.
_DESTINATIONS = (
    re.compile(r"\]\(\s*<([^>\n]*)>"),
    re.compile(r"\]\(\s*([^\s)<][^\s)]*)"),
    re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M),
    re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>"),
    re.compile(r"(?i)\b(?:href|src|action|formaction|xlink:href|poster|srcset)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))"),
)


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    kind: str  # FRONT_MATTER or CODE


def regions(source: str) -> list[Region]:
    """The front matter (YAML --- or TOML +++ at the top) and the fenced code blocks."""
    out: list[Region] = []
    front = _FRONT.match(source)
    if front:
        out.append(Region(front.start(), front.end(), FRONT_MATTER))
    body_from = front.end() if front else 0
    out += [Region(m.start(), m.end(), CODE) for m in _FENCE.finditer(source, body_from)]
    return out


def region_of(at: int, found: list[Region]) -> Region | None:
    return next((r for r in found if r.start <= at < r.end), None)


def link_targets(source: str) -> list[str]:
    out: list[str] = []
    for pattern in _DESTINATIONS:
        for m in pattern.finditer(source):
            out.append(next(g for g in m.groups() if g is not None) if m.groups() else m.group(0))
    return out


def written_problem(before: str, after: str) -> str | None:
    """Why the edited page must not be proposed: a link target the edit made or changed that is
    not safe, or raw HTML the page did not have (a script, an iframe, an event handler)."""
    for target in (Counter(link_targets(after)) - Counter(link_targets(before))):
        problem = link_target_problem(target)
        if problem:
            return problem
    added = Counter(html_tags(after)) - Counter(html_tags(before))
    if added:
        tag = next(iter(added))
        return (f"the new words would add raw HTML ({tag[:60]}); write them as plain words, and ask a developer "
                "for markup")
    return None
