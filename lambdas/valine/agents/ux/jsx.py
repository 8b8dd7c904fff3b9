"""Syntax-aware edits of JSX files with tree-sitter.

Each edit finds one node through the parse tree and splices new bytes into exactly its
range, so nothing else in the file moves. User text is rendered so it can never become
code: plain JSX text when that is unambiguous, otherwise a JavaScript string literal in an
expression container (``{"<b>hi</b>"}``), which React renders literally.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache

import tree_sitter_javascript as tsjs
from tree_sitter import Language, Node, Parser, Tree

from valine.agents.ux.catalog import Catalog, CatalogError, Selector
from valine.site.syntax import walk

_PLAIN_TEXT = re.compile(r"^[^{}<>&\"'`\\\r\n\t]*$")
_LINK_TAGS = ("a", "Link", "NavLink")


class EditError(ValueError):
    """The file does not have what the rule needs; the message says what is missing."""


@cache
def _parser() -> Parser:
    return Parser(Language(tsjs.language()))


def parse(source: str) -> Tree:
    return _parser().parse(source.encode("utf-8"))


def parses_cleanly(source: str) -> bool:
    return not parse(source).root_node.has_error




def _opening(node: Node) -> Node | None:
    if node.type == "jsx_element":
        return node.child_by_field_name("open_tag")
    if node.type == "jsx_self_closing_element":
        return node
    return None


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8") if node is not None and node.text is not None else ""


def _attributes(opening: Node) -> dict[str, Node]:
    attrs = {}
    for child in opening.children:
        if child.type == "jsx_attribute" and child.named_children:
            attrs[_text(child.named_children[0])] = child
    return attrs


def _attr_value(attr: Node) -> Node | None:
    named = attr.named_children
    return named[1] if len(named) > 1 else None


def _string_value(node: Node | None) -> str | None:
    if node is None or node.type != "string":
        return None
    return "".join(_text(c) for c in node.named_children)


def _matches(node: Node, selector: Selector) -> bool:
    opening = _opening(node)
    if opening is None:
        return False
    if selector.tag and _text(opening.child_by_field_name("name")) != selector.tag:
        return False
    if selector.attr:
        attr = _attributes(opening).get(selector.attr)
        return attr is not None and _string_value(_attr_value(attr)) == selector.value
    return True


def find_element(source: str, selector: Selector) -> Node | None:
    for node in walk(parse(source).root_node):
        if _matches(node, selector):
            return node
    return None


def _require(source: str, selector: Selector) -> Node:
    node = find_element(source, selector)
    if node is None:
        raise EditError(f"no element {selector} in the file")
    return node


def _splice(source: str, start: int, end: int, text: str) -> str:
    data = source.encode("utf-8")
    return (data[:start] + text.encode("utf-8") + data[end:]).decode("utf-8")


def render_text(value: str) -> str:
    """JSX children that display ``value`` literally."""
    if value and _PLAIN_TEXT.match(value) and value == value.strip() and "  " not in value:
        return value
    return "{" + json.dumps(value, ensure_ascii=False) + "}"


def element_text(source: str, selector: Selector) -> str | None:
    """The literal text an element displays (inverse of ``render_text``), or None if not plain."""
    node = find_element(source, selector)
    if node is None or node.type != "jsx_element":
        return None
    inner = [c for c in node.children if c.type not in ("jsx_opening_element", "jsx_closing_element")]
    if len(inner) == 1 and inner[0].type == "jsx_expression":
        literal = inner[0].named_children
        if len(literal) == 1 and literal[0].type == "string":
            return json.loads(_text(literal[0])) if _text(literal[0]).startswith('"') else None
    if all(c.type == "jsx_text" for c in inner):
        return "".join(_text(c) for c in inner).strip()
    return None


def set_text(source: str, selector: Selector, value: str) -> str:
    node = _require(source, selector)
    if node.type != "jsx_element":
        raise EditError(f"element {selector} has no children to hold text (it is self-closing)")
    open_tag, close_tag = node.child_by_field_name("open_tag"), node.child_by_field_name("close_tag")
    assert open_tag is not None and close_tag is not None
    data = source.encode("utf-8")
    inner = data[open_tag.end_byte:close_tag.start_byte].decode("utf-8")
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):] if inner.strip() else ""
    return _splice(source, open_tag.end_byte, close_tag.start_byte, lead + render_text(value) + trail)


def set_style(source: str, selector: Selector, prop: str, value: str) -> str:
    """Set one property of the element's inline ``style={{...}}`` object (adding it if absent)."""
    opening = _opening(_require(source, selector))
    assert opening is not None
    literal = "'" + value + "'"
    style = _attributes(opening).get("style")
    if style is None:
        name_node = opening.child_by_field_name("name")
        anchor = opening.children[-2] if opening.type == "jsx_self_closing_element" else opening.children[-1]
        attrs = [c for c in opening.children if c.type == "jsx_attribute"]
        at = attrs[-1].end_byte if attrs else (name_node.end_byte if name_node else anchor.start_byte)
        return _splice(source, at, at, f" style={{{{ {prop}: {literal} }}}}")
    expr = _attr_value(style)
    obj = expr.named_children[0] if expr is not None and expr.type == "jsx_expression" and expr.named_children \
        else None
    if obj is None or obj.type != "object":
        raise EditError(f"element {selector} has a style that is not an inline object; point the catalog at a "
                        "different element or style")
    pairs = [c for c in obj.named_children if c.type == "pair"]
    for pair in pairs:
        key = pair.child_by_field_name("key")
        if _text(key).strip("'\"") == prop:
            val = pair.child_by_field_name("value")
            assert val is not None
            quote = _text(val)[:1] if _text(val)[:1] in "'\"" else "'"
            return _splice(source, val.start_byte, val.end_byte, quote + value + quote)
    if pairs:
        return _splice(source, pairs[-1].end_byte, pairs[-1].end_byte, f", {prop}: {literal}")
    close = obj.children[-1]
    return _splice(source, close.start_byte, close.start_byte, f" {prop}: {literal} ")


