"""What a colour request asks for: which property (background, text, border), which colour, in
which state, and whether the whole site's token or one element."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from valine.agents.ux.wish import Wish
from valine.agents.ux.wish_words import colour_words

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
