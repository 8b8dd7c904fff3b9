"""Where something is on the site, in the words a person would use.

Each rendered text gets the words of the places around it: the components it is inside
(``PricingFaq`` → pricing, faq), the landmarks (header, nav, footer), ids and meaningful class
names (``#features``, ``navbar``), the files (``config/marketing.ts``), the keys of the data it
comes from (``footerLinks`` → footer, links) and the titles of the entries around it (the plan
called "Pro", the footer column called "Docs"), and the section's own heading. The hero is the
first block of the home page that holds an ``h1``. A request's words are matched against these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from tree_sitter import Node

from valine.site.modules import Module
from valine.site.render import Element, Frame, Item
from valine.site.syntax import property_name
from valine.site.values import Str

if TYPE_CHECKING:
    from valine.site.model import SiteModel

LANDMARK_WORDS = {"header": ("header",), "nav": ("nav", "navbar", "menu", "navigation"), "footer": ("footer",),
                  "main": (), "aside": ("sidebar",), "form": ("form",), "section": (), "article": ()}
SYNONYMS: dict[str, tuple[str, ...]] = {
    "navbar": ("nav", "menu", "navigation", "header", "topbar"), "menu": ("nav", "navbar", "navigation"),
    "nav": ("navbar", "menu", "navigation"), "navigation": ("nav", "navbar", "menu"),
    "hero": ("intro", "banner", "jumbotron", "landing", "masthead", "splash"),
    "footer": ("bottom",), "testimonials": ("testimonial", "reviews", "review", "clients", "quotes"),
    "pricing": ("price", "prices", "plans", "plan", "tiers", "subscriptions", "subscription"),
    "faq": ("faqs", "questions", "question", "accordion"), "features": ("feature",),
    "contact": ("get-in-touch", "touch"), "team": ("members", "member", "people", "staff"),
    "gallery": ("portfolio", "projects", "work", "showcase"), "portfolio": ("gallery", "projects", "work"),
    "services": ("service",), "newsletter": ("subscribe", "signup", "mailing"), "blog": ("posts", "articles"),
    "header": ("top",), "cards": ("card",), "card": ("cards",),
}
_MEANINGFUL_CLASS = re.compile(r"(nav|menu|header|footer|hero|intro|banner|pricing|faq|testimonial|feature|"
                               r"contact|about|team|gallery|portfolio|service|newsletter|blog|logo|brand|sidebar|"
                               r"card|cta|title|subtitle|heading|footer)", re.I)


def split_words(name: str) -> list[str]:
    """``PricingFaq`` → pricing, faq; ``hero-landing.tsx`` → hero, landing; ``footerLinks`` → footer, links."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w and not w.isdigit() and len(w) > 1]


