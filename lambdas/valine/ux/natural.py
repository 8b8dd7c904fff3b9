"""Plain-English requests without an LLM: "make the navbar blue", "rename the brand to Joint".

Deterministic rules over a small vocabulary of sections, properties and colours. When
the section, the property or the value is missing or ambiguous, the answer is one
precise question, never a guess.
"""

from __future__ import annotations

import re

from valine.ux import colors
from valine.ux.catalog import Catalog, RuleKind
from valine.ux.intent import Clarify, Intent, ParseError, ParseResult

_SECTION_WORDS: list[tuple[str, str]] = [
    ("navbar", r"nav ?bar|navigation(?: bar| menu)?|nav|top menu|menu"),
    ("footer", r"footer|page bottom|bottom of the page"),
    ("home", r"home ?page|home|landing(?: page)?|front page"),
    ("header", r"header|masthead|banner"),
]
# Property words, most specific first: (property, implied section or None, pattern).
_PROPERTY_WORDS: list[tuple[str, str | None, str]] = [
    ("cta-text", "home", r"cta(?: text| button| label)?|call[- ]to[- ]action(?: text| button)?|"
                         r"(?:get started |sign ?up )?button(?: text| label)?"),
    ("brand", "navbar", r"brand(?: name)?|logo text|site name"),
    ("hero-text", "home", r"headline|hero(?: text| title| heading)?|main heading"),
    ("description", "home", r"description|subtitle|sub-?heading|tagline|intro(?: text)?|blurb"),
    ("links", None, r"links?"),
    ("color", None, r"colou?r|background(?: colou?r)?|bg"),
    ("text", None, r"text|title|message|copy|wording|heading"),
]
_DELIMITER = re.compile(
    r"\s*(?::\s+|\s(?:to (?:read|say)|should (?:say|read|be)|to say|to read|saying|says|say|reads|read|into|to|as)\s+)",
    re.IGNORECASE)
_POLITE = re.compile(r"^(?:please|pls|hey|hi|can you|could you|would you|i want to|i'd like to|let's)\s+",
                     re.IGNORECASE)
_LINK_PATTERNS = [
    re.compile(r"^add (?:a |an |the )?(?:new )?(?:link )?[\"']?(?P<label>[^\"']+?)[\"']? link "
               r"(?:pointing |going |that goes |that points )?to (?P<href>\S+?)(?:\s+(?:in|to|on|into) (?:the )?"
               r"(?P<section>.+?))?[.!]?$", re.IGNORECASE),
    re.compile(r"^add (?:a |an )?(?:new )?link (?:to|for) (?P<href>\S+?) (?:called|named|label+ed|saying) "
               r"[\"']?(?P<label>[^\"']+?)[\"']?(?:\s+(?:in|to|on|into) (?:the )?(?P<section>.+?))?[.!]?$",
               re.IGNORECASE),
    re.compile(r"^add (?:a |an )?(?:new )?link [\"']?(?P<label>[^\"']+?)[\"']?\s*(?:->|→|=>|at|:)\s*(?P<href>\S+?)"
               r"(?:\s+(?:in|to|on|into) (?:the )?(?P<section>.+?))?[.!]?$", re.IGNORECASE),
]


def _section_in(text: str) -> list[str]:
    found = []
    for name, pattern in _SECTION_WORDS:
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            found.append(name)
    return found


def _property_in(text: str) -> tuple[str, str | None] | None:
    for prop, implied, pattern in _PROPERTY_WORDS:
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            return prop, implied
    return None


