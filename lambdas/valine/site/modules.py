"""The site's modules: what each file imports, binds at the top level and exports, and where an
import specifier leads (relative paths, ``tsconfig``/``jsconfig`` path aliases such as ``@/``,
``baseUrl``, index files). Parsing is lazy: only files something reaches are parsed."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tree_sitter import Node

from valine.site.syntax import Source, parse, string_value

RESOLVE_SUFFIXES = ("", ".tsx", ".ts", ".jsx", ".js", ".mjs", ".json")
INDEX_FILES = ("/index.tsx", "/index.ts", "/index.jsx", "/index.js")


@dataclass(frozen=True)
class Import:
    path: str | None  # the repository file it resolves to; None: a package (react, next/link) or not found
    name: str  # "default", "*" or the exported name
    specifier: str


@dataclass(repr=False)
class Module:
    path: str
    source: Source
    imports: dict[str, Import] = field(default_factory=dict)
    bindings: dict[str, Node] = field(default_factory=dict)  # top-level name -> its value (or function) node
    exports: dict[str, str] = field(default_factory=dict)  # exported name -> local binding name
    default: Node | None = None  # ``export default <expression>`` when it is not a name
    reexports: list[tuple[str | None, str, str]] = field(default_factory=list)  # (path, exported, as) / "*"
    styles: list[str] = field(default_factory=list)  # stylesheets it imports for their effect (import "./x.css")

    def __repr__(self) -> str:
        return f"Module({self.path})"

    def is_json(self) -> bool:
        return self.path.endswith(".json")


def _strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas (tsconfig.json) as plain JSON."""
    out, i, n, in_string = [], 0, len(text), False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(ch)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


@dataclass(frozen=True)
class Aliases:
    """``compilerOptions.paths`` and ``baseUrl`` of tsconfig.json / jsconfig.json."""

    base: str  # baseUrl, relative to the repository root ("" for the root)
    paths: tuple[tuple[str, tuple[str, ...]], ...]  # ("@/*", ("./src/*",)), longest prefix first

    @classmethod
    def read(cls, files: Mapping[str, str]) -> Aliases:
        for name in ("tsconfig.json", "jsconfig.json"):
            if name not in files:
                continue
            try:
                options = json.loads(_strip_jsonc(files[name])).get("compilerOptions") or {}
            except (ValueError, AttributeError):
                continue
            base = posixpath.normpath(str(options.get("baseUrl") or ".")).lstrip("./") if options.get("baseUrl") \
                else ""
            paths = options.get("paths") or {}
            if isinstance(paths, dict):
                ordered = sorted(((str(k), tuple(str(t) for t in (v if isinstance(v, list) else [v])))
                                  for k, v in paths.items()), key=lambda kv: -len(kv[0]))
                return cls(base if base != "." else "", tuple(ordered))
            return cls(base if base != "." else "", ())
        return cls("", ())


