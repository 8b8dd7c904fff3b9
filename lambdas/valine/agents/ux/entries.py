"""Entries of lists as the site writes them: elements of array literals (FAQ items, features, menu
entries, plan benefits, in code or JSON) and repeated JSX siblings (``<li>`` links, ``<OfferList>``
rows). Removing one takes its separator and its line with it; adding one copies a sibling's shape
(its fields, classes, wrapper), so the list stays valid and looks the same."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from valine.agents.ux.proposal import Question
from valine.site.model import SiteModel
from valine.site.modules import Module
from valine.site.render import Item
from valine.site.syntax import property_name, string_value
from valine.site.values import Str
from valine.site.writing import Splice

JSX_ELEMENTS = ("jsx_element", "jsx_self_closing_element")


@dataclass(frozen=True)
class Entry:
    module: Module
    node: Node  # the element (an object, a string, a JSX element)
    container: Node  # the array literal, or the JSX element holding the siblings
    index: int

    @property
    def siblings(self) -> list[Node]:
        return members(self.container)


def members(container: Node) -> list[Node]:
    if container.type == "array":
        return [c for c in container.named_children if c.type != "comment"]
    return [c for c in container.named_children if c.type in JSX_ELEMENTS]


def entry_of(module: Module, node: Node | None) -> Entry | None:
    """The array element that holds ``node`` (the nearest one)."""
    while node is not None and node.parent is not None:
        parent = node.parent
        if parent.type == "array":
            items = members(parent)
            if node in items:
                return Entry(module, node, parent, items.index(node))
        node = parent
    return None


def jsx_entry_of(module: Module, node: Node | None) -> Entry | None:
    """The JSX element that holds ``node``, widened to a lone ``<li>`` around it, among its siblings."""
    while node is not None and node.type not in JSX_ELEMENTS:
        node = node.parent
    if node is None:
        return None
    while node.parent is not None and node.parent.type == "jsx_element":
        parent = node.parent
        tag = _tag(module, parent)
        inner = [c for c in parent.named_children if c.type not in ("jsx_opening_element", "jsx_closing_element")
                 and not (c.type == "jsx_text" and not module.source.text(c).strip())]
        if tag == "li" and inner == [node]:
            node = parent
            continue
        items = members(parent)
        return Entry(module, node, parent, items.index(node)) if node in items else None
    return None


def _tag(module: Module, element: Node) -> str:
    opening = element.child_by_field_name("open_tag") if element.type == "jsx_element" else element
    name = opening.child_by_field_name("name") if opening is not None else None
    return module.source.text(name) if name is not None else ""


def _line_start(data: bytes, at: int) -> int:
    return data.rfind(b"\n", 0, at) + 1


def _only_space_before(data: bytes, at: int) -> bool:
    return data[_line_start(data, at):at].strip() == b""


def _after(data: bytes, at: int) -> int:
    """The offset past whitespace (not newlines) and one comma after ``at``."""
    i = at
    while i < len(data) and data[i:i + 1] in (b" ", b"\t"):
        i += 1
    if data[i:i + 1] == b",":
        return i + 1
    return at


def removal(entry: Entry) -> Splice:
    """Take the entry out with its separator; a whole line when it has a line of its own."""
    src = entry.module.source
    data = src.data
    path = entry.module.path
    start, end = src.start(entry.node), src.end(entry.node)
    items = entry.siblings
    nxt = items[entry.index + 1] if entry.index + 1 < len(items) else None
    prev = items[entry.index - 1] if entry.index > 0 else None
    own_line = _only_space_before(data, start)
    if entry.container.type != "array":  # a JSX sibling: its line, or just the element
        line_end = data.find(b"\n", end)
        if own_line and data[end:line_end if line_end >= 0 else len(data)].strip() == b"":
            return Splice(path, _line_start(data, start), line_end + 1 if line_end >= 0 else len(data), "")
        return Splice(path, start, end, "")
    comma_end = _after(data, end)
    if nxt is not None:
        nstart = src.start(nxt)
        if own_line and _only_space_before(data, nstart):
            return Splice(path, _line_start(data, start), _line_start(data, nstart), "")
        return Splice(path, start, nstart, "")
    if prev is not None:
        if comma_end != end and own_line:  # a trailing comma: the element's whole line goes
            line_end = data.find(b"\n", comma_end)
            return Splice(path, _line_start(data, start), line_end + 1 if line_end >= 0 else len(data), "")
        return Splice(path, src.end(prev), comma_end, "")
    return Splice(path, start, comma_end, "")


def insertion(entry: Entry, text: str) -> Splice:
    """Put ``text`` (one new element) right after ``entry``, laid out like it."""
    src = entry.module.source
    data = src.data
    start, end = src.start(entry.node), src.end(entry.node)
    indent = data[_line_start(data, start):start].decode() if _only_space_before(data, start) else ""
    if entry.container.type != "array":
        return Splice(entry.module.path, end, end, ("\n" + indent if indent or _only_space_before(data, start)
                                                    else " ") + text)
    comma_end = _after(data, end)
    if comma_end != end:  # followed by a comma: the new element gets one too
        sep = "\n" + indent if indent else " "
        return Splice(entry.module.path, comma_end, comma_end, sep + text + ",")
    sep = ",\n" + indent if indent else ", "
    return Splice(entry.module.path, end, end, sep + text)


def object_fields(module: Module, node: Node) -> list[tuple[str, Node]]:
    """(key, value node) of an object literal's pairs, in order."""
    if node.type != "object":
        return []
    out = []
    for pair in node.named_children:
        if pair.type == "pair":
            key = property_name(module.source, pair.child_by_field_name("key"))
            value = pair.child_by_field_name("value")
            if key is not None and value is not None:
                out.append((key, value))
    return out


