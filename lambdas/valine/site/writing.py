"""Writing into the site's files the way they are written: a new text as the same kind of literal
in the same place (JSX text, a string in JSX, in JS or in JSON), a phrase inside a text, and the
checks every edit must pass before anyone sees a preview.

Edits are splices: byte ranges of a file and what replaces them. Nothing outside those ranges
moves, so the diff is exactly the change.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.entities import codepoint2name

from valine.site.syntax import grammar_for, parse, walk
from valine.site.values import Str

_JSX_PLAIN = re.compile(r"^[^{}<>\r\n\t]*$")


@dataclass(frozen=True)
class Splice:
    file: str
    start: int  # UTF-8 byte offsets
    end: int
    text: str


class WriteError(ValueError):
    """The edit cannot be written safely; the message says why."""


def apply(files: Mapping[str, str], splices: Iterable[Splice]) -> dict[str, str]:
    """The new content of each file the splices touch (overlapping splices are refused)."""
    by_file: dict[str, list[Splice]] = {}
    for splice in splices:
        by_file.setdefault(splice.file, []).append(splice)
    out: dict[str, str] = {}
    for path, edits in by_file.items():
        data = files[path].encode("utf-8")
        unique = {(e.start, e.end, e.text): e for e in edits}.values()
        ordered = sorted(unique, key=lambda e: (e.start, e.end))
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b.start < a.end:
                raise WriteError(f"two edits of {path} overlap (bytes {a.start}-{a.end} and {b.start}-{b.end})")
        for edit in reversed(ordered):
            data = data[:edit.start] + edit.text.encode("utf-8") + data[edit.end:]
        out[path] = data.decode("utf-8")
    return out


def in_jsx_attribute(literal: Str) -> bool:
    node = literal.node
    return node is not None and node.parent is not None and node.parent.type == "jsx_attribute"


def written(literal: Str, text: str) -> str:
    """``text`` as a literal of the same kind as ``literal`` (what replaces its span)."""
    if literal.kind == "text":
        raw = literal.value
        lead = raw[: len(raw) - len(raw.lstrip())]
        trail = raw[len(raw.rstrip()):] if raw.strip() else ""
        return lead + jsx_text(text) + trail
    if literal.kind == "string":
        quote = literal_quote(literal)
        if in_jsx_attribute(literal):
            # JSX attribute strings have no backslash escapes: a quote of the same kind needs an expression.
            if '"' not in text and "\n" not in text:
                return '"' + text + '"'
            if "'" not in text and "\n" not in text:
                return "'" + text + "'"
            return "{" + json.dumps(text, ensure_ascii=False) + "}"
        if literal.file.endswith(".json") or quote == '"':
            return json.dumps(text, ensure_ascii=False)
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"
    if literal.kind == "template":
        return "`" + text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${") + "`"
    if literal.kind == "fragment":
        return text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    if literal.kind == "number":
        if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
            return text
        return json.dumps(text)
    if literal.kind == "html":
        return html.escape(text, quote=False)
    if literal.kind == "md":
        return markdown_text(text, literal.value)
    if literal.kind == "yaml":
        if re.search(r":\s|\s#|^[\[\]{}>|*&!%@`'\"-]|\n", text):
            raise WriteError("the new words need quoting in the page's front matter; write them without a colon")
        return text
    raise WriteError(f"cannot write into a {literal.kind} literal")


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def markdown_text(new: str, old: str) -> str:
    """Markdown syntax the user typed is escaped, unless the replaced words had it too."""
    return _MARKDOWN.sub(lambda m: m.group(1) if m.group(1) in old else "\\" + m.group(1), new)


def literal_quote(literal: Str) -> str:
    node = literal.node
    if node is None or node.text is None:
        return '"'
    return node.text[:1].decode() or '"'


def jsx_text(text: str) -> str:
    """JSX children that display ``text`` literally."""
    if text and _JSX_PLAIN.match(text) and text == text.strip() and "  " not in text:
        return text
    return "{" + json.dumps(text, ensure_ascii=False) + "}"


def _char_pattern(ch: str) -> str:
    alternatives = [re.escape(ch)]
    name = codepoint2name.get(ord(ch))
    if name:
        alternatives.append(f"&{name};")
    alternatives.append(f"&#{ord(ch)};")
    alternatives.append(f"&#x{ord(ch):x};")
    return "(?:" + "|".join(alternatives) + ")"


def phrase_pattern(phrase: str, *, raw_jsx: bool) -> re.Pattern[str]:
    """A phrase as it may be written: any run of whitespace for a space, and in JSX text a character
    reference (``&copy;``, ``&apos;``) for a character."""
    parts: list[str] = []
    for ch in phrase.strip():
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif raw_jsx and (not ch.isascii() or ch in "'\"&<>"):
            parts.append(_char_pattern(ch))
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts))


def phrase_spans(literal: Str, phrase: str, *, ignore_case: bool = False) -> list[tuple[int, int]]:
    """Byte ranges (in the file) of ``phrase`` inside the literal's raw text."""
    raw = literal.value if literal.kind in ("text", "fragment", "html", "md", "yaml") else None
    if raw is None:
        node = literal.node
        if node is None or node.text is None:
            return []
        raw = node.text.decode("utf-8")
    base = literal.start
    pattern = phrase_pattern(phrase, raw_jsx=literal.kind in ("text", "html"))
    if ignore_case:
        pattern = re.compile(pattern.pattern, re.IGNORECASE)
    out = []
    for m in pattern.finditer(raw):
        start = base + len(raw[: m.start()].encode("utf-8"))
        out.append((start, start + len(m.group(0).encode("utf-8"))))
    return out


