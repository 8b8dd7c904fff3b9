"""Looking at a team's site without a server: ``valine site scan``, ``valine catalog init`` and
``valine catalog check``, all from a folder or git checkout (``--site``, default: the current folder).

``site scan`` prints the site model as a person reads it: for each section, what can be changed
there (texts, links and buttons, images' alt texts, lists). ``catalog init`` proposes a
``.valine/catalog.json`` (names and aliases for those sections); ``catalog check`` validates one
against the repository before any request meets it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from valine_cli.aws_stage import CliError


def load_site(folder: str) -> tuple[dict[str, str], Any]:
    from valine.site.model import build
    from valine.site.source import from_folder

    root = Path(folder).expanduser()
    if not root.is_dir():
        raise CliError(f"{root} is not a folder; give your site's checkout with --site")
    files = from_folder(str(root))
    if not files:
        raise CliError(f"{root} holds no source files the agent reads (.jsx, .tsx, .js, .ts, .json, .css, .md, .html)")
    return files, build(files)


def sections(model: Any, named: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[Any]]:
    """The model's items by the section a person would call them by."""
    from valine.site.places import Places

    places = Places(model, named)
    out: dict[str, list[Any]] = defaultdict(list)
    for item in model.items:
        if item.text.strip():
            out[places.of(item).section].append(item)
    return dict(out)


def _kind(item: Any) -> str:
    tag = item.element.tag
    if item.attr in ("alt", "aria-label", "title", "placeholder", "content"):
        return item.attr
    if item.attr in ("href", "to", "src"):
        return "target"
    if tag in ("a", "button") or any(f.name in ("a", "button") for f in item.path[-3:]):
        return "link/button"
    if tag in ("h1", "h2", "h3", "h4", "title"):
        return "heading"
    return "text"


def scan_report(model: Any, named: dict[str, tuple[str, ...]] | None = None, *, limit: int = 12) -> str:
    lines = [f"Entry points: {', '.join(f'{e.file} ({e.route})' for e in model.entries) or 'none found'}"]
    lines += [f"Problem: {p}" for p in model.problems]
    lines.append(f"Reached: {len(model.reached)} source files; {len(model.items)} texts and attributes.")
    if model.styles is not None:
        tokens = ", ".join(sorted(model.styles.tokens)[:20])
        lines.append(f"Styling: {'Tailwind' if model.styles.tailwind else 'stylesheets'}"
                     f"{f'; theme colours: {tokens}' if tokens else ''}; stylesheets: "
                     f"{', '.join(model.styles.sheets) or 'none'}")
    for name, items in sorted(sections(model, named).items(), key=lambda kv: (-len(kv[1]), kv[0])):
        files = sorted({i.source.file for i in items})
        lists = {i.instance[-1][0] for i in items if i.instance}
        lines.append(f"\n## {name}  ({len(items)} things, {len(lists)} list(s); {', '.join(files[:4])}"
                     f"{' ...' if len(files) > 4 else ''})")
        seen = set()
        shown = 0
        for item in items:
            key = (_kind(item), item.text)
            if key in seen:
                continue
            seen.add(key)
            if shown == limit:
                lines.append(f"  ... and {len({(_kind(i), i.text) for i in items}) - limit} more")
                break
            shown += 1
            text = item.text if len(item.text) <= 70 else item.text[:67] + "..."
            lines.append(f"  {_kind(item):12} “{text}”  {item.source.file}")
    return "\n".join(lines)


def proposed_catalog(model: Any) -> dict[str, Any]:
    """Names and aliases for the model's sections, each pointing at the file most of it is written in."""
    import re

    out: dict[str, Any] = {}
    for name, items in sorted(sections(model).items()):
        key = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:32] or "page"
        if not re.match(r"^[a-z]", key) or key in out:
            continue
        counts: dict[str, int] = defaultdict(int)
        for item in items:
            counts[item.source.file] += 1
        file = max(sorted(counts), key=lambda f: counts[f])
        words = " ".join(re.findall(r"[a-z]+", name.lower()))
        aliases = [words] if words != key else [f"{words} section"]
        out[key] = {"file": file, "aliases": aliases}
    return {"sections": out, "deny": [".github/**", "**/*.test.*", "**/*.spec.*"]}


