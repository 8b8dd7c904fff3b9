"""Reordering an entry of a list as the site writes it (menu links, features, FAQ items, plan rows):
"move "Blog" before "Pricing"", "move "FAQ" to the end", "swap "Home" and "About"". The entries
trade places slot by slot, so every separator, comma and indent stays where it was."""

from __future__ import annotations

import re

from valine.agents.ux.edit_lists import _entry_for, shown_as
from valine.agents.ux.entries import Entry
from valine.agents.ux.proposal import Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.writing import Splice

_FIRST = r"(?:to the )?(?:very )?(?:first|top|start|beginning|front)(?: of (?:the|its) \w+)?"
_LAST = r"(?:to the )?(?:very )?(?:last|end|bottom|back)(?: of (?:the|its) \w+)?"


def move(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    quotes = list(wish.old) + list(wish.new) + [a for a in wish.extra.get("anchors", "").split("\x1f") if a]
    if wish.after:
        quotes.append(wish.after)
    names = list(dict.fromkeys(q for q in quotes if q))
    if not names:
        return Question('Which entry should move, and where? For example: move "Blog" before "Pricing".')
    entry = _entry_named(names[0], wish, model, places, pick)
    if not isinstance(entry, Entry):
        return entry
    siblings = entry.siblings
    low = wish.request.lower()
    target: int | None = None
    if re.search(r"\bswap\b", low) and len(names) > 1:
        other = _entry_named(names[1], wish, model, places, None)
        if not isinstance(other, Entry):
            return other
        if other.container != entry.container:
            return Question(f"“{names[0]}” and “{names[1]}” are in different lists; I can only swap entries of "
                            "one list.")
        order = list(range(len(siblings)))
        order[entry.index], order[other.index] = other.index, entry.index
        return _proposal(entry, order, f"swap “{names[0]}” and “{names[1]}”", model, places)
    if len(names) > 1 and re.search(r"\b(?:before|above|ahead of|in front of|after|below|behind|under)\b", low):
        other = _entry_named(names[1], wish, model, places, None)
        if not isinstance(other, Entry):
            return other
        if other.container != entry.container:
            return Question(f"“{names[1]}” is in another list than “{names[0]}”; which list should it move in?")
        after = re.search(r"\b(?:after|below|behind|under)\b", low) is not None
        target = other.index + (1 if after else 0)
        if target > entry.index:
            target -= 1
    elif re.search(rf"\b{_FIRST}\b", low):
        target = 0
    elif re.search(rf"\b{_LAST}\b", low):
        target = len(siblings) - 1
    else:
        m = re.search(r"\b(?:to|into) (?:the )?(\w+) (?:place|position|slot|spot)\b", low)
        ordinal = wish.ordinal if m else None
        if ordinal:
            target = (len(siblings) - 1) if ordinal < 0 else min(ordinal - 1, len(siblings) - 1)
    if target is None:
        return Question(f"Where should “{names[0]}” go? Say before or after which entry, or first or last.")
    if target == entry.index:
        return Question(f"“{names[0]}” is already there; nothing to move.", outcome="invalid")
    order = list(range(len(siblings)))
    order.pop(entry.index)
    order.insert(target, entry.index)
    return _proposal(entry, order, f"move “{names[0]}” to position {target + 1} of {len(siblings)}", model, places)


def _entry_named(name: str, wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Entry | Question:
    chosen = shown_as(name, wish, model, places, pick, texts_only=True)
    if isinstance(chosen, Question):
        return chosen
    entry = _entry_for(model, chosen.first)
    if entry is None or len(entry.siblings) < 2:
        return Question(f"“{name}” is not an entry of a list I can reorder.")
    return entry


def _proposal(entry: Entry, order: list[int], what: str, model: SiteModel, places: Places) -> Result:
    src = entry.module.source
    siblings = entry.siblings
    texts = [src.text(n) for n in siblings]
    splices = [Splice(entry.module.path, src.start(node), src.end(node), texts[order[slot]])
               for slot, node in enumerate(siblings) if order[slot] != slot]
    item = next((i for i in model.items if i.source.file == entry.module.path
                 and src.start(entry.node) <= i.source.start < src.end(entry.node)), None)
    part = places.of(item).section if item is not None else "list"
    return Proposal(splices, f"{part}: {what}", part, {"op": "move", "order": order})
