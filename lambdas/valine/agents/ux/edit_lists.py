"""Lists on the site: take an entry out (a link, a FAQ, a feature, a plan's benefit), add one shaped
like its siblings, set a list's items, and change a plan's prices."""

from __future__ import annotations

import json
import re

from tree_sitter import Node

from valine.agents.ux.choose import (
    RANK_PENALTY,
    Candidate,
    Proposal,
    Question,
    Result,
    ask_which,
    decide,
    landmark_fit,
    picked,
    rank,
    same,
    visible,
)
from valine.agents.ux.entries import (
    ID_KEYS,
    PATHLIKE,
    PRIMARY,
    SECONDARY,
    Entry,
    entry_of,
    insertion,
    jsx_entry_of,
    looks_like_path,
    members,
    next_id,
    object_fields,
    removal,
)
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places, split_words, stem
from valine.site.render import Item, Loop
from valine.site.syntax import string_value, walk
from valine.site.values import Obj, Str
from valine.site.writing import Splice, written


def _entry_for(model: SiteModel, item: Item) -> Entry | None:
    module = model.evaluator.modules.get(item.source.file)
    if module is None or item.source.node is None:
        return None
    return entry_of(module, item.source.node) or jsx_entry_of(module, item.source.node)



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
    pool = [i for i in visible(model) if same(i.text, label, loose=True)]
    if not pool:
        return Question(f"I could not find “{label}” on the site; quote it exactly as it is shown.")
    candidates = rank(pool, wish, places)
    chosen = picked(candidates, pick) or decide(candidates)
    if chosen is None:
        return ask_which(model, candidates, places, f"“{label}”")
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


FIELD_WORDS = {"title": ("title", "heading", "name", "label"), "job": ("job", "role", "position", "occupation"),
               "description": ("description", "text", "paragraph", "summary", "subtitle", "desc", "content", "body",
                               "details", "copy"),
               "name": ("name", "author"), "price": ("price", "amount"), "quote": ("quote", "review", "text"),
               "answer": ("answer",), "question": ("question", "title")}


def named_field(words: str, keys: list[str]) -> str | None:
    """The field of an entry (``keys``) that the request's ``words`` name: a key said as it is written
    ("its title"), else one the words call by another name ("description" for ``content``)."""
    said = re.findall(r"[a-z]+", words.lower())
    exact = next((k for k in keys if k.lower() in said), None)
    if exact is not None:
        return exact
    for word, synonyms in FIELD_WORDS.items():
        if word in said or any(s in said for s in synonyms):
            found = next((k for s in (word, *synonyms) for k in keys if k.lower() == s), None)
            if found is not None:
                return found
    return None


def _field_words(request: str, start: int) -> str:
    """The words after a name or position that may say which field: up to the new value."""
    rest = request[start:]
    return re.split(r"\s(?:to|into|as|with|from)\s|[\"“:]", rest, maxsplit=1)[0]


def named_entry(wish: Wish, model: SiteModel, places: Places) -> Result | None:
    """"Feature 3's title ...", "David Johnson's testimonial: his job ...": the data entry that has a field
    with that name, and its field the request names. Says so when the site does not show that field."""
    m = re.search(r"\b([A-Z][\w&.-]*(?:\s+[\w&.-]+){0,3}?)'s\b", wish.request)
    if not m or not wish.new:
        return None
    name = m.group(1)
    rest = _field_words(wish.request, m.end())
    if named_field(rest, [w for word, keys in FIELD_WORDS.items() for w in (word, *keys)]) is None:
        return None
    shown = {i.source.key for i in model.items}
    for path in sorted(model.reached):
        module = model.evaluator.modules.get(path)
        if module is None:
            continue
        src = module.source
        for node in walk(src.root):
            if node.type != "string" or not same(string_value(src, node) or "", name, loose=True):
                continue
            entry = entry_of(module, node)
            if entry is None or entry.node.type != "object":
                continue
            fields = dict(object_fields(module, entry.node))
            key = named_field(rest, list(fields))
            if key is None or fields[key].type != "string":
                continue
            literal = Str(path, src.start(fields[key]), src.end(fields[key]),
                          string_value(src, fields[key]) or "", "string", fields[key])
            if literal.key not in shown:
                return Question(f"“{name}” is in {path}, but the site never shows its {key} (no component "
                                f"renders it), so changing it would change nothing a visitor sees. Should its "
                                f"{key} also be shown, or did you mean another text?")
            item = next(i for i in model.items if i.source.key == literal.key)
            part = places.of(item).section
            return Proposal([Splice(path, literal.start, literal.end, written(literal, wish.new[0]))],
                            f"{part}: {name}'s {key} → “{wish.new[0]}”", part,
                            {"op": "entry", "entry": name, "field": key, "new": wish.new[0]})
    return None


