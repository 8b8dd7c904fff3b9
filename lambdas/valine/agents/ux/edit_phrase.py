"""A phrase inside a text: replaced where it is, in one place or (when the request says so) in
every place it appears, keeping what is around it."""

from __future__ import annotations

import re

from valine.agents.ux.choose import ask_which, contains, decide, picked, rank, same, visible
from valine.agents.ux.edit_text import _distinct, _href_item, _notes, _summary, _where, set_literal
from valine.agents.ux.entries import entry_fields
from valine.agents.ux.proposal import Candidate, Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.render import Item
from valine.site.writing import Splice, WriteError, phrase_spans, phrase_text


def phrase(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Replace the quoted words (a whole text, or a phrase inside one) with the new ones."""
    old = wish.old[0]
    if not wish.new:
        return Question(f"What should “{old}” become? Put the new words in quotes.")
    from valine.agents.ux.entry_fields import field_by_text

    other_field = field_by_text(wish, model, places)
    if other_field is not None:
        return other_field
    pool = _distinct(visible(model))
    whole: list[Item] = []
    part: list[Item] = []
    for loose in (False, True):
        whole = whole or [i for i in pool if same(i.text, old, loose=loose) and (i.attr is None or i.text)]
        part = part or [i for i in pool if contains(i.text, old, loose=loose) and not same(i.text, old, loose=True)]
    if not whole and not part:
        spread = [e for e in model.elements if contains(e.text(), old, loose=True)]
        if spread:
            return Question(f"“{old}” is split across several elements here ({spread[-1].tag} in "
                            f"{spread[-1].frame.file}); quote a part that is written in one piece.")
        return Question(f"I could not find “{old}” on the site (alt texts and labels included). Check the exact "
                        "words (capitals and punctuation count) and press Edit.")
    whole_keys = {i.source.key for i in whole}
    found = whole + part
    if wish.attr:
        found = [i for i in found if i.attr == wish.attr] or found
    # The quoted words as a whole text beat the same words inside a longer one, unless the place says otherwise;
    # a quoted text they are in ("in "You do the business..." replace "the money" ...") settles it.
    anchors = [a for a in wish.extra.get("anchors", "").split("\x1f") if a]

    def fit(item: Item) -> float:
        inside = 3.0 if any(contains(item.text, a, loose=True) or same(item.text, a, loose=True)
                            for a in anchors) else 0.0
        return inside + (1.5 if item.source.key in whole_keys else 0.0)

    candidates = rank(found, wish, places, fit=fit)
    if len(wish.new) > 1:
        return _several(wish, model, places, candidates, whole_keys, pick)
    new = wish.new[0]
    chosen = picked(candidates, pick) or decide(candidates)
    group = _plural_group(candidates, wish) if chosen is None else []
    if group:
        return _all(group, old, new, whole=bool(whole_keys), places=places, model=model)
    if chosen is None:
        return ask_which(model, candidates, places, f"“{old}”")
    edit = _replace_in(chosen, old, new, whole=chosen.source.key in whole_keys)
    if isinstance(edit, Question):
        return edit
    extra = _compound(wish, model, places, chosen)
    if isinstance(extra, Question):
        return extra
    summary, part_name = _summary(chosen, places, f"“{old}” → “{new}”")
    return Proposal([edit, *extra], summary, part_name,
                    {"op": "text" if chosen.source.key in whole_keys else "phrase", "target": _where(model, chosen),
                     "old": old, "new": new}, _notes(chosen, places, whole=chosen.source.key in whole_keys))


def _replace_in(chosen: Candidate, old: str, new: str, *, whole: bool) -> Splice | Question:
    try:
        if whole:
            return set_literal(chosen.source, new)
        spans = phrase_spans(chosen.source, old) or phrase_spans(chosen.source, old, ignore_case=True)
        if len(spans) != 1:
            return Question(f"“{old}” appears {len(spans)} times in that text; quote a few more words around the "
                            "one to change.")
        return Splice(chosen.source.file, spans[0][0], spans[0][1], phrase_text(chosen.source, new))
    except WriteError as exc:
        return Question(f"I cannot write that safely: {exc}.")


def _several(wish: Wish, model: SiteModel, places: Places, candidates: list[Candidate], whole_keys: set,
             pick: str | None) -> Result:
    """Several new values: one for each of the first N matches ("the first three ... to A, B, C"), or
    the other fields of the same entry ("... to "Title" with the text "..."")."""
    old = wish.old[0]
    values = list(wish.new)
    positions = list(wish.ordinals)
    if positions and len(positions) == len(values):
        order = {id(i): n for n, i in enumerate(model.items)}
        top = candidates[0].score if candidates else 0
        scoped = sorted((c for c in candidates if c.score >= top - 0.01), key=lambda c: min(order[id(i)]
                                                                                           for i in c.items))
        if max(positions) > len(scoped) or any(p < 1 for p in positions):
            return Question(f"There are {len(scoped)} of “{old}” there, so I cannot take the ones at "
                            f"{', '.join(map(str, positions))}; which do you mean?")
        edits = []
        for position, value in zip(positions, values, strict=True):
            edit = _replace_in(scoped[position - 1], old, value, whole=scoped[position - 1].source.key in whole_keys)
            if isinstance(edit, Question):
                return edit
            edits.append(edit)
        part = places.of(scoped[0].first).section
        return Proposal(edits, f"{part}: “{old}” {', '.join(map(str, positions))} → {', '.join(values)}", part,
                        {"op": "text", "old": old, "new": values})
    chosen = picked(candidates, pick) or decide(candidates)
    if chosen is None:
        return ask_which(model, candidates, places, f"“{old}”")
    fields = entry_fields(model, chosen.first, len(values))
    if isinstance(fields, Question):
        return fields
    edits = [set_literal(literal, value) for literal, value in zip(fields, values, strict=True)]
    part = places.of(chosen.first).section
    return Proposal(edits, f"{part}: “{old}” → {' / '.join(values)}", part,
                    {"op": "entry", "old": old, "new": values}, _notes(chosen, places))


def _plural_group(candidates: list[Candidate], wish: Wish) -> list[Candidate]:
    """The request says all of them ("all", "each", "both", or the thing in the plural: "the logo images"):
    the candidates that fit best, when they fit clearly better than the rest. Empty otherwise."""
    words = set(wish.words)
    plural = bool(words & {"all", "every", "each", "both", "everywhere"}) or bool(
        words & {"images", "photos", "logos", "buttons", "links", "cards", "items", "icons", "pictures", "labels",
                 "titles", "headings", "entries", "pages"})
    if not plural or len(candidates) < 2:
        return []
    top = candidates[0].score
    group = [c for c in candidates if c.score >= top - 0.1]
    rest = [c for c in candidates if c.score < top - 0.1]
    if len(group) < 2 or (rest and rest[0].score > top - 0.75):
        return []
    return group


def _all(candidates: list[Candidate], old: str, new: str, *, whole: bool, places: Places,
         model: SiteModel) -> Result:
    splices = []
    for c in candidates:
        if whole:
            splices.append(set_literal(c.source, new))
        else:
            spans = phrase_spans(c.source, old)
            splices += [Splice(c.source.file, s, e, phrase_text(c.source, new)) for s, e in spans]
    part = places.of(candidates[0].first).section
    return Proposal(splices, f"{part}: “{old}” → “{new}” ({len(candidates)} places)", part,
                    {"op": "text", "old": old, "new": new, "places": len(candidates)})


def _compound(wish: Wish, model: SiteModel, places: Places, chosen: Candidate) -> list[Splice] | Question:
    """A second part of the same request: "... and make it scroll to the portfolio"."""
    m = re.search(r"\band make (?:it|them) (?:scroll|go|jump|link|point|lead)s? to (?:the )?([\w-]+)",
                  wish.request, re.I)
    if not m:
        return []
    target = m.group(1).lower()
    ids = {e.frame.id.lower() for e in model.elements if e.frame.id}
    if target not in ids:
        return Question(f"There is no section with the id “{target}” to scroll to; which link target do you want?")
    element = chosen.first.element
    href = _href_item(model, element)
    if href is None:
        return Question("That element has no link target I can change; say which link to point there.")
    return [set_literal(href.source, f"#{target}")]
