"""The site model: what the team's site shows and where each part is written, read from the code.

Built once per base commit from the repository's files (``build``) and cached by the commit's
tree id (``valine.site.source``), so a preview does not read the repository again. It holds:

- every visible text and attribute a visitor meets, with the literal it comes from;
- every HTML element, with the landmarks and components around it and its classes;
- the arrays rendered with ``.map()``;
- the stylesheets the site loads, its Tailwind theme and CSS variables (``styles``);
- Markdown/MDX content pages and the HTML shell (``content``).

Only what the site's entry points reach is in it: a component nothing renders is not part of
the site, so nothing is ever proposed there.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from valine.site.content import content_pages, html_items, markdown_items, metadata_items, route_items
from valine.site.modules import Module, Modules
from valine.site.render import Ctx, Element, Item, Loop, Renderer
from valine.site.routes import SPA_APPS, Entry, entries
from valine.site.styles import SiteStyles, read_styles
from valine.site.syntax import walk
from valine.site.value_types import Fn, Jsx, Props
from valine.site.values import Evaluator

log = logging.getLogger("valine.site")


@dataclass
class SiteModel:
    files: Mapping[str, str]
    entries: list[Entry]
    items: list[Item]
    elements: list[Element]
    loops: list[Loop]
    reached: set[str]  # the script and data files the entry points reach
    evaluator: Evaluator
    problems: list[str] = field(default_factory=list)
    styles: SiteStyles | None = None

    def items_in(self, path: str) -> list[Item]:
        return [i for i in self.items if i.source.file == path]


def _mounted(module: Module, evaluator: Evaluator) -> list[Jsx]:
    """What an app's entry file mounts: the JSX given to ``createRoot(el).render(...)`` or
    ``ReactDOM.render(..., el)``."""
    scope = evaluator.module_scope(module)
    out: list[Jsx] = []
    for node in walk(module.source.root):
        if node.type != "call_expression":
            continue
        callee = node.child_by_field_name("function")
        if callee is None or callee.type != "member_expression" or module.source.text(
                callee.child_by_field_name("property")) not in ("render", "hydrate", "hydrateRoot"):
            continue
        args = [a for a in (node.child_by_field_name("arguments") or node).named_children if a.type != "comment"]
        value = evaluator.eval(args[0], scope) if args else None
        if isinstance(value, Jsx):
            out.append(value)
    return out


def build(files: Mapping[str, str]) -> SiteModel:
    modules = Modules(files)
    evaluator = Evaluator(modules)
    renderer = Renderer(evaluator)
    found = entries(files, files.get("package.json"))
    problems: list[str] = []
    for entry in found:
        module = modules.get(entry.file)
        if module is None:
            continue
        target = evaluator.export(module, "default")
        if not isinstance(target, Fn):
            mounted = _mounted(module, evaluator) if entry.kind == "app" else []
            for jsx in mounted:  # src/main.tsx: createRoot(...).render(<RouterProvider router={router} />)
                renderer.value(jsx, Ctx((), None, entry.route))
            fallback = next((evaluator.export(m, "default") for m in (modules.get(p) for p in SPA_APPS)
                             if m is not None and not mounted and m.path != entry.file), None)
            if isinstance(fallback, Fn):  # an entry file that mounts nothing we can read: the App it names
                renderer.render_component(fallback, entry.route, Props({}))
            elif not mounted:
                problems.append(f"{entry.file} has no default-exported component")
            continue
        try:
            renderer.render_component(target, entry.route, Props({}))
        except RecursionError:  # pragma: no cover - a pathological file; the rest of the site still counts
            problems.append(f"{entry.file} nests too deeply to read")
    if not found:
        problems.append("no entry point found (no Next.js app/ or pages/, no src/App or src/main)")
    items = list(renderer.items)
    elements = list(renderer.elements)
    extra = list(metadata_items(modules, found)) + list(route_items(modules, files))
    for shell in ("index.html", "public/index.html", "src/index.html"):
        if shell in files:
            extra += list(html_items(shell, files[shell]))
    for page in content_pages(files):
        extra += list(markdown_items(page, files[page]))
    items += extra
    elements += list({id(i.element): i.element for i in extra}.values())
    reached = {m.path for m in modules.loaded()}
    sheets = [s for m in modules.loaded() for s in m.styles]
    shells = [p for p in ("index.html", "public/index.html", "src/index.html") if p in files]
    return SiteModel(files=files, entries=found, items=items, elements=elements, loops=renderer.loops,
                     reached=reached, evaluator=evaluator, problems=problems,
                     styles=read_styles(files, sheets, shells))
