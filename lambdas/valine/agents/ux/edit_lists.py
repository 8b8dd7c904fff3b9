"""Lists on the site: take an entry out (a link, a FAQ, a feature, a plan's benefit), add one shaped
like its siblings, set a list's items, and change a plan's prices."""

from __future__ import annotations

import json
import re

from tree_sitter import Node

from valine.agents.ux.choose import RANK_PENALTY, ask_which, decide, landmark_fit, picked, rank, same, visible
from valine.agents.ux.entries import (
    Entry,
    entry_of,
    jsx_entry_of,
    members,
    removal,
)
from valine.agents.ux.proposal import Candidate, Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places, split_words, stem
from valine.site.render import Item, Loop
from valine.site.values import Obj
from valine.site.writing import Splice


def _entry_for(model: SiteModel, item: Item) -> Entry | None:
    module = model.evaluator.modules.get(item.source.file)
    if module is None or item.source.node is None:
        return None
    return entry_of(module, item.source.node) or jsx_entry_of(module, item.source.node)


def shown_as(text: str, wish: Wish, model: SiteModel, places: Places, pick: str | None, *,
             texts_only: bool = False) -> Candidate | Question:
    """The one place the site shows ``text`` (the person's pick, or the best by the request), or the
    question that settles which; ``texts_only`` leaves attributes (alt, aria-label) out."""
    pool = [i for i in visible(model) if (i.attr is None or not texts_only) and same(i.text, text, loose=True)]
    if not pool:
        return Question(f"I could not find “{text}” on the site; quote it exactly as it is shown.")
    candidates = rank(pool, wish, places)
    chosen = picked(candidates, pick) or decide(candidates)
    if chosen is None:
        return ask_which(model, candidates, places, f"“{text}”")
    return chosen


