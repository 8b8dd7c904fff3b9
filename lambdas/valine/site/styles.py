"""The site's styling systems, read so a colour change can be made the way the site does it:

- stylesheets the site loads (imported by its modules, linked from its HTML shell), parsed with
  tree-sitter-css into rules with their selectors, declarations and the colours in them;
- custom properties (``:root { --primary: 222 47% 11% }``, Tailwind v4's ``@theme { --color-x }``);
- Tailwind's theme colours in ``tailwind.config.*`` (v3), and utility classes in ``className``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Language, Node, Parser

from valine.site.syntax import parse, property_name, string_value, walk
from valine.site.values import Str

COLOUR_TOKEN = re.compile(
    r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{4}|[0-9a-fA-F]{3})\b|"
    r"\b(?:rgba?|hsla?|oklch|oklab|lab|lch|hwb)\([^()]*\)|"
    r"\b(?:black|white|red|green|blue|yellow|orange|purple|pink|gray|grey|navy|teal|silver|maroon|olive|lime|"
    r"aqua|fuchsia|transparent|whitesmoke|ghostwhite|aliceblue|ivory|beige|gold|indigo|violet|crimson|coral|"
    r"tomato|salmon|khaki|lavender|linen|snow|seashell|tan|wheat|skyblue|royalblue|steelblue|slategray|"
    r"darkgray|darkgrey|lightgray|lightgrey|dimgray|gainsboro)\b")
HSL_TRIPLET = re.compile(r"^\s*(-?\d+(?:\.\d+)?)(?:deg)?\s+(\d+(?:\.\d+)?)%\s+(\d+(?:\.\d+)?)%\s*$")
COLOUR_PROPERTIES = ("color", "background", "background-color", "background-image", "border", "border-color",
                     "border-top", "border-bottom", "border-left", "border-right", "border-top-color",
                     "border-bottom-color", "outline", "outline-color", "fill", "stroke", "box-shadow",
                     "text-decoration-color", "caret-color", "accent-color", "text-shadow")


@cache
def _parser() -> Parser:
    import tree_sitter_css as tscss

    return Parser(Language(tscss.language()))


def css_parses(text: str) -> bool:
    return not _parser().parse(text.encode("utf-8")).root_node.has_error or _tolerated(text)


def _tolerated(text: str) -> bool:
    """tree-sitter-css does not know every at-rule (Tailwind's @custom-variant, @plugin): a file whose only
    errors sit inside such at-rules parses as far as this project is concerned."""
    tree = _parser().parse(text.encode("utf-8"))
    for node in _walk(tree.root_node):
        if node.type == "ERROR":
            parent = node.parent
            while parent is not None and parent.type != "at_rule":
                parent = parent.parent
            if parent is None:
                return False
    return True


def _walk(node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(current.children))
    return out


@dataclass(frozen=True)
class Colour:
    """A colour written in a stylesheet: its byte span in the file and how it is written."""

    file: str
    start: int
    end: int
    text: str


@dataclass
class Declaration:
    file: str
    property: str
    value: str
    start: int  # the value's byte span
    end: int
    colours: list[Colour] = field(default_factory=list)


@dataclass
class Rule:
    file: str
    selectors: list[str]  # each selector of the rule, as written
    context: tuple[str, ...]  # the at-rules around it: ("@media (max-width: 768px)",), ("@theme",), ("@layer base",)
    declarations: list[Declaration]
    start: int

    @property
    def selector(self) -> str:
        return ", ".join(self.selectors)


def read_css(path: str, text: str) -> list[Rule]:
    data = text.encode("utf-8")
    tree = _parser().parse(data)
    rules: list[Rule] = []

    def node_text(node: Node) -> str:
        return data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def visit(node: Node, context: tuple[str, ...]) -> None:
        for child in node.named_children:
            if child.type == "rule_set":
                selectors_node = next((c for c in child.named_children if c.type == "selectors"), None)
                block = next((c for c in child.named_children if c.type == "block"), None)
                selectors = [s.strip() for s in node_text(selectors_node).split(",")] if selectors_node else []
                if block is not None:
                    rules.append(Rule(path, selectors, context, _declarations(path, block, data), child.start_byte))
                    visit(block, (*context, ", ".join(selectors)))
            elif child.type in ("media_statement", "at_rule", "supports_statement", "keyframes_statement"):
                block = next((c for c in child.named_children if c.type in ("block", "keyframe_block_list")), None)
                if block is None:
                    continue
                prelude = node_text(child)[: block.start_byte - child.start_byte].strip()
                decls = _declarations(path, block, data)
                if decls:  # @theme { --color-x: ... } and :root-like at-rules hold declarations directly
                    rules.append(Rule(path, [prelude], context, decls, child.start_byte))
                visit(block, (*context, prelude))

    visit(tree.root_node, ())
    return rules


def _declarations(path: str, block: Node, data: bytes) -> list[Declaration]:
    out = []
    for decl in block.named_children:
        if decl.type != "declaration":
            continue
        name = next((c for c in decl.named_children if c.type == "property_name"), None)
        if name is None:
            continue
        values = [c for c in decl.named_children if c is not name and c.type not in ("important",)]
        if not values:
            continue
        start, end = values[0].start_byte, values[-1].end_byte
        value = data[start:end].decode("utf-8", "replace")
        colours = [Colour(path, start + len(value[:m.start()].encode()), start + len(value[:m.end()].encode()),
                          m.group(0)) for m in COLOUR_TOKEN.finditer(value)]
        prop = data[name.start_byte:name.end_byte].decode()
        if prop.startswith("--") and HSL_TRIPLET.match(value):
            colours = [Colour(path, start, end, value)]
        out.append(Declaration(path, prop, value, start, end, colours))
    return out


def linked_stylesheets(html_path: str, html: str, files: set[str]) -> list[str]:
    """Stylesheets an HTML shell links (``<link rel="stylesheet" href="css/style.css">``)."""
    out = []
    for m in re.finditer(r"<link\b[^>]*>", html, re.I):
        tag = m.group(0)
        if not re.search(r"rel=[\"']?stylesheet", tag, re.I):
            continue
        href = re.search(r"href=[\"']([^\"']+)[\"']", tag)
        if not href or "//" in href.group(1):
            continue
        target = href.group(1).split("?")[0]
        base = posixpath.dirname(html_path)
        for candidate in (posixpath.normpath(posixpath.join(base, target.lstrip("/")) if not target.startswith("/")
                                             else posixpath.join(base, target.lstrip("/"))),
                          posixpath.normpath(posixpath.join("public", target.lstrip("/")))):
            if candidate in files:
                out.append(candidate)
                break
    return out


# ---- the site's stylesheets and theme -------------------------------------------------------
@dataclass
class SiteStyles:
    sheets: list[str]  # stylesheets the site loads, in the order found
    rules: list[Rule]
    tailwind: bool  # the site styles with Tailwind utilities
    tokens: dict[str, str]  # theme colour name -> where it is defined: "@theme", "config", "css-var"
    config: str | None  # tailwind.config.* path

    def config_colours(self, files: Mapping[str, str], name: str) -> list[Str]:
        """The literals ``tailwind.config.*`` writes the theme colour ``name`` as (``colors: {primary:
        "#00040f"}`` in ``theme`` or ``theme.extend``; ``primary: {DEFAULT: ...}`` for a scale)."""
        if self.config is None or self.config not in files:
            return []
        source = parse(self.config, files[self.config])
        if source is None:
            return []
        out: list[Str] = []
        for node in walk(source.root):
            if node.type != "pair" or property_name(source, node.child_by_field_name("key")) != name:
                continue
            if not any(property_name(source, a.child_by_field_name("key")) == "colors"
                       for a in _ancestors(node) if a.type == "pair"):
                continue
            value = node.child_by_field_name("value")
            if value is not None and value.type == "object":
                value = next((p.child_by_field_name("value") for p in value.named_children if p.type == "pair"
                              and property_name(source, p.child_by_field_name("key")) == "DEFAULT"), None)
            if value is not None and value.type == "string":
                text = string_value(source, value) or ""
                if COLOUR_TOKEN.search(text):
                    out.append(Str(self.config, source.start(value), source.end(value), text, "string", value))
        return out

    def token_rules(self, name: str) -> list[tuple[Rule, Declaration]]:
        """Declarations that define a theme colour: ``--color-primary`` (v4 @theme), ``--primary`` (shadcn)."""
        out = []
        for rule in self.rules:
            for decl in rule.declarations:
                if decl.property in (f"--color-{name}", f"--{name}", f"--{name}-color", f"--color-{name}-500"):
                    out.append((rule, decl))
        return out


def _ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def read_styles(files: Mapping[str, str], reached_styles: list[str], html_shells: list[str]) -> SiteStyles:
    paths: list[str] = []
    for path in reached_styles:
        if path not in paths:
            paths.append(path)
    names = set(files)
    for shell in html_shells:
        for path in linked_stylesheets(shell, files[shell], names):
            if path not in paths:
                paths.append(path)
    # @import of other stylesheets the site's own sheets pull in
    i = 0
    while i < len(paths):
        text = files[paths[i]]
        for m in re.finditer(r"@import\s+(?:url\()?[\"']([^\"')]+)[\"']", text):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(paths[i]), m.group(1)))
            if target in names and target not in paths:
                paths.append(target)
        i += 1
    rules = [r for p in paths for r in read_css(p, files[p])]
    config = next((p for p in sorted(names) if re.fullmatch(r"tailwind\.config\.(?:js|ts|cjs|mjs)", p)), None)
    v4 = any(re.search(r"@import\s+[\"']tailwindcss|@tailwind\b|@theme\b", files[p]) for p in paths)
    tokens: dict[str, str] = {}
    for rule in rules:
        for decl in rule.declarations:
            if rule.selector.startswith("@theme") and decl.property.startswith("--color-"):
                tokens[decl.property[len("--color-"):]] = "@theme"
    if config is not None:
        for key in re.findall(r"[\"']?([A-Za-z][\w-]*)[\"']?\s*:\s*(?:\{|[\"'](?:hsl|rgb|#|var))",
                              files[config]):
            if key not in ("colors", "extend", "theme", "DEFAULT", "fontFamily", "keyframes", "animation"):
                tokens.setdefault(key, "config")
    return SiteStyles(paths, rules, bool(config) or v4, tokens, config)


