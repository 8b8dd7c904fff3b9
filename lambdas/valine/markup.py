"""What a user typed, made inert where it is shown: GitHub Markdown (PR bodies) and Discord
messages. Nothing a request contains may become a heading, list, checkbox, code fence,
image, link or mention in our own messages, or close the formatting around it.
"""

from __future__ import annotations

import re

_BACKTICKS = re.compile(r"`+")
# Characters Discord's Markdown acts on, escaped with a backslash (Discord shows the character).
_DISCORD_ACTIVE = re.compile(r"([\\*_~`|>\[\]()<@])")
# Headings and lists only start a line; "#0000ff" in the middle of a sentence stays as typed.
_LINE_START = re.compile(r"(?m)^(\s*)(#{1,3}|[-+]|\d+\.)(?=\s)")


def _longest_backtick_run(text: str) -> int:
    return max((len(m) for m in _BACKTICKS.findall(text)), default=0)


def fence(text: str, info: str = "") -> str:
    """A fenced code block the text cannot close: CommonMark closes a fence only with a run of
    at least as many backticks, so the fence is one longer than any run inside. Nothing in a
    code block renders, links or mentions anyone on GitHub."""
    ticks = "`" * max(3, _longest_backtick_run(text) + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def code_span(text: str) -> str:
    """Inline code that holds any text on one line (CommonMark code spans, same rule)."""
    flat = " ".join(text.split())
    ticks = "`" * (_longest_backtick_run(flat) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def discord_text(text: str, *, one_line: bool = True) -> str:
    """User text inside a Discord message: every Markdown character escaped, so it cannot form
    bold, code blocks, quotes, headings, lists, masked links or mention pills."""
    if one_line:
        text = " ".join(text.split())
    return _LINE_START.sub(r"\1\\\2", _DISCORD_ACTIVE.sub(r"\\\1", text))


def shown(text: str) -> str:
    """What Discord displays for escaped text: each backslash-escaped character as itself."""
    return re.sub(r"\\(.)", r"\1", text)


def discord_code_block(text: str, info: str = "") -> str:
    """A Discord code block for text that may itself hold backtick fences: Discord ends a block
    at the next triple backtick whatever its length, so backticks inside are shown as ˋ."""
    shown = text.replace("`", "\u02cb") if "```" in text else text
    return f"```{info}\n{shown}\n```"