_OTHER_FIELD = ("answer", "description", "text", "paragraph", "body", "copy", "subtitle", "blurb", "content",
                "details", "summary", "price", "job", "role", "quote")
_FIELD_OF = re.compile(rf"\bthe\s+(?P<field>{'|'.join(_OTHER_FIELD)})\s+(?:to|of|for|under|on|in)\s+(?:the\s+)?"
                       rf"(?:[a-z]+\s+)?[\"“](?P<name>[^\"”]+)[\"”]", re.I)
_QUOTED_FIELD = re.compile(rf"[\"“](?P<name>[^\"”]+)[\"”]\s+(?:[a-z]+\s+){{0,2}}?(?P<field>{'|'.join(_OTHER_FIELD)})\b",
                           re.I)


def field_by_text(wish: Wish, model: SiteModel, places: Places) -> Result | None:
    """"the answer to "Can I change plans later?"", "the "Workload" feature text": another field of the
    entry (a data object, or one component instance's props and children) a quoted text names."""
    m = _FIELD_OF.search(wish.request) or _QUOTED_FIELD.search(wish.request)
    if not m or not wish.new or wish.new[0] == m.group("name"):
        return None
    name, word = m.group("name"), m.group("field").lower()
    named = [i for i in model.items if i.attr is None and same(i.text, name, loose=True)]
    targets: dict[tuple, Item] = {}
    for item in named:
        target = _data_field(model, item, word) or _instance_field(model, item, word)
        if target is not None:
            targets[target.source.key] = target
    if len(targets) != 1:
        return None
    target = next(iter(targets.values()))
    part = places.of(target).section
    return Proposal([Splice(target.source.file, target.source.start, target.source.end,
                            written(target.source, wish.new[0]))],
                    f"{part}: the {word} of “{name}” → “{wish.new[0]}”", part,
                    {"op": "entry", "entry": name, "field": word, "new": wish.new[0]})


def _data_field(model: SiteModel, item: Item, word: str) -> Item | None:
    module = model.evaluator.modules.get(item.source.file)
    entry = entry_of(module, item.source.node) if module is not None and item.source.node is not None else None
    if entry is None or module is None or entry.node.type != "object":
        return None
    fields = {k: v for k, v in object_fields(module, entry.node) if v.type == "string"
              and module.source.start(v) != item.source.start}
    key = named_field(word, list(fields))
    if key is None:
        return None
    start = module.source.start(fields[key])
    return next((i for i in model.items if i.source.file == item.source.file and i.source.start == start), None)


def _instance_field(model: SiteModel, item: Item, word: str) -> Item | None:
    """The one paragraph-like text of the same component instance (``<Feature title="X">text</Feature>``)."""
    frame = next((f for f in reversed(item.path) if f.kind == "component"), None)
    if frame is None:
        return None
    others = [i for i in model.items if i.attr is None and i is not item and frame in i.path
              and i.instance == item.instance and i.element.tag in ("p", "dd", "span", "div", "blockquote")]
    return others[0] if len(others) == 1 and word not in ("price", "job", "role") else None


