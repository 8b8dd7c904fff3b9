"""Recolouring one element where its colour is written: a Tailwind utility (hover and other states
left alone), a styled-component's CSS, a stylesheet rule, or an inline style."""

from __future__ import annotations

import re

from valine.agents.ux.colour_wish import PREFIXES, PROPERTIES, Ask
from valine.agents.ux.proposal import Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.colours import UNAMBIGUOUS, hex_of, rewrite_like, utility
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.render import Element, Item
from valine.site.selectors import selector_targets
from valine.site.styles import COLOUR_TOKEN
from valine.site.values import Str
from valine.site.writing import Splice


def _probe(element: Element) -> Item:
    """An item standing for an element, so its place can be scored like a text's."""
    literal = Str(element.frame.file, element.frame.start, element.frame.end, "", "text")
    return Item("", literal, None, element, element.page, element.conditional, element.instance, element.rank)


STATES = ("hover:", "focus:", "active:", "focus-visible:", "group-hover:", "visited:")


def _recolour(element: Element, ask: Ask, model: SiteModel, places: Places, wish: Wish) -> Result:
    styles = model.styles
    assert styles is not None
    target = ask.new[0] if ask.new else None
    literals = list(element.class_strs)
    if ask.state == "sticky":
        sticky = [s for s in literals if re.search(r"\b(?:fixed|sticky|shadow-sticky)\b", s.value)]
        literals = sticky or literals
    splices: list[Splice] = []
    left: list[str] = []
    found_any = False
    base = {u.colour for literal in literals for token, _ in _tokens(literal)
            if (u := utility(token, set(styles.tokens))) is not None and u.prefix in PREFIXES[ask.prop]
            and not u.variants}
    for literal in literals:
        for token, start in _tokens(literal):
            util = utility(token, set(styles.tokens))
            if util is None or util.prefix not in PREFIXES[ask.prop]:
                continue
            found_any = True
            if "dark:" in util.variants and not ask.dark:
                left.append(f"{token} (dark mode)")
                continue
            state = next((v for v in STATES if v in util.variants), None)
            # hover:bg-black/90 follows bg-black; a hover shade of its own (hover:bg-indigo-400) is left alone.
            if state is not None and util.colour not in base and not re.search(rf"\b{state[:-1]}", wish.request,
                                                                                 re.I):
                left.append(f"{token} (on {state[:-1]})")  # the hover colour is its own choice: say it, not guess
                continue
            if ask.old_name and util.hue and util.hue != ask.old_name.split()[-1] and ask.old_name not in \
                    util.colour:
                continue
            replacement = _new_utility(util, ask, target, styles.tokens)
            if isinstance(replacement, Question):
                return replacement
            if replacement != token:
                splices.append(Splice(literal.file, start, start + len(token.encode()), replacement))
    part = places.of(_probe(element)).section
    if splices:
        notes = [f"Left alone: {', '.join(dict.fromkeys(left))}; say so if those should change too."] if left else []
        return Proposal(splices, f"{part}: {ask.prop} colour → {target or ask.new_name}", part,
                        {"op": "colour", "element": element.tag, "new": target or ask.new_name}, notes)
    if found_any and not splices:
        return Question(f"The {element.tag}'s {ask.prop} colour is already that, or set only for dark mode; what "
                        "should change?")
    if element.css:
        return _styled_css(element, ask, part, target)
    return _css(element, ask, model, part, target)


def _styled_css(element: Element, ask: Ask, part: str, target: str | None) -> Result:
    """A styled-component's own CSS (its template literal): the declaration at rest, not ``&:hover``
    blocks or ``${...}`` interpolations."""
    new = target or hex_of(ask.new_name or "")
    if new is None:
        return Question(f"Which {ask.new_name or 'colour'} exactly? Give it as #rrggbb.")
    splices: list[Splice] = []
    nested = False
    for literal in element.css:
        text = literal.value
        blanked = re.sub(r"\$\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", lambda m: " " * len(m.group(0)), text)
        depth = 0
        for m in re.finditer(r"[{}]|(?P<prop>[a-z-]+)\s*:\s*(?P<value>[^;{}]+)", blanked):
            if m.group(0) == "{":
                depth += 1
                continue
            if m.group(0) == "}":
                depth -= 1
                continue
            if m.group("prop") not in PROPERTIES[ask.prop]:
                continue
            if depth > 0:
                nested = True
                continue
            for c in COLOUR_TOKEN.finditer(m.group("value")):
                at = literal.start + len(text[:m.start("value") + c.start()].encode())
                splices.append(Splice(literal.file, at, at + len(c.group(0).encode()), rewrite_like(c.group(0), new)))
                break
    if not splices:
        return Question(f"I could not find the {element.tag}'s {ask.prop} colour in its styled-component CSS; "
                        "which file styles it?")
    notes = ["Its nested states (&:hover and the like) keep their colours; say so if they should change too."] \
        if nested else []
    return Proposal(splices[-1:], f"{part}: {ask.prop} colour → {new}", part,
                    {"op": "colour", "element": element.tag, "new": new}, notes)


def _tokens(literal: Str) -> list[tuple[str, int]]:
    """Class names in a className literal with their byte offsets in the file."""
    inner = 1 if literal.kind in ("string", "template") else 0
    out = []
    for m in re.finditer(r"\S+", literal.value):
        out.append((m.group(0), literal.start + inner + len(literal.value[:m.start()].encode())))
    return out


