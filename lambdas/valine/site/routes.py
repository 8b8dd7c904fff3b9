"""Where a site starts: the pages of Next.js's app and pages routers, or the app component of a
Create React App / Vite site (react-router's ``<Route path element>`` is followed from there)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SCRIPT = r"\.(?:tsx|jsx|ts|js|mdx)$"
_APP_PAGE = re.compile(rf"^(?:src/)?app/(?P<route>(?:.*/)?)(?P<kind>page|layout){SCRIPT}")
_PAGES = re.compile(rf"^(?:src/)?pages/(?P<route>.+?){SCRIPT}")
_SPA_ROOTS = ("src/App.tsx", "src/App.jsx", "src/App.js", "src/app.tsx", "src/app.jsx", "App.tsx", "App.jsx",
              "App.js", "src/main.tsx", "src/main.jsx", "src/index.tsx", "src/index.jsx", "src/index.js")


@dataclass(frozen=True)
class Entry:
    file: str
    route: str  # "/", "/about", "/blog/[slug]"; a layout's route is the part of the site it wraps
    kind: str  # "page" | "layout" | "app"


def _route(raw: str) -> str:
    parts = [p for p in raw.strip("/").split("/") if p and not (p.startswith("(") and p.endswith(")"))
             and not p.startswith("@")]
    return "/" + "/".join(parts)


def entries(files: Iterable[str]) -> list[Entry]:
    """The site's entry points, pages before layouts; empty when none is recognised."""
    paths = sorted(files)
    found: list[Entry] = []
    for path in paths:
        m = _APP_PAGE.match(path)
        if m:
            found.append(Entry(path, _route(m.group("route")), m.group("kind")))
    for path in paths:
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