def nth_entry(wish: Wish, model: SiteModel, places: Places, values: list[str]) -> Result | None:
    """"change the first feature to "Title": "Text"": the entry at that position of the list the request
    names gets the values, in its text fields' order (title first). None when no list fits."""
    loops = loops_for(model, wish, places)
    if not loops or loops[0][0] <= 0.5 or (len(loops) > 1 and loops[1][0] >= loops[0][0] - 0.25):
        return None
    _, loop, items = loops[0]
    entries = members(loop.array.node)
    index = wish.ordinal - 1 if wish.ordinal and wish.ordinal > 0 else len(entries) - 1
    if index >= len(entries):
        return Question(f"That list has {len(entries)} entries, not {wish.ordinal}.")
    node = entries[index]
    module = loop.array.module
    src = module.source
    if node.type == "string":
        if len(values) != 1:
            return Question("Those entries hold one text each; give one new text.")
        targets = [Str(module.path, src.start(node), src.end(node), string_value(src, node) or "", "string", node)]
    else:
        fields = [(k, v) for k, v in object_fields(module, node) if v.type == "string" and k.lower() not in PATHLIKE
                  and k.lower() not in ID_KEYS and not looks_like_path(string_value(src, v) or "")]
        ordered = sorted(fields, key=lambda kv: (0 if kv[0] in PRIMARY else 1 if kv[0] in SECONDARY else 2,
                                                 fields.index(kv)))
        said = named_field(_field_words(wish.request, 0), [k for k, _ in fields]) if len(values) == 1 else None
        if said is not None:  # "the second feature's description": that field, not the title
            ordered = [kv for kv in ordered if kv[0] == said]
        if len(values) > len(ordered):
            return Question(f"Entry {index + 1} has {len(ordered)} text field(s) ({', '.join(k for k, _ in ordered)})"
                            f"; the request gives {len(values)} values.")
        targets = [Str(module.path, src.start(v), src.end(v), string_value(src, v) or "", "string", v)
                   for _, v in ordered[:len(values)]]
    part = places.of(items[0]).section
    splices = [Splice(t.file, t.start, t.end, written(t, value)) for t, value in zip(targets, values, strict=True)]
    return Proposal(splices, f"{part}: entry {index + 1} → {' / '.join(values)}", part,
                    {"op": "entry", "index": index + 1, "new": values})


