"""Words on the site: replace a text, a phrase inside one, an attribute (alt, aria-label, ...), where a
link points, and whether it opens in a new tab. Each edit writes into the literal the text comes
from, wherever it is written (the component, a prop at the call site, a JSON or config file), so
icons, other elements and expressions around it stay as they are."""

from __future__ import annotations

import re

from valine.agents.ux.choose import ask_which, decide, picked, rank, same, visible
from valine.agents.ux.proposal import Candidate, Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.render import BREAKS, Element, Item
from valine.site.values import Str
from valine.site.writing import Splice, written

LINK_ATTRS = ("href", "to")


def _distinct(items: list[Item]) -> list[Item]:
    return [i for i in items if i.source.kind != "flag"]


def split_slot(item: Item) -> bool:
    """The element shows more than this one literal in its most likely rendering (a headline with a
    highlighted span): replacing the whole text would have to drop or merge the rest."""
    own = [i for i in item.element.texts if i.attr is None and i.text.strip(" -|·•")]
    if not own:
        return False
    best = min(i.rank for i in own)
    sources = {i.source.key for i in own if i.rank == best}
    return len(sources) > 1


def set_literal(literal: Str, text: str) -> Splice:
    return Splice(literal.file, literal.start, literal.end, written(literal, text))


def _notes(candidate: Candidate, places: Places, *, whole: bool = True) -> list[str]:
    instances = {i.instance for i in candidate.items}
    pages = {i.page for i in candidate.items}
    notes = []
    if whole and candidate.source.kind == "text" and BREAKS.search(candidate.source.value):
        notes.append("The old words were broken over two lines (<br/>); the new words are one line. Say where "
                     "to break them if you want a break back.")
    if len(instances) > 1:
        notes.append(f"This text is shown {len(instances)} times ({places.of(candidate.first).section}); "
                     "all of them change.")
    elif len(pages) > 1:
        notes.append(f"This text is on {len(pages)} pages; all of them change.")
    return notes


def _summary(candidate: Candidate, places: Places, what: str) -> tuple[str, str]:
    part = places.of(candidate.first).section
    return f"{part} {what}", part


