"""Small readings the renderer needs: the page a route renders, a line break in JSX text, the data
arrays and literals a value holds, a component's name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from valine.site.rendered import Ctx
from valine.site.value_types import (
    Alt,
    Fn,
    Obj,
    Str,
    Value,
)


def _route_page(parent: str, path: Value | None) -> str:
    """A route's page: absolute ("/pricing"), or relative to the route it is nested in ("team")."""
    if not isinstance(path, Str) or not path.value or path.value == "*":
        return parent
    if path.value.startswith("/"):
        return path.value
    return parent.rstrip("/") + "/" + path.value


BREAKS = re.compile(r"<br\b[^>]*>|\{\s*(?:\"\s*\"|'\s*'|`\s*`)\s*\}")


def _line_break(src: object, node: Node) -> bool:
    """``<br/>`` (with any props) or a ``{" "}`` spacer: inside a text, not an element of its own."""
    if node.type == "jsx_self_closing_element":
        name = node.child_by_field_name("name")
        return name is not None and name.text == b"br"
    return node.type == "jsx_expression" and BREAKS.fullmatch(node.text.decode("utf-8", "replace")) is not None \
        if node.text else False


def _arrays(value: Value, rank: int = 0) -> Iterator[tuple[Obj, int]]:
    """The array literals a value may be (``links = custom || config.mainNav`` may be either), each with
    how likely it is the one shown."""
    if isinstance(value, Obj) and value.is_array:
        yield value, rank
    elif isinstance(value, Alt):
        for i, option in enumerate(value.options):
            yield from _arrays(option, max(rank, value.rank(i)))


def _literals(value: Value | None) -> Iterator[Str]:
    if isinstance(value, Str):
        yield value
    elif isinstance(value, Alt):
        for option in value.options:
            yield from _literals(option)


def _component_name(tag: str, fn: Fn) -> str:
    return fn.name or tag.rsplit(".", 1)[-1]


def _with(ctx: Ctx, **changes: object) -> Ctx:
    values = {**ctx.__dict__, **changes}
    return Ctx(**values)
