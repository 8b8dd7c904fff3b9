"""A name the site uses everywhere (the brand, the product): every visible occurrence, in every file,
in one pull request; addresses, URLs and package names are left alone."""

from __future__ import annotations

import re

from valine.agents.ux.choose import line_of
from valine.agents.ux.edit_text import visible
from valine.agents.ux.proposal import Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.render import Item
from valine.site.writing import Splice, WriteError, phrase_text

MAX_LISTED = 8


def variants(name: str) -> re.Pattern[str]:
    """The name as written, and shortened spellings of its longer words ("React Land Page" for
    "React Landing Page"), as whole words."""
    parts = []
    for word in name.split():
        if len(word) >= 6 and word.isalpha():
            parts.append(re.escape(word[:4]) + "(?:" + "|".join(re.escape(word[4:k]) for k in range(len(word), 4, -1))
                         + ")?")
        else:
            parts.append(re.escape(word))
    return re.compile(r"(?<![\w@./-])" + r"\s+".join(parts) + r"(?![\w@-]|\.[a-z])")


def _is_address(text: str) -> bool:
    return bool(re.fullmatch(r"\S+@\S+|(?:https?://|www\.|/)\S*|[\w.-]+\.(?:com|io|dev|app|net|org)\S*", text.strip()))


def brand(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    if not wish.old or not wish.new:
        return Question("Rename what to what? For example: rename \"Acme\" to \"Launchpad\" everywhere.")
    old, new = wish.old[0], wish.new[0]
    pattern = variants(old)
    only_titles = wish.role == "tab-title"
    pool: list[Item] = [i for i in visible(model, attrs=("alt", "aria-label", "title", "content", "label"))
                        if pattern.search(i.text) and not _is_address(i.text)]
    if only_titles:
        pool = [i for i in pool if i.element.tag == "title"]
    else:
        pool += _data_literals(model, pattern, {i.source.key for i in pool})
    if not pool:
        return Question(f"I could not find “{old}” anywhere a visitor reads it.")
    by_source = {i.source.key: i for i in pool}
    if len(old.split()) == 1 and old[:1].isupper() and _generic(old, list(by_source.values())):
        listed = "\n".join(f"- {i.source.file}:{line_of(model, i.source)}: “{i.text[:70]}”"
                           for i in list(by_source.values())[:MAX_LISTED])
        return Question(f"“{old}” is also an ordinary word here, so some of these may not be the name:\n{listed}\n"
                        f"Quote the exact phrases to rename (e.g. \"{old} is free\"), or say \"only where it is the "
                        "name\" and list them.")
    splices = []
    for item in by_source.values():
        raw = item.source.value if item.source.kind in ("text", "html", "md", "yaml", "fragment") else \
            (item.source.node.text.decode() if item.source.node is not None and item.source.node.text else "")
        base = item.source.start
        try:
            replacement = phrase_text(item.source, new)
        except WriteError as exc:
            return Question(f"I cannot write “{new}” into {item.source.file}: {exc}.")
        for m in pattern.finditer(raw):
            start = base + len(raw[:m.start()].encode("utf-8"))
            splices.append(Splice(item.source.file, start, start + len(m.group(0).encode("utf-8")), replacement))
    files = sorted({s.file for s in splices})
    notes = [f"{len(splices)} occurrence(s) in {len(files)} file(s): " + ", ".join(files[:MAX_LISTED]) +
             (" …" if len(files) > MAX_LISTED else "")]
    logos = [e for e in model.elements if e.tag == "img" and "logo" in " ".join(
        getattr(v, "value", "") for k, v in e.attrs.items() if k in ("src", "alt")).lower()]
    if logos:
        notes.append("The logo is an image and keeps the old name: a new logo file is needed.")
    return Proposal(splices, f"site: “{old}” → “{new}” everywhere", "site",
                    {"op": "brand", "old": old, "new": new, "files": files}, notes)


NOT_WORDS = ("id", "key", "slug", "href", "url", "path", "src", "image", "img", "icon", "classname", "class",
             "email", "mail", "mailsupport", "github", "twitter", "repo", "repository", "package", "route", "variant",
             "type", "value", "locale", "lang", "domain", "host")


def _data_literals(model: SiteModel, pattern: re.Pattern[str], known: set[tuple[str, int, int]]) -> list[Item]:
    """Strings in the site's own data modules that hold the name (``siteConfig.description`` feeds the
    pages' meta tags without being rendered): under keys that name words, not addresses or ids."""
    from valine.site.content import _element
    from valine.site.syntax import property_name, string_value, walk
    from valine.site.values import Str

    out: list[Item] = []
    for path in sorted(model.reached):
        module = model.evaluator.modules.get(path)
        if module is None or path.endswith(".json") and path.endswith(("package.json", "tsconfig.json")):
            continue
        src = module.source
        for node in walk(src.root):
            if node.type != "string" or node.parent is None or node.parent.type != "pair":
                continue
            key = (property_name(src, node.parent.child_by_field_name("key")) or "").lower()
            if node.parent.child_by_field_name("value") != node or key in NOT_WORDS:
                continue
            value = string_value(src, node) or ""
            literal = Str(path, src.start(node), src.end(node), value, "string", node)
            if literal.key in known or not pattern.search(value) or _is_address(value):
                continue
            element = _element(path, "meta", "/", section="config")
            out.append(Item(" ".join(value.split()), literal, "content", element, "/", False, ()))
    return out


def _generic(word: str, items: list[Item]) -> bool:
    """A capitalised ordinary word (Startup, Home) also used as a word, not only as a name."""
    low = word.lower()
    common = re.search(rf"\b(?:for|a|an|the|our|your|of|to)\s+{re.escape(word)}\b(?:\s*[&,]|\s+and\b)",
                       " | ".join(i.text for i in items))
    return bool(common) or low in ("home", "blog", "about", "contact", "pricing", "features")
