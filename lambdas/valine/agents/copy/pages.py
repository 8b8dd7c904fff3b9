"""The copy agent's domain: which pages it may edit, how a request reads, and the edit.

The content catalog is data, like the UX catalog: ``pages.json`` beside this file, or
``.valine/content.json`` in the target repository. The agent edits only files it names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from valine.agents.copy.markdown import CODE, FRONT_MATTER, WHERE, region_of, regions, written_problem
from valine.core.work import Ask, Rewritten
from valine.site.safety import check_text, inside_repository, named_objects

REPO_CONTENT_PATH = ".valine/content.json"
MAX_WORDS = 300
# Characters that make Markdown out of plain words; escaped in what the agent writes unless the
# words it replaces already had them (then the author meant them).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|!~])")


class ContentCatalogError(ValueError):
    pass


@dataclass(frozen=True)
class Page:
    name: str
    file: str
    description: str = ""


@dataclass(frozen=True)
class Pages:
    pages: Mapping[str, Page]

    @classmethod
    def from_json(cls, data: Any) -> Pages:
        out = {}
        for name, raw in named_objects(data, "pages", ContentCatalogError, what="page",
                                       shape='a content catalog is {"pages": {"<name>": {"file": "content/x.md"}}}'):
            file = str(raw.get("file") or "")
            if not inside_repository(file, (".md", ".mdx")):
                raise ContentCatalogError(f"page {name}: file {file!r} must be a relative .md/.mdx path inside "
                                          "the repository, without '..'")
            out[name] = Page(name, file, str(raw.get("description") or ""))
        return cls(out)


def default_pages() -> Pages:
    text = resources.files("valine.agents.copy").joinpath("pages.json").read_text(encoding="utf-8")
    return Pages.from_json(json.loads(text))


@dataclass(frozen=True)
class Replace:
    page: str
    find: str
    replace: str
    where: str = ""  # "" (the page's prose), or markdown.FRONT_MATTER / markdown.CODE when the request names it


@dataclass(frozen=True)
class SetTitle:
    page: str
    title: str


Request = Replace | SetTitle

_Q = "\"'\u201c\u201d\u2018\u2019"
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]+)[\"\u201d]|[\u2018']([^\u2019']+)[\u2019']")
_STRUCT = re.compile(r'(\w+):\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))')


def _quoted(text: str) -> list[str]:
    return [a or b for a, b in _QUOTED.findall(text)]


def _page_in(text: str, pages: Pages) -> str | None:
    low = text.lower()
    found = [p for p in pages.pages if re.search(rf"\b{re.escape(p)}\b", low)]
    return found[0] if len(found) == 1 else None


def parse(text: str, pages: Pages) -> Request | Ask:
    """``page:about find:"x" replace:"y"`` / ``page:faq title:"y"``, or plain English:
    ``on the about page, change "x" to "y"``, ``set the title of the faq page to "y"``."""
    names = ", ".join(pages.pages)
    if re.match(r"^\s*page:", text):
        fields = {k.lower(): (q if q else bare).replace('\\"', '"').replace("\\\\", "\\")
                  for k, q, bare in _STRUCT.findall(text)}
        page = fields.get("page", "")
        if page not in pages.pages:
            return Ask(f"there is no page {page!r}; pages: {names}", outcome="invalid")
        if "title" in fields:
            return SetTitle(page, fields["title"])
        if "find" in fields and "replace" in fields:
            where = fields.get("in", "")
            if where and where not in WHERE:
                return Ask(f"in:{where} is not a part of a page I know; say in:front-matter or in:code, or leave "
                           "it out for the page's text", outcome="invalid")
            return Replace(page, fields["find"], fields["replace"], where)
        return Ask(f'say what to change: page:{page} find:"old words" replace:"new words", or '
                   f'page:{page} title:"New title"', outcome="invalid")
    quoted = _quoted(text)
    page = _page_in(text, pages)
    if page is None:
        return Ask(f"Which page? Say it in the request, e.g. on the about page, ...; pages: {names}")
    if re.search(r"\btitle\b", text, re.I) and len(quoted) == 1:
        return SetTitle(page, quoted[0])
    if len(quoted) == 2:
        named = [kind for kind, words in ((FRONT_MATTER, r"front[- ]?matter"), (CODE, r"code( block)?"))
                 if re.search(rf"\bin (?:the |a )?{words}\b", text, re.I)]
        return Replace(page, quoted[0], quoted[1], named[0] if len(named) == 1 else "")
    return Ask(f'Put the words in quotes: on the {page} page, change "old words" to "new words".')


def check_words(words: str) -> str | None:
    if "\n" in words or "\r" in words:
        return "the new words must fit on one line"
    return check_text(words, MAX_WORDS)


def escape_markdown(new: str, old: str) -> str:
    """Escape Markdown syntax the user typed, unless the replaced words had that syntax too."""
    return _MARKDOWN.sub(lambda m: m.group(1) if m.group(1) in old else "\\" + m.group(1), new)


def apply(source: str, request: Request, page: Page) -> str | Rewritten | Ask:
    new = _apply(source, request, page)
    if isinstance(new, Ask):
        return new
    text = new.content if isinstance(new, Rewritten) else new
    problem = written_problem(source, text)
    if problem:
        return Ask(f"I can't write that on the {page.name} page: {problem}.", outcome="invalid")
    return new


def _apply(source: str, request: Request, page: Page) -> str | Rewritten | Ask:
    found = regions(source)
    if isinstance(request, SetTitle):
        problem = check_words(request.title)
        if problem:
            return Ask(f"the title: {problem}", outcome="invalid")
        lines = source.splitlines(keepends=True)
        at = 0
        for i, line in enumerate(lines):
            if line.startswith("# ") and region_of(at, found) is None:
                ending = line[len(line.rstrip("\r\n")):]
                lines[i] = f"# {escape_markdown(request.title, line)}{ending}"
                return "".join(lines)
            at += len(line)
        return Ask(f"{page.file} has no title line (# Title) to change", outcome="invalid")
    problem = check_words(request.replace)
    if problem:
        return Ask(f"the new words: {problem}", outcome="invalid")
    if not request.find.strip():
        return Ask("say which words to replace", outcome="invalid")
    every = [m.start() for m in re.finditer(re.escape(request.find), source)]
    # The front matter (how the site builds the page) and code blocks (code, shown as written) are
    # not prose: they change only when the request names them.
    hits = [at for at in every if (getattr(region_of(at, found), "kind", "") == request.where)]
    left = sorted({r.kind for at in every if (r := region_of(at, found)) is not None and r.kind != request.where})
    if not hits:
        if left and request.where == "":
            where = " and ".join(WHERE[k] for k in left)
            return Ask(f'"{request.find}" is only in {where} of the {page.name} page, which I leave alone unless '
                       f"you name it: press Edit and add in:{left[0]} to change it there.", outcome="invalid")
        return Ask(f'I could not find "{request.find}" on the {page.name} page ({page.file})'
                   + (f" in {WHERE[request.where]}" if request.where else "")
                   + ". Check the exact words (capitals and punctuation count) and press Edit.", outcome="invalid")
    if len(hits) > 1:
        shown = []
        for at in hits[:5]:
            number = source.count("\n", 0, at) + 1
            line = source.splitlines()[number - 1].strip()
            shown.append(f"line {number}: {line[:90]}")
        return Ask(f'"{request.find}" appears {len(hits)} times on the {page.name} page:\n'
                   + "\n".join(shown) + "\nWhich one? Press Edit and add a few words around it so it is unique.")
    at = hits[0]
    text = source[:at] + escape_markdown(request.replace, request.find) + source[at + len(request.find):]
    if left:
        return Rewritten(text, (f'"{request.find}" also appears in ' + " and ".join(WHERE[k] for k in left)
                                + "; I left that alone.",))
    return text
