"""Colours, in the site's own styling system: a theme token (Tailwind v4 ``@theme``, shadcn's HSL
variables, ``tailwind.config``), a colour the stylesheets use everywhere, or one element's colour
through its Tailwind utilities (variants such as ``dark:`` left alone, and said so) or the CSS rules
that select it. A colour name that could be several shades is asked about, not guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from valine.agents.ux.choose import Proposal, Question, Result, ask_which, decide, rank, same
from valine.agents.ux.wish import Wish, colour_words
from valine.site.colours import UNAMBIGUOUS, hex_of, hsl_triplet, rewrite_like, same_colour_as, utility
from valine.site.model import SiteModel
from valine.site.places import Places, split_words
from valine.site.render import Element, Item
from valine.site.styles import COLOUR_TOKEN, HSL_TRIPLET, Rule, selector_targets
from valine.site.values import Str
from valine.site.writing import Splice, written

PROPERTIES = {"bg": ("background", "background-color"), "text": ("color",), "border": ("border", "border-color"),
              "gradient": ("background", "background-image")}
PREFIXES = {"bg": ("bg",), "text": ("text",), "border": ("border", "border-t", "border-b", "border-l", "border-r",
                                                          "border-x", "border-y"), "gradient": ("from", "via", "to")}


@dataclass
class Ask:
    """What the colour request says."""

    new: list[str] = field(default_factory=list)  # hex values, in order
    old: list[str] = field(default_factory=list)
    new_name: str | None = None  # "blue", "white", "solid white"
    old_name: str | None = None
    prop: str = "bg"
    token: str | None = None
    links: bool = False  # "... with white links"
    link_colour: str | None = None
    solid: bool = False
    state: str | None = None  # "sticky"
    dark: bool = False  # the request is about dark mode


def read_colour(wish: Wish, tokens: set[str] | frozenset[str] = frozenset()) -> Ask:
    """What a colour request says; ``tokens`` are the site's theme colour names (they can be named too)."""
    text = wish.request
    low = text.lower()
    hexes = [h.lower() for h in re.findall(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", text)]
    ask = Ask()
    ask.prop = "gradient" if "gradient" in low else "border" if "border" in low else \
        "text" if re.search(r"\b(?:text|font|link) colou?r\b|\bcolou?r of the (?:text|links)\b", low) else "bg"
    named = "|".join(re.escape(t.lower()) for t in sorted(tokens, key=len, reverse=True) if len(t) > 2)
    m = re.search(rf"\b(primary|secondary|accent|brand|main|theme{'|' + named if named else ''})\s+"
                  r"(?:(?:background|text|brand|theme)\s+)?colou?r\b", low)
    if m:
        word = m.group(1)
        ask.token = "primary" if word in ("brand", "main", "theme") and word not in tokens else \
            next((t for t in tokens if t.lower() == word), word)
    ask.solid = bool(re.search(r"\bsolid\b|\bopaque\b|\bnot (?:see-through|transparent)\b", low))
    ask.state = "sticky" if re.search(r"\bstick(?:y|s)?\b|\bon scroll\b|\bwhen (?:you )?scroll", low) else None
    ask.dark = bool(re.search(r"\bdark mode\b|\bdark theme\b", low))
    links = re.search(r"\bwith (\w+(?:\s\w+)?) links\b", low)
    if links:
        ask.links = True
        ask.link_colour = links.group(1)
    pairs = re.search(r"\(\s*(#\w+)\s+(?:to|->|→)\s+(#\w+)\s*\).*?(#\w+)\s+(?:to|->|→)\s+(#\w+)", text)
    if pairs:
        ask.old, ask.new = [pairs.group(1).lower(), pairs.group(2).lower()], [pairs.group(3).lower(),
                                                                               pairs.group(4).lower()]
    elif ask.prop == "gradient" and len(hexes) in (2, 3) and not re.search(r"\bfrom\s+#", low):
        ask.new = hexes  # "to teal #14b8a6 to emerald #10b981": the gradient's stops, in order
    elif len(hexes) == 2 and re.search(r"#\w+\s+(?:to|->|→|with|into)\b", text):
        ask.old, ask.new = [hexes[0]], [hexes[1]]
    elif len(hexes) == 4 and ask.prop == "gradient":
        ask.old, ask.new = hexes[:2], hexes[2:]
    else:
        for h in hexes:
            before = low[:low.find(h)]
            if re.search(r"\b(?:instead of|from|not|replace|currently)\s*(?:the\s+)?$", before.rstrip()):
                ask.old.append(h)
            else:
                ask.new.append(h)
    plain = re.sub(r"#\w+", " ", low)
    names = sorted(colour_words(plain), key=lambda n: re.search(rf"\b{n}\b", plain).start())  # type: ignore[union-attr]
    for name in names:
        at = re.search(rf"\b{name}\b", plain).start()  # type: ignore[union-attr]
        before = plain[:at]
        if re.search(r"\b(?:instead of|from|not|than|currently|has an?|have an?|the current)\s*(?:the\s+)?"
                     r"(?:(?:light|dark|pale|off)[ -]?)?$", before.rstrip()) or \
                re.search(rf"\b{name}\b\s+(?:border|background|gradient)\b.*\b(?:make|change|turn)", low):
            ask.old_name = ask.old_name or name
        elif ask.links and ask.link_colour and name in ask.link_colour:
            continue
        elif ask.new_name is None:
            modifier = re.search(rf"\b(light|dark|pale|deep|bright|off)[ -]{name}\b", low)
            ask.new_name = f"{modifier.group(1)} {name}" if modifier else name
    return ask


def colour(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    styles = model.styles
    if styles is None:
        return Question("I could not read this site's styles.", outcome="unsupported")
    ask = read_colour(wish, set(styles.tokens))
    if ask.token and (ask.new or ask.new_name):
        return _token(ask, model, wish)
    if ask.old and ask.new and len(ask.old) == len(ask.new) and not wish.old:
        return _replace_everywhere(ask, model)  # the colours are named exactly: wherever the site uses them
    element = _element(wish, ask, model, places, pick)
    if isinstance(element, Question):
        return element
    return _recolour(element, ask, model, places, wish)


# ---- the theme ---------------------------------------------------------------------------------
def _token(ask: Ask, model: SiteModel, wish: Wish) -> Result:
    styles = model.styles
    assert styles is not None
    new = ask.new[0] if ask.new else hex_of(ask.new_name or "")
    if new is None:
        return Question(f"Which {ask.new_name}? Give the colour as #rrggbb so the {ask.token} colour is exact.")
    found = styles.token_rules(ask.token or "primary")
    light = [(r, d) for r, d in found if not re.search(r"\.dark|dark\b|prefers-color-scheme:\s*dark",
                                                       " ".join((*r.context, r.selector)))]
    targets = [(r, d) for r, d in found if ask.dark and (r, d) not in light] if ask.dark else light
    if not targets and not ask.dark:
        written_in = styles.config_colours(model.files, ask.token or "primary")
        if len(written_in) == 1:
            literal = written_in[0]
            return Proposal([Splice(literal.file, literal.start, literal.end,
                                    written(literal, rewrite_like(literal.value, new)))],
                            f"theme: {ask.token} colour → {new}", "theme",
                            {"op": "colour", "token": ask.token, "new": new},
                            _written_out_elsewhere(model, literal.value, literal.file))
        if len(written_in) > 1:
            return Question(f"The {ask.token} colour is set more than once in {styles.config}; which one?")
    if not targets:
        return Question(f"I could not find where this site defines its {ask.token} colour (no --color-{ask.token} "
                        f"in @theme, no --{ask.token} CSS variable). Which file sets it?")
    if len(targets) > 1:
        places_ = ", ".join(f"{r.file} {r.selector}" for r, _ in targets)
        return Question(f"The {ask.token} colour is defined in more than one place ({places_}); which one?")
    rule, decl = targets[0]
    if HSL_TRIPLET.match(decl.value):
        value = hsl_triplet(new)  # shadcn: hsl(var(--primary)) wraps the bare numbers
    else:
        colours = decl.colours
        if len(colours) != 1:
            return Question(f"{decl.property} in {rule.file} is not a single colour ({decl.value}); what should it "
                            "become exactly?")
        value = rewrite_like(colours[0].text, new)
    notes = [] if HSL_TRIPLET.match(decl.value) else _written_out_elsewhere(model, decl.value, rule.file)
    if [(r, d) for r, d in found if (r, d) not in targets]:
        notes.append("The dark theme's value is left alone.")
    return Proposal([Splice(rule.file, decl.start, decl.end, value)], f"theme: {ask.token} colour → {new}", "theme",
                    {"op": "colour", "token": ask.token, "new": new}, notes)


def _written_out_elsewhere(model: SiteModel, value: str, theme_file: str) -> list[str]:
    old_hex = hex_of(value)
    if not old_hex:
        return []
    elsewhere = sum(len(re.findall(re.escape(old_hex), text, re.I)) for path, text in model.files.items()
                    if path != theme_file and path.endswith((".tsx", ".jsx", ".ts", ".js", ".css", ".html")))
    if not elsewhere:
        return []
    return [f"{old_hex} is also written out {elsewhere} more time(s) outside the theme (SVG fills, hard-coded "
            "classes); those stay as they are."]


def _replace_everywhere(ask: Ask, model: SiteModel) -> Result:
    """Each old colour, wherever the site's stylesheets and classes write it (rgba forms included)."""
    styles = model.styles
    assert styles is not None
    splices: list[Splice] = []
    counts = []
    for old, new in zip(ask.old, ask.new, strict=True):
        n = 0
        for rule in styles.rules:
            for decl in rule.declarations:
                for c in decl.colours:
                    if same_colour_as(c.text, old):
                        splices.append(Splice(c.file, c.start, c.end, rewrite_like(c.text, new)))
                        n += 1
        for element in model.elements:
            for literal in element.class_strs:
                for m in re.finditer(rf"\[{re.escape(old)}\]", literal.value, re.I):
                    start = literal.start + (1 if literal.kind in ("string", "template") else 0) + \
                        len(literal.value[:m.start()].encode())
                    splices.append(Splice(literal.file, start + 1, start + 1 + len(old), new))
                    n += 1
        counts.append(f"{old} → {new} ({n}×)")
        if n == 0:
            return Question(f"I could not find {old} in the site's stylesheets or classes; which colour is it now?")
    unique = {(s.file, s.start): s for s in splices}
    return Proposal(list(unique.values()), f"styles: {', '.join(counts)}", "styles",
                    {"op": "colour", "replace": dict(zip(ask.old, ask.new, strict=True))})


# ---- one element ---------------------------------------------------------------------------------
def _element(wish: Wish, ask: Ask, model: SiteModel, places: Places, pick: str | None) -> Element | Question:
    if wish.old:
        label = wish.old[0]
        items = [i for i in model.items if i.attr is None and same(i.text, label, loose=True)]
        if not items:
            return Question(f"I could not find “{label}” on the site to recolour.")
        candidates = rank(items, wish, places, fit=lambda i: 1.0 if _styled_for(i.element, ask, model) else 0.0)
        chosen = decide(candidates)
        if chosen is None:
            return ask_which(model, candidates, places, f"“{label}”")
        element = chosen.first.element
        if ask.prop != "gradient":
            controls = [e for e in model.elements if e.frame in chosen.first.path and e.tag in ("a", "button")]
            if controls:
                element = controls[-1]
        return element
    low = wish.request.lower()
    if re.search(r"\b(?:page|site|website|body)(?:'s)? background\b|\bbackground of the (?:page|site)\b|"
                 r"\bpage background\b", low):
        bodies = [e for e in model.elements if e.tag in ("body",)]
        if bodies:
            return bodies[0]
        return Question("This site has no <body> element in its components; which element is the page background?")
    landmarks = [e for e in model.elements if e.tag in ("nav", "header", "footer", "section", "main", "div", "aside")
                 and (e.tag != "div" or e.frame.id)]
    wanted = [w for w in wish.scope if w not in colour_words(" ".join(wish.scope)) and w not in (
        "border", "gradient", "link", "links", "sticks", "sticky", "scroll", "see-through", "off-white", "greens")]
    if not wanted:
        return Question("Which part of the site should change colour? Name it (the navbar, the footer) or quote a "
                        "text in it.")
    scored = []
    for element in landmarks:
        place = places.of(_probe(element))
        own = {element.tag, *split_words(element.frame.id), *(w for c in element.frame.classes
                                                              for w in split_words(c))}
        score = place.score(wanted) + (0.5 if element.tag in ("nav", "header", "footer") else 0.0) - \
            0.1 * len(element.path) / 10 + 0.5 * sum(1 for w in wanted if w in own)
        if score >= 0.8:
            scored.append((score, element))
    scored.sort(key=lambda t: -t[0])
    if ask.old_name:  # "the ... card has a purple border": the element whose utility has that colour
        owners = _with_colour(model, ask, places, wanted)
        if owners:
            return owners
    if not scored:
        return Question(f"I could not find the {' '.join(wanted)} on the site; quote a text in it so I can find it.")
    top = scored[0][0]
    best = [e for s, e in scored if s >= top - 0.3]
    distinct = {(e.frame.file, e.frame.start) for e in best}
    if len(distinct) > 1:
        # <header><nav> both read as "the navbar": the one that carries that colour is what a person sees.
        styled = {(e.frame.file, e.frame.start): e for e in best if _styled_for(e, ask, model)}
        nested = all(any(a.frame in b.path or b.frame in a.path for b in best if b is not a) for a in best)
        if len(styled) == 1 and nested:
            return next(iter(styled.values()))
    if len(distinct) > 1:
        shown = "; ".join(f"<{e.tag}{'#' + e.frame.id if e.frame.id else ''}> in {e.frame.file}" for e in best[:4])
        return Question(f"“{' '.join(wanted)}” could be more than one element here ({shown}); which one, and "
                        "which colour exactly (#rrggbb)?")
    return best[0]


def _styled_for(element: Element, ask: Ask, model: SiteModel) -> bool:
    """The element itself carries styling of the kind the request changes (a gradient, a background)."""
    tokens = set(model.styles.tokens) if model.styles is not None else set()
    classes = [t for s in element.class_strs for t, _ in _tokens(s)]
    if ask.prop == "gradient":
        return any("gradient" in c or c.startswith(("from-", "via-", "to-")) for c in classes)
    return any((u := utility(c, tokens)) is not None and u.prefix in PREFIXES[ask.prop] for c in classes)


def _with_colour(model: SiteModel, ask: Ask, places: Places, wanted: list[str]) -> Element | Question | None:
    styles = model.styles
    tokens = set(styles.tokens) if styles is not None else set()
    hue = (ask.old_name or "").split()[-1]
    owners = []
    for element in model.elements:
        for literal in element.class_strs:
            for token, _ in _tokens(literal):
                util = utility(token, tokens)
                if util is not None and util.prefix in PREFIXES[ask.prop] and util.hue == hue and \
                        "dark:" not in util.variants:
                    owners.append(element)
                    break
    scored = sorted(((places.of(_probe(e)).score(wanted) + _text_score(e, wanted), e) for e in owners),
                    key=lambda t: -t[0])
    if not scored or scored[0][0] <= 0:
        return None
    best = [e for s, e in scored if s >= scored[0][0] - 0.3]
    if len({(e.frame.file, e.frame.start) for e in best}) > 1:
        return Question(f"More than one element has a {hue} {ask.prop} there; quote a text inside the one to change.")
    return best[0]


def _text_score(element: Element, wanted: list[str]) -> float:
    """Words of the texts inside the element ("the Pro card": a card that shows "Pro")."""
    texts = {w.lower() for i in element.texts for w in re.findall(r"[\w-]+", i.text)}
    return 0.5 * sum(1 for w in wanted if w in texts)


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


__all__ = ["COLOUR_TOKEN", "Rule", "colour"]