def check_catalog(files: dict[str, str], model: Any, data: Any) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a catalog against the repository: missing files, files nothing imports,
    rules whose element is a .map() template, several elements, or holds more than text."""
    from valine.agents.ux.catalog import Catalog, CatalogError, RuleKind

    try:
        catalog = Catalog.from_json(data)
    except CatalogError as exc:
        return [str(exc)], []
    errors: list[str] = []
    warnings: list[str] = []
    for section in catalog.sections.values():
        if not section.file:
            continue
        if section.file not in files:
            errors.append(f"section {section.name}: {section.file} does not exist in the repository")
            continue
        if section.file not in model.reached and not any(i.source.file == section.file for i in model.items):
            errors.append(f"section {section.name}: nothing the site's entry points render imports "
                          f"{section.file}, so it is not part of the site")
        for rule in section.properties.values():
            matches = [e for e in model.elements if e.frame.file == section.file and _matches(e, rule.element)]
            where = f"section {section.name}, property {rule.name} ({rule.element})"
            if not matches:
                errors.append(f"{where}: no element matches it in {section.file}")
                continue
            frames = {(e.frame.start, e.frame.end) for e in matches}
            if len(frames) > 1:
                errors.append(f"{where}: matches {len(frames)} elements in {section.file}; the first would win. "
                              "Give the element a data-ux attribute of its own")
            if any(e.instance for e in matches):
                errors.append(f"{where}: is inside a .map() template, so one edit rewrites every entry")
            if rule.kind is RuleKind.TEXT and any(_non_text_children(e) for e in matches):
                warnings.append(f"{where}: the element holds elements as well as text (icons, spans); the "
                                "site model edits only its words, but this pinned rule replaces all of it")
    return errors, warnings


def _matches(element: Any, selector: Any) -> bool:
    from valine.site.values import Str

    if selector.tag and element.tag != selector.tag:
        return False
    if selector.attr:
        value = element.attrs.get(selector.attr)
        return isinstance(value, Str) and value.value == selector.value
    return True


def _non_text_children(element: Any) -> bool:
    node = element.node
    if node is None or node.type != "jsx_element":
        return False
    for child in node.named_children:
        if child.type in ("jsx_element", "jsx_self_closing_element"):
            name = child.child_by_field_name("name") or (child.child_by_field_name("open_tag") or child)
            if (name.text or b"").split(b" ")[0].lstrip(b"<") != b"br":
                return True
    return False


def cmd_site_scan(args: argparse.Namespace) -> int:
    files, model = load_site(args.site)
    if args.json:
        print(json.dumps({name: [{"kind": _kind(i), "text": i.text, "file": i.source.file} for i in items]
                          for name, items in sections(model).items()}, indent=2, ensure_ascii=False))
    else:
        print(scan_report(model))
    return 0 if model.entries else 1


def cmd_catalog_init(args: argparse.Namespace) -> int:
    files, model = load_site(args.site)
    text = json.dumps(proposed_catalog(model), indent=2, ensure_ascii=False) + "\n"
    if args.write:
        target = Path(args.site) / ".valine" / "catalog.json"
        if target.exists() and not args.force:
            raise CliError(f"{target} exists; pass --force to replace it, or leave out --write to print the proposal")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}; check it with: valine catalog check --site {args.site}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_catalog_check(args: argparse.Namespace) -> int:
    files, model = load_site(args.site)
    path = Path(args.catalog) if args.catalog else Path(args.site) / ".valine" / "catalog.json"
    if not path.is_file():
        raise CliError(f"{path} does not exist; `valine catalog init --site {args.site}` proposes one (a catalog "
                       "is optional: without one the site model alone serves)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        print(f"{path}: not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return 1
    errors, warnings = check_catalog(files, model, data)
    for line in errors:
        print(f"error: {line}")
    for line in warnings:
        print(f"warning: {line}")
    if not errors:
        extra = f", {len(warnings)} warning(s)" if warnings else ""
        print(f"{path}: OK ({len(data.get('sections', {}))} sections{extra})")
    return 1 if errors else 0


def add_parsers(sub: Any) -> None:
    site = sub.add_parser("site", help="the site model of a folder or checkout").add_subparsers(
        dest="site_command", required=True)
    p = site.add_parser("scan", help="print the sections and what can be changed in each")
    p.add_argument("--site", default=".", help="the site's folder or git checkout (default: .)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_site_scan)
    catalog = sub.add_parser("catalog", help="propose or check .valine/catalog.json").add_subparsers(
        dest="catalog_command", required=True)
    p = catalog.add_parser("init", help="propose a catalog from the site model (prints it; --write saves it)")
    p.add_argument("--site", default=".")
    p.add_argument("--write", action="store_true", help="write SITE/.valine/catalog.json")
    p.add_argument("--force", action="store_true", help="replace an existing catalog")
    p.set_defaults(handler=cmd_catalog_init)
    p = catalog.add_parser("check", help="validate a catalog against the repository")
    p.add_argument("--site", default=".")
    p.add_argument("--catalog", help="the catalog file (default: SITE/.valine/catalog.json)")
    p.set_defaults(handler=cmd_catalog_check)
