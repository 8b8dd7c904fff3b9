"""What a person asked for, read from the request without knowing the site yet.

A request is an operation (change words, replace a phrase, add or remove a link or an entry,
change a colour, an attribute, a price, rename the brand), the words it quotes (which are old
and which are new), where it says (the hero, the pricing cards, the footer's Docs column), what
kind of thing it names (a heading, a button, a link), and any URL, colour, position or price.
``valine.agents.ux.targets`` then finds those on the site. Nothing is guessed here: a part the
request does not contain stays empty, and the resolver asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from valine.agents.ux.phrases import clean, take_quotes
from valine.agents.ux.wish_words import _COLOUR_NAMES, _colour_words, attr_in, ordinals_in

HEX = re.compile(r"(?<![\w#])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
URL = re.compile(r"(?:https?://[^\s\"'<>()]+[^\s\"'<>().,;!?]|(?<![\w.])/[A-Za-z0-9\-._~/%#?=&+@]*[A-Za-z0-9\-_~/%#=&+@]"
                 r"|\bmailto:[^\s\"'<>]+)")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PRICE = re.compile(r"\$\s?(\d+(?:[.,]\d+)?)")
ROLES: list[tuple[str, str]] = [  # (role, pattern), most specific first
    ("tab-title", r"(?:browser )?tab title|page titles?|<title>|meta(?:data)? titles?|title tag"),
    ("description", r"meta(?:data)? description|page description|seo description"),
    ("copyright", r"copyright(?: line| notice| text| year)?|all rights reserved|legal line|fine print"),
    ("image", r"image|photo|picture|screenshot|illustration|logo images?|avatar|icon"),
    ("button", r"button|cta|call[- ]to[- ]action"),
    ("link", r"links?|menu items?|nav(?:igation)? items?|menu entr(?:y|ies)|tab|pill|badge"),
    ("label", r"label|caption"),
    ("subtitle", r"sub-?title|sub-?heading|subtitle|tagline|description|intro(?:duction)?(?: text)?|blurb|"
                 r"paragraph|lede|lead text|body text|text under|copy under|summary"),
    ("heading", r"headline|heading|title|header text|hero text"),
    ("question", r"questions?|faqs?|q&a"),
    ("placeholder", r"placeholder"),
]
SCOPE_STOP = {"the", "a", "an", "our", "my", "your", "its", "it", "this", "that", "these", "those", "of", "on", "in",
              "at", "to", "for", "from", "with", "and", "or", "by", "under", "above", "below", "inside", "into",
              "page", "site", "website", "section", "part", "area", "block", "please", "now", "still", "all",
              "every", "each", "one", "ones", "only", "just", "so", "it's", "is", "are", "be", "should", "say",
              "says", "read", "reads", "make", "change", "set", "rename", "replace", "update", "switch", "turn",
              "instead", "new", "old", "current", "currently", "text", "words", "wording", "copy", "also",
              "there", "here", "we", "we're", "us", "you", "me", "i", "they", "them", "their", "his", "her", "has",
              "have", "which", "what", "where", "when", "who", "how", "not", "no", "yes", "s", "main", "top",
              "bottom", "left", "right", "same", "like", "as", "than", "then", "onto", "add", "remove",
              "delete", "drop", "take", "out", "off", "get", "rid", "put", "point", "points", "pointing", "go",
              "goes", "going", "link", "links", "item", "items", "entry", "entries", "open", "opens", "opening",
              "tab", "called", "named", "labelled", "labeled", "titled", "everywhere", "across", "whole",
              "visible", "see", "sees", "users", "user", "people", "visitors", "show", "shows", "showing",
              "display", "displays", "typo", "fix", "wrong", "mistake", "spelled", "spelling", "leave",
              "keep", "stays", "stay", "yearly", "monthly", "month", "year", "plain", "solid", "mode",
              "light", "dark", "colour", "color", "background", "want", "need", "would", "could",
              "can", "let's", "do", "does", "did", "was", "were", "been", "being", "after", "before",
              "between", "next", "home", "we've", "they're", "own", "any", "first", "second", "third", "fourth",
              "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last", "two", "three", "four", "five"}


@dataclass(frozen=True)
class Wish:
    op: str  # text | phrase | attr | link_add | remove | entry_add | colour | brand | price | list_set | retarget
    #           | new_tab | ask | refuse
    request: str
    old: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    role: str | None = None
    attr: str | None = None
    urls: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    ordinal: int | None = None
    ordinals: tuple[int, ...] = ()
    after: str | None = None
    everywhere: bool = False
    new_tab: bool = False
    prices: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # the request's plain words, quotes removed (for scoring)
    why: str = ""  # for ask/refuse: what to tell the person
    extra: dict[str, str] = field(default_factory=dict)

    def but(self, **changes: object) -> Wish:
        return replace(self, **changes)  # type: ignore[arg-type]


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9][a-z0-9'&.+-]*", text.lower()) if w]


def scope_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` that can name a place on the site (not verbs, articles or roles)."""
    # Role words are not places, except those that also name a section ("the FAQ").
    roles = re.compile("|".join(rf"\b(?:{p})\b" for r, p in ROLES if r != "question"), re.I)
    plain = roles.sub(" ", text)
    out = []
    for word in _words(plain):
        word = word.strip(".'")
        if word.endswith("'s"):
            word = word[:-2]
        if word and word not in SCOPE_STOP and not word.isdigit() and len(word) > 1:
            out.append(word)
    return tuple(dict.fromkeys(out))


