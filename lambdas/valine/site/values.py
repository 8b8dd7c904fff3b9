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
from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from valine.site.modules import Module, Modules
from valine.site.syntax import string_value, unwrap
from valine.site.value_objects import ObjectReader
from valine.site.value_types import (
    CLASS_HELPERS,
    LOCALE_FILE,
    MAX_DEPTH,
    ROUTER_FACTORIES,
    STYLESHEETS,
    TRANSLATE,
    UNKNOWN,
    WRAPPERS,
    Alt,
    CssModule,
    External,
    Fn,
    Jsx,
    Namespace,
    Obj,
    Parts,
    Scope,
    Str,
    Styled,
    Unknown,
    Value,
)


class Evaluator(ObjectReader):
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
