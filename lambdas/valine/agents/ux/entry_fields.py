"""Which entry of a list, and which of its fields, a request names: by a quoted text, a field word, or a position."""

from __future__ import annotations

import re

from valine.agents.ux.choose import same
from valine.agents.ux.edit_lists import nth_entry_of_list
from valine.agents.ux.entries import (
    ID_KEYS,
    PATHLIKE,
    PRIMARY,
    SECONDARY,
    entry_of,
    looks_like_path,
    object_fields,
)
from valine.agents.ux.proposal import Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.render import Item
from valine.site.syntax import string_value, walk
from valine.site.values import Str
from valine.site.writing import Splice, written

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
    found = nth_entry_of_list(wish, model, places, floor=0.5, margin=0.25)
    if found is None or isinstance(found, Question):
        return found
    loop, items, node, index = found
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
