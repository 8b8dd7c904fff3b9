"""Parse trees for the languages a React site is written in, with tree-sitter.

JavaScript and JSX use tree-sitter-javascript; TypeScript and TSX their own grammars
(tree-sitter-typescript ships both, and a ``.tsx`` file needs the TSX one). JSON is parsed as
a JavaScript expression, so data files and object literals in code are read the same way.
Offsets are UTF-8 byte offsets into the file, as tree-sitter reports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from tree_sitter import Language, Node, Parser, Tree

SCRIPT_SUFFIXES = (".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs", ".mts", ".cts")


@cache
def _parser(grammar: str) -> Parser:
    if grammar == "js":
        import tree_sitter_javascript as tsjs

        return Parser(Language(tsjs.language()))
    import tree_sitter_typescript as tsts

    return Parser(Language(tsts.language_tsx() if grammar == "tsx" else tsts.language_typescript()))


def grammar_for(path: str) -> str | None:
    """The grammar that parses ``path``: js, ts or tsx (JSON is read with js); None otherwise."""
    if path.endswith((".tsx",)):
        return "tsx"
    if path.endswith((".ts", ".mts", ".cts")):
        return "ts"
    if path.endswith((".js", ".jsx", ".mjs", ".cjs", ".json")):
        return "js"
    return None


@dataclass(frozen=True, repr=False)
class Source:
    """One parsed file. ``shift``: the bytes put in front to parse it (JSON is parsed as ``(...)``)."""

    path: str
    data: bytes
    tree: Tree
    shift: int = 0

    @property
    def root(self) -> Node:
        return self.tree.root_node

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.data[node.start_byte - self.shift:node.end_byte - self.shift].decode("utf-8", "replace")

    def start(self, node: Node) -> int:
        return node.start_byte - self.shift

    def end(self, node: Node) -> int:
        return node.end_byte - self.shift

    def line(self, node: Node) -> int:
        return node.start_point[0] + 1


def parse(path: str, text: str, grammar: str | None = None) -> Source | None:
    grammar = grammar or grammar_for(path)
    if grammar is None:
        return None
    data = text.encode("utf-8")
    if path.endswith(".json"):
        return Source(path, data, _parser("js").parse(b"(" + data + b")"), shift=1)
    return Source(path, data, _parser(grammar).parse(data))


def parses_cleanly(path: str, text: str) -> bool:
    """The file still parses in its own language (JSX, TSX, TS, JS or JSON), without error nodes."""
    source = parse(path, text)
    return source is not None and not source.root.has_error


def walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def unwrap(node: Node | None) -> Node | None:
    """The expression inside parentheses, type assertions (``as``, ``satisfies``, ``!``) and awaits."""
    while node is not None and node.type in ("parenthesized_expression", "as_expression", "satisfies_expression",
                                             "non_null_expression", "type_assertion", "await_expression"):
        inner = [c for c in node.named_children if c.type not in ("type_annotation", "type_identifier",
                                                                   "generic_type", "predefined_type",
                                                                   "object_type", "array_type", "union_type")]
        node = inner[0] if inner else None
    return node


def string_value(source: Source, node: Node) -> str | None:
    """The value of a string literal (quotes removed, escapes decoded), or None if it is not one."""
    if node.type == "string":
        out = []
        for child in node.named_children:
            piece = source.text(child)
            out.append(_unescape(piece) if child.type == "escape_sequence" else piece)
        return "".join(out)
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        return source.text(node)[1:-1]
    return None


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(piece: str) -> str:
    body = piece[1:]
    if body[:1] in _ESCAPES:
        return _ESCAPES[body[0]]
    if body[:1] == "u":
        digits = body[2:-1] if body[1:2] == "{" else body[1:5]
        try:
            return chr(int(digits, 16))
        except ValueError:
            return piece
    if body[:1] == "x":
        try:
            return chr(int(body[1:3], 16))
        except ValueError:
            return piece
    return body


def property_name(source: Source, key: Node | None) -> str | None:
    """The name a property key spells: ``title``, ``"title"`` or ``'title'``; None if computed."""
    if key is None:
        return None
    if key.type in ("property_identifier", "identifier", "shorthand_property_identifier"):
        return source.text(key)
    if key.type == "string":
        return string_value(source, key)
    if key.type == "number":
        return source.text(key)
    return None
