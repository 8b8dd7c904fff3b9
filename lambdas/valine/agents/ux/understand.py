"""From a request to a proposal or a question, on the site model: read the request (``wish``), then
let the operation's handler find its target and write the edit. A wrong preview is worse than a
question, so every handler asks when it is not sure, and says plainly what it cannot do yet."""

from __future__ import annotations

import re
from collections.abc import Callable

from valine.agents.ux import (
    edit_brand,
    edit_colour,
    edit_links,
    edit_list_add,
    edit_lists,
    edit_order,
    edit_phrase,
    edit_prices,
    edit_text,
)
from valine.agents.ux.proposal import Proposal, Question, Result
from valine.agents.ux.wish import Wish, read, scope_words
from valine.site.model import SiteModel
from valine.site.places import Places

Handler = Callable[[Wish, SiteModel, Places, "str | None"], Result]

STRUCTURED_ROLES = {"title": "heading", "heading": "heading", "headline": "heading", "hero-text": "heading",
                    "description": "subtitle", "subtitle": "subtitle", "paragraph": "subtitle", "intro": "subtitle",
                    "text": None, "button": "button", "cta": "button", "cta-text": "button", "label": "label",
                    "alt": "image"}
_STRUCTURED = re.compile(r'^\s*section:\s*(?P<section>[\w-]+)\s+(?P<prop>[\w-]+):\s*(?:"(?P<q>(?:[^"\\]|\\.)*)"|'
                         r"(?P<bare>.+))\s*$", re.S)


def _handlers() -> dict[str, Handler]:
    return {"text": edit_text.text, "phrase": edit_phrase.phrase, "attr": edit_links.attribute,
            "retarget": edit_links.retarget, "new_tab": edit_links.new_tab, "remove": edit_lists.remove,
            "entry_add": edit_list_add.entry_add, "list_set": edit_lists.list_set, "price": edit_prices.price,
            "brand": edit_brand.brand, "colour": edit_colour.colour, "link_add": edit_list_add.entry_add,
            "email": edit_links.email, "move": edit_order.move}


def structured(request: str) -> Wish | None:
    """``section:hero description:"..."`` as a wish (the structured grammar, on any site)."""
    m = _STRUCTURED.match(request)
    if not m:
        return None
    prop = m.group("prop").lower()
    value = (m.group("q") if m.group("q") is not None else m.group("bare") or "").replace('\\"', '"').strip()
    section = m.group("section").lower()
    if prop in ("color", "colour", "background"):
        return read(f"make the {section} {value}").but(op="colour")
    if prop in ("links", "link"):
        label, _, href = value.partition(":")
        return read(f'add a "{label}" link to the {section} pointing to {href}')
    wish = Wish(op="text", request=request, new=(value,), scope=scope_words(section.replace("-", " ")),
                role=STRUCTURED_ROLES.get(prop, "heading"), words=tuple(section.split("-")) + (prop,))
    if prop == "alt":
        wish = wish.but(op="attr", attr="alt")
    return wish


def understand(request: str, model: SiteModel, *, pick: str | None = None,
               named: dict[str, tuple[str, ...]] | None = None) -> Result:
    """``named``: the catalog's section names and aliases by file, when the repository has a catalog."""
    wish = structured(request) or read(request)
    places = Places(model, named)
    refusal = _cannot(wish, model, places)
    if refusal is not None:
        return refusal
    handler = _handlers().get(wish.op)
    if handler is None:
        return Question("I could not tell what to change. Quote the words that are there now and the new ones, "
                        'e.g. change "Get started" to "Start free".')
    if wish.op == "text" and wish.old and not wish.new:
        return Question(f"What should “{wish.old[0]}” become? Put the new words in quotes, e.g. change "
                        f"\"{wish.old[0]}\" to \"...\".")
    result = handler(wish, model, places, pick)
    if isinstance(result, Proposal):
        result.notes.extend(_other_languages(result, model))
    return result


def _other_languages(proposal: Proposal, model: SiteModel) -> list[str]:
    """An edit of one language's message file: the other languages keep their words, and say so."""
    from valine.site.values import LOCALE_FILE

    edited = {s.file for s in proposal.splices if LOCALE_FILE.search(s.file)}
    others = sorted(p for p in model.files if LOCALE_FILE.search(p) and p not in edited)
    if not edited or not others:
        return []
    return [f"Only {', '.join(sorted(edited))} changes; {', '.join(others[:4])} keep their words (translate them "
            "too if the other languages should say it)."]


SHAPE = re.compile(r"\b(?:round(?:er|ed)|square(?:r)?|bigger|larger|smaller|tinier|wider|narrower|taller|shorter|"
                   r"thicker|thinner|bold(?:er)?|italic|underlined?|more padding|less padding|more space|less space|"
                   r"(?:more|less) spac(?:ing|ed)|(?:font|text) size|a different font|another font|centered|"
                   r"cent(?:er|re)d?|left-aligned|right-aligned|animated|a shadow|sticky)\b")


def _cannot(wish: Wish, model: SiteModel, places: Places) -> Question | None:
    """What the agent cannot do yet, said plainly with what it can do instead."""
    low = wish.request.lower()
    if re.search(r"\blogo\b", low) and re.search(r"\b(?:says?|read|text|word|letter|name)\b", low) and \
            wish.op in ("text", "brand", "phrase"):
        logos = [e for e in model.elements if e.tag == "img" and re.search(r"logo", " ".join(
            s.value for s in _srcs(e)), re.I)]
        if logos or not [i for i in model.items if "logo" in i.text.lower()]:
            files = sorted({s.value for e in logos for s in _srcs(e)})
            shown = f" ({', '.join(files[:3])})" if files else ""
            return Question(f"The logo is an image{shown}, so its lettering cannot be changed with a text edit: a "
                            "designer needs to make a new logo file. I can change its alt text, or the site name "
                            "written as text.", outcome="unsupported")
    shape = SHAPE.search(low)
    if shape and not wish.new and not wish.colours and wish.op in ("text", "phrase", "attr"):
        return Question(f"Making things {shape.group(0)} changes sizes, shapes, spacing or fonts, which I cannot do "
                        "yet: I change words, links, list entries, alt texts and colours. A developer can change "
                        "that; or tell me the words or the colour to change.", outcome="unsupported")
    if not wish.new and not wish.old and wish.op in ("text", "phrase") and not wish.colours and \
            re.search(r"^\s*(?:update|change|edit|fix|improve|rewrite|redo|refresh)\b", low):
        what = " ".join(wish.scope) or "it"
        return Question(f"What should change on {what}? Quote the words there now and the new ones, e.g. on the "
                        f"{what} page change \"Old heading\" to \"New heading\".")
    return None


def _srcs(element: object) -> list:
    from valine.site.values import Str

    attrs = getattr(element, "attrs", {})
    return [v for k, v in attrs.items() if k == "src" and isinstance(v, Str)]


__all__ = ["Proposal", "Question", "understand"]