def phrase_text(literal: Str, replacement: str) -> str:
    """``replacement`` written inside the literal's raw text (escaped for its kind)."""
    if literal.kind == "text":
        if _JSX_PLAIN.match(replacement):
            return replacement
        return "{" + json.dumps(replacement, ensure_ascii=False) + "}"
    if literal.kind == "string":
        if in_jsx_attribute(literal):
            if literal_quote(literal) in replacement:
                raise WriteError("the new words hold the quote mark this attribute is written with")
            return replacement
        if literal.file.endswith(".json") or literal_quote(literal) == '"':
            return json.dumps(replacement, ensure_ascii=False)[1:-1]
        return replacement.replace("\\", "\\\\").replace("'", "\\'")
    if literal.kind in ("template", "fragment"):
        return replacement.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    if literal.kind == "html":
        return html.escape(replacement, quote=False)
    if literal.kind == "md":
        return markdown_text(replacement, literal.value)
    if literal.kind == "yaml" and re.search(r":\s|\s#|\n", replacement):
        raise WriteError("the new words need quoting in the page's front matter; write them without a colon")
    return replacement


def shown(raw_jsx: str) -> str:
    return " ".join(html.unescape(raw_jsx).split())


# ---- checks before any preview --------------------------------------------------------------
def problems(path: str, old: str, new: str) -> list[str]:
    """Why an edited file cannot be proposed: it no longer parses in its language, or an import
    the edit left unused."""
    out: list[str] = []
    grammar = grammar_for(path)
    if grammar is not None:
        before, after = parse(path, old), parse(path, new)
        if after is None or after.root.has_error:
            if before is not None and not before.root.has_error:
                out.append(f"the edited {path} would not parse; nothing was changed")
            return out
        if path.endswith(".json"):
            try:
                json.loads(new)
            except ValueError as exc:
                out.append(f"the edited {path} would not be valid JSON ({exc}); nothing was changed")
            return out
        # Names the file used before and still imports but no longer uses (an import removed with them is fine).
        unused = (_used_imports(before) & _imports(after)) - _used_imports(after) if before is not None else set()
        if unused:
            out.append(f"the edit would leave {', '.join(sorted(unused))} imported but unused in {path}")
    elif path.endswith((".css", ".scss")):
        from valine.site.styles import css_parses

        if css_parses(old) and not css_parses(new):
            out.append(f"the edited {path} would not parse as CSS; nothing was changed")
    return out


def _imports(source: object) -> set[str]:
    src = source  # valine.site.syntax.Source
    return {src.text(n) for s in walk(src.root) if s.type == "import_statement"  # type: ignore[attr-defined]
            for n in walk(s) if n.type == "identifier" and n.parent is not None
            and n.parent.type in ("import_clause", "import_specifier", "namespace_import")}


def _used_imports(source: object) -> set[str]:
    """Imported names the module still uses somewhere outside its import statements."""
    src = source  # valine.site.syntax.Source
    imported: set[str] = set()
    used: set[str] = set()
    root = src.root  # type: ignore[attr-defined]
    for node in walk(root):
        if node.type == "import_statement":
            for inner in walk(node):
                if inner.type == "identifier" and inner.parent is not None and inner.parent.type in (
                        "import_clause", "import_specifier", "namespace_import"):
                    imported.add(src.text(inner))  # type: ignore[attr-defined]
        elif node.type in ("identifier", "type_identifier", "jsx_identifier"):
            parent = node.parent
            inside_import = False
            while parent is not None:
                if parent.type == "import_statement":
                    inside_import = True
                    break
                parent = parent.parent
            if not inside_import:
                used.add(src.text(node))  # type: ignore[attr-defined]
    return imported & used


def tidy_imports(path: str, old: str, new: str) -> tuple[str, list[str]]:
    """``new`` without the imports that only the removed code used (a data entry's icon, a link's
    component), and the names dropped: an edit never leaves an import unused behind it."""
    if grammar_for(path) is None or path.endswith(".json"):
        return new, []
    before, after = parse(path, old), parse(path, new)
    if before is None or after is None or after.root.has_error:
        return new, []
    unused = _used_imports(before) - _used_imports(after)
    if not unused:
        return new, []
    data = new.encode("utf-8")
    cuts: list[tuple[int, int]] = []
    for statement in (n for n in after.root.named_children if n.type == "import_statement"):
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        if clause is None:
            continue
        names = [n for n in walk(clause) if n.type == "identifier" and n.parent is not None
                 and n.parent.type in ("import_clause", "import_specifier", "namespace_import")]
        local = {(n.parent.start_byte if n.parent is not None and n.parent.type == "import_specifier"
                  else n.start_byte): n for n in names}
        gone = [n for n in local.values() if after.text(n) in unused]
        if not gone:
            continue
        if len(gone) == len(local):  # nothing of it is used any more: the whole statement and its line
            start, end = statement.start_byte, statement.end_byte
            while start > 0 and data[start - 1:start] in (b" ", b"\t"):
                start -= 1
            if data[end:end + 1] == b"\n":
                end += 1
            cuts.append((start, end))
            continue
        for name in gone:
            node = name.parent if name.parent is not None and name.parent.type == "import_specifier" else name
            start, end = node.start_byte, node.end_byte
            tail = re.match(rb"\s*,[ \t]*", data[end:])
            if tail:
                end += tail.end()
            else:
                head = re.search(rb",\s*$", data[:start])
                if head:
                    start = head.start()
            cuts.append((start, end))
    for start, end in sorted(cuts, reverse=True):
        data = data[:start] + data[end:]
    return data.decode("utf-8"), sorted(unused)