def role_in(text: str) -> str | None:
    for role, pattern in ROLES:
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            return role
    return None


_OLD_NEW = [
    # "change "A" to "B"", "rename "A" ... to "B"", "replace "A" with "B"", ""A" should be "B""
    re.compile(r"\x000\x00.*?\b(?:to|into|with|as|by|->|→|=>|should (?:be|say|read)|must (?:be|say|read)|"
               r"instead of|now|becomes?|reads?)\b.*?\x001\x00", re.I | re.S),
]


def read(request: str) -> Wish:
    """The parts of a request; ``op`` is a first guess that the resolver can still refine."""
    text = clean(request)
    q = take_quotes(text)
    bare = q.text  # quotes replaced by \x00i\x00
    quotes = q.values
    plain = re.sub(r"\x00\d+\x00", " ", bare)
    low = plain.lower()
    urls = tuple(dict.fromkeys(m.group(0) for m in URL.finditer(plain)))
    colours = tuple(dict.fromkeys(m.group(0).lower() for m in HEX.finditer(text)))
    prices = tuple(m.group(1) for m in PRICE.finditer(text))
    ords = ordinals_in(plain)
    wish = Wish(op="text", request=text, scope=scope_words(_strip_urls(plain)), role=role_in(plain),
                attr=attr_in(plain), urls=urls, colours=colours, ordinal=ords[0] if ords else None,
                ordinals=ords, prices=prices, words=tuple(_words(plain)),
                everywhere=bool(re.search(r"\b(?:everywhere|across the (?:whole )?site|site-?wide|all pages|"
                                          r"every page|wherever|throughout)\b", low)),
                new_tab=bool(re.search(r"\bnew (?:tab|window)\b|\btarget=?\"?_blank", low)))
    roles = _quote_roles(bare, len(quotes))
    anchors = tuple(quotes[i] for i, r in enumerate(roles) if r == "anchor")
    after = next((quotes[i] for i, r in enumerate(roles) if r == "after"), None)
    if after is None:
        m = re.search(r"\b(?:right |just |directly )?after (?:the )?([A-Z][\w&.-]*(?: [A-Z][\w&.-]*)*)", bare)
        after = m.group(1) if m else None
    rest = [i for i, r in enumerate(roles) if r == "value"]
    old, new = _old_and_new(bare, quotes, rest)
    if not quotes or not new:
        quoted_old = old
        old, new = _unquoted(plain, old, new)
        if quoted_old and new and old != quoted_old:  # change the "User Active" stat from 3800+ to 5000+
            anchors = (*anchors, *quoted_old)
    extra = {"anchors": "\x1f".join(anchors)} if anchors else {}
    keep = [quotes[i] for i, r in enumerate(roles) if r == "keep"]
    if keep:
        extra["keep"] = "\x1f".join(keep)
    wish = wish.but(old=old, new=new, after=after, extra=extra)
    return _operation(wish, bare, low)


