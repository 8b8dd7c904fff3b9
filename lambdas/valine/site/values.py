"""What an expression in the site's code stands for, as far as a reader can tell without running
it: a literal written somewhere (``Str``, with the file and byte span it is written at), an
object or array literal (``Obj``), a component or function, JSX, or a choice between several.

Props flow from a call site into the component, imports lead to the module that exports the
value, ``useState`` set from an import (``setData(JsonData)``) is that import, and data files
(JSON, ``config/*.ts``) are object literals like any other. So ``{props.data.title}`` in a
header component leads back to the ``"title"`` string in ``src/data/data.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from valine.site.modules import Module, Modules
from valine.site.syntax import property_name, string_value, unwrap, walk

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


class Evaluator:
    def __init__(self, modules: Modules) -> None:
        self.modules = modules
        self._module_scopes: dict[str, Scope] = {}
        self._top: dict[tuple[str, str], Value] = {}
        self._busy: set[tuple[str, str]] = set()

    # ---- scopes and modules --------------------------------------------------------------
    def module_scope(self, module: Module) -> Scope:
        scope = self._module_scopes.get(module.path)
        if scope is None:
            scope = self._module_scopes[module.path] = Scope(module)
        return scope

    def lookup(self, scope: Scope, name: str) -> Value:
        current: Scope | None = scope
        while current is not None:
            if name in current.names:
                return current.names[name]
            current = current.parent
        return self.top(scope.module, name)

    def top(self, module: Module, name: str) -> Value:
        """A module-level name: a binding or an import."""
        key = (module.path, name)
        if key in self._top:
            return self._top[key]
        if key in self._busy:
            return UNKNOWN
        self._busy.add(key)
        try:
            value: Value = UNKNOWN
            if name in module.bindings:
                value = self._binding(module, module.bindings[name], name)
            elif name in module.imports:
                imp = module.imports[name]
                target = self.modules.get(imp.path)
                if imp.path and imp.path.endswith(STYLESHEETS):
                    value = CssModule(imp.path)  # import styles from "./Home.module.css"
                elif target is None:
                    value = External(imp.specifier, imp.name)
                elif imp.name == "*":
                    value = Namespace(target)
                else:
                    value = self.export(target, imp.name)
        finally:
            self._busy.discard(key)
        self._top[key] = value
        return value

    def _binding(self, module: Module, node: Node, name: str) -> Value:
        if node.type in ("function_declaration", "generator_function_declaration"):
            return Fn(module, node, self.module_scope(module), name)
        value = self.eval(node, self.module_scope(module))
        if isinstance(value, Fn) and not value.name:
            return Fn(value.module, value.node, value.scope, name)
        return value

    def export(self, module: Module, name: str) -> Value:
        if name == "default" and module.default is not None:
            if module.default.type in ("function_declaration", "function_expression", "arrow_function",
                                       "class_declaration"):
                return Fn(module, module.default, self.module_scope(module), _default_name(module))
            return self.eval(module.default, self.module_scope(module))
        if name in module.exports:
            return self.top(module, module.exports[name])
        for path, exported, alias in module.reexports:
            target = self.modules.get(path)
            if target is None:
                continue
            if exported == "*" and name != "default":
                value = self.export(target, name)
                if not isinstance(value, Unknown):
                    return value
            elif alias == name:
                return self.export(target, exported)
        return UNKNOWN

    # ---- expressions ---------------------------------------------------------------------
    def eval(self, node: Node | None, scope: Scope, depth: int = 0) -> Value:
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return UNKNOWN
        src = scope.module.source
        kind = node.type
        if kind in ("string", "template_string", "number"):
            value = string_value(src, node) if kind != "number" else src.text(node)
            if value is not None:
                return Str(scope.module.path, src.start(node), src.end(node), value,
                           {"string": "string", "template_string": "template", "number": "number"}[kind], node)
            return Parts(tuple(self._template_parts(node, scope, depth)))
        if kind == "identifier":
            return self.lookup(scope, src.text(node))
        if kind in ("member_expression", "subscript_expression"):
            obj = self.eval(node.child_by_field_name("object"), scope, depth + 1)
            if kind == "member_expression":
                prop = node.child_by_field_name("property")
                return self.get(obj, src.text(prop), depth)
            index = unwrap(node.child_by_field_name("index"))
            key = string_value(src, index) if index is not None and index.type == "string" else \
                (src.text(index) if index is not None and index.type == "number" else None)
            if key is None and isinstance(obj, Obj) and not obj.is_array:  # config[segment]: any of its values
                values = tuple(v for _, _, v in self.pairs(obj))
                return Alt(values, (2,) * len(values))
            return self.get(obj, key, depth) if key is not None else UNKNOWN
        if kind in ("object", "array"):
            return Obj(scope.module, node, scope)
        if kind in ("arrow_function", "function_expression", "function"):
            return Fn(scope.module, node, scope)
        if kind in ("jsx_element", "jsx_self_closing_element", "jsx_fragment"):
            return Jsx(scope.module, node, scope)
        if kind == "ternary_expression":
            return Alt((self.eval(node.child_by_field_name("consequence"), scope, depth + 1),
                        self.eval(node.child_by_field_name("alternative"), scope, depth + 1)), (1, 2))
        if kind == "binary_expression":
            op = src.text(node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op == "&&":
                return Alt((self.eval(right, scope, depth + 1),), (2,))
            if op in ("||", "??"):
                first = self.eval(left, scope, depth + 1)
                # ``(segment && custom) || default``: the default is what most pages show.
                weak = isinstance(first, Alt) and all(first.rank(i) > 1 for i in range(len(first.options)))
                return Alt((first, self.eval(right, scope, depth + 1)), (2, 1) if weak else (1, 2))
            if op == "+":
                return Parts((self.eval(left, scope, depth + 1), self.eval(right, scope, depth + 1)))
            return UNKNOWN
        if kind == "call_expression":
            return self._call(node, scope, depth)
        return UNKNOWN

    def _template_parts(self, node: Node, scope: Scope, depth: int) -> Iterator[Value]:
        src = scope.module.source
        cursor = node.start_byte + 1
        for child in node.named_children:
            if child.type == "template_substitution":
                if child.start_byte > cursor:
                    yield Str(scope.module.path, cursor - src.shift, child.start_byte - src.shift,
                              src.data[cursor - src.shift:child.start_byte - src.shift].decode(), "fragment")
                inner = child.named_children[0] if child.named_children else None
                yield self.eval(inner, scope, depth + 1)
                cursor = child.end_byte
        end = node.end_byte - 1
        if end > cursor:
            yield Str(scope.module.path, cursor - src.shift, end - src.shift,
                      src.data[cursor - src.shift:end - src.shift].decode(), "fragment")

    def _styled(self, node: Node, callee: Node, scope: Scope, depth: int) -> Value | None:
        """``styled.a`css```, ``styled(Link)`css```, ``styled.button.attrs(...)`css```, ``styled(Base)`more```."""
        template = node.child_by_field_name("arguments")
        if template is None or template.type != "template_string":
            return None
        src = scope.module.source
        base = callee
        while base.type == "call_expression":  # styled.a.attrs({...})`css`: what .attrs is called on
            fn = base.child_by_field_name("function")
            inner = fn.child_by_field_name("object") if fn is not None and src.text(fn).endswith(".attrs") else None
            if inner is None:
                break
            base = inner
        text = src.text(base)
        m = re.fullmatch(r"(?:styled|styles)\.([a-z][\w]*)", text)
        if m:
            return Styled(m.group(1), None, (template,), scope.module)
        if base.type == "call_expression" and src.text(base.child_by_field_name("function")) == "styled":
            args = [a for a in (base.child_by_field_name("arguments") or base).named_children if a.type != "comment"]
            wrapped = self.eval(args[0], scope, depth + 1) if args else UNKNOWN
            if isinstance(wrapped, Styled):
                return Styled(wrapped.tag, wrapped.wraps, (*wrapped.css, template), scope.module)
            if isinstance(wrapped, Str):
                return Styled(wrapped.value, None, (template,), scope.module)
            return Styled(None, wrapped, (template,), scope.module)
        return None

    def _call(self, node: Node, scope: Scope, depth: int) -> Value:
        src = scope.module.source
        callee = unwrap(node.child_by_field_name("function"))
        if callee is not None:
            styled = self._styled(node, callee, scope, depth)
            if styled is not None:
                return styled
        args = [a for a in (node.child_by_field_name("arguments") or node).named_children if a.type != "comment"]
        name = src.text(callee) if callee is not None else ""
        short = name.rsplit(".", 1)[-1]
        if short in CLASS_HELPERS:
            return Parts(tuple(self.eval(a, scope, depth + 1) for a in args))
        if short in WRAPPERS and args:
            return self.eval(args[-1], scope, depth + 1)
        if short in ROUTER_FACTORIES and args:
            return self.eval(args[0], scope, depth + 1)
        if short in TRANSLATE and args:  # t("hero.title"): the words in the site's (English) message file
            key = self.eval(args[0], scope, depth + 1)
            if isinstance(key, Str) and key.kind in ("string", "template"):
                return self.translation(key.value)
        if callee is not None and callee.type == "member_expression" and short in ("filter", "slice", "concat",
                                                                                   "reverse", "sort"):
            return self.eval(callee.child_by_field_name("object"), scope, depth + 1)
        if callee is not None and callee.type == "member_expression" and short in ("find", "findLast", "at"):
            # One of the array's entries, not known which: each of them, as a less likely option.
            array = self.eval(callee.child_by_field_name("object"), scope, depth + 1)
            if isinstance(array, Obj) and array.is_array:
                entries = tuple(self.elements(array))
                return Alt(entries, (2,) * len(entries))
        return UNKNOWN

    def translation(self, key: str) -> Value:
        """A message key (``hero.title``, ``common:hero.title``) in the site's locale files, English first."""
        namespace, _, path = key.rpartition(":")
        files = [p for p in sorted(self.modules.files) if LOCALE_FILE.search(p)]
        files.sort(key=lambda p: (not re.search(r"(?:^|/|[._-])en(?:[-_][A-Za-z]+)?(?:/|\.json$)", p),
                                  namespace and not p.endswith(f"/{namespace}.json"), p))
        for path_ in files:
            module = self.modules.get(path_)
            if module is None:
                continue
            value = self.export(module, "default")
            for part in path.split("."):
                value = self.get(value, part)
                if isinstance(value, Unknown):
                    break
            if isinstance(value, Str):
                return value
        return UNKNOWN

    def get(self, obj: Value, name: str | None, depth: int = 0) -> Value:
        if name is None or depth > MAX_DEPTH:
            return UNKNOWN
        if isinstance(obj, Props):
            if name == "children":
                return obj.children or UNKNOWN
            return obj.attrs.get(name, UNKNOWN)
        if isinstance(obj, Alt):
            found = [(self.get(o, name, depth + 1), obj.rank(i)) for i, o in enumerate(obj.options)]
            known = [(v, r) for v, r in found if not isinstance(v, Unknown)]
            if len(known) > 1:
                return Alt(tuple(v for v, _ in known), tuple(r for _, r in known))
            return known[0][0] if known else UNKNOWN
        if isinstance(obj, Namespace):
            return self.export(obj.module, name)
        if isinstance(obj, CssModule):  # styles.hero: the class .hero of that stylesheet (not writable text)
            return Str(obj.path, 0, 0, name, "cssmodule")
        if isinstance(obj, Obj):
            if obj.is_array:
                if name.isdigit():
                    items = list(self.elements(obj))
                    i = int(name)
                    return items[i] if i < len(items) else UNKNOWN
                return UNKNOWN
            return self.property(obj, name, depth)
        return UNKNOWN

    def property(self, obj: Obj, name: str, depth: int = 0) -> Value:
        src = obj.module.source
        found: Value = UNKNOWN
        for member in obj.node.named_children:
            if member.type == "pair" and property_name(src, member.child_by_field_name("key")) == name:
                found = self.eval(member.child_by_field_name("value"), obj.scope, depth + 1)
            elif member.type == "shorthand_property_identifier" and src.text(member) == name:
                found = self.lookup(obj.scope, name)
            elif member.type == "method_definition" and property_name(src, member.child_by_field_name("name")) \
                    == name:
                found = Fn(obj.module, member, obj.scope, name)
            elif member.type == "spread_element" and isinstance(found, Unknown):
                spread = self.eval(member.named_children[0] if member.named_children else None, obj.scope,
                                   depth + 1)
                inner = self.get(spread, name, depth + 1)
                if not isinstance(inner, Unknown):
                    found = inner
        return found

    def elements(self, obj: Obj) -> Iterator[Value]:
        for member in obj.node.named_children:
            if member.type == "comment":
                continue
            if member.type == "spread_element":
                inner = self.eval(member.named_children[0] if member.named_children else None, obj.scope)
                if isinstance(inner, Obj) and inner.is_array:
                    yield from self.elements(inner)
                continue
            yield self.eval(member, obj.scope)

    def pairs(self, obj: Obj) -> Iterator[tuple[str, Node, Value]]:
        """(key, key node, value) of an object literal's own properties."""
        src = obj.module.source
        for member in obj.node.named_children:
            if member.type == "pair":
                key = property_name(src, member.child_by_field_name("key"))
                if key is not None:
                    yield key, member, self.eval(member.child_by_field_name("value"), obj.scope)

    # ---- binding patterns ----------------------------------------------------------------
    def bind(self, pattern: Node | None, value: Value, names: dict[str, Value], scope: Scope) -> None:
        if pattern is None:
            return
        src = scope.module.source
        kind = pattern.type
        if kind in ("required_parameter", "optional_parameter"):
            self.bind(pattern.child_by_field_name("pattern"), value, names, scope)
        elif kind in ("identifier", "shorthand_property_identifier_pattern"):
            names[src.text(pattern)] = value
        elif kind == "assignment_pattern":
            left = pattern.child_by_field_name("left")
            default = self.eval(pattern.child_by_field_name("right"), scope)
            self.bind(left, value if not isinstance(value, Unknown) else default, names, scope)
        elif kind == "object_pattern":
            for part in pattern.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    names[src.text(part)] = self.get(value, src.text(part))
                elif part.type == "pair_pattern":
                    key = property_name(src, part.child_by_field_name("key"))
                    self.bind(part.child_by_field_name("value"), self.get(value, key), names, scope)
                elif part.type == "object_assignment_pattern":
                    left = part.child_by_field_name("left")
                    got = self.get(value, src.text(left)) if left is not None else UNKNOWN
                    if isinstance(got, Unknown):
                        got = self.eval(part.child_by_field_name("right"), scope)
                    if left is not None:
                        names[src.text(left)] = got
                elif part.type == "rest_pattern":
                    inner = part.named_children[0] if part.named_children else None
                    if inner is not None:
                        names[src.text(inner)] = value
        elif kind == "array_pattern":
            items = list(self.elements(value)) if isinstance(value, Obj) and value.is_array else []
            for i, part in enumerate(p for p in pattern.named_children if p.type != "comment"):
                self.bind(part, items[i] if i < len(items) else UNKNOWN, names, scope)

    # ---- functions -----------------------------------------------------------------------
    def call_scope(self, fn: Fn, args: list[Value]) -> Scope:
        """The scope of ``fn``'s body for these arguments, its local declarations included."""
        params = fn.node.child_by_field_name("parameters")
        names: dict[str, Value] = {}
        scope = fn.scope.child(names)
        if params is None:
            single = fn.node.child_by_field_name("parameter")
            if single is not None:
                self.bind(single, args[0] if args else UNKNOWN, names, scope)
        else:
            for i, param in enumerate(p for p in params.named_children if p.type != "comment"):
                self.bind(param, args[i] if i < len(args) else UNKNOWN, names, scope)
        body = fn.node.child_by_field_name("body")
        if body is not None and body.type == "statement_block":
            self._declarations(body, scope, names)
        return scope

    def _declarations(self, body: Node, scope: Scope, names: dict[str, Value]) -> None:
        src = scope.module.source
        setters: dict[str, str] = {}
        for statement in body.named_children:
            if statement.type in ("lexical_declaration", "variable_declaration"):
                for declarator in statement.named_children:
                    if declarator.type != "variable_declarator":
                        continue
                    pattern, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                    call = unwrap(value)
                    if pattern is not None and pattern.type == "array_pattern" and call is not None and \
                            call.type == "call_expression" and src.text(call.child_by_field_name("function")) \
                            .endswith("useState"):
                        parts = [p for p in pattern.named_children if p.type != "comment"]
                        args = [a for a in (call.child_by_field_name("arguments") or call).named_children]
                        if parts and parts[0].type == "identifier":
                            names[src.text(parts[0])] = self.eval(args[0] if args else None, scope)
                            if len(parts) > 1:
                                setters[src.text(parts[1])] = src.text(parts[0])
                        continue
                    self.bind(pattern, self.eval(value, scope), names, scope)
            elif statement.type == "function_declaration":
                name = statement.child_by_field_name("name")
                if name is not None:
                    names[src.text(name)] = Fn(scope.module, statement, scope, src.text(name))
        if setters:
            # State set from data once loaded (useEffect(() => setData(JsonData))) is that data.
            for node in walk(body):
                if node.type != "call_expression":
                    continue
                callee = src.text(node.child_by_field_name("function"))
                args = [a for a in (node.child_by_field_name("arguments") or node).named_children]
                first = unwrap(args[0]) if args else None
                if callee in setters and first is not None and \
                        first.type in ("identifier", "member_expression", "object", "array"):
                    found = self.eval(first, scope)
                    if isinstance(found, Obj | Str):
                        names[setters[callee]] = found

    def returns(self, fn: Fn, scope: Scope) -> list[Value]:
        """What the function can return (each ``return`` with a value, or the arrow's expression)."""
        body = fn.node.child_by_field_name("body")
        if body is None:
            return []
        if body.type != "statement_block":
            return [self.eval(body, scope)]
        out = []
        stack = list(body.named_children)
        while stack:
            node = stack.pop(0)
            if node.type == "return_statement":
                expr = node.named_children[0] if node.named_children else None
                if expr is not None:
                    out.append(self.eval(expr, scope))
            elif node.type in ("if_statement", "else_clause", "statement_block", "switch_statement",
                               "switch_body", "switch_case", "switch_default", "try_statement"):
                stack[0:0] = list(node.named_children)
        return out


