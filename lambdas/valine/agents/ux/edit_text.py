"""Words on the site: replace a text, a phrase inside one, an attribute (alt, aria-label, ...), where a
link points, and whether it opens in a new tab. Each edit writes into the literal the text comes
from, wherever it is written (the component, a prop at the call site, a JSON or config file), so
icons, other elements and expressions around it stay as they are."""

from __future__ import annotations

import re

from valine.agents.ux.choose import (
    Candidate,
    Proposal,
    Question,
    Result,
    ask_which,
    contains,
    decide,
    picked,
    rank,
    same,
    visible,
)
from valine.agents.ux.entries import entry_fields
from valine.agents.ux.wish import URL, Wish
from valine.site.model import SiteModel
from valine.site.places import Places, data_keys
from valine.site.render import BREAKS, Element, Item
from valine.site.values import Obj, Str
from valine.site.writing import Splice, WriteError, phrase_spans, phrase_text, written

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
    from valine.agents.ux.edit_lists import named_entry

    named = named_entry(wish, model, places)
    if named is not None:
        return named
    if wish.ordinal is not None and len(wish.new) >= 1:
        from valine.agents.ux.edit_lists import nth_entry

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


def phrase(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Replace the quoted words (a whole text, or a phrase inside one) with the new ones."""
    old = wish.old[0]
    if not wish.new:
        return Question(f"What should “{old}” become? Put the new words in quotes.")
    from valine.agents.ux.edit_lists import field_by_text

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


def _href_item(model: SiteModel, element: Element) -> Item | None:
    for candidate in [element, *[e for e in model.elements if e.frame in element.path][::-1]]:
        for item in model.items:
            if item.element is candidate and item.attr in LINK_ATTRS:
                return item
        if candidate.tag == "a":
            break
    return None


def attribute(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Set an attribute a person reads or hears: alt text, an aria-label, a title, a placeholder."""
    attr = wish.attr or "alt"
    field_from = re.search(r"\buse (?:each|every|the) (?:\w+'s |\w+ )?(\w+) as (?:the |its |their )?(?:alt|label|"
                           r"title)", wish.request, re.I)
    pool = [i for i in model.items if i.attr == attr]
    if wish.old:
        matching = [i for i in pool if same(i.text, wish.old[0], loose=True)]
        if not matching and wish.new and any(same(i.text, wish.old[0], loose=True) for i in visible(model)):
            return phrase(wish, model, places, pick)  # a screen-reader label written as text (sr-only)
        pool = matching or pool
    if not pool:
        return Question(f"I found no {attr} attribute matching that; quote the element's text so I can find it.")
    candidates = rank(pool, wish, places, fit=lambda i: 1.0 if "empty" in wish.words and not i.text else 0.0)
    chosen = picked(candidates, pick) or decide(candidates)
    group = _plural_group(candidates, wish) if chosen is None else []
    if group and field_from is None and wish.new:
        return Proposal([set_literal(c.source, wish.new[0]) for c in group],
                        f"{places.of(group[0].first).section}: {attr} → “{wish.new[0]}”",
                        places.of(group[0].first).section,
                        {"op": "attr", "attr": attr, "new": wish.new[0], "places": len(group)})
    if chosen is None:
        return ask_which(model, candidates, places, f"That {attr}")
    if field_from is not None:
        return _attribute_from_field(model, places, chosen, attr, field_from.group(1).lower())
    if not wish.new:
        return Question(f"What should the {attr} say? Put it in quotes.")
    summary, part = _summary(chosen, places, f"{attr} → “{wish.new[0]}”")
    return Proposal([set_literal(chosen.source, wish.new[0])], summary, part,
                    {"op": "attr", "attr": attr, "target": _where(model, chosen), "new": wish.new[0]},
                    _notes(chosen, places))


def _attribute_from_field(model: SiteModel, places: Places, chosen: Candidate, attr: str, field: str) -> Result:
    """``alt={d.name}``: the attribute reads each entry's own field inside a ``.map()``."""
    literal = chosen.source
    loop = next((lp for lp in model.loops if lp.module.path == literal.file and
                 lp.callback.node.start_byte - lp.module.source.shift <= literal.start <=
                 lp.callback.node.end_byte - lp.module.source.shift), None)
    if loop is None or literal.node is None or literal.node.parent is None or \
            literal.node.parent.type != "jsx_attribute":
        return Question(f"That {attr} is not inside a list of entries, so there is no entry's {field} to use.")
    params = loop.callback.node.child_by_field_name("parameters") or loop.callback.node.child_by_field_name(
        "parameter")
    name_node = params if params is not None and params.type == "identifier" else \
        next((p for p in (params.named_children if params is not None else []) if p.type in ("identifier",
                                                                                              "required_parameter")),
             None)
    if name_node is None:
        return Question("I could not tell what each entry is called in that list; write it as alt={item.name}.")
    param = loop.module.source.text(name_node.child_by_field_name("pattern") or name_node)
    entries = list(model.evaluator.elements(loop.array))
    if not entries or not all(isinstance(e, Obj) and field in {k for k, _, _ in model.evaluator.pairs(e)}
                              for e in entries):
        return Question(f"Not every entry of that list has a {field}; say what the {attr} should be instead.")
    expression = f"{{{param}.{field}}}"
    part = places.of(chosen.first).section
    return Proposal([Splice(literal.file, literal.start, literal.end, expression)],
                    f"{part}: {attr} → each entry's {field}", part,
                    {"op": "attr", "attr": attr, "new": expression}, [f"Each of the {len(entries)} entries gets "
                                                                     f"its own {field} as {attr}."])


def pairs_of(wish: Wish) -> list[tuple[str, str]]:
    """(label, url) pairs: quoted labels in order with the URLs, or "Facebook https://...", ... unquoted."""
    if wish.old and len(wish.old) == len(wish.urls):
        return list(zip(wish.old, wish.urls, strict=True))
    quoted = [q for q in (*wish.old, *wish.new) if not URL.fullmatch(q) and q not in ("#", "/")]
    if quoted and len(quoted) == len(wish.urls):
        return list(zip(quoted, wish.urls, strict=True))
    found = re.findall(r"([A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*)\s*(?::|->|→|=|—|-)?\s*((?:https?://|/|#|mailto:)[^\s,;]+)",
                       wish.request)
    if found and len(found) == len(wish.urls):
        return [(label, url.rstrip(".")) for label, url in found]
    if len(wish.urls) == 1 and len(quoted) == 1:
        return [(quoted[0], wish.urls[0])]
    return []


def retarget(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Point links (found by their text, their icon or the data key behind them) somewhere else."""
    pairs = pairs_of(wish)
    if not pairs:
        return Question("Which link should point where? For example: point \"Pricing\" to /#pricing.")
    splices: list[Splice] = []
    parts = []
    chosen: Candidate | None = None
    for label, url in pairs:
        hrefs = _links_named(model, label)
        candidates = rank(hrefs, wish, places)
        chosen = (picked(candidates, pick) if len(pairs) == 1 else None) or decide(candidates)
        if chosen is None:
            if not candidates:
                return _no_link(model, label)
            return ask_which(model, candidates, places, f"The “{label}” link")
        splices.append(set_literal(chosen.source, url))
        parts.append(f"“{label}” → {url}")
    assert chosen is not None
    part = places.of(chosen.first).section
    return Proposal(splices, f"{part} links: {', '.join(parts)}", part, {"op": "retarget", "links": dict(pairs)})


def _links_named(model: SiteModel, label: str) -> list[Item]:
    """The href (or to) of every link whose text, label, icon class or data key is ``label``; failing that,
    of the links whose text contains it (a pill with an emoji and a "Introducing" prefix)."""
    exact = _links_exactly(model, label)
    if exact:
        return exact
    return [i for i in model.items if i.attr in LINK_ATTRS and contains(i.element.text(), label, loose=True)
            and len(label) >= 8]


def _links_exactly(model: SiteModel, label: str) -> list[Item]:
    out = []
    key = label.lower().replace(" ", "")
    for item in model.items:
        if item.attr not in LINK_ATTRS:
            continue
        element = item.element
        text = element.text()
        labels = [i.text for i in model.items if i.element is element and i.attr in ("aria-label", "title")]
        icon = any(key in c.lower().replace("-", "") for c in element.frame.classes) or \
            any(key in c.lower().replace("-", "") for e in model.elements if element.frame in e.path
                for c in e.frame.classes)
        keys = [k.lower() for k in data_keys(item, model.evaluator.modules.get(item.source.file))]
        if same(text, label, loose=True) or any(same(lb, label, loose=True) for lb in labels) or \
                (not text.strip() and (icon or (keys and keys[-1] == key))):
            out.append(item)
    return out


def _no_link(model: SiteModel, label: str) -> Question:
    """Why there is no link to retarget: the words are shown, but not as a link (a data entry may still
    hold a URL that no component uses), or they are not on the site at all."""
    shown = [i for i in model.items if i.attr is None and same(i.text, label, loose=True)]
    if shown:
        where = shown[0]
        return Question(f"“{label}” is on the site ({where.source.file}), but as plain text, not a link: nothing "
                        f"makes it clickable, so a new address would change nothing a visitor sees. Making it a "
                        f"link changes the markup ({where.element.tag} in {where.element.frame.file}), which I do "
                        "not do yet.", outcome="unsupported")
    return Question(f"I found no link called “{label}”; quote the link's text as it is on the site.")


def new_tab(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Make a link open in a new tab: ``target="_blank" rel="noopener noreferrer"`` on its element."""
    label = wish.old[0] if wish.old else None
    if label is None:
        return Question("Which link should open in a new tab? Quote its text.")
    pool = [i for i in model.items if i.attr is None and same(i.text, label, loose=True)]
    candidates = rank(pool, wish, places)
    chosen = picked(candidates, pick) or decide(candidates)
    if chosen is None:
        if not candidates:
            return Question(f"I found no link called “{label}”.")
        return ask_which(model, candidates, places, f"“{label}”")
    element = next((e for e in [chosen.first.element, *[x for x in model.elements
                                                         if x.frame in chosen.first.element.path][::-1]]
                    if e.tag == "a"), None)
    if element is None:
        return Question(f"“{label}” is not a link, so it cannot open in a new tab.")
    target = element.attrs.get("target")
    if isinstance(target, Str) and target.value == "_blank":
        return Question(f"“{label}” already opens in a new tab; nothing to change.")
    node, module = element.node, element.module
    opening = node.child_by_field_name("open_tag") if node is not None and node.type == "jsx_element" else node
    name = opening.child_by_field_name("name") if opening is not None else None
    if opening is None or module is None or name is None:
        return Question(f"The “{label}” link is built in a way I cannot add a target to safely.")
    attrs = [c for c in opening.named_children if c.type == "jsx_attribute"]
    at = (attrs[-1].end_byte if attrs else name.end_byte) - module.source.shift
    part = places.of(chosen.first).section
    return Proposal([Splice(module.path, at, at, ' target="_blank" rel="noopener noreferrer"')],
                    f"{part}: “{label}” opens in a new tab", part, {"op": "new_tab", "link": label})


def email(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """A contact address: the ``mailto:`` link and the address shown with it, together."""
    from valine.agents.ux.wish import EMAIL

    given = EMAIL.findall(wish.request)
    new = given[-1]
    old = given[0] if len(given) > 1 else None
    shown = [i for i in model.items if EMAIL.fullmatch(re.sub(r"^mailto:", "", i.text.split("?")[0]))
             and (i.attr in (None, "href"))]
    if old is not None:
        shown = [i for i in shown if re.sub(r"^mailto:", "", i.text.split("?")[0]).lower() == old.lower()]
    if not shown:
        return Question("I found no email address on the site" + (f" like {old}" if old else "") + "; quote the "
                        "words to change instead.")
    addresses = {re.sub(r"^mailto:", "", i.text.split("?")[0]).lower() for i in shown}
    if len(addresses) > 1:
        candidates = rank([i for i in shown if i.attr == "href"] or shown, wish, places)
        chosen = picked(candidates, pick) or decide(candidates)
        if chosen is None:
            return ask_which(model, candidates, places, "That email address")
        addresses = {re.sub(r"^mailto:", "", chosen.first.text.split("?")[0]).lower()}
    address = next(iter(addresses))
    splices = []
    for item in shown:
        if re.sub(r"^mailto:", "", item.text.split("?")[0]).lower() != address:
            continue
        spans = phrase_spans(item.source, address, ignore_case=True)
        splices += [Splice(item.source.file, a, b, new) for a, b in spans]
    if not splices:
        return Question(f"I could not rewrite {address} where it is written; change it by hand.")
    unique = list({(s.file, s.start): s for s in splices}.values())
    part = places.of(shown[0]).section
    return Proposal(unique, f"{part}: email {address} → {new}", part, {"op": "email", "old": address, "new": new},
                    [f"{address} is written {len(unique)} times; each one changes."] if len(unique) > 1 else [])