class Modules:
    """Every script and JSON file of the site, parsed on first use."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = files
        self.aliases = Aliases.read(files)
        self._modules: dict[str, Module | None] = {}

    def get(self, path: str | None) -> Module | None:
        if path is None:
            return None
        if path not in self._modules:
            self._modules[path] = self._load(path)
        return self._modules[path]

    def loaded(self) -> list[Module]:
        return [m for m in self._modules.values() if m is not None]

    # ---- resolution ----------------------------------------------------------------------
    def resolve(self, importer: str, specifier: str) -> str | None:
        """The repository file ``specifier`` names from ``importer``; None for a package."""
        candidates: list[str] = []
        if specifier.startswith("."):
            candidates.append(posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier)))
        else:
            for pattern, targets in self.aliases.paths:
                prefix = pattern.rstrip("*")
                if pattern.endswith("*") and specifier.startswith(prefix) or specifier == pattern:
                    rest = specifier[len(prefix):] if pattern.endswith("*") else ""
                    for target in targets:
                        joined = posixpath.join(self.aliases.base, target.replace("*", rest))
                        candidates.append(posixpath.normpath(joined))
            if self.aliases.base:
                candidates.append(posixpath.normpath(posixpath.join(self.aliases.base, specifier)))
        for candidate in candidates:
            candidate = candidate.lstrip("./") if candidate.startswith("./") else candidate
            for suffix in RESOLVE_SUFFIXES:
                if candidate + suffix in self.files:
                    return candidate + suffix
            for index in INDEX_FILES:
                if candidate + index in self.files:
                    return candidate + index
        return None

    # ---- reading one module --------------------------------------------------------------
    def _load(self, path: str) -> Module | None:
        text = self.files.get(path)
        if text is None:
            return None
        source = parse(path, text)
        if source is None:
            return None
        module = Module(path, source)
        if path.endswith(".json"):
            statement = source.root.named_children[0] if source.root.named_children else None
            module.default = statement.named_children[0] if statement is not None and statement.named_children \
                else None
            return module
        for statement in source.root.named_children:
            self._statement(module, statement)
        return module

    def _statement(self, module: Module, node: Node) -> None:
        src = module.source
        if node.type == "import_statement":
            self._import(module, node)
        elif node.type in ("lexical_declaration", "variable_declaration"):
            for declarator in node.named_children:
                if declarator.type == "variable_declarator":
                    name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                    if name is not None and name.type == "identifier" and value is not None:
                        module.bindings[src.text(name)] = value
        elif node.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                module.bindings[src.text(name)] = node
        elif node.type == "export_statement":
            self._export(module, node)

    def _import(self, module: Module, node: Node) -> None:
        src = module.source
        spec_node = node.child_by_field_name("source")
        specifier = string_value(src, spec_node) if spec_node is not None else None
        if specifier is None:
            return
        target = self.resolve(module.path, specifier)
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if target is not None and target.endswith((".css", ".scss", ".sass", ".less")):
            module.styles.append(target)
        if clause is None:
            return
        for part in clause.named_children:
            if part.type == "identifier":
                module.imports[src.text(part)] = Import(target, "default", specifier)
            elif part.type == "namespace_import":
                ident = next((c for c in part.named_children if c.type == "identifier"), None)
                if ident is not None:
                    module.imports[src.text(ident)] = Import(target, "*", specifier)
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    if name is not None:
                        module.imports[src.text(alias or name)] = Import(target, src.text(name), specifier)

    def _export(self, module: Module, node: Node) -> None:
        src = module.source
        declaration = node.child_by_field_name("declaration")
        value = node.child_by_field_name("value")
        is_default = any(c.type == "default" for c in node.children)
        spec_node = node.child_by_field_name("source")
        if declaration is not None:
            before = set(module.bindings)
            self._statement(module, declaration)
            for name in set(module.bindings) - before or self._declared(src, declaration):
                module.exports["default" if is_default else name] = name
            if is_default and declaration.type in ("function_declaration", "class_declaration") and \
                    declaration.child_by_field_name("name") is None:
                module.default = declaration
            return
        if is_default and value is not None:
            if value.type == "identifier":
                module.exports["default"] = src.text(value)
            else:
                module.default = value
            return
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        target = self.resolve(module.path, string_value(src, spec_node) or "") if spec_node is not None else None
        if clause is None:
            if spec_node is not None:  # export * from "./x"
                module.reexports.append((target, "*", "*"))
            return
        for spec in clause.named_children:
            if spec.type != "export_specifier":
                continue
            name_node, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            name = src.text(name_node)
            exported = src.text(alias or name_node)
            if spec_node is not None:
                module.reexports.append((target, name, exported))
            else:
                module.exports[exported] = name

    @staticmethod
    def _declared(src: Source, declaration: Node) -> set[str]:
        name = declaration.child_by_field_name("name")
        return {src.text(name)} if name is not None else set()