def _new_utility(util: object, ask: Ask, target: str | None, tokens: dict[str, str]) -> str | Question:
    from valine.site.colours import Utility

    assert isinstance(util, Utility)
    if util.prefix in ("from", "via", "to") and len(ask.new) >= 2:
        stop = {"from": ask.new[0], "via": ask.new[1] if len(ask.new) > 2 else None, "to": ask.new[-1]}[util.prefix]
        if stop is None:
            return Question("The gradient has a middle stop; which colour should it get?")
        return util.with_colour(f"[{stop}]")
    if target:
        return util.with_colour(f"[{target}]")
    name = (ask.new_name or "").split()[-1] if ask.new_name else None
    if ask.solid and (name is None or name == util.colour or util.colour.startswith(name)):
        return util.with_colour(util.colour, alpha=None)
    if name in UNAMBIGUOUS:
        return util.with_colour(name, alpha=None if ask.solid else True)
    if name and name in tokens:
        return util.with_colour(name)
    if name and util.hue and util.shade and ask.old_name:  # "a purple border; make it blue": same shade
        return util.with_colour(f"{name}-{util.shade}")
    theme = ", ".join(sorted(t for t in tokens if not t.startswith(("current", "transparent"))))[:200]
    return Question(f"Which {ask.new_name or 'colour'} exactly? Give it as #rrggbb (or a colour of the site's "
                    f"theme: {theme}).")


def _css(element: Element, ask: Ask, model: SiteModel, part: str, target: str | None) -> Result:
    """A site styled with stylesheets: the rules that select the element (and its links) at rest."""
    styles = model.styles
    assert styles is not None
    new = target or hex_of(ask.new_name or "")
    if new is None:
        return Question(f"Which {ask.new_name or 'colour'} exactly? Give it as #rrggbb.")
    chain = [(f.name, f.id, f.classes) for f in (*element.path, element.frame) if f.kind == "host"]
    splices: list[Splice] = []
    for rule in styles.rules:
        if any(c.startswith("@media") for c in rule.context):
            continue
        if not any(selector_targets(s, chain) for s in rule.selectors):
            continue
        for decl in rule.declarations:
            if ask.prop == "gradient" and decl.property in PROPERTIES["gradient"] and "gradient(" in decl.value:
                if len(decl.colours) != len(ask.new):
                    return Question(f"{rule.file} {rule.selector} has a gradient of {len(decl.colours)} colours and "
                                    f"the request gives {len(ask.new)}; which stop gets which colour?")
                splices += [Splice(c.file, c.start, c.end, n)  # the stops exactly as asked
                            for c, n in zip(decl.colours, ask.new, strict=True)]
                continue
            if decl.property in PROPERTIES[ask.prop] and decl.colours and ask.prop == "bg" and \
                    "gradient(" in decl.value:
                if not ask.solid:
                    stops = " → ".join(c.text for c in decl.colours)
                    return Question(f"The {element.tag}'s background is a gradient ({stops}) in {rule.file} "
                                    f"{rule.selector}. Make it solid {new} (say 'solid'), or give the gradient's "
                                    "new colours?")
                splices.append(Splice(rule.file, decl.start, decl.end, new))
                continue
            if decl.property in PROPERTIES[ask.prop] and decl.colours and ask.prop != "gradient":
                colour_ = decl.colours[0]
                if ask.old_name and not _named_like(colour_.text, ask.old_name):
                    continue
                splices.append(Splice(colour_.file, colour_.start, colour_.end, rewrite_like(colour_.text, new)))
    if ask.links:
        link_new = hex_of(ask.link_colour or "")
        if link_new is None:
            return Question(f"Which colour exactly for the links ({ask.link_colour})? Give it as #rrggbb.")
        for rule in styles.rules:
            if any(c.startswith("@media") for c in rule.context):
                continue
            link_chain = [*chain, ("a", "", ())]
            for selector in rule.selectors:
                if selector.rstrip().endswith("a") or re.search(r"\ba(?:\.[\w-]+)*$", selector.strip()):
                    compounds_ok = selector_targets(re.sub(r"\ba(\.[\w-]+)+$", "a", selector.strip()), link_chain)
                    if compounds_ok:
                        for decl in rule.declarations:
                            if decl.property == "color" and decl.colours:
                                c = decl.colours[0]
                                splices.append(Splice(c.file, c.start, c.end, rewrite_like(c.text, link_new)))
    if not splices:
        return Question(f"I could not find where the {element.tag}'s {ask.prop} colour is set (no utility class, no "
                        "stylesheet rule that selects it), so a change might not show. Which file styles it?")
    unique = list({(s.file, s.start): s for s in splices}.values())
    what = f"{ask.prop} → {new}" + (f", links → {ask.link_colour}" if ask.links else "")
    return Proposal(unique, f"{part}: {what}", part, {"op": "colour", "element": element.tag, "new": new})


def _named_like(written: str, name: str) -> bool:
    """``#f6f6f6`` is "light grey", ``#fff`` is "white": near enough to what the request calls the colour now."""
    hexed = hex_of(written)
    if hexed is None:
        return False
    r, g, b = (int(hexed[i:i + 2], 16) for i in (1, 3, 5))
    grey = max(r, g, b) - min(r, g, b) < 16
    light = (r + g + b) / 3
    if "grey" in name or "gray" in name:
        return grey and (light > 200 if "light" in name else True)
    if name in ("white", "off-white"):
        return light > 235
    if name == "black":
        return light < 40
    return True