def text(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Replace a whole text named by where it is ("the hero headline", section:pricing title:...)."""
    if not wish.new:
        return Question("What should it say? Put the new words in quotes, e.g. change the hero headline to "
                        "\"Ship faster\".")
    new = wish.new[0]
    pool = [i for i in visible(model, attrs=()) if not wish.role or _role_ok(i, wish.role)]
    anchors = wish.extra.get("anchors", "").split("\x1f") if wish.extra.get("anchors") else []
    order = {id(i): n for n, i in enumerate(model.items)}
    under = _under_anchors(model, pool, anchors, order)

    page_heading = bool(re.search(r"\bpage(?:'s)? (?:main )?(?:heading|title|headline)\b", wish.request, re.I))

    def fit(item: Item) -> float:
        bonus = under.get(id(item), 0.0)
        # A text written in parts (a badge: "20%" + "Discount For" + ...) is not what a new sentence replaces.
        pieces = split_slot(item)
        if pieces:
            bonus -= 0.6
        if wish.role in ("heading", "subtitle") and places.in_hero(item):
            if wish.role == "heading" and item.element.tag == "h1":
                bonus += 0.8
            if wish.role == "subtitle" and item.element.tag == "p" and not pieces and \
                    _first_of(item, "p", model, order, whole=True):
                bonus += 1.0
        if wish.role == "heading" and _first_heading_of_section(item, model, order):
            bonus += 0.5
        if wish.role == "heading" and page_heading and item.element.tag == "h1":
            bonus += 1.0  # "the pricing page heading": the page's own h1, not a card's title
        return bonus

    if wish.role == "tab-title":
        return _tab_title(wish, model, places, pick, new)
    from valine.agents.ux.entry_fields import named_entry

    named = named_entry(wish, model, places)
    if named is not None:
        return named
    if wish.ordinal is not None and len(wish.new) >= 1:
        from valine.agents.ux.entry_fields import nth_entry

        found = nth_entry(wish, model, places, list(wish.new))
        if found is not None:
            return found
    if not wish.scope and not anchors and wish.role != "copyright":  # the copyright line names itself
        return Question(f"Which text should say “{new}”? Name the section (the hero, the pricing section, the "
                        "footer) or quote the words there now.")
    candidates = [c for c in rank(pool, wish, places, fit=fit) if c.score > 0.5]
    chosen = picked(candidates, pick) or decide(candidates)
    if chosen is None:
        if not candidates:
            return Question(f"I could not find a {wish.role or 'text'} matching “{' '.join(wish.scope)}” on the "
                            "site. Quote the words that are there now, e.g. change \"Old words\" to \"New words\".")
        return ask_which(model, candidates, places, f"“{' '.join(wish.scope)} {wish.role or 'text'}”")
    if split_slot(chosen.first):
        words = " + ".join(f"“{i.text}”" for i in chosen.first.element.texts if i.attr is None)
        return Question(f"That {chosen.first.element.tag} is written in parts ({words}). Quote the part to "
                        "replace, e.g. change \"Old part\" to \"New part\", so the rest keeps its styling.")
    summary, part = _summary(chosen, places, f"{wish.role or 'text'} → “{new}”")
    return Proposal([set_literal(chosen.source, new)], summary, part,
                    {"op": "text", "target": _where(model, chosen), "new": new}, _notes(chosen, places))


def _tab_title(wish: Wish, model: SiteModel, places: Places, pick: str | None, new: str) -> Result:
    """The browser tab's title: the HTML shell's <title>, or the page's metadata title."""
    titles = [i for i in model.items if i.element.tag == "title" and i.attr is None]
    shell = [i for i in titles if i.source.kind == "html"]
    candidates = rank(shell or titles, wish, places,
                      fit=lambda i: 0.5 if i.page == "/" and not wish.scope else 0.0)
    chosen = picked(candidates, pick) or decide(candidates)
    if chosen is None:
        if not candidates:
            return Question("I found no page title on this site (no <title> in index.html, no metadata title).")
        return ask_which(model, candidates, places, "The tab title")
    part = places.of(chosen.first).section
    return Proposal([set_literal(chosen.source, new)], f"{part}: tab title → “{new}”", part,
                    {"op": "text", "target": _where(model, chosen), "new": new}, _notes(chosen, places))


def _role_ok(item: Item, role: str) -> bool:
    from valine.agents.ux.choose import role_fit

    return role_fit(item, role) > 0


def _under_anchors(model: SiteModel, pool: list[Item], anchors: list[str], order: dict[int, int]) -> dict[int, float]:
    """Items right under a heading the request quotes ("under "Our Services" ..."): the first one of the
    kind asked for gets the most, the next a little, the rest nothing."""
    out: dict[int, float] = {}
    for anchor in anchors:
        for head in (i for i in model.items if i.attr is None and same(i.text, anchor, loose=True)):
            section = _section_frame(head)
            after = sorted((i for i in pool if order.get(id(i), -1) > order.get(id(head), 0) and section in i.path
                            and i.page == head.page), key=lambda i: order[id(i)])
            for n, item in enumerate(after[:2]):
                out[id(item)] = max(out.get(id(item), 0.0), 2.5 if n == 0 else 1.0)
    return out


def _shared_depth(a: tuple, b: tuple) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _first_of(item: Item, tag: str, model: SiteModel, order: dict[int, int], *, whole: bool = False) -> bool:
    """No text of that tag comes before ``item`` in its section (``whole``: none written in one piece)."""
    section = _section_frame(item)
    earlier = [i for i in model.items if i.element.tag == tag and i.attr is None and section in i.path
               and order.get(id(i), 0) < order.get(id(item), 0) and i.page == item.page
               and not (whole and split_slot(i))]
    return not earlier


def _section_frame(item: Item) -> object:
    for frame in reversed(item.path):
        if frame.kind == "component" or frame.name in ("section", "header", "footer", "nav"):
            return frame
    return item.path[0] if item.path else None


def _first_heading_of_section(item: Item, model: SiteModel, order: dict[int, int]) -> bool:
    if item.element.tag not in ("h1", "h2"):
        return False
    section = _section_frame(item)
    return not [i for i in model.items if i.element.tag in ("h1", "h2") and i.attr is None and section in i.path
                and order.get(id(i), 0) < order.get(id(item), 0)]


def _where(model: SiteModel, candidate: Candidate) -> str:
    from valine.agents.ux.choose import line_of

    return f"{candidate.source.file}:{line_of(model, candidate.source)}"


def _href_item(model: SiteModel, element: Element) -> Item | None:
    for candidate in [element, *[e for e in model.elements if e.frame in element.path][::-1]]:
        for item in model.items:
            if item.element is candidate and item.attr in LINK_ATTRS:
                return item
        if candidate.tag == "a":
            break
    return None


