"""What rendering the site's JSX gives: elements (with their landmark, role, attributes and
colouring classes), their visible items, the loops that render data arrays, and the frames of
components they are reused in."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from tree_sitter import Node

from valine.site.modules import Module
from valine.site.value_types import (
    Fn,
    Obj,
    Str,
    Value,
)

MAX_DEPTH = 60


ATTRIBUTES = ("alt", "aria-label", "title", "placeholder", "href", "to", "value", "label", "content", "src",
              "target")


LANDMARKS = ("header", "nav", "main", "footer", "section", "aside", "form", "article")


# Components from packages that render as a known element.
HOST_LIKE = {"Link": "a", "NavLink": "a", "Image": "img", "Img": "img", "Button": "button", "Input": "input",
             "Head": "head", "Title": "title"}


_WS = re.compile(r"\s+")


LABEL_PROPS = ("packageName", "title", "name", "label", "heading", "plan", "tier")


@dataclass(frozen=True)
class Frame:
    """A host element or a component instance on the way from the page to a text."""

    kind: str  # "host" | "component"
    name: str  # the tag (h1, section) or the component's name (Hero, SectionTitle)
    file: str  # where the element (or, for a component, its call site) is written
    start: int
    end: int
    id: str = ""
    classes: tuple[str, ...] = ()
    defined_in: str = ""  # a component's own file
    label: str = ""  # a component's short string props (packageName="Lite", title="Pricing"): what it is of


@dataclass(eq=False)
class Element:
    frame: Frame
    path: tuple[Frame, ...]
    module: Module | None  # None: not a component's element (a page's metadata, a Markdown heading)
    node: Node | None
    attrs: dict[str, Value]
    class_strs: tuple[Str, ...]
    page: str
    conditional: bool
    instance: tuple[tuple[tuple[str, int], int], ...]
    rank: int = 0
    texts: list[Item] = field(default_factory=list)
    css: tuple[Str, ...] = ()  # styled-components: the template literals that style it

    @property
    def tag(self) -> str:
        return self.frame.name

    def text(self) -> str:
        return " ".join(i.text for i in self.texts if i.attr is None).strip()


@dataclass(eq=False)
class Item:
    text: str  # what a visitor reads (entities decoded, whitespace collapsed)
    source: Str  # the literal it is written as
    attr: str | None  # None: visible text; else the attribute it is the value of
    element: Element
    page: str
    conditional: bool
    instance: tuple[tuple[tuple[str, int], int], ...]  # ((array, index), ...) of the .map()s around it
    rank: int = 0  # 0 always shown; 1 the likely branch of a condition; 2 the less likely one

    @property
    def path(self) -> tuple[Frame, ...]:
        return (*self.element.path, self.element.frame)


@dataclass(eq=False)
class Loop:
    """A ``.map()`` over an array literal: the array, the callback, and the element that holds it."""

    array: Obj
    callback: Fn
    container: Element | None
    node: Node
    module: Module
    page: str


@dataclass
class Ctx:
    path: tuple[Frame, ...]
    element: Element | None
    page: str
    conditional: bool = False
    instance: tuple[tuple[tuple[str, int], int], ...] = ()
    depth: int = 0
    active: frozenset[tuple[str, int]] = frozenset()
    rank: int = 0


def visible(text: str) -> str:
    return _WS.sub(" ", html.unescape(text)).strip()
