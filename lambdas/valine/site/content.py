"""Words outside the components: the pages' titles and descriptions (Next.js ``metadata``), the HTML
shell (``index.html``: the browser tab's title), and Markdown/MDX content pages (front matter,
headings and paragraphs). They become items like any rendered text, so a request can reach them."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator

from tree_sitter import Node

from valine.site.modules import Module, Modules
from valine.site.render import Element, Frame, Item
from valine.site.routes import Entry
from valine.site.syntax import property_name, string_value, walk
from valine.site.values import Str

META_KEYS = ("title", "description", "default", "template", "absolute", "siteName", "name", "alt")
CONTENT_DIRS = ("content/", "src/content/", "posts/", "_posts/", "data/posts/", "src/posts/", "blog/", "docs/",
                "src/pages/", "pages/")


def _element(file: str, tag: str, page: str, start: int = 0, end: int = 0, section: str = "") -> Element:
    frames = (Frame("host", section or "document", file, 0, 0),)
    return Element(Frame("host", tag, file, start, end), frames, None, None, {}, (), page, False, ())


def metadata_items(modules: Modules, entries: list[Entry]) -> Iterator[Item]:
    """The strings of each page's ``metadata`` (or ``generateMetadata``'s object): its tab title and
    description, also through a helper like ``constructMetadata({ title: ... })``."""
    for entry in entries:
        module = modules.get(entry.file)
        if module is None:
            continue
        node = module.bindings.get("metadata")
        nodes = [node] if node is not None else []
        fn = module.bindings.get("generateMetadata")
        if fn is not None:
            nodes.append(fn)
        for root in nodes:
            for string in walk(root):
                if string.type not in ("string", "template_string"):
                    continue
                key = _key_of(module.source, string)
                if key not in META_KEYS:
                    continue
                tag = "meta" if key in ("description",) else "title"
                for literal in _literals(module, string):
                    element = _element(module.path, tag, entry.route, section="metadata")
                    item = Item(" ".join(literal.value.split()), literal, None if tag == "title" else "content",
                                element, entry.route, False, ())
                    element.texts.append(item)
                    yield item


def _literals(module: Module, string: Node) -> Iterator[Str]:
    """A string literal, or the literal pieces of a template (``${title} – Acme``: " – Acme")."""
    src = module.source
    value = string_value(src, string)
    if value is not None:
        if value.strip():
            yield Str(module.path, src.start(string), src.end(string), value,
                      "string" if string.type == "string" else "template", string)
        return
    cursor = src.start(string) + 1
    end = src.end(string) - 1
    for child in string.named_children:
        if child.type == "template_substitution":
            if src.start(child) > cursor:
                piece = src.data[cursor:src.start(child)].decode("utf-8", "replace")
                if piece.strip():
                    yield Str(module.path, cursor, src.start(child), piece, "fragment", string)
            cursor = src.end(child)
    if end > cursor:
        piece = src.data[cursor:end].decode("utf-8", "replace")
        if piece.strip():
            yield Str(module.path, cursor, end, piece, "fragment", string)


def route_items(modules: Modules, files: object) -> Iterator[Item]:
    """Text a route handler draws (an Open Graph image's JSX): visitors see it in link previews."""
    for path in sorted(p for p in files if _ROUTE.match(p)):  # type: ignore[attr-defined]
        module = modules.get(path)
        if module is None:
            continue
        src = module.source
        for node in walk(src.root):
            if node.type == "jsx_text" and src.text(node).strip():
                element = _element(path, "og", "/" + path.rsplit("/", 2)[-2], section="og-image")
                literal = Str(path, src.start(node), src.end(node), src.text(node), "text", node)
                item = Item(" ".join(html.unescape(src.text(node)).split()), literal, None, element, element.page,
                            False, ())
                element.texts.append(item)
                yield item


_ROUTE = re.compile(r"^(?:src/)?app/(?:.*/)?route\.(?:tsx|jsx)$")


def _key_of(src: object, node: Node) -> str | None:
    parent = node.parent
    if parent is not None and parent.type == "pair":
        return property_name(src, parent.child_by_field_name("key"))  # type: ignore[arg-type]
    return None


def html_items(path: str, text: str) -> Iterator[Item]:
    """The HTML shell's title and meta description."""
    data = text.encode("utf-8")
    for m in re.finditer(rb"<title>(.*?)</title>", data, re.S | re.I):
        raw = m.group(1).decode("utf-8")
        literal = Str(path, m.start(1), m.end(1), raw, "html")
        element = _element(path, "title", "/", m.start(0), m.end(0), section="document")
        item = Item(" ".join(html.unescape(raw).split()), literal, None, element, "/", False, ())
        element.texts.append(item)
        yield item
    for m in re.finditer(rb'<meta\s+name="description"\s+content="([^"]*)"', data, re.I):
        raw = m.group(1).decode("utf-8")
        element = _element(path, "meta", "/", m.start(0), m.end(0), section="document")
        yield Item(" ".join(html.unescape(raw).split()), Str(path, m.start(1), m.end(1), raw, "html"), "content",
                   element, "/", False, ())


def content_pages(files: dict[str, str] | object) -> list[str]:
    paths = [p for p in files if p.endswith((".md", ".mdx")) and p.startswith(CONTENT_DIRS)]  # type: ignore[union-attr]
    return sorted(p for p in paths if posixpath.basename(p).lower() not in ("readme.md", "changelog.md"))


def markdown_items(path: str, text: str) -> Iterator[Item]:
    """Front matter fields, headings and paragraphs of a Markdown/MDX page."""
    page = "/" + posixpath.splitext(posixpath.basename(path))[0]
    data = text.encode("utf-8")
    offset = 0
    in_front = False
    in_code = False
    lines = data.split(b"\n")
    for number, line in enumerate(lines):
        start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if number == 0 and stripped == b"---":
            in_front = True
            continue
        if in_front:
            if stripped == b"---":
                in_front = False
                continue
            m = re.match(rb"^(\s*)([A-Za-z_][\w-]*):\s*(.+?)\s*$", line)
            if m and m.group(2).decode() in ("title", "description", "summary", "excerpt"):
                value = m.group(3).decode("utf-8")
                quoted = value[:1] in "\"'" and value[-1:] == value[:1]
                inner_start = start + m.start(3) + (1 if quoted else 0)
                inner_end = start + m.end(3) - (1 if quoted else 0)
                raw = data[inner_start:inner_end].decode("utf-8")
                tag = "title" if m.group(2) == b"title" else "meta"
                yield _md_item(path, page, tag, raw, inner_start, inner_end, "yaml", attr="content"
                               if tag == "meta" else None)
            continue
        if stripped.startswith(b"```"):
            in_code = not in_code
            continue
        if in_code or not stripped or stripped.startswith((b"<", b"import ", b"export ", b"{", b"|", b"![")):
            continue
        m = re.match(rb"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
        if m:
            tag = f"h{len(m.group(1))}"
            yield _md_item(path, page, tag, m.group(2).decode("utf-8"), start + m.start(2), start + m.end(2), "md")
            continue
        m = re.match(rb"^(\s*(?:[-*+]|\d+\.)\s+)?(.+?)\s*$", line)
        if m:
            tag = "li" if m.group(1) else "p"
            yield _md_item(path, page, tag, m.group(2).decode("utf-8"), start + m.start(2), start + m.end(2), "md")


def _md_item(path: str, page: str, tag: str, raw: str, start: int, end: int, kind: str,
             attr: str | None = None) -> Item:
    element = _element(path, tag, page, start, end, section=posixpath.splitext(posixpath.basename(path))[0])
    item = Item(" ".join(raw.split()), Str(path, start, end, raw, kind), attr, element, page, False, ())
    element.texts.append(item)
    return item