def _strip_urls(text: str) -> str:
    return URL.sub(" ", HEX.sub(" ", text))


def _quote_roles(bare: str, count: int) -> list[str]:
    """Each quote's part in the sentence: anchor (says where: under "Our Services"), after (a position),
    keep (keep the gradient on "X"), or value (old or new words)."""
    roles = []
    for i in range(count):
        marker = f"\x00{i}\x00"
        before = bare.split(marker, 1)[0].lower().rstrip()
        if re.search(r"\b(?:right |just |directly )?(?:after|before|below|following)\s*(?:the)?$", before):
            roles.append("after")
        elif re.search(r"\bkeep\b[^\x00]*$", before) and i > 0:
            roles.append("keep")
        elif re.search(r"\b(?:under|beneath|underneath|inside|within|near|next to|above|in the|on the|in|on)\s*"
                       r"(?:the)?$", before) and not re.search(r"\b(?:replace|change|rename|swap)\b[^\x00]*$",
                                                               before[-40:]):
            roles.append("anchor")
        else:
            roles.append("value")
    # Everything anchors: the words after the last anchor are what changes ("in "X" change it to ...").
    if roles and all(r != "value" for r in roles) and roles[-1] == "anchor":
        roles[-1] = "value"
    return roles


def _old_and_new(bare: str, quotes: list[str], idx: list[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which quoted values are the words on the site now, and which the new ones."""
    if not idx:
        return (), ()
    low = bare.lower()
    first = f"\x00{idx[0]}\x00"
    adding = re.search(r"^\s*(?:add|insert|create|include|put|append)\b", low)
    if len(idx) >= 2 and not adding:
        between = low.split(first, 1)[1].split(f"\x00{idx[1]}\x00", 1)[0]
        if re.search(r"\b(?:to|into|with|as|by|now|becomes?|reads?|instead)\b|->|→|=>|should|must|make (?:it|them)|"
                     r"\bset (?:it|them)\b|;", between):
            return (quotes[idx[0]],), tuple(quotes[i] for i in idx[1:])
        return (), tuple(quotes[i] for i in idx)
    if adding:
        return (), tuple(quotes[i] for i in idx)
    before = low.split(first, 1)[0].rstrip()
    after_quote = low.split(first, 1)[1] if first in low else ""
    if re.search(r"\b(?:still|currently|now|already)\s+(?:says?|reads?|shows?|is|are)\s*[:=]?$", before) or \
            re.search(r"\b(?:has|have|with)\s+(?:an?\s+)?[\w-]*\s*=$", before):
        return (quotes[idx[0]],), ()
    if re.search(r"(?:\b(?:to|into|as|with|say|says|saying|read|reads|be|becomes?|called|named|titled|"
                 r"labelled|labeled)\b|[:=]|->|→|=>)$", before) and not re.search(r"\bfrom$", before):
        return (), (quotes[idx[0]],)
    if re.search(r"^\s*(?:to|into|with|as|should|must|is|are|has|in|,|;|—|-|menu|link|button|item|feature|"
                 r"section|heading|title|text|label|entry|plan|card)", after_quote) or \
            re.search(r"\b(?:remove|delete|drop|rename|replace|change|update|edit|the|from|of)$", before):
        return (quotes[idx[0]],), ()
    return (quotes[idx[0]],), ()


def _unquoted(plain: str, old: tuple[str, ...], new: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Old and new words written without quotes: "from Startup to Launchpad", "still says 2023, make it 2025",
    "his job should be Platform Engineer at Acme"."""
    text = plain.strip().rstrip(".!")
    m = re.search(r"\bfrom\s+(?P<old>[^,;]+?)\s+to\s+(?P<new>[^,;]+?)"
                  r"(?:\s+(?:across|everywhere|on|in|throughout)\b.*)?$", text, re.I)
    if m and not new and m.group("old").strip() and m.group("new").strip():
        return (m.group("old").strip(),), (m.group("new").strip(),)
    m = re.search(r"\b(?:still\s+)?(?:says|reads|shows)\s+(?P<old>[^,;]+?)\s*[,;]\s*(?:please\s+)?(?:make|change|set|"
                  r"update)\s+(?:it|that|this)\s+(?:to\s+)?(?P<new>.+)$", text, re.I)
    if m:
        return (m.group("old").strip(),), (m.group("new").strip(),)
    m = re.search(r"\b(?:should|must)\s+(?:be|say|read)\s+(?P<new>.+)$", text, re.I)
    if m and not new:
        return old, (m.group("new").strip(),)
    return old, new


def _operation(wish: Wish, bare: str, low: str) -> Wish:
    """The first guess at the operation, from the verbs and the parts found."""
    removing = re.search(r"\b(?:remove|delete|drop|take\b.*\bout|get rid of|hide|cut|strike|lose)\b", low)
    adding = re.match(r"^\s*(?:please\s+)?(?:add|insert|create|include|put|append|introduce)\b", low) or \
        re.search(r"\b(?:add|insert|append)\b.*\b(?:to|in|into|under|after|before)\b", low)
    if wish.prices and re.search(r"\b(?:plan|tier|price|pricing|costs?|month|year|monthly|yearly|/mo)\b", low):
        return wish.but(op="price")
    if re.search(r"\b(?:brand|product|company|site name|app name)\b", low) and \
            re.search(r"\b(?:rename|renaming|change|call)\b", low) or (wish.everywhere and wish.old and wish.new):
        return wish.but(op="brand")
    colourful = re.search(r"\b(?:colou?rs?|background|bg|border|gradient|tint|shade|dark|light|see-through|"
                          r"transparent|solid|fill|primary|accent)\b", low) or \
        re.search(r"\b(?:make|turn|paint|switch)\b.*\b(?:" + "|".join(_COLOUR_NAMES) + r")\b", low)
    if (wish.colours or _colour_words(low)) and colourful or \
            (wish.colours and re.search(r"^\s*(?:please\s+)?(?:make|turn|paint)\b", low)):
        return wish.but(op="colour")
    if EMAIL.search(wish.request) and re.search(r"\b(?:e-?mail|contact|address|mail)\b", low) and not adding \
            and not removing:
        return wish.but(op="email")
    if wish.new_tab and not wish.new and not adding:
        return wish.but(op="new_tab")
    if adding and (wish.role == "link" or re.search(r"\b(?:to|in|into) the (?:top |main )?(?:menu|nav|navbar|"
                                                     r"navigation|header|footer)\b", low)) and wish.urls:
        return wish.but(op="link_add")
    if re.search(r"^\s*(?:please\s+)?(?:move|swap|reorder|re-order)\b", low):
        return wish.but(op="move")
    if removing:
        return wish.but(op="remove")
    if adding:
        return wish.but(op="entry_add")
    if re.search(r"\bset\b.*\b(?:list|items|bullets|points)\b.*:", low) or \
            re.search(r"\b(?:list|bullets)\b.*\bto:", low):
        return wish.but(op="list_set")
    if wish.urls and re.search(r"\b(?:point|points|link|links|goes|go|lead|leads|send|sends|redirect|target|"
                               r"href|url|scroll|jump|set)\b", low):
        return wish.but(op="retarget")
    if wish.attr and (wish.new or re.search(r"\buse (?:each|every|the)\b", low)):
        return wish.but(op="attr")
    if wish.old and wish.new:
        return wish.but(op="phrase")
    return wish