def stem(word: str) -> str:
    """A plural's singular, simply: entries → entry, boxes → box, features → feature, plans → plan."""
    word = word.lower()
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def expand(words: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for word in words:
        w = word.lower()
        out |= {w, stem(w)}
        for syn in SYNONYMS.get(w, ()) + SYNONYMS.get(stem(w), ()):
            out |= {syn, stem(syn)}
    return out


_IGNORED_FILE_PARTS = {"src", "components", "component", "app", "index", "page", "tsx", "jsx", "ts", "js", "json",
                       "lib", "ui", "shared", "common", "layout", "sections", "section", "config", "data",
                       "marketing", "pages", "styles"}


@dataclass
class Place:
    """What a person could call where an item is: words, with a weight for how near they are."""

    words: dict[str, float]
    section: str  # a short name for it (the nearest named component or landmark): metrics and summaries

    labels: set[str] = field(default_factory=set)  # short texts shown in the same section ("Pricing" above a title)
    title: str = ""  # the section as a person reads it: "pricing box" for PricingBox

    def score(self, wanted: Iterable[str]) -> float:
        total = 0.0
        wanted = list(wanted)
        for word in wanted:
            own = {word.lower(), stem(word)}
            total += max((self.words.get(v, 0.0) * (1.0 if v in own else 0.8) for v in expand([word])),
                         default=0.0)
        if wanted and " ".join(wanted).lower() in self.labels:
            total += 0.5  # the section says so itself: its label or heading is the request's words
        return total


class Places:
    """Places of every item of a site model, computed on first use."""

    def __init__(self, model: SiteModel, named: Mapping[str, tuple[str, ...]] | None = None) -> None:
        """``named``: a catalog's names for the parts of the site, file -> (section name, aliases...)."""
        self.model = model
        self.named = dict(named or {})
        self.modules = model.evaluator.modules
        self._cache: dict[Item, Place] = {}  # keyed by the item itself: an id() could be reused

    @cached_property
    def hero(self) -> Element | None:
        """The first landmark (or section component) of the home page that holds an h1."""
        elements = [e for e in self.model.elements if e.page == "/"]
        for element in elements:
            if element.tag == "h1":
                for frame in reversed(element.path):
                    if frame.kind == "host" and frame.name in ("section", "header", "div", "main") and \
                            (frame.name != "div" or frame.id):
                        found = next((e for e in elements if e.frame == frame), None)
                        if found is not None and not any(f.name == "nav" for f in found.path):
                            return found
                return element
        return None

    def in_hero(self, item: Item) -> bool:
        hero = self.hero
        return hero is not None and (hero.frame in item.path) and item.page == "/"

    def of(self, item: Item) -> Place:
        if item not in self._cache:
            self._cache[item] = self._place(item)
        return self._cache[item]

    def _place(self, item: Item) -> Place:
        words: dict[str, float] = {}

        def add(names: Iterable[str], weight: float) -> None:
            for name in names:
                for w in (name, stem(name)):
                    words[w] = max(words.get(w, 0.0), weight)

        path = item.path
        section = ""
        for depth, frame in enumerate(reversed(path)):
            near = 1.0 if depth < 12 else 0.7
            if frame.kind == "component":
                add(split_words(frame.name), near)
                add(split_words(frame.label), near)
                add([w for w in split_words(frame.defined_in.rsplit("/", 1)[-1]) if w not in _IGNORED_FILE_PARTS],
                    near * 0.6)
                if not section and not frame.name.startswith(("Single", "Icon")) and frame.name not in (
                        "MaxWidthWrapper", "Link", "Button", "Image"):
                    section = frame.name
            else:
                add(LANDMARK_WORDS.get(frame.name, ()), near)
                if frame.id:
                    add(split_words(frame.id), near)
                    if not section:
                        section = frame.id
                add([w for c in frame.classes if _MEANINGFUL_CLASS.search(c) for w in split_words(c)], near * 0.8)
                if frame.name in ("header", "nav", "footer") and not section:
                    section = frame.name
        add([w for w in split_words(item.source.file) if w not in _IGNORED_FILE_PARTS], 0.6)
        add(split_words(item.page), 0.4)
        add(image_words(item.element), 1.0)
        for file in [item.source.file, *(f.defined_in or f.file for f in path)]:
            names = self.named.get(file)
            if names:  # the team's own names for this part (.valine/catalog.json)
                add([w for n in names for w in split_words(n)], 1.2)
                section = names[0]
                break
        module = self.modules.get(item.source.file)
        for key in data_keys(item, module):
            add(split_words(key), 0.9)
        for title in entry_titles(item, module):
            add(split_words(title), 1.0)
        if self.in_hero(item):
            add(["hero"], 1.0)
            section = section or "hero"
        return Place(words, (section or "page").lower(), self._labels(item),
                     " ".join(split_words(section or "page")).lower())

    def _labels(self, item: Item) -> set[str]:
        """Short texts (up to three words) shown in the same component instance as ``item``."""
        frame = next((f for f in reversed(item.path) if f.kind == "component"), None)
        if frame is None:
            return set()
        if not hasattr(self, "_by_frame"):
            by_frame: dict[Frame, set[str]] = {}
            for other in self.model.items:
                nearest = next((f for f in reversed(other.path) if f.kind == "component"), None)
                if nearest is not None and other.attr is None and 0 < len(other.text.split()) <= 3:
                    by_frame.setdefault(nearest, set()).add(other.text.lower().strip(" .:!?"))
            self._by_frame = by_frame
        return self._by_frame.get(frame, set())


def image_words(element: Element) -> list[str]:
    """What an image is of, by its source: ``src={robot}``, ``src="/images/logo/logo.svg"`` (the logo)."""
    if element.tag not in ("img", "image", "svg", "picture", "source") and "src" not in element.attrs:
        return []
    value = element.attrs.get("src")
    if isinstance(value, Str):
        name = value.value.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return [w for w in split_words(name) if not w.isdigit() and w not in _IGNORED_FILE_PARTS]
    node = element.node
    opening = node.child_by_field_name("open_tag") if node is not None and node.type == "jsx_element" else node
    for attr in (opening.named_children if opening is not None else []):
        if attr.type == "jsx_attribute" and attr.named_children and attr.named_children[0].text == b"src" \
                and len(attr.named_children) > 1:
            expression = (attr.named_children[1].text or b"").decode("utf-8", "replace")
            shown = expression.split("?", 1)[1] if "?" in expression else expression  # not the condition
            names = re.findall(r"[A-Za-z_$][\w$]*", shown)
            return [w for n in names if n not in ("props", "true", "false", "null", "undefined")
                    for w in split_words(n)]
    return []


def data_keys(item: Item, module: Module | None) -> list[str]:
    """The property names on the way from a data module's top to the literal: Header, title."""
    node: Node | None = item.source.node
    if node is None or module is None:
        return []
    keys: list[str] = []
    while node is not None:
        parent = node.parent
        if parent is not None and parent.type == "pair":
            name = property_name(module.source, parent.child_by_field_name("key"))
            if name:
                keys.append(name)
        if parent is not None and parent.type == "variable_declarator":
            name_node = parent.child_by_field_name("name")
            if name_node is not None:
                keys.append(module.source.text(name_node))
            break
        node = parent
    return list(reversed(keys))


def entry_titles(item: Item, module: Module | None) -> list[str]:
    """The title (or name or label) of each data entry the literal is inside: "Pro", "Docs"."""
    node: Node | None = item.source.node
    if node is None or module is None or item.source.kind not in ("string", "number"):
        return []
    out = []
    while node is not None:
        node = node.parent
        if node is not None and node.type == "object":
            for member in node.named_children:
                if member.type != "pair":
                    continue
                key = property_name(module.source, member.child_by_field_name("key"))
                value = member.child_by_field_name("value")
                if key in ("title", "name", "label", "packageName", "plan", "heading") and value is not None and \
                        value.type == "string" and value != item.source.node:
                    out.append(module.source.text(value)[1:-1])
    return out


def frames_named(path: tuple[Frame, ...], kind: str) -> list[Frame]:
    return [f for f in path if f.kind == kind]


def section_names(model: SiteModel, named: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """The site's sections as people would name them, the ones with most in them first."""
    places = Places(model, named)
    counts: dict[str, int] = {}
    for item in model.items:
        if item.text.strip():
            name = places.of(item).title
            if name and not re.search(r"\d", name) and len(name.split()) <= 4:  # not "bs example navbar 1"
                counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))