@dataclass(frozen=True, eq=False)
class Namespace(Value):
    module: Module


def _default_name(module: Module) -> str:
    stem = module.path.rsplit("/", 1)[-1].split(".", 1)[0]
    if stem in ("index", "page", "layout"):
        stem = module.path.rsplit("/", 2)[-2] if "/" in module.path else stem
    return stem[:1].upper() + stem[1:]


def strings_in(value: Value, evaluator: Evaluator, depth: int = 0) -> Iterator[Str]:
    """Every literal a value may be made of (the class names of a ``className``, say)."""
    if depth > 12:
        return
    if isinstance(value, Str):
        yield value
    elif isinstance(value, Parts | Alt):
        for part in value.parts if isinstance(value, Parts) else value.options:
            yield from strings_in(part, evaluator, depth + 1)
    elif isinstance(value, Obj) and not value.is_array:
        # cn({ "bg-red-500": active }) keys are classes too; values are conditions.
        for key, member, _ in evaluator.pairs(value):
            node = member.child_by_field_name("key")
            if node is not None and node.type == "string":
                src = value.module.source
                yield Str(value.module.path, src.start(node), src.end(node), key, "string", node)
    elif isinstance(value, Obj):
        for item in evaluator.elements(value):
            yield from strings_in(item, evaluator, depth + 1)


def describe(value: Any) -> str:
    return type(value).__name__
