"""Render the site's components without running them: from each page (or the app's root),
follow JSX into every component it uses, with the props each call site passes, into every
``.map()`` over a known array, and record what a visitor would see: each visible text and
attribute (with the literal it comes from, wherever that is written) and each HTML element
(with the chain of components and landmarks around it, and the literals of its classes).
"""

from __future__ import annotations

from tree_sitter import Node

from valine.site.modules import Module
from valine.site.render_helpers import BREAKS, _arrays, _component_name, _line_break, _literals, _route_page, _with
from valine.site.rendered import ATTRIBUTES, HOST_LIKE, LABEL_PROPS, MAX_DEPTH, Ctx, Element, Frame, Item, Loop, visible
from valine.site.value_types import (
    Alt,
    Children,
    External,
    Fn,
    Index,
    Jsx,
    Obj,
    Parts,
    Props,
    Scope,
    Str,
    Styled,
    Unknown,
    Value,
)
from valine.site.values import Evaluator, strings_in


class Renderer:
    def __init__(self, evaluator: Evaluator) -> None:
        self.ev = evaluator
        self.items: list[Item] = []
        self.elements: list[Element] = []
        self.loops: list[Loop] = []
        self.components: dict[tuple[str, int], Fn] = {}  # rendered components by (file, node start)
        self.calls: dict[tuple[str, int], list[Frame]] = {}  # component -> its call sites

    # ---- entry points --------------------------------------------------------------------
    def render_component(self, fn: Fn, page: str, props: Props | None = None) -> None:
        self._call(fn, props or Props({}), Ctx((), None, page), None)

    # ---- values --------------------------------------------------------------------------
    def value(self, value: Value, ctx: Ctx) -> None:
        if ctx.depth > MAX_DEPTH:
            return
        if isinstance(value, Str):
            self._text(value, ctx)
        elif isinstance(value, Jsx):
            self.jsx(value.node, value.module, value.scope, ctx)
        elif isinstance(value, Children):
            self.children(value.nodes, value.module, value.scope, ctx)
        elif isinstance(value, Alt):
            for i, option in enumerate(value.options):
                self.value(option, _with(ctx, conditional=True, rank=max(ctx.rank, value.rank(i))))
        elif isinstance(value, Parts):
            for part in value.parts:
                self.value(part, ctx)
        elif isinstance(value, Obj) and value.is_array:
            for item in self.ev.elements(value):
                self.value(item, ctx)

    def _text(self, value: Str, ctx: Ctx, attr: str | None = None) -> None:
        text = visible(BREAKS.sub(" ", value.value)) if value.kind == "text" else " ".join(value.value.split())
        if (not text and attr is None) or ctx.element is None:
            return
        item = Item(text, value, attr, ctx.element, ctx.page, ctx.conditional, ctx.instance, ctx.rank)
        self.items.append(item)
        ctx.element.texts.append(item)

    # ---- JSX -----------------------------------------------------------------------------
    def children(self, nodes: tuple[Node, ...], module: Module, scope: Scope, ctx: Ctx) -> None:
        """Render JSX children; a run of text and character references (``&copy; 2023``) is one text, and
        so is text broken over lines with ``<br/>`` (and ``{" "}`` spacers): a visitor reads one heading."""
        run: list[Node] = []
        src = module.source
        for node in (*nodes, None):
            if node is not None and (node.type in ("jsx_text", "html_character_reference") or
                                     (run and _line_break(src, node))):
                run.append(node)
                continue
            tail: list[Node] = []
            while run and run[-1].type not in ("jsx_text", "html_character_reference"):
                tail.insert(0, run.pop())  # a break after the last words is not part of them
            if run:
                start, end = src.start(run[0]), src.end(run[-1])
                self._text(Str(module.path, start, end, src.data[start:end].decode("utf-8", "replace"), "text",
                               run[0]), ctx)
                run = []
            for extra in tail:
                self.child(extra, module, scope, ctx)
            if node is not None:
                self.child(node, module, scope, ctx)

    def child(self, node: Node, module: Module, scope: Scope, ctx: Ctx) -> None:
        if node.type in ("jsx_text", "html_character_reference"):
            self.children((node,), module, scope, ctx)
        elif node.type == "jsx_expression":
            inner = [c for c in node.named_children if c.type != "comment"]
            if inner:
                self.expression(inner[0], module, scope, ctx)
        elif node.type in ("jsx_element", "jsx_self_closing_element", "jsx_fragment"):
            self.jsx(node, module, scope, ctx)

    def expression(self, node: Node, module: Module, scope: Scope, ctx: Ctx) -> None:
        call = node
        while call.type == "parenthesized_expression" and call.named_children:
            call = call.named_children[0]
        if call.type == "call_expression":
            callee = call.child_by_field_name("function")
            if callee is not None and callee.type == "member_expression" and \
                    module.source.text(callee.child_by_field_name("property")) in ("map", "flatMap"):
                self._map(call, callee, module, scope, ctx)
                return
        if call.type == "binary_expression" and module.source.text(call.child_by_field_name("operator")) == "&&":
            right = call.child_by_field_name("right")
            if right is not None:
                self.expression(right, module, scope, _with(ctx, conditional=True, rank=max(ctx.rank, 2)))
            return
        if call.type == "ternary_expression":
            for part, rank in (("consequence", 1), ("alternative", 2)):
                branch = call.child_by_field_name(part)
                if branch is not None:
                    self.expression(branch, module, scope, _with(ctx, conditional=True, rank=max(ctx.rank, rank)))
            return
        self.value(self.ev.eval(node, scope), ctx)

    def _map(self, call: Node, callee: Node, module: Module, scope: Scope, ctx: Ctx) -> None:
        array = self.ev.eval(callee.child_by_field_name("object"), scope)
        args = [a for a in (call.child_by_field_name("arguments") or call).named_children if a.type != "comment"]
        fn = self.ev.eval(args[0], scope) if args else None
        if not isinstance(fn, Fn):
            return
        arrays = list(_arrays(array))
        if arrays:
            for known, rank in arrays:
                self.loops.append(Loop(known, fn, ctx.element, call, module, ctx.page))
                each = _with(ctx, conditional=ctx.conditional or rank > 0, rank=max(ctx.rank, rank))
                for i, item in enumerate(self.ev.elements(known)):
                    inner = self.ev.call_scope(fn, [item, Index(i)])
                    for result in self.ev.returns(fn, inner):
                        self.value(result, _with(each, instance=(*ctx.instance, (known.key, i)),
                                                 depth=ctx.depth + 1))
            return
        inner = self.ev.call_scope(fn, [Unknown("items of an array not known here"), Index(0)])
        for result in self.ev.returns(fn, inner):
            self.value(result, _with(ctx, instance=(*ctx.instance, (("?", call.start_byte), 0)), depth=ctx.depth + 1))

    def jsx(self, node: Node, module: Module, scope: Scope, ctx: Ctx) -> None:
        if node.type == "jsx_fragment":
            self.children(tuple(node.named_children), module, scope, ctx)
            return
        opening = node.child_by_field_name("open_tag") if node.type == "jsx_element" else node
        if opening is None:
            return
        name_node = opening.child_by_field_name("name")
        name = module.source.text(name_node)
        children = () if node.type == "jsx_self_closing_element" else tuple(
            c for c in node.named_children if c.type not in ("jsx_opening_element", "jsx_closing_element"))
        if name[:1].islower() and "." not in name:
            self._host(name, node, opening, children, module, scope, ctx)
            return
        target = self.ev.eval(name_node, scope) if name_node is not None else None
        if isinstance(target, Styled):  # const Button = styled.a`background: ...`
            if isinstance(target.wraps, Fn):
                target = target.wraps
            else:
                tag = target.tag or HOST_LIKE.get(getattr(target.wraps, "name", ""), "div")
                self._host(tag, node, opening, children, module, scope, ctx, component=name,
                           css=tuple(Str(target.module.path, target.module.source.start(t),
                                         target.module.source.end(t), target.module.source.text(t), "css", t)
                                     for t in target.css))
                return
        if isinstance(target, Fn):
            attrs = self._attrs(opening, module, scope)
            passed = attrs.pop("children", None)
            given = Children(module, children, scope) if children or not isinstance(passed, Children) else passed
            props = Props(attrs, given)
            label = " ".join(v.value for k, v in props.attrs.items() if isinstance(v, Str) and k in LABEL_PROPS
                             and len(v.value) <= 40)
            site = Frame("component", _component_name(name, target), module.path, module.source.start(node),
                         module.source.end(node), defined_in=target.module.path, label=label)
            self._call(target, props, ctx, site)
            return
        # A component from a package (Link, Image) or one that cannot be followed: its props and children
        # are still what the page shows.
        tag = HOST_LIKE.get(name.rsplit(".", 1)[-1], name) if isinstance(target, External | Unknown) else name
        if isinstance(target, Alt):  # const Comp = asChild ? Slot : "button"
            tag = next((o.value for o in target.options if isinstance(o, Str)), tag)
        self._host(tag, node, opening, children, module, scope, ctx, component=name)

    def _attrs(self, opening: Node, module: Module, scope: Scope) -> dict[str, Value]:
        """The element's props; a spread (``{...props}``) brings the caller's props, children included."""
        attrs: dict[str, Value] = {}
        src = module.source
        for attr in opening.named_children:
            if attr.type == "jsx_expression":
                spread = next((c for c in attr.named_children if c.type == "spread_element"), None)
                inner = spread.named_children[0] if spread is not None and spread.named_children else None
                value = self.ev.eval(inner, scope) if inner is not None else None
                if isinstance(value, Props):
                    attrs.update(value.attrs)
                    if value.children is not None:
                        attrs.setdefault("children", value.children)
                elif isinstance(value, Obj) and not value.is_array:  # <Card {...feature} />: the entry's fields
                    attrs.update({key: field for key, _, field in self.ev.pairs(value)})
                continue
            if attr.type != "jsx_attribute" or not attr.named_children:
                continue
            key = src.text(attr.named_children[0])
            value_node = attr.named_children[1] if len(attr.named_children) > 1 else None
            if value_node is None:
                attrs[key] = Str(module.path, src.start(attr), src.end(attr), "true", "flag", attr)
            elif value_node.type == "jsx_expression":
                expressions = [c for c in value_node.named_children if c.type != "comment"]
                attrs[key] = self.ev.eval(expressions[0], scope) if expressions else Unknown()
            else:
                attrs[key] = self.ev.eval(value_node, scope)
        return attrs

    def _host(self, tag: str, node: Node, opening: Node, children: tuple[Node, ...], module: Module,
              scope: Scope, ctx: Ctx, component: str = "", css: tuple[Str, ...] = ()) -> None:
        attrs = self._attrs(opening, module, scope)
        classes = tuple(s for key in ("className", "class") if key in attrs for s in strings_in(attrs[key], self.ev))
        ident = attrs.get("id")
        frame = Frame("host", tag, module.path, module.source.start(node), module.source.end(node),
                      id=ident.value if isinstance(ident, Str) else "",
                      classes=tuple(t for s in classes for t in s.value.split()), defined_in=component)
        if component.rsplit(".", 1)[-1] == "Route":  # <Route path="/pricing" element={<Pricing />}>
            ctx = _with(ctx, page=_route_page(ctx.page, attrs.get("path")))
        element = Element(frame, ctx.path, module, node, attrs, classes, ctx.page, ctx.conditional, ctx.instance,
                          ctx.rank, css=css)
        self.elements.append(element)
        inner = _with(ctx, path=(*ctx.path, frame), element=element, depth=ctx.depth + 1)
        for key in ATTRIBUTES:
            value = attrs.get(key)
            for literal in _literals(value):
                self._text(literal, inner, attr=key)
        for key, value in attrs.items():  # JSX passed as a prop to a package component (<Route element={...}>)
            if isinstance(value, Jsx) and key != "children":
                self.value(value, inner)
            elif component and isinstance(value, Obj) and value.is_array:  # <RouterProvider router={...}>
                self._route_table(value, inner)
        passed = attrs.get("children")
        if not children and isinstance(passed, Children):  # <Comp {...props} /> shows the caller's children
            self.value(passed, inner)
        self.children(children, module, scope, inner)
        if ctx.element is not None:
            ctx.element.texts.extend(i for i in element.texts if i.attr is None)

    def _route_table(self, routes: Obj, ctx: Ctx, depth: int = 0) -> None:
        """react-router's route objects: each one's ``element`` (or ``Component``) on its ``path``, and
        its ``children`` under it."""
        if depth > 8:
            return
        for route in self.ev.elements(routes):
            if not isinstance(route, Obj) or route.is_array:
                continue
            page = _route_page(ctx.page, self.ev.property(route, "path"))
            at = _with(ctx, page=page)
            element = self.ev.property(route, "element")
            if isinstance(element, Jsx):
                self.value(element, at)
            for key in ("Component", "component"):
                fn = self.ev.property(route, key)
                if isinstance(fn, Fn):
                    self._call(fn, Props({}), at, None)
            children = self.ev.property(route, "children")
            if isinstance(children, Obj) and children.is_array:
                self._route_table(children, at, depth + 1)

    def _call(self, fn: Fn, props: Props, ctx: Ctx, site: Frame | None) -> None:
        key = (fn.module.path, fn.node.start_byte)
        if key in ctx.active or ctx.depth > MAX_DEPTH:
            return
        self.components[key] = fn
        if site is not None:
            self.calls.setdefault(key, []).append(site)
        scope = self.ev.call_scope(fn, [props])
        inner = _with(ctx, path=(*ctx.path, site) if site else ctx.path, active=ctx.active | {key},
                      depth=ctx.depth + 1)
        for result in self.ev.returns(fn, scope):
            self.value(result, inner)


