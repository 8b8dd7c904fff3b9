"""What the UX agent may touch: sections, their files, and one edit rule per property.

The catalog is optional data in the team's repository (``.valine/catalog.json``): names and
aliases for sections, rules that pin a property to an element, and the paths the agent may or may
not write. Without one the site model alone serves; the bot never uses another site's catalog.
``valine.agents.ux.jsx.validate_against`` rejects a catalog whose files or elements do not exist.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from valine.site.safety import CATALOG_NAME, inside_repository, named_objects

REPO_CATALOG_PATH = ".valine/catalog.json"
_SELECTOR = re.compile(
    r"^(?P<tag>[A-Za-z][A-Za-z0-9.]*)?(?:\[(?P<attr>[A-Za-z_:][-A-Za-z0-9_:.]*)=(?P<val>[^\]\"']+)\])?$"
)


class RuleKind(StrEnum):
    TEXT = "text"
    COLOR = "color"
    LINKS = "links"


class CatalogError(ValueError):
    """A catalog mistake; the message names the section, property, file or element."""


@dataclass(frozen=True)
class Selector:
    tag: str | None
    attr: str | None
    value: str | None

    @classmethod
    def parse(cls, text: str) -> Selector:
        m = _SELECTOR.match(text.strip())
        if not m or not (m.group("tag") or m.group("attr")):
            raise CatalogError(f"element selector {text!r} is not `tag`, `[attr=value]` or `tag[attr=value]`")
        return cls(m.group("tag"), m.group("attr"), m.group("val"))

    def __str__(self) -> str:
        attr = f"[{self.attr}={self.value}]" if self.attr else ""
        return f"{self.tag or ''}{attr}"


@dataclass(frozen=True)
class PropertyRule:
    name: str
    kind: RuleKind
    element: Selector
    style: str | None = None  # COLOR: the style property it sets, e.g. backgroundColor
    max_length: int = 200


@dataclass(frozen=True)
class Section:
    name: str
    file: str
    properties: Mapping[str, PropertyRule]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalog:
    sections: Mapping[str, Section]
    # The team's colour names, e.g. {"blue": "#1d4ed8", "brandgreen": "#16a34a"} (keys without spaces);
    # they win over the CSS names.
    palette: Mapping[str, str] = field(default_factory=dict)
    allow: tuple[str, ...] = ()  # path patterns the agent may write (empty: any)
    deny: tuple[str, ...] = ()  # path patterns it never writes

    def section_names(self) -> list[str]:
        return list(self.sections)

    def property_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for section in self.sections.values():
            seen.update(dict.fromkeys(section.properties))
        return list(seen)

    @classmethod
    def from_json(cls, data: Any) -> Catalog:
        sections = {}
        shape = 'a catalog is {"sections": {"<name>": {"file": ..., "properties": {...}}}}'
        for name, raw in named_objects(data, "sections", CatalogError, what="section", shape=shape):
            file = str(raw.get("file") or "")
            if file or raw.get("properties"):
                _check_path(name, file, pinned=bool(raw.get("properties")))
            props = {}
            for prop, rule in (raw.get("properties") or {}).items():
                if not CATALOG_NAME.match(str(prop)) or prop == "section":
                    raise CatalogError(f"section {name}: property name {prop!r} is not allowed")
                if not isinstance(rule, dict):
                    raise CatalogError(f"section {name}, property {prop}: rule must be an object")
                try:
                    kind = RuleKind(str(rule.get("kind")))
                except ValueError as exc:
                    raise CatalogError(f"section {name}, property {prop}: kind must be text, color or links") \
                        from exc
                style = rule.get("style")
                if kind is RuleKind.COLOR and not (isinstance(style, str) and re.match(r"^[a-zA-Z]+$", style)):
                    raise CatalogError(f"section {name}, property {prop}: a color rule needs a style property "
                                       "name such as backgroundColor")
                props[prop] = PropertyRule(name=prop, kind=kind, element=Selector.parse(str(rule.get("element", ""))),
                                           style=style, max_length=int(rule.get("max_length", 200)))
            aliases = raw.get("aliases") or []
            if not isinstance(aliases, list) or not all(isinstance(a, str) and 0 < len(a) <= 40 for a in aliases):
                raise CatalogError(f'section {name}: aliases must be a list of short names, e.g. ["hero", "banner"]')
            if "properties" in raw and not props:
                raise CatalogError(f"section {name}: no properties")
            if not props and not aliases:
                raise CatalogError(f"section {name}: give it aliases (other names people use for it) or properties")
            sections[name] = Section(name=name, file=file, properties=props, aliases=tuple(aliases))
        return cls(sections=sections, palette=_palette(data.get("palette")), allow=_globs(data, "allow"),
                   deny=_globs(data, "deny"))

    def allows(self, path: str) -> bool:
        """The catalog lets the agent write ``path`` (the allow list, when given, and not the deny list)."""
        if any(fnmatch.fnmatch(path, g) for g in self.deny):
            return False
        return not self.allow or any(fnmatch.fnmatch(path, g) for g in self.allow)

    @property
    def pinned(self) -> bool:
        """Sections with rules (the example site's way): the rule parser answers first."""
        return any(s.properties for s in self.sections.values())


def _globs(data: dict[str, Any], key: str) -> tuple[str, ...]:
    raw = data.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(g, str) and g for g in raw):
        raise CatalogError(f'{key} must be a list of path patterns, e.g. ["src/**", "public/*.html"]')
    return tuple(raw)


def _palette(raw: Any) -> dict[str, str]:
    from valine.agents.ux import colors

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CatalogError('palette must be an object of colour names to #rrggbb, e.g. {"blue": "#1d4ed8"}')
    out = {}
    for name, value in raw.items():
        key = re.sub(r"[\s_-]+", "", str(name).lower())
        hexed = colors.normalize(str(value))
        if not key.isalpha() or hexed is None:
            raise CatalogError(f"palette {name!r}: {value!r} must be a colour such as #1d4ed8, under a name of letters")
        out[key] = hexed
    return out


PINNED_FILES = (".jsx", ".tsx", ".js")  # property rules edit JSX
NAMED_FILES = (*PINNED_FILES, ".ts", ".mjs", ".json", ".css", ".scss", ".md", ".mdx", ".html")


def _check_path(section: str, path: str, *, pinned: bool = True) -> None:
    kinds = PINNED_FILES if pinned else NAMED_FILES
    if not inside_repository(path, kinds):
        raise CatalogError(f"section {section}: file {path!r} must be a relative {'/'.join(kinds)} path inside the "
                           "repository, without '..'")


