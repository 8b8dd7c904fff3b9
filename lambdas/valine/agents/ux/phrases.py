"""How people actually type requests: politeness, quotes of every style, several changes in
one sentence, and links written a dozen ways. These helpers turn that into the plain
clauses ``valine.agents.ux.natural`` reads; they never guess a value the request does not contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Curly and straight quotes alike; a value in quotes is taken exactly, without the quotes.
_QUOTE_PAIRS = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb", "`": "`"}
_LEADING = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|so|yo)\b[,!.]?\s*(?:there\s*)?(?:bot|valine)?[,!.]?\s+|"
    r"(?:please|pls|plz|kindly|just|quickly|also)\s+|"
    r"(?:could|can|would|will) you(?: please| kindly| just)?\s+|"
    r"(?:i(?:'d| would) like(?: you)? to|i want(?: you)? to|i need(?: you)? to|we need to|let'?s|"
    r"go ahead and|i'd love(?: you)? to|(?:would|is) it (?:be )?possible to|(?:could|can) we|"
    r"do you mind|would you mind)\s+)+",
    re.IGNORECASE)
_LEADING_WANT = re.compile(r"^(?:i(?:'d| would) like|i want|i need|we want|we'd like)\s+(?=(?:the|a|an|our)\b)",
                           re.IGNORECASE)
# The sentence's own end: politeness, a question mark. A final "!" or "." may belong to the words
# ("Welcome to Valine!") and stays; values in quotes are never touched.
_TRAILING = re.compile(r"(?:[\s,;]+(?:please|pls|plz|thanks|thank you|thx|ty|cheers|for me|asap|if possible|"
                       r"when you can|thanks in advance)\b[\s.!,]*)*[\s?,;:]*$", re.IGNORECASE)
_PATH = r"(?:https://[^\s\"'<>()]+|/[A-Za-z0-9\-._~/%#?=&+]*)"


@dataclass(frozen=True)
class Quoted:
    text: str  # the request with each quoted value replaced by a placeholder
    values: list[str]


def placeholder(i: int) -> str:
    return f"\x00{i}\x00"


def take_quotes(text: str) -> Quoted:
    """Pull out quoted values, in any quote style. An apostrophe inside a word (don't, Valine's)
    is not a quote: an opening quote follows a space or the start, a closing one precedes a
    space, punctuation or the end."""
    values: list[str] = []
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        close = _QUOTE_PAIRS.get(ch)
        starts = close is not None and (i == 0 or not text[i - 1].isalnum())
        if starts:
            j = i + 1
            while j < len(text):
                if text[j] == close and (j + 1 == len(text) or not text[j + 1].isalnum()) and j > i + 1:
                    break
                j += 1
            if j < len(text):
                values.append(text[i + 1:j])
                out.append(placeholder(len(values) - 1))
                i = j + 1
                continue
        out.append(ch)
        i += 1
    return Quoted("".join(out), values)


def restore(text: str, values: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: values[int(m.group(1))], text)


def clean(text: str) -> str:
    """Without politeness and filler around the request (inside quotes nothing is touched)."""
    q = take_quotes(" ".join(text.split()))
    body = _LEADING.sub("", q.text)
    body = _LEADING_WANT.sub("", body)
    body = _TRAILING.sub("", body)
    # A value in quotes keeps its own punctuation; the sentence's final ?/!/. goes.
    return restore(body, [f'"{v}"' for v in q.values]).strip()


_CONNECTOR = re.compile(r"\s*(?:,\s*)?(?:\band then\b|\bthen\b|\band also\b|\band\b|\balso\b|;|,)\s*", re.IGNORECASE)
_CLAUSE_START = re.compile(r"^(?:make|set|change|turn|paint|colou?r|update|replace|rename|give|use|put|have|"
                           r"switch|it|its|the|and|add)\b", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """Split "make the header say 'X' and make it green" into clauses. A split is only where the
    next part starts like a request of its own; words inside quotes are never split."""
    q = take_quotes(text)
    parts: list[str] = []
    last = 0
    for m in _CONNECTOR.finditer(q.text):
        rest = q.text[m.end():]
        if m.start() > last and _CLAUSE_START.match(rest):
            parts.append(q.text[last:m.start()])
            last = m.end()
    parts.append(q.text[last:])
    return [restore(p, [f'"{v}"' for v in q.values]).strip() for p in parts if p.strip()]


@dataclass(frozen=True)
class LinkRequest:
    label: str | None
    href: str
    rest: str  # the words left for finding the section


_LABEL_PATTERNS = [
    re.compile(r"\b(?:called|named|label+ed|titled|saying|with (?:the |a )?(?:label|text|title|name))\s+"
               r"(?P<label>.+?)(?=\s+(?:pointing|going|that|which|linking|to|at|in|on|into|for|under)\b|\s*$)",
               re.IGNORECASE),
    re.compile(r"(?:^|[:,;]\s*)(?:add|insert|put|create|include)\s+(?:a |an |the |another )?(?:new )?"
               r"(?P<label>[^\s\x01][^\x01]*?)\s+(?:link|nav link|menu item|button)s?\b", re.IGNORECASE),
    re.compile(r"(?:^|[:,;]\s*)(?:add|insert|put|create|include)\s+(?:a |an |the )?(?:new )?(?:links?:?\s+)?"
               r"(?P<label>[^\s\x01][^\x01]*?)\s*(?:(?:->|→|=>|:|\bat\b|\bto\b|\bfor\b)\s*)?\x01", re.IGNORECASE),
    re.compile(r"^(?:links?:?\s+)?(?P<label>[^\s\x01][^\x01]*?)\s*(?:->|→|=>|:)\s*\x01", re.IGNORECASE),
    re.compile(r"\b(?:a|an)\s+(?:new\s+)?(?P<label>[^\s\x01][^\x01]*?)\s+link\b", re.IGNORECASE),
]


def find_link(text: str) -> LinkRequest | None:
    """A link addition: a path or https URL plus a label, in any of the usual phrasings
    ("add a Blog link to the header that goes to /blog", "Careers -> /careers",
    "link the header to /contact with the label Contact us", "add an About link (/about)")."""
    q = take_quotes(text)
    m = re.search(rf"\(?(?<![\w/]){_PATH}\)?", q.text)
    if not m:
        return None
    href = m.group(0).strip("()").rstrip(".,;")
    linkish = re.search(r"\blinks?\b|->|→|=>|\bnav(?:igation)? item\b|\bmenu item\b", q.text, re.IGNORECASE) \
        or re.match(rf"^(?:add|insert|put)\b.*?\b(?:at|to|for)\s+{re.escape(m.group(0))}", q.text, re.IGNORECASE)
    if not linkish:
        return None
    marked = q.text[:m.start()] + "\x01" + q.text[m.end():]
    label = None
    if q.values:
        label = q.values[0]
    else:
        for pattern in _LABEL_PATTERNS:
            found = pattern.search(marked)
            if found:
                label = found.group("label")
                break
    rest = marked.replace("\x01", " ")
    if label:
        label = restore(label, q.values)
        label = re.sub(r"^(?:(?:a|an|the|new)\s+|links?\s*:\s*)|\s+(?:link|button)$", "", label.strip(" \"'.,:;()"),
                       flags=re.I)
        label = re.sub(r"\s+(?:to|in|on|into|at)\s+(?:the\s+)?(?:header|footer|nav\s?bar|navigation|menu)$", "",
                       label, flags=re.IGNORECASE).strip()
        if not label or ":" in label or re.fullmatch(r"(?:a|an|the|new|link|links|header|footer|navbar|nav)", label,
                                                      re.I):
            label = None
    if label:
        rest = rest.replace(label, " ")
    return LinkRequest(label=label, href=href, rest=restore(rest, q.values))
