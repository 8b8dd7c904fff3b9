"""How the evaluator (``valine.site.values.Evaluator``) reads what objects and functions hold:
a property or element of an object literal, destructuring a value into names, the scope a call
gives a component's body, and what a function returns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from tree_sitter import Node

from valine.site.modules import Module
from valine.site.syntax import property_name, unwrap, walk
from valine.site.value_types import (
    MAX_DEPTH,
    UNKNOWN,
    Alt,
    CssModule,
    Fn,
    Namespace,
    Obj,
    Props,
    Scope,
    Str,
    Unknown,
    Value,
)


class ObjectReader:
    """The evaluator's reading of objects, patterns and function bodies (a mixin: it needs the
    evaluator's ``eval``, ``lookup`` and ``export``)."""

    if TYPE_CHECKING:  # provided by the class this mixes into; declared for the type checker only
        def eval(self, node: Node | None, scope: Scope, depth: int = 0) -> Value: ...
        def lookup(self, scope: Scope, name: str) -> Value: ...
        def export(self, module: Module, name: str) -> Value: ...

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


