"""Choosing what a request means on this site: candidates, how well each fits the request's words,
and the rule that a choice is made only when one candidate is clearly the one. Otherwise the
person gets the candidates to pick from, each with its file, line and context.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from valine.agents.ux.proposal import Candidate, Question
from valine.agents.ux.wish import Wish
from valine.core.work import Choice
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.render import Item
from valine.site.values import Str

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ROLE_TAGS: dict[str, tuple[str, ...]] = {
    "heading": HEADINGS, "subtitle": ("p", "span", "div"), "button": ("button", "a", "input"),
    "link": ("a",), "image": ("img",), "label": ("label", "span", "p"), "question": ("h3", "h4", "button", "dt",
                                                                                     "summary", "div", "span"),
    "tab-title": ("title",), "placeholder": ("input", "textarea"), "description": ("meta",),
}
MAX_CHOICES = 5
TEXT_ATTRS = ("alt", "aria-label", "title", "placeholder", "value", "label", "content")
RANK_PENALTY = {0: 0.0, 1: 0.1, 2: 0.9}  # a likely branch costs little; a fallback ("Loading") much more




def norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
                    .replace("\u201d", '"').split())


def same(a: str, b: str, *, loose: bool = False) -> bool:
    if loose:
        return norm(a).casefold().strip(" .!?:;,") == norm(b).casefold().strip(" .!?:;,")
    return norm(a) == norm(b)


def contains(text: str, phrase: str, *, loose: bool = False) -> bool:
    if loose:
        return norm(phrase).casefold() in norm(text).casefold()
    return norm(phrase) in norm(text)


def line_of(model: Any, literal: Str) -> int:
    text = model.files.get(literal.file, "")
    return text.encode("utf-8")[: literal.start].count(b"\n") + 1


COPYRIGHT = re.compile(r"copyright|©|Ⓒ|\(c\)\s*\d{4}|all rights reserved|&copy;", re.I)


def role_fit(item: Item, role: str | None) -> float:
    """How well the element an item is in fits the kind of thing the request names."""
    if role is None:
        return 0.0
    tag = item.element.tag
    classes = " ".join(item.element.frame.classes).lower()
    if role == "button":
        if tag in ("button",) or (tag == "input" and item.attr == "value"):
            return 1.0
        if tag == "a" and (re.search(r"\b(?:btn|button)\b|rounded|bg-|px-\d", classes) or
                           item.element.frame.defined_in in ("Link",)):
            return 0.9
        if any(f.kind == "component" and "button" in f.name.lower() for f in item.path[-3:]):
            return 0.9
        return 0.4 if any(f.name in ("button", "a") for f in item.path[-3:]) else 0.0
    if role == "link":
        return 1.0 if tag == "a" or any(f.name == "a" for f in item.path[-3:]) else 0.0
    if role == "heading":
        if tag in HEADINGS:
            return {"h1": 1.0, "h2": 1.0, "h3": 0.6, "h4": 0.45}.get(tag, 0.3)
        return 0.5 if re.search(r"title|heading|headline", classes) else 0.0
    if role == "copyright":
        return 1.0 if COPYRIGHT.search(item.text) else 0.0
    if role == "subtitle":
        inside_control = any(f.name in ("a", "button") for f in item.path[-4:-1])
        if inside_control or COPYRIGHT.search(item.text):  # the fine print is not what a tagline means
            return 0.2
        return 1.0 if tag == "p" else (0.5 if tag in ("span", "div") else 0.0)
    if role == "image":
        return 1.0 if tag == "img" else 0.0
    tags = ROLE_TAGS.get(role, ())
    return 1.0 if tag in tags else 0.0


TOP_MENU = re.compile(r"\b(?:top|main|header|primary|site)\s+(?:menu|nav(?:igation|bar)?|links)\b|\bnav ?bar\b|"
                      r"\bthe (?:menu|navigation)\b", re.I)
FOOTER = re.compile(r"\bfooter\b|\bbottom of the page\b", re.I)
SIDEBAR = re.compile(r"\bside ?bar\b|\bside (?:menu|nav)\b", re.I)


def landmark_fit(item: Item, request: str) -> float:
    """The request names the part of the page (the top menu, the footer, the sidebar): in it counts,
    in another one counts against."""
    hosts = {f.name for f in item.path if f.kind == "host"}
    components = " ".join(f.name.lower() for f in item.path if f.kind == "component")
    in_footer = "footer" in hosts or "footer" in components
    in_side = "aside" in hosts or "sidebar" in components
    if FOOTER.search(request):
        return 1.0 if in_footer else -1.0
    if SIDEBAR.search(request):
        return 1.0 if in_side else -1.0
    if TOP_MENU.search(request):
        if in_footer or in_side:
            return -1.0
        if "header" in hosts or "navbar" in components:
            return 1.0
        return 0.3 if "nav" in hosts else -1.0
    return 0.0


def group(items: Iterable[Item]) -> list[tuple[Str, list[Item]]]:
    """Items by the literal they come from (one literal may be shown many times)."""
    out: dict[tuple[str, int, int], tuple[Str, list[Item]]] = {}
    for item in items:
        out.setdefault(item.source.key, (item.source, []))[1].append(item)
    return list(out.values())


def rank(items: Iterable[Item], wish: Wish, places: Places, *,
         fit: Callable[[Item], float] | None = None) -> list[Candidate]:
    """Candidates (one per literal), best first: the request's place words, the kind of element, how
    surely the text is shown (a loading fallback is not the text), and where on the site it is."""
    scored = []
    for source, members in group(items):
        best = float("-inf")
        for item in members:
            place = places.of(item)
            score = 2.0 * place.score(wish.scope) + role_fit(item, wish.role) + (fit(item) if fit else 0.0) + \
                landmark_fit(item, wish.request)
            score -= RANK_PENALTY.get(item.rank, 0.8) + (0.3 if item.element.tag in ("title", "meta") and
                                                          wish.role != "tab-title" else 0.0) + \
                (1.0 if item.element.tag == "og" and not re.search(r"\b(?:og|open graph|social|preview)\b",
                                                                   wish.request, re.I) else 0.0)
            if item.attr is None and not re.search(r"[^\W\d_]", item.text):  # "$", "/", "–": not words
                score -= 0.8
            best = max(best, score)
        scored.append(Candidate(source, members, best))
    scored.sort(key=lambda c: (-c.score, min(i.rank for i in c.items), c.source.file, c.source.start))
    return scored


def decide(candidates: Sequence[Candidate], *, margin: float = 0.75) -> Candidate | None:
    """The clear winner, or None when two fit about as well."""
    if not candidates:
        return None
    if len(candidates) == 1 or candidates[0].score - candidates[1].score >= margin:
        return candidates[0]
    return None


def choices(model: Any, candidates: Sequence[Candidate], places: Places) -> list[Choice]:
    out = []
    for candidate in candidates[:MAX_CHOICES]:
        item = candidate.first
        where = places.of(item).section
        line = line_of(model, candidate.source)
        shown = f" (shown {len(candidate.items)} times)" if len({i.instance for i in candidate.items}) > 1 else ""
        label = f"{item.text[:60]}" if item.text else f"(empty {item.attr or 'text'})"
        detail = f"{candidate.source.file}:{line} · {where} {item.attr or item.element.tag}{shown}"
        out.append(Choice(label=label[:100], detail=detail[:100], key=choice_key(candidate)))
    return out


def choice_key(candidate: Candidate) -> str:
    """A short stable key for a candidate (a select option's value holds at most 100 characters)."""
    raw = f"{candidate.source.file}@{candidate.source.start}".encode()
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()[:16]


def picked(candidates: Sequence[Candidate], pick: str | None) -> Candidate | None:
    """The candidate the person chose from an earlier question."""
    if not pick:
        return None
    return next((c for c in candidates if choice_key(c) == pick), None)


def ask_which(model: Any, candidates: Sequence[Candidate], places: Places, what: str) -> Question:
    listed = choices(model, candidates, places)
    if os.environ.get("VALINE_DEBUG_SCORES"):
        for c in candidates[:6]:
            print(f"  score {c.score:.2f} {c.source.file}:{c.source.start} {c.first.text[:40]!r} "
                  f"{sorted(places.of(c.first).words.items(), key=lambda kv: -kv[1])[:8]}")
    lines = "\n".join(f"{i + 1}. “{c.label}” — {c.detail}" for i, c in enumerate(listed))
    more = f"\n(and {len(candidates) - len(listed)} more)" if len(candidates) > len(listed) else ""
    return Question(f"{what} fits more than one place on the site:\n{lines}{more}\nPick one below, or press Edit "
                    "and say which (for example the section's name).", choices=listed)

def visible(model: SiteModel, *, attrs: tuple[str, ...] = TEXT_ATTRS) -> list[Item]:
    """What a visitor reads: texts, and the attributes they meet (alt text, labels, a button's value)."""
    return [i for i in model.items if (i.attr is None and i.text) or i.attr in attrs]
