"""The kinds of value the evaluator (valine.site.values) tells apart: a literal written somewhere,
an object or array literal, a function, JSX, children, props, a choice of several, an import
from outside the site, a CSS module, a styled component."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tree_sitter import Node

from valine.site.modules import Module

MAX_DEPTH = 40


CLASS_HELPERS = {"cn", "clsx", "classnames", "classNames", "cx", "twMerge", "twJoin", "tw"}


WRAPPERS = {"memo", "forwardRef", "observer", "styled"}


TRANSLATE = {"t", "$t", "translate", "formatMessage", "__"}


LOCALE_FILE = re.compile(r"(?:^|/)(?:locales?|i18n|lang|langs|translations?|messages|intl)/(?:[\w-]+/)*[\w.-]+\.json$")


# react-router's route tables: the routes are the (first) argument.
ROUTER_FACTORIES = {"createBrowserRouter", "createHashRouter", "createMemoryRouter", "createRoutesFromElements",
                    "createRoutesFromChildren", "useRoutes"}


class Value:
    """Something an expression evaluates to."""


@dataclass(frozen=True, eq=False)
class Unknown(Value):
    why: str = ""


UNKNOWN = Unknown()


@dataclass(frozen=True, eq=False, repr=False)
class Str(Value):
    """A literal as written: ``file`` and ``start``/``end`` (bytes) span exactly the literal, quotes
    included for strings. ``kind``: string, template, number or text (JSX text)."""

    file: str
    start: int
    end: int
    value: str
    kind: str
    node: Node | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.file, self.start, self.end)

    def __repr__(self) -> str:
        return f"Str({self.value[:40]!r} {self.file}@{self.start})"


@dataclass(frozen=True, eq=False, repr=False)
class Obj(Value):
    """An object or array literal (in code or a JSON file), read lazily in its module's scope."""

    module: Module
    node: Node
    scope: Scope

    @property
    def is_array(self) -> bool:
        return self.node.type == "array"

    def __repr__(self) -> str:
        return f"Obj({self.module.path}:{self.node.start_point[0] + 1} {self.node.type})"

    @property
    def key(self) -> tuple[str, int]:
        return (self.module.path, self.node.start_byte)


@dataclass(frozen=True, eq=False, repr=False)
class Fn(Value):
    module: Module
    node: Node
    scope: Scope
    name: str = ""

    def __repr__(self) -> str:
        return f"Fn({self.name or '?'} {self.module.path}:{self.node.start_point[0] + 1})"


@dataclass(frozen=True, eq=False, repr=False)
class Jsx(Value):
    module: Module
    node: Node
    scope: Scope


@dataclass(frozen=True, eq=False, repr=False)
class Children(Value):
    """The children a call site passes to a component: rendered in the caller's scope."""

    module: Module
    nodes: tuple[Node, ...]
    scope: Scope


@dataclass(frozen=True, eq=False)
class Props(Value):
    attrs: Mapping[str, Value]
    children: Children | None = None


@dataclass(frozen=True, eq=False)
class Alt(Value):
    """One of several values (a ternary, ``a || b``, ``cond && x``). ``ranks``: how likely each is what a
    visitor sees, 1 the likely one (a ternary's first branch, ``a || b``'s default), 2 the less likely."""

    options: tuple[Value, ...]
    ranks: tuple[int, ...] = ()

    def rank(self, i: int) -> int:
        return self.ranks[i] if i < len(self.ranks) else 1


@dataclass(frozen=True, eq=False)
class Parts(Value):
    """Pieces joined into one string: a template with substitutions, ``a + b``, ``cn(...)``."""

    parts: tuple[Value, ...]


@dataclass(frozen=True, eq=False)
class External(Value):
    """A value from a package (``next/link``'s ``Link``, ``react``'s ``useState``)."""

    specifier: str
    name: str


STYLESHEETS = (".css", ".scss", ".sass", ".less")


@dataclass(frozen=True, eq=False)
class CssModule(Value):
    """A stylesheet imported as an object (CSS modules): its members are its class names."""

    path: str


@dataclass(frozen=True, eq=False)
class Styled(Value):
    """A styled-components (or emotion) component: ``styled.a`...``` renders an ``a``, ``styled(Link)`...```
    renders what it wraps; ``css`` are the template literals that style it, outermost last."""

    tag: str | None
    wraps: Value | None
    css: tuple[Node, ...]
    module: Module


@dataclass(frozen=True, eq=False)
class Index(Value):
    """The position a ``.map`` callback is at."""

    value: int


@dataclass(eq=False)
class Scope:
    module: Module
    names: dict[str, Value] = field(default_factory=dict)
    parent: Scope | None = None

    def child(self, names: dict[str, Value] | None = None) -> Scope:
        """A nested scope; ``names`` is used as it is, so bindings added to it later are seen."""
        return Scope(self.module, names if names is not None else {}, self)

    def __repr__(self) -> str:
        return f"Scope({self.module.path}, {sorted(self.names)})"


@dataclass(frozen=True, eq=False)
class Namespace(Value):
    module: Module
