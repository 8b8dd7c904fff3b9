"""Adding an entry to a list, shaped like its siblings: a data array's object, or a copied JSX sibling."""

from __future__ import annotations

import json
import re

from valine.agents.ux.choose import decide, rank, same, visible
from valine.agents.ux.edit_lists import _array_name, _entry_for, _link_label, loops_for
from valine.agents.ux.entries import (
    ID_KEYS,
    PATHLIKE,
    PRIMARY,
    SECONDARY,
    Entry,
    insertion,
    looks_like_path,
    members,
    next_id,
    object_fields,
)
from valine.agents.ux.proposal import Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.render import Item
from valine.site.syntax import string_value
from valine.site.values import Str
from valine.site.writing import written


def entry_add(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """Add an entry to a list, shaped like its siblings (same fields, same element and classes)."""
    if re.search(r"\b(?:section|table|page|carousel|slider|chart|form|component|banner|popup|modal|video)\b",
                 wish.request, re.I) and not wish.after and not _names_existing_list(wish, model, places):
        return Question("That needs a new section (new markup, styles and content), which I cannot write yet: I "
                        "change the words, links, lists, colours and images of sections the site already has. "
                        "Ask for one of those, or have a developer add the section first.", outcome="unsupported")
    values = list(wish.new) or (_link_label(wish) if wish.op == "link_add" else _unquoted_values(wish))
    loops = loops_for(model, wish, places)
    if wish.after:
        after_items = [i for i in visible(model) if same(i.text, wish.after, loose=True)]
        scoped = rank(after_items, wish, places)
        chosen_after = decide(scoped) if scoped else None
        if chosen_after is not None:
            entry = _entry_for(model, chosen_after.first)
            if entry is not None:
                return _add_after(wish, model, places, entry, values, chosen_after.first)
    if not loops or loops[0][0] <= 0.5:
        return Question("Which list should it go in? Name it, e.g. add a question to the pricing FAQ.")
    if len(loops) > 1 and loops[1][0] >= loops[0][0] - 0.25:
        names = ", ".join(sorted({_array_name(model, lp.array) for _, lp, _ in loops[:4]}))
        return Question(f"Which list should it go in ({names})? Say it in the request.")
    _, loop, items = loops[0]
    entries = members(loop.array.node)
    if not entries:
        return Question("That list is empty, so there is no entry to copy the shape of.")
    last = Entry(loop.array.module, entries[-1], loop.array.node, len(entries) - 1)
    return _add_after(wish, model, places, last, values, items[0])


def _names_existing_list(wish: Wish, model: SiteModel, places: Places) -> bool:
    loops = loops_for(model, wish, places)
    return bool(loops) and loops[0][0] > 1.0


def _unquoted_values(wish: Wish) -> list[str]:
    m = re.search(r":\s*(.+)$", wish.request)
    if not m:
        return []
    return [v.strip().rstrip(".") for v in re.split(r",\s*", m.group(1)) if v.strip()]


def _add_after(wish: Wish, model: SiteModel, places: Places, anchor: Entry, values: list[str],
               shown: Item) -> Result:
    module = anchor.module
    src = module.source
    part = places.of(shown).section
    if anchor.node.type == "string":
        if len(values) != 1:
            return Question("What should the new entry say? Put it in quotes.")
        quote = src.text(anchor.node)[:1]
        literal = json.dumps(values[0], ensure_ascii=False) if quote == '"' else \
            "'" + values[0].replace("\\", "\\\\").replace("'", "\\'") + "'"
        return Proposal([insertion(anchor, literal)], f"{part}: add “{values[0]}”", part,
                        {"op": "entry_add", "values": values})
    if anchor.node.type == "object":
        built = _shaped_object(module, anchor, values, wish)
        if isinstance(built, Question):
            return built
        notes = [f"New image {v} must be uploaded to the site (public/{v.lstrip('/')})." for v in values
                 if re.search(r"\.(?:jpe?g|png|svg|webp|gif)$", v) and not any(p.endswith(v.lstrip('/'))
                                                                              for p in model.files)]
        return Proposal([insertion(anchor, built)], f"{part}: add “{values[0]}”", part,
                        {"op": "entry_add", "values": values}, notes)
    if anchor.node.type in ("jsx_element", "jsx_self_closing_element"):
        return _add_jsx_sibling(wish, model, anchor, values, part)
    return Question("I cannot tell how entries of that list are written; add it by hand or name another list.")


def slug_id(anchor: Entry, key: str, wish: Wish, words: list[str]) -> str | None:
    """An id like the siblings' words ("home", "features"): the anchor the request links to ("#pricing"),
    else the new entry's words as a slug; None when the siblings' ids are not words, or it is taken."""
    src = anchor.module.source
    values = [(v, string_value(src, v)) for sibling in anchor.siblings for k, v in
              object_fields(anchor.module, sibling) if k == key]
    if not values or any(v.type != "string" or not re.fullmatch(r"[a-z][a-z0-9-]*", text or "") for v, text in values):
        return None
    anchor_url = next((u[1:] for u in wish.urls if re.fullmatch(r"#[A-Za-z][\w-]*", u)), None)
    new = anchor_url or (re.sub(r"[^a-z0-9]+", "-", words[0].lower()).strip("-") if words else "")
    if not new or new in {text for _, text in values}:
        return None
    quote = src.text(values[0][0])[:1]
    return f"{quote}{new}{quote}"


def _shaped_object(module: object, anchor: Entry, values: list[str], wish: Wish) -> str | Question:
    """A copy of the sibling object with the new values in its text fields, a new id, and the rest kept."""
    src = anchor.module.source
    fields = object_fields(anchor.module, anchor.node)
    text = src.text(anchor.node)
    base = src.start(anchor.node)
    strings = [(k, v) for k, v in fields if v.type in ("string", "template_string")]
    paths = [v for v in values if looks_like_path(re.sub(r"^(?:photo|image|img|picture|avatar|link|url)\s+", "",
                                                         v, flags=re.I))]
    words = [v for v in values if v not in paths]
    assign: dict[str, str] = {}
    for value in paths:
        clean = re.sub(r"^(?:photo|image|img|picture|avatar|link|url)\s+", "", value, flags=re.I)
        key = next((k for k, v in strings if k.lower() in PATHLIKE or looks_like_path(string_value(src, v) or "")),
                   None)
        if key is None or key in assign:
            return Question(f"I do not know which field of the entry “{clean}” belongs in.")
        assign[key] = clean
    text_keys = [k for k, v in strings if k not in assign and k.lower() not in PATHLIKE and k.lower() not in ID_KEYS
                 and not looks_like_path(string_value(src, v) or "")]
    ordered = sorted(text_keys, key=lambda k: (0 if k in PRIMARY else 1 if k in SECONDARY else 2,
                                               text_keys.index(k)))
    if len(words) > len(ordered):
        return Question(f"The entries here have {len(ordered)} text field(s) ({', '.join(ordered)}), and the "
                        f"request gives {len(words)} values; which goes where?")
    if not words:
        return Question(f"What should the new entry say ({', '.join(ordered)})? Put each in quotes.")
    for key, value in zip(ordered, words, strict=False):
        assign[key] = value
    missing = [k for k in ordered if k not in assign]
    if missing and any(k in SECONDARY or k in PRIMARY for k in missing):
        return Question(f"The new entry also needs its {', '.join(missing)}; what should it say?")
    edits: list[tuple[int, int, str]] = []
    for key, value_node in fields:
        if key in assign:
            literal = Str(anchor.module.path, src.start(value_node), src.end(value_node),
                          string_value(src, value_node) or "", "string", value_node)
            edits.append((src.start(value_node) - base, src.end(value_node) - base, written(literal, assign[key])))
        elif key.lower() in ID_KEYS:
            new_id = next_id(anchor.module, anchor.siblings, key) or slug_id(anchor, key, wish, words)
            if new_id is None:
                return Question(f"I cannot tell how to number the new entry's {key}; give it in the request.")
            edits.append((src.start(value_node) - base, src.end(value_node) - base, new_id))
        elif key.lower() in ("newtab", "external", "target_blank", "blank") and value_node.type in ("true", "false"):
            edits.append((src.start(value_node) - base, src.end(value_node) - base,
                          "true" if wish.new_tab else "false"))
        elif key.lower() in PATHLIKE and wish.urls and value_node.type == "string":
            literal = Str(anchor.module.path, src.start(value_node), src.end(value_node), "", "string", value_node)
            edits.append((src.start(value_node) - base, src.end(value_node) - base, written(literal, wish.urls[0])))
        elif value_node.type in ("array",) and key.lower() in ("submenu", "children", "items", "links"):
            return Question(f"The entry I would copy has a {key}; I add plain entries only. Which list do you mean?")
    raw = text.encode("utf-8")
    for start, end, new in sorted(edits, reverse=True):
        raw = raw[:start] + new.encode("utf-8") + raw[end:]
    return raw.decode("utf-8")


def _add_jsx_sibling(wish: Wish, model: SiteModel, anchor: Entry, values: list[str], part: str) -> Result:
    """A new JSX sibling (an ``<li><a>``, an ``<OfferList text=...>``) copied from ``anchor``."""
    src = anchor.module.source
    text = src.text(anchor.node)
    if len(values) != 1:
        return Question("What should the new entry say? Put it in quotes.")
    literals = [i for i in model.items if i.source.file == anchor.module.path and
                src.start(anchor.node) <= i.source.start < src.end(anchor.node)]
    texts = [i for i in literals if i.attr is None or i.attr in ("text", "label", "title")]
    hrefs = [i for i in literals if i.attr in ("href", "to")]
    if len({i.source.key for i in texts}) != 1:
        return Question("The entry I would copy holds more than one text; add it by hand or quote a simpler one.")
    base = src.start(anchor.node)
    edits = [(texts[0].source.start - base, texts[0].source.end - base, written(texts[0].source, values[0]))]
    for href in {i.source.key: i for i in hrefs}.values():
        if not wish.urls:
            return Question(f"Where should “{values[0]}” point? Give a path like /blog or an https:// address.")
        edits.append((href.source.start - base, href.source.end - base, written(href.source, wish.urls[0])))
    raw = text.encode("utf-8")
    for start, end, new in sorted(edits, reverse=True):
        raw = raw[:start] + new.encode("utf-8") + raw[end:]
    built = raw.decode("utf-8")
    if wish.new_tab and "target=" not in built:
        built = re.sub(r"(<(?:a|Link)\b[^>]*?)(\s*/?>)", r'\1 target="_blank" rel="noopener noreferrer"\2', built,
                       count=1)
    return Proposal([insertion(anchor, built)], f"{part}: add “{values[0]}”", part,
                    {"op": "entry_add", "values": values})
