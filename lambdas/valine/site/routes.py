"""Where a site starts: the pages of Next.js's app and pages routers, or the app component of a
Create React App / Vite site (react-router's ``<Route path element>`` is followed from there)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SCRIPT = r"\.(?:tsx|jsx|ts|js|mdx)$"
_APP_PAGE = re.compile(rf"^(?:src/)?app/(?P<route>(?:.*/)?)(?P<kind>page|layout){SCRIPT}")
_PAGES = re.compile(rf"^(?:src/)?pages/(?P<route>.+?){SCRIPT}")
# A Vite/CRA app starts where it mounts (main, index: providers and routers around <App/>), else at App.
SPA_APPS = ("src/App.tsx", "src/App.jsx", "src/App.js", "src/app.tsx", "src/app.jsx", "App.tsx", "App.jsx", "App.js")
_SPA_ROOTS = ("src/main.tsx", "src/main.jsx", "src/main.js", "src/index.tsx", "src/index.jsx", "src/index.js",
              *SPA_APPS)


@dataclass(frozen=True)
class Entry:
    file: str
    route: str  # "/", "/about", "/blog/[slug]"; a layout's route is the part of the site it wraps
    kind: str  # "page" | "layout" | "app"


def _route(raw: str) -> str:
    parts = [p for p in raw.strip("/").split("/") if p and not (p.startswith("(") and p.endswith(")"))
             and not p.startswith("@")]
    return "/" + "/".join(parts)


def is_next(files: Iterable[str], package_json: str | None = None) -> bool:
    """A Next.js project: its config, its app router's root layout or pages router's _app, or ``next``
    among package.json's dependencies. A Vite or CRA app's ``src/pages/`` are plain components."""
    paths = set(files)
    if any(re.fullmatch(r"next\.config\.(?:js|mjs|cjs|ts)", p) for p in paths):
        return True
    if any(re.fullmatch(rf"(?:src/)?(?:app/layout|pages/_app|pages/_document){SCRIPT}", p) for p in paths):
        return True
    return bool(package_json and re.search(r'"next"\s*:', package_json))


def entries(files: Iterable[str], package_json: str | None = None) -> list[Entry]:
    """The site's entry points, pages before layouts; empty when none is recognised."""
    paths = sorted(files)
    found: list[Entry] = []
    nextjs = is_next(paths, package_json)
    for path in paths:
        m = _APP_PAGE.match(path) if nextjs else None
        if m:
            found.append(Entry(path, _route(m.group("route")), m.group("kind")))
    for path in paths if nextjs else ():
        m = _PAGES.match(path)
        if m and not path.endswith(".mdx"):
            route = m.group("route")
            name = route.rsplit("/", 1)[-1]
            if route.startswith("api/") or name in ("_document", "_error"):
                continue
            if name == "_app":
                found.append(Entry(path, "/", "layout"))
                continue
            found.append(Entry(path, _route(re.sub(r"(^|/)index$", "", route)), "page"))
    if not found:
        for root in _SPA_ROOTS:
            if root in paths:
                found.append(Entry(root, "/", "app"))
                break
    return sorted(found, key=lambda e: (e.kind == "layout", e.route != "/", e.route, e.file))
