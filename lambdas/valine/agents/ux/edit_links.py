"""Links and attributes: where a link points (href, to), a new tab, the attributes a person cares
about (alt, aria-label, title, placeholder), a contact email."""

from __future__ import annotations

import re

from valine.agents.ux.choose import ask_which, contains, decide, picked, rank, same, visible
from valine.agents.ux.edit_phrase import _plural_group, phrase
from valine.agents.ux.edit_text import LINK_ATTRS, _notes, _summary, _where, set_literal
from valine.agents.ux.proposal import Candidate, Proposal, Question, Result
from valine.agents.ux.wish import URL, Wish
from valine.site.model import SiteModel
from valine.site.places import Places, data_keys
from valine.site.render import Item
from valine.site.values import Obj, Str
from valine.site.writing import Splice, phrase_spans


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