def _strip_value(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'“”":
        return value[1:-1].strip()
    if len(value) >= 2 and value[0] == "“" and value[-1] == "”":
        return value[1:-1].strip()
    return value


def _sections_with(catalog: Catalog, kind: RuleKind) -> list[str]:
    return [s.name for s in catalog.sections.values() if any(r.kind is kind for r in s.properties.values())]


def _one_section(found: list[str]) -> str | None:
    # "home page navbar" style overlaps: "nav" beats "home" when both appear only if distinct.
    unique = list(dict.fromkeys(found))
    return unique[0] if len(unique) == 1 else None


def parse_natural(text: str, catalog: Catalog) -> ParseResult:
    original = _POLITE.sub("", text.strip()).rstrip()
    if not original:
        return Clarify("What should I change? For example: make the navbar blue.")
    link = _parse_link(original, catalog)
    if link is not None:
        return link
    head, value, says = _split_value(original)
    sections = _section_in(head)
    prop = _property_in(head)
    if prop is None and says:
        prop = ("text", None)  # "make the header say Hello": saying is about text
    color = colors.find_in_words(head.split()) if prop is None or prop[0] == "color" else None

    if prop and prop[0] not in ("color", "links") and value is None:
        where = _one_section(sections) or prop[1]
        what = f"the {where} {prop[0]}" if where else f"the {prop[0]}"
        return Clarify(f"What should {what} say? For example: change {what} to Welcome!")
    if prop and prop[0] not in ("color", "links"):
        assert value is not None
        section = _one_section(sections) or prop[1]
        name = prop[0]
        if section is None:
            options = ", ".join(_sections_with(catalog, RuleKind.TEXT))
            return Clarify(f"Which section's {name} should say {value!r}: {options}?")
        if section == "home" and name == "text":
            return Clarify(f"Which text on the home page should say {value!r}: the headline (hero-text), "
                           "the description or the call to action (cta-text)?")
        if name == "text" and prop[1] is None and section in catalog.sections and \
                "text" not in catalog.sections[section].properties:
            return ParseError(f"{section} has no text property; valid: "
                              f"{', '.join(catalog.sections[section].properties)}")
        return Intent(section=section, changes={name: _strip_value(value)})

    # Colours: "make the navbar blue", "set the footer background to #112233".
    if color is None and value is not None and (prop is None or prop[0] == "color"):
        color = colors.find_in_words(value.split())
        if color is None and prop and prop[0] == "color":
            return ParseError(f"{_strip_value(value)!r} is not a colour I know; use a CSS colour name "
                              "(navy, dark blue) or #rrggbb, e.g. make the navbar #1e90ff")
    if color is not None:
        section = _one_section(sections)
        if section is None:
            options = ", ".join(_sections_with(catalog, RuleKind.COLOR))
            words = original.split() if value is None else value.split()
            shade = " ".join(words[color[0]:color[1]]).strip(".,!?") if value is not None or prop is None else color[2]
            if len(set(sections)) > 1:
                return Clarify(f"I change one section per request: which should be {shade}, "
                               f"{' or '.join(dict.fromkeys(sections))}?")
            return Clarify(f"Which section should be {shade}: {options}?")
        return Intent(section=section, changes={"color": color[2]})

    section = _one_section(sections)
    if section and section in catalog.sections:
        props = ", ".join(catalog.sections[section].properties)
        return Clarify(f"What should change in the {section}: {props}? For example: change the {section} "
                       f"{next(iter(catalog.sections[section].properties))} to ...")
    names = ", ".join(catalog.section_names())
    return Clarify(f"Which section ({names}) should change, and how? For example: make the navbar blue, or "
                   'section:header text:"Welcome"')


def _split_value(text: str) -> tuple[str, str | None, bool]:
    """(what to change, the new value, whether the verb was "say"/"read")."""
    protected = re.sub(r"call[- ]to[- ]action", lambda m: m.group(0).replace(" ", "\0"), text, flags=re.IGNORECASE)
    match = _DELIMITER.search(protected)
    if not match:
        return text, None, False
    head = protected[: match.start()].replace("\0", " ")
    value = text[match.end():].strip()
    says = re.search(r"\b(?:say|says|saying|read|reads)\b", match.group(0), re.IGNORECASE) is not None
    return head, (value or None), says


def _parse_link(text: str, catalog: Catalog) -> ParseResult | None:
    if not re.match(r"^add\b.*\blink\b", text, re.IGNORECASE):
        return None
    for pattern in _LINK_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        label, href = m.group("label").strip(), m.group("href").strip().rstrip(".,")
        where = _section_in(m.group("section") or "")
        section = _one_section(where)
        options = ", ".join(_sections_with(catalog, RuleKind.LINKS))
        if section is None:
            return Clarify(f"Where should the {label} link go: {options}?")
        return Intent(section=section, changes={"links": f"{label}:{href}"})
    return Clarify('Which link should I add, and where? For example: add an About link pointing to /about '
                   "in the header")