def add_link(source: str, selector: Selector, label: str, href: str) -> str:
    """Add a link to the container (or re-point the one with the same label)."""
    container = _require(source, selector)
    if container.type != "jsx_element":
        raise EditError(f"element {selector} cannot hold links (it is self-closing)")
    links = [c for c in container.children if c.type == "jsx_element" and
             _text((_opening(c) or c).child_by_field_name("name")) in _LINK_TAGS]
    tag, href_attr = "a", "href"
    for link in links:
        opening = _opening(link)
        assert opening is not None
        attrs = _attributes(opening)
        tag = _text(opening.child_by_field_name("name"))
        href_attr = "to" if "to" in attrs else "href"
        if element_text_of(link) == label and href_attr in attrs:
            value = _attr_value(attrs[href_attr])
            assert value is not None
            return _splice(source, value.start_byte, value.end_byte, _attr_string(href))
    new = f"<{tag} {href_attr}={_attr_string(href)}>{render_text(label)}</{tag}>"
    data = source.encode("utf-8")
    if links:
        last = links[-1]
        line_start = data.rfind(b"\n", 0, last.start_byte) + 1
        indent = data[line_start:last.start_byte].decode("utf-8")
        sep = "\n" + indent if indent.strip() == "" else " "
        return _splice(source, last.end_byte, last.end_byte, sep + new)
    close = container.child_by_field_name("close_tag")
    assert close is not None
    return _splice(source, close.start_byte, close.start_byte, new)


def _attr_string(value: str) -> str:
    # JSX attribute strings have no backslash escapes and decode HTML entities (&amp;), so
    # anything beyond plain characters goes in as a JavaScript string literal instead.
    if re.fullmatch(r"[A-Za-z0-9\-._~/:%#?=+@!$,;()*]*", value):
        return '"' + value + '"'
    return "{" + json.dumps(value, ensure_ascii=False) + "}"


def element_text_of(node: Node) -> str:
    inner = [c for c in node.children if c.type not in ("jsx_opening_element", "jsx_closing_element")]
    if len(inner) == 1 and inner[0].type == "jsx_expression" and inner[0].named_children \
            and inner[0].named_children[0].type == "string" and _text(inner[0].named_children[0]).startswith('"'):
        return str(json.loads(_text(inner[0].named_children[0])))
    return "".join(_text(c) for c in inner).strip()


def validate_against(catalog: Catalog, read_file: Callable[[str], str | None]) -> None:
    """Reject a catalog naming a file that is missing or an element the rule cannot find."""
    for section in catalog.sections.values():
        source = read_file(section.file)
        if source is None:
            raise CatalogError(f"section {section.name}: file {section.file} does not exist in the repository")
        for rule in section.properties.values():
            if find_element(source, rule.element) is None:
                raise CatalogError(f"section {section.name}, property {rule.name}: no element {rule.element} "
                                   f"in {section.file}")
