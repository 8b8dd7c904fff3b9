"""Colours, in the site's own styling system: a theme token (Tailwind v4 ``@theme``, shadcn's HSL
variables, ``tailwind.config``), a colour the stylesheets use everywhere, or one element's colour
through its Tailwind utilities (variants such as ``dark:`` left alone, and said so) or the CSS rules
that select it. A colour name that could be several shades is asked about, not guessed."""

from __future__ import annotations

import re

from valine.agents.ux.choose import ask_which, decide, rank, same
from valine.agents.ux.colour_wish import PREFIXES, Ask, read_colour
from valine.agents.ux.proposal import Proposal, Question, Result
from valine.agents.ux.recolour import _probe, _recolour, _tokens
from valine.agents.ux.wish import Wish
from valine.agents.ux.wish_words import colour_words
from valine.site.colours import hex_of, hsl_triplet, rewrite_like, same_colour_as, utility
from valine.site.model import SiteModel
from valine.site.places import Places, split_words
from valine.site.render import Element
from valine.site.styles import COLOUR_TOKEN, HSL_TRIPLET, Rule
from valine.site.writing import Splice, written


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


__all__ = ["COLOUR_TOKEN", "Rule", "colour"]
