"""Plain-English requests without an LLM: "make the navbar blue", "rename the brand to Joint".

Deterministic rules over a small vocabulary of sections, properties and colours. When
the section, the property or the value is missing or ambiguous, the answer is one
precise question, never a guess.
"""

from __future__ import annotations

import re

from valine.agents.ux import colors
from valine.agents.ux.catalog import Catalog, RuleKind, Section
from valine.agents.ux.intent import Clarify, Intent, ParseError, ParseResult
from valine.agents.ux.phrases import clauses, clean, find_link, placeholder, restore, take_quotes

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
    r"\s*(?::\s+|\s(?:(?:to (?:read|say|be)|should (?:say|read|be)|to say|to read|saying|says|say|reads|read):?|"
    r"into|to|as|with)\s+)",
    re.IGNORECASE)
def _property_span(text: str) -> int | None:
    """Where the first property word starts, if any."""
    spans = [m.start() for _, _, pattern in _PROPERTY_WORDS
             for m in [re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE)] if m]
    return min(spans) if spans else None


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


_NO_SECTION = Section(name="", file="", properties={})


def parse_natural(text: str, catalog: Catalog) -> ParseResult:
    original = clean(text)
    if not original:
        return Clarify("What should I change? For example: make the navbar blue.")
    link = _parse_link(original, catalog)
    if link is not None:
        return link
    parts = clauses(original)
    if len(parts) > 1:
        merged = _compound(parts, catalog)
        if merged is not None:
            return merged
    return _single(original, catalog)


def _compound(parts: list[str], catalog: Catalog) -> ParseResult | None:
    """Several changes of one section in one request ("... and make it green"); None when a part
    is not a change on its own (then the whole sentence is read as one)."""
    section: str | None = None
    changes: dict[str, str] = {}
    for part in parts:
        if section:  # "it", "its", "them" and a bare "the color" mean the section named before
            q = take_quotes(part)
            text = re.sub(r"\b(?:it|its|them|their)\b", f"the {section}", q.text, flags=re.IGNORECASE)
            prop = _property_span(text)
            if not _section_in(text) and prop is not None:
                text = f"{text[:prop]}{section} {text[prop:]}"
            part = restore(text, [f'"{v}"' for v in q.values])
        result = _single(part, catalog)
        if not isinstance(result, Intent):
            return None
        if section is not None and result.section != section:
            return Clarify(f"I change one section per request: which first, {section} or {result.section}? "
                           "Ask for the other in a second request.")
        section = result.section
        for key, value in result.changes.items():
            if key in changes and changes[key] != value:
                return Clarify(f"The request sets {result.section} {key} twice ({changes[key]!r} and {value!r}); "
                               "which one?")
            changes[key] = value
    assert section is not None
    return Intent(section=section, changes=changes)


def _single(original: str, catalog: Catalog) -> ParseResult:
    quoted = take_quotes(original)
    old_new = re.match(r"^(?:replace|change|swap)\s+\x000\x00\s*", quoted.text, re.IGNORECASE)
    if len(quoted.values) == 2 and old_new:
        # "replace 'Welcome' in the header with 'Hello'": the old words say which text; the new ones are the value.
        rest = quoted.text[old_new.end():].replace(placeholder(1), placeholder(0))
        new_words = '"' + quoted.values[1] + '"'
        original = "change the text " + restore(rest, [new_words])
        quoted = take_quotes(original)
    replace = re.match(r"^(?:replace|swap)\s+(?P<head>.+?)\s+(?:with|for|by)\s+(?P<value>.+)$", original,
                       re.IGNORECASE)
    if replace:
        original = f"{replace.group('head')} to {replace.group('value')}"
        quoted = take_quotes(original)
    if len(quoted.values) == 1:
        # The words in quotes are the value, exactly; the rest says where it goes.
        head = quoted.text.replace(placeholder(0), " ").strip()
        head = re.sub(r"[\s:]*(?:to (?:read|say|be)|should (?:say|read|be)|to say|to read|saying|says|say|reads|"
                      r"read|into|to|as|with|be|=|->|→|=>)?[\s:]*$", "", head, flags=re.IGNORECASE)
        says = re.search(r"\b(?:say|says|saying|read|reads)\b", quoted.text, re.IGNORECASE) is not None
        words = quoted.values[0]
        if quoted.text.strip().endswith(placeholder(0)) or re.search(r"\b(?:say|read|to|be|with|as)\b",
                                                                       quoted.text, re.IGNORECASE):
            named = _one_section(_section_in(head))
            # "footer → 'Goodbye'": words in quotes for a section, no property named: its text.
            if _property_in(head) is None and not says and named and colors.normalize(words, catalog.palette) is None \
                    and "text" in catalog.sections.get(named, _NO_SECTION).properties:
                says = True
            return _decide(original, head, words, says, catalog, exact=True)
    head, value, says = _split_value(original)
    return _decide(original, head, value, says, catalog, exact=False)


def _decide(original: str, head: str, value: str | None, says: bool, catalog: Catalog, *,
            exact: bool) -> ParseResult:
    sections = _section_in(head)
    prop = _property_in(head)
    if prop is None and says:
        prop = ("text", None)  # "make the header say Hello": saying is about text
    color = colors.find_in_words(head.split(), catalog.palette) if prop is None or prop[0] == "color" else None

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
        return Intent(section=section, changes={name: value if exact else _strip_value(value)})

    # Colours: "make the navbar blue", "set the footer background to #112233".
    if color is None and value is not None and (prop is None or prop[0] == "color"):
        color = colors.find_in_words(value.split(), catalog.palette)
        if color is None and prop and prop[0] == "color":
            return ParseError(f"{_strip_value(value)!r} is not a colour I know; use a CSS colour name "
                              "(navy, dark blue) or #rrggbb, e.g. make the navbar #1e90ff")
    if color is not None and _colours_in(original, catalog) > 1:
        return Clarify("Which colour: the request names more than one. Ask for one colour per section.")
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
    found = find_link(text)
    options = ", ".join(_sections_with(catalog, RuleKind.LINKS))
    if found is None:
        if re.match(r"^(?:add|insert|put|create)\b.*\blinks?\b", text, re.IGNORECASE):
            return Clarify("Which link should I add, and where? For example: add an About link pointing to /about "
                           "in the header")
        return None
    section = _one_section(_section_in(found.rest))
    if found.label is None:
        where = f" in the {section}" if section else ""
        return Clarify(f"What should the link to {found.href} say? For example: add a link called About pointing "
                       f"to {found.href}{where}")
    if section is None:
        return Clarify(f"Where should the {found.label} link go: {options}?")
    return Intent(section=section, changes={"links": f"{found.label}:{found.href}"})


def _colours_in(text: str, catalog: Catalog) -> int:
    words = text.split()
    found, i = set(), 0
    while i < len(words):
        hit = colors.find_in_words(words[i:], catalog.palette)
        if hit is None:
            break
        found.add(hit[2])
        i += hit[1]
    return len(found)