def _remove_nth(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    loops = loops_for(model, wish, places)
    if not loops or loops[0][0] <= 0 or (len(loops) > 1 and loops[1][0] >= loops[0][0]):
        return Question("Which list? Name it (the services, the team, the FAQ) and the entry's text if you can.")
    _, loop, _ = loops[0]
    entries = members(loop.array.node)
    index = wish.ordinal - 1 if wish.ordinal and wish.ordinal > 0 else len(entries) - 1
    if index >= len(entries):
        return Question(f"That list has {len(entries)} entries, not {wish.ordinal}.")
    node = entries[index]
    text = loop.array.module.source.text(node)
    hints = [w for w in wish.scope if w not in split_words(_array_name(model, loop.array)) and len(w) > 3
             and w not in ("fifth", "first", "second", "third", "fourth", "sixth", "last", "service", "feature",
                           "member", "item", "entry", "icon", "one")]
    if hints and not any(h in text.lower() for h in hints):
        return Question(f"Entry {index + 1} of that list does not match “{' '.join(hints)}”; which one do you mean?")
    entry = Entry(loop.array.module, node, loop.array.node, index)
    part = places.of(next(i for i in model.items if any(k == loop.array.key for k, _ in i.instance))).section
    return Proposal([removal(entry)], f"{part}: remove entry {index + 1}", part, {"op": "remove", "index": index + 1})


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


def price(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """A plan's prices: the monthly and yearly numbers of the plan the request names."""
    wanted = _periods(wish.request)
    if not wanted:
        single = _single_price(wish, model, places, pick)
        if single is not None:
            return single
        return Question("Which price is it, per month or per year? For example: the Pro plan is now $19 a month.")
    pool = [i for i in model.items if re.fullmatch(r"\d+(?:[.,]\d+)?", i.text.strip())]
    splices, done = [], []
    for period, amount in wanted:
        if amount is None:
            continue
        fits = [i for i in pool if _period_of(model, i) == period]
        candidates = [c for c in rank(fits, wish, places) if c.score > 0.5]
        chosen = decide(candidates, margin=0.5)
        if chosen is None:
            if not candidates:
                return Question(f"I could not find the {period} price of that plan; which plan, and where is its "
                                "price written?")
            return ask_which(model, candidates, places, f"The {period} price")
        splices.append(Splice(chosen.source.file, chosen.source.start, chosen.source.end,
                              written(chosen.source, amount) if chosen.source.kind != "number" else amount))
        done.append(f"{period} {amount}")
    if not splices:
        return Question("Which price should change? Say the new amount, e.g. $19 a month.")
    part = "pricing"
    return Proposal(splices, f"{part}: {' '.join(wish.scope[:2])} price → {', '.join(done)}", part,
                    {"op": "price", "prices": done})


def _single_price(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result | None:
    """One new amount for a site whose plans have one price each ("$12" per plan, no monthly/yearly
    pair): the named plan's price, written as the old one is ($ kept). None when prices come in pairs."""
    if len(wish.prices) != 1:
        return None
    pool = [i for i in model.items if i.attr is None and re.fullmatch(r"[$€£]?\s?\d+(?:[.,]\d+)?", i.text.strip())]
    if not pool or any(_period_of(model, i) is not None for i in pool):
        return None
    candidates = [c for c in rank(pool, wish, places) if c.score > 0.5]
    chosen = picked(candidates, pick) or decide(candidates, margin=0.5)
    if chosen is None:
        return ask_which(model, candidates, places, "The price") if candidates else None
    old = chosen.source.value if chosen.source.kind != "number" else chosen.first.text
    amount = re.sub(r"\d+(?:[.,]\d+)?", wish.prices[0], old, count=1)
    text = written(chosen.source, amount) if chosen.source.kind != "number" else wish.prices[0]
    part = places.of(chosen.first).section
    return Proposal([Splice(chosen.source.file, chosen.source.start, chosen.source.end, text)],
                    f"{part}: price {chosen.first.text} → {amount}", part, {"op": "price", "prices": [amount]})


def _periods(request: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for m in re.finditer(r"(?P<stays>\b(?:stays?|remains?|unchanged|still)\b[^$]{0,12})?"
                         r"\$\s?(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<period>(?:a|per|/|each)?\s*(?:month|mo|year|yr|annum|annually|monthly|yearly))?",
                         request, re.I):
        before = request[max(0, m.start() - 25):m.start()].lower()
        period_text = (m.group("period") or "") + " " + before
        period = "yearly" if re.search(r"year|yr|annu", period_text) else "monthly" if re.search(
            r"month|mo\b", period_text) else None
        if period is None:
            continue
        stays = m.group("stays") or re.search(r"\b(?:stays?|remains?|unchanged|still)\b", before)
        after = request[m.end():m.end() + 12].lower()
        if re.search(r"\b(?:stays?|remains?|unchanged)\b", after):
            stays = True
        out.append((period, None if stays else m.group("amount").replace(",", ".")))
    return out


def _period_of(model: SiteModel, item: Item) -> str | None:
    """monthly or yearly: by the data key (prices.monthly), or the condition of the ternary it is in."""
    node = item.source.node
    module = model.evaluator.modules.get(item.source.file)
    if node is None or module is None:
        return None
    parent = node.parent
    if parent is not None and parent.type == "pair":
        key = module.source.text(parent.child_by_field_name("key")).lower()
        return "yearly" if re.search(r"year|annual", key) else "monthly" if "month" in key else None
    if parent is not None and parent.type == "ternary_expression":
        condition = module.source.text(parent.child_by_field_name("condition")).lower()
        branch = "consequence" if parent.child_by_field_name("consequence") == node else "alternative"
        if "month" in condition:
            return "monthly" if branch == "consequence" else "yearly"
        if re.search(r"year|annual", condition):
            return "yearly" if branch == "consequence" else "monthly"
    return None