PRIMARY = ("title", "question", "name", "label", "heading", "text", "headline")
SECONDARY = ("answer", "paragraph", "description", "desc", "text", "content", "body", "job", "role", "position",
             "subtitle", "review", "quote", "details", "summary")
PATHLIKE = ("img", "image", "src", "href", "path", "url", "link", "avatar", "photo", "picture", "icon", "to", "route",
            "pathname")
ID_KEYS = ("id", "key", "slug", "value")


def looks_like_path(value: str) -> bool:
    return bool(re.search(r"^(?:https?://|/|#|\.{0,2}/)|\.(?:jpe?g|png|svg|webp|gif|avif)$|^[\w-]+/[\w./-]+$", value))


def next_id(module: Module, siblings: list[Node], key: str) -> str | None:
    """A new unique id like the siblings': max + 1 for numbers, "item-6" after "item-5"."""
    values = []
    for sibling in siblings:
        for k, value in object_fields(module, sibling):
            if k == key:
                values.append((value, module.source.text(value)))
    numbers = [int(t) for v, t in values if v.type == "number" and t.isdigit()]
    if numbers and len(numbers) == len(values):
        return str(max(numbers) + 1)
    strings = [string_value(module.source, v) for v, _ in values if v.type == "string"]
    pattern = [re.match(r"^(.*?)(\d+)$", s or "") for s in strings]
    if strings and all(pattern):
        prefix = pattern[0].group(1)  # type: ignore[union-attr]
        if all(p.group(1) == prefix for p in pattern):  # type: ignore[union-attr]
            top = max(int(p.group(2)) for p in pattern)  # type: ignore[union-attr]
            quote = module.source.text(values[0][0])[:1]
            return f"{quote}{prefix}{top + 1}{quote}"
    return None

def entry_fields(model: SiteModel, item: Item, count: int) -> list[Str] | Question:
    """The text fields of the data entry ``item`` is the main text of, that many of them: the item's own
    literal first, then the entry's other words (its paragraph, description, answer) in order."""
    module = model.evaluator.modules.get(item.source.file)
    entry = entry_of(module, item.source.node) if module is not None and item.source.node is not None else None
    if entry is None or module is None or entry.node.type != "object":
        return Question("The request gives several new texts, but that text is not part of an entry with other "
                        "fields; say which text each one is for.")
    src = module.source
    strings = [(k, v) for k, v in object_fields(module, entry.node) if v.type == "string"
               and k.lower() not in PATHLIKE and k.lower() not in ID_KEYS
               and not looks_like_path(string_value(src, v) or "")]
    own = [v for _, v in strings if src.start(v) == item.source.start]
    rest = sorted((v for _, v in strings if src.start(v) != item.source.start),
                  key=lambda v: next((0 if k in SECONDARY else 1) for k, x in strings if x == v))
    nodes = own + rest
    if len(nodes) < count:
        return Question(f"That entry has {len(nodes)} text field(s), and the request gives {count} new texts; "
                        "which goes where?")
    return [Str(module.path, src.start(v), src.end(v), string_value(src, v) or "", "string", v) for v in
            nodes[:count]]
