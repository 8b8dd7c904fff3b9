"""Colours as a site writes them: hex, rgb()/hsl(), CSS names, shadcn's bare HSL triplets, and
Tailwind utilities (``bg-black``, ``hover:bg-black/90``, ``bg-[#14532d]``, ``border-purple-400``,
``from-indigo-500``), with the conversions between them."""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

TAILWIND_HUES = ("slate", "gray", "zinc", "neutral", "stone", "red", "orange", "amber", "yellow", "lime", "green",
                 "emerald", "teal", "cyan", "sky", "blue", "indigo", "violet", "purple", "fuchsia", "pink", "rose")
TAILWIND_PLAIN = ("black", "white", "transparent", "current", "inherit")
COLOUR_PREFIXES = ("bg", "text", "border", "border-t", "border-r", "border-b", "border-l", "border-x", "border-y",
                   "ring", "ring-offset", "outline", "fill", "stroke", "from", "via", "to", "decoration", "divide",
                   "placeholder", "accent", "caret", "shadow")
_CLASS = re.compile(r"^(?P<variants>(?:[\w\[\]&*=.:>/@-]+?:)*)(?P<important>!?)(?P<prefix>"
                    + "|".join(sorted((re.escape(p) for p in COLOUR_PREFIXES), key=len, reverse=True))
                    + r")-(?P<colour>\[[^\]]+\]|[a-z]+(?:-[a-z]+)*?(?:-\d{2,3})?)(?:/(?P<alpha>\d{1,3}|\[[^\]]+\]))?"
                    r"(?P<bang>!?)$")
NAMED = {"white": "#ffffff", "black": "#000000", "off-white": "#fcfcfc", "light grey": "#f6f6f6",
         "light gray": "#f6f6f6", "grey": "#808080", "gray": "#808080", "navy": "#000080", "teal": "#008080",
         "red": "#ff0000", "green": "#008000", "blue": "#0000ff", "purple": "#800080"}
UNAMBIGUOUS = ("white", "black", "transparent")


@dataclass(frozen=True)
class Utility:
    """One Tailwind colour utility: ``hover:bg-black/90`` is variants "hover:", prefix bg, colour black, alpha 90."""

    text: str
    variants: str
    prefix: str
    colour: str
    alpha: str | None

    @property
    def hue(self) -> str | None:
        name = self.colour.rsplit("-", 1)[0] if re.search(r"-\d{2,3}$", self.colour) else self.colour
        return name if name in TAILWIND_HUES else None

    @property
    def shade(self) -> str | None:
        m = re.search(r"-(\d{2,3})$", self.colour)
        return m.group(1) if m else None

    def with_colour(self, colour: str, *, alpha: str | None | bool = True) -> str:
        keep = self.alpha if alpha is True else (alpha or None)
        return f"{self.variants}{self.prefix}-{colour}" + (f"/{keep}" if keep else "")


def utility(token: str, tokens: set[str] | None = None) -> Utility | None:
    """The colour utility ``token`` is, or None (``text-lg``, ``border-2`` and ``bg-cover`` are not colours)."""
    m = _CLASS.match(token)
    if not m:
        return None
    colour = m.group("colour")
    base = colour.rsplit("-", 1)[0] if re.search(r"-\d{2,3}$", colour) else colour
    is_colour = colour.startswith("[") and bool(re.match(r"\[(?:#|rgb|hsl|oklch|color:|var\()", colour)) or \
        base in TAILWIND_HUES or colour in TAILWIND_PLAIN or colour in (tokens or set())
    if not is_colour:
        return None
    return Utility(token, m.group("variants"), m.group("prefix"), colour, m.group("alpha"))


def hex_of(text: str) -> str | None:
    """#rrggbb for a hex, rgb()/rgba() or a known name; None otherwise."""
    t = text.strip().lower()
    m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})(?:[0-9a-f]{2})?", t)
    if m:
        digits = m.group(1)
        return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)
    m = re.fullmatch(r"rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)(?:\s*[,/]\s*[\d.]+%?)?\s*\)", t)
    if m:
        return "#" + "".join(f"{int(g):02x}" for g in m.groups())
    return NAMED.get(t)


def rgb(hexed: str) -> tuple[int, int, int]:
    return int(hexed[1:3], 16), int(hexed[3:5], 16), int(hexed[5:7], 16)


def hsl_triplet(hexed: str) -> str:
    """shadcn's CSS variable form: "243.4 75.4% 58.6%" (no hsl() around it)."""
    r, g, b = (c / 255 for c in rgb(hexed))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    return f"{_num(h * 360)} {_num(s * 100)}% {_num(lightness * 100)}%"


def _num(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def same_colour_as(written: str, hexed: str) -> bool:
    """``written`` (hex, rgb(a), name) is ``hexed`` whatever its alpha."""
    found = hex_of(written)
    return found is not None and found == hexed


def rewrite_like(written: str, new_hex: str) -> str:
    """The new colour written the way the old one was: #hex stays hex (same case), rgba keeps its alpha."""
    t = written.strip()
    m = re.fullmatch(r"(rgba?)\(\s*\d+([\s,]+)\d+[\s,]+\d+(?P<alpha>\s*[,/]\s*[\d.]+%?)?\s*\)", t, re.I)
    if m:
        r, g, b = rgb(new_hex)
        sep = ", " if "," in m.group(2) else " "
        return f"{m.group(1)}({r}{sep}{g}{sep}{b}{m.group('alpha') or ''})"
    if t.startswith("#") and t[1:].isupper():
        return new_hex.upper()
    return new_hex