def remove(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Remove the entry the request names, by its text or by its position in a list."""
    label = wish.old[0] if wish.old else _unquoted_label(wish)
    if label is None and wish.ordinal is not None:
        return _remove_nth(wish, model, places, pick)
    if label is None:
        about = _entry_about(wish, model)
        if about is not None:
            label = about.text
    if label is None:
        return Question("What should I remove? Quote its text, e.g. remove \"Error Page\" from the menu.")
    chosen = shown_as(label, wish, model, places, pick)
    if not isinstance(chosen, Candidate):
        return chosen
    entry = _entry_for(model, chosen.first)
    if entry is None:
        return Question(f"“{label}” is not one entry of a list I can take out safely; say what should go instead.")
    if len(entry.siblings) == 1:
        return Question(f"“{label}” is the only entry of its list; removing it would leave an empty list. "
                        "Is that what you want? Say so, or remove the whole section instead.")
    part = places.of(chosen.first).section
    notes = _shared_notes(model, chosen)
    return Proposal([removal(entry)], f"{part}: remove “{label}”", part, {"op": "remove", "entry": label}, notes)


def _shared_notes(model: SiteModel, chosen: Candidate) -> list[str]:
    pages = {i.page for i in chosen.items}
    return [f"It is shown on {len(pages)} pages; it goes from all of them."] if len(pages) > 1 else []


def _entry_about(wish: Wish, model: SiteModel) -> Item | None:
    """"the question about non-profits", "the feature about integrations": the one entry of a rendered
    list whose words hold those words. None unless exactly one entry does."""
    m = re.search(r"\b(?:about|on|mentioning|that mentions|with)\s+(?:the\s+|our\s+)?(?P<words>[\w' -]+?)"
                  r"(?:\s+(?:from|in|on|under)\b.*)?$", wish.request.strip().rstrip(".!"), re.I)
    if not m:
        return None
    words = [w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", m.group("words").lower()) if len(w) > 2]
    if not words:
        return None
    hits = [i for i in model.items if i.attr is None and i.instance and _entry_for(model, i) is not None
            and all(re.search(rf"\b{re.escape(w)}", i.text.lower()) for w in words)]
    entries = {(_entry_for(model, i).node.start_byte, i.source.file): i for i in hits}  # type: ignore[union-attr]
    if len(entries) != 1:
        return None
    return next(iter(entries.values()))


def _unquoted_label(wish: Wish) -> str | None:
    m = re.search(r"\b(?:remove|delete|drop|take|hide)\s+(?:the\s+)?([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)\s+"
                  r"(?:link|item|entry|button|tab|page|feature|section|card|menu item)\b", wish.request)
    return m.group(1) if m else None


def loops_for(model: SiteModel, wish: Wish, places: Places) -> list[tuple[float, Loop, list[Item]]]:
    """The site's arrays rendered with .map(), best fit for the request's words first."""
    out = []
    seen: set[tuple[str, int]] = set()
    for loop in model.loops:
        if loop.array.key in seen:
            continue
        seen.add(loop.array.key)
        items = [i for i in model.items if any(key == loop.array.key for key, _ in i.instance)]
        if not items:
            continue
        name_words = {stem(w) for w in split_words(_array_name(model, loop.array))}
        values = {w.lower() for v in (*wish.new, *_link_label(wish)) for w in split_words(v)}
        scope = [w for w in wish.scope if w not in values]
        score = max(places.of(i).score(scope) + landmark_fit(i, wish.request) for i in items) + \
            0.5 * sum(1 for w in scope if stem(w) in name_words) - \
            RANK_PENALTY.get(min(i.rank for i in items), 0.9)
        out.append((score, loop, items))
    out.sort(key=lambda t: -t[0])
    return out


def _array_name(model: SiteModel, array: Obj) -> str:
    node: Node | None = array.node
    while node is not None:
        if node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            return array.module.source.text(name) if name is not None else ""
        if node.type == "pair":
            key = node.child_by_field_name("key")
            return array.module.source.text(key).strip("\"'") if key is not None else ""
        node = node.parent
    return ""


def nth_entry_of_list(wish: Wish, model: SiteModel, places: Places, *, floor: float,
                      margin: float) -> tuple[Loop, list[Item], Node, int] | Question | None:
    """The entry the request's ordinal names (the last without one) in the list its words fit best:
    (the loop, its items, the entry, its index). None when no list scores over ``floor`` and ``margin``
    over the next; a question when the list is shorter than the ordinal."""
    loops = loops_for(model, wish, places)
    if not loops or loops[0][0] <= floor or (len(loops) > 1 and loops[1][0] >= loops[0][0] - margin):
        return None
    _, loop, items = loops[0]
    entries = members(loop.array.node)
    index = wish.ordinal - 1 if wish.ordinal and wish.ordinal > 0 else len(entries) - 1
    if index >= len(entries):
        return Question(f"That list has {len(entries)} entries, not {wish.ordinal}.")
    return loop, items, entries[index], index


def _remove_nth(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    found = nth_entry_of_list(wish, model, places, floor=0, margin=0)
    if found is None:
        return Question("Which list? Name it (the services, the team, the FAQ) and the entry's text if you can.")
    if isinstance(found, Question):
        return found
    loop, _, node, index = found
    text = loop.array.module.source.text(node)
    hints = [w for w in wish.scope if w not in split_words(_array_name(model, loop.array)) and len(w) > 3
             and w not in ("fifth", "first", "second", "third", "fourth", "sixth", "last", "service", "feature",
                           "member", "item", "entry", "icon", "one")]
    if hints and not any(h in text.lower() for h in hints):
        return Question(f"Entry {index + 1} of that list does not match “{' '.join(hints)}”; which one do you mean?")
    entry = Entry(loop.array.module, node, loop.array.node, index)
    part = places.of(next(i for i in model.items if any(k == loop.array.key for k, _ in i.instance))).section
    return Proposal([removal(entry)], f"{part}: remove entry {index + 1}", part, {"op": "remove", "index": index + 1})


def _link_label(wish: Wish) -> list[str]:
    """The new link's words when they are not quoted: "add Changelog to the top menu", "add a Pricing link"."""
    from valine.agents.ux.phrases import find_link

    m = re.match(r"^\s*(?:add|insert|put|include)\s+(?:a |an |the )?(?:new )?(?P<label>[A-Z][\w&.'-]*"
                 r"(?:\s+[A-Z][\w&.'-]*){0,3})(?:\s+(?:link|item|menu item|tab|entry))?\s+(?:to|in|into|on)\b",
                 wish.request)
    if m:
        return [m.group("label")]
    found = find_link(wish.request)
    if found is not None and found.label and len(found.label.split()) <= 4:
        return [found.label]
    return []


def list_set(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Set a list's items to the ones given, in order."""
    m = re.search(r"\bto\s*:\s*(.+)$", wish.request) or re.search(r":\s*(.+)$", wish.request)
    values = [v.strip().rstrip(".") for v in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group(1)) if v.strip()] \
        if m else []
    if not values:
        return Question("What should the list say? Write the items after a colon, separated by commas.")
    anchor = (wish.old or (None,))[0]
    loops = [(s, lp, items) for s, lp, items in loops_for(model, wish, places)
             if lp.array.node.named_children and all(c.type == "string" for c in members(lp.array.node))]
    if anchor:
        heads = [i for i in model.items if i.attr is None and same(i.text, anchor, loose=True)]
        order = {id(i): n for n, i in enumerate(model.items)}
        if heads:
            first = order[id(heads[0])]
            loops = [t for t in loops if any(order[id(i)] > first for i in t[2])]
            loops.sort(key=lambda t: min(order[id(i)] for i in t[2]))
    if not loops:
        return Question("I found no list of plain items there; which list do you mean?")
    side = 1 if re.search(r"\b(?:right|second)\b", wish.request, re.I) else 0
    if len(loops) > 1 and not re.search(r"\b(?:left|right|first|second)\b", wish.request, re.I):
        return Question("There is more than one list there; which one (the left or the right, the first or the "
                        "second)?")
    _, loop, items = loops[min(side, len(loops) - 1)]
    entries = members(loop.array.node)
    src = loop.array.module.source
    data = src.data
    first_start = src.start(entries[0])
    indent = data[data.rfind(b"\n", 0, first_start) + 1:first_start].decode()
    quote = src.text(entries[0])[:1]
    rendered = [json.dumps(v, ensure_ascii=False) if quote == '"' else "'" + v.replace("'", "\\'") + "'"
                for v in values]
    sep = ",\n" + indent if indent.strip() == "" and indent else ", "
    splice = Splice(loop.array.module.path, first_start, src.end(entries[-1]), sep.join(rendered))
    part = places.of(items[0]).section
    return Proposal([splice], f"{part}: list → {', '.join(values)}", part, {"op": "list_set", "values": values})


