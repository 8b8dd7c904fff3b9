"""The vendors' published API contracts, and validators that hold the emulators to them.

- GitHub REST: ``@octokit/openapi`` (OpenAPI 3.0). A request must match an operation (method
  and path), carry its required query parameters and a body valid against the request schema;
  a JSON response must be valid against the documented schema for its status.
- GitHub GraphQL: ``@octokit/graphql-schema`` (the introspection result); documents are parsed
  and validated with graphql-core, and executed against that very schema.
- GitHub webhooks: ``@octokit/openapi-webhooks`` (OpenAPI 3.1).
- Discord: ``specs/discord/openapi.json`` (OpenAPI 3.1, API v10), Discord's own, vendored.

The npm packages are pinned in package.json and installed by ``make`` (``npm ci``). A
violation is recorded on the emulator (``violations``) and answered the way the real API
answers a bad request, so a test fails with the schema path in its message.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
GITHUB_REST = NODE_MODULES / "@octokit/openapi/generated/api.github.com.json"
GITHUB_GRAPHQL = NODE_MODULES / "@octokit/graphql-schema/schema.json"
GITHUB_WEBHOOKS = NODE_MODULES / "@octokit/openapi-webhooks/generated/api.github.com.json"
DISCORD = ROOT / "specs/discord/openapi.json"


class ContractMissing(RuntimeError):
    pass


def _load(path: Path, how: str) -> Any:
    if not path.exists():
        raise ContractMissing(f"{path} is missing: {how}")
    return json.loads(path.read_text())


# ---- OpenAPI --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: dict[str, Any]
    params: dict[str, str]  # path parameters


class OpenApi:
    """Operations of one OpenAPI document, and JSON Schema validation of bodies."""

    def __init__(self, document: dict[str, Any], *, uri: str, nullable: bool) -> None:
        from jsonschema import Draft4Validator, Draft202012Validator  # type: ignore[import-untyped]
        from referencing import Registry
        from referencing.jsonschema import DRAFT4, DRAFT202012

        if nullable:  # OpenAPI 3.0's ``nullable: true`` is ``null`` as one more allowed type
            document = _nullable(document)
        self.document = document
        self.uri = uri
        spec = DRAFT4 if nullable else DRAFT202012
        self._validator_class = Draft4Validator if nullable else Draft202012Validator
        self._registry: Any = Registry().with_resource(uri, spec.create_resource(document))
        self._routes: list[tuple[str, re.Pattern[str], str, int]] = []
        for template, item in document.get("paths", {}).items():
            pattern = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", re.escape(template))
            literal = len(re.sub(r"\{\w+\}", "", template))
            for method in item:
                if method in ("get", "put", "post", "patch", "delete", "head"):
                    self._routes.append((method.upper(), re.compile(f"^{pattern}$"), template, literal))
                    # a last parameter may hold slashes (a file path, a ref such as heads/main)
                    wide = re.sub(r"\[\^/\]\+\)\$$", ".+)$", f"^{pattern}$")
                    if wide != f"^{pattern}$":
                        self._routes.append((method.upper(), re.compile(wide), template, literal - 1))
        self._routes.sort(key=lambda r: -r[3])

    def operation(self, method: str, path: str) -> Operation | None:
        for verb, pattern, template, _ in self._routes:
            m = pattern.match(path)
            if m and verb == method:
                return Operation(method, template, self.document["paths"][template][method.lower()], m.groupdict())
        return None

    def errors(self, instance: Any, pointer: str) -> list[str]:
        """Each validation error of ``instance`` against the schema at ``pointer`` (a JSON pointer)."""
        validator = self._validator_class({"$ref": f"{self.uri}#{pointer}"}, registry=self._registry)
        return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:300]} "
                f"(schema {'/'.join(str(p) for p in e.absolute_schema_path)})"
                for e in validator.iter_errors(instance)][:5]

    def check_request(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> list[str]:
        op = self.operation(method, path)
        if op is None:
            return [f"{method} {path}: no such operation in {self.uri}"]
        problems = []
        where = f"/paths/{_escape(op.template)}/{method.lower()}"
        for param in op.spec.get("parameters", []):
            param = self.resolve(param)
            if param.get("in") == "query" and param.get("required") and param["name"] not in query:
                problems.append(f"{method} {op.template}: required query parameter {param['name']!r} is missing")
        request = op.spec.get("requestBody")
        if request is not None:
            request = self.resolve(request)
            content = request.get("content", {})
            json_type = next((t for t in content if "json" in t), None)
            if body is None:
                if request.get("required"):
                    problems.append(f"{method} {op.template}: a request body is required")
            elif json_type is not None:
                pointer = f"{where}/requestBody/content/{_escape(json_type)}/schema"
                if "$ref" in op.spec["requestBody"]:
                    pointer = op.spec["requestBody"]["$ref"].removeprefix("#") + \
                        f"/content/{_escape(json_type)}/schema"
                problems += [f"{method} {op.template} request body {e}" for e in self.errors(body, pointer)]
        elif body is not None and method in ("GET", "DELETE"):
            problems.append(f"{method} {op.template}: takes no request body")
        return problems

    def response_pointer(self, method: str, path: str, status: int) -> str | None:
        """Where the documented JSON schema for this answer is, if there is one."""
        op = self.operation(method, path)
        if op is None:
            return None
        responses = op.spec.get("responses", {})
        key = str(status) if str(status) in responses else ("default" if "default" in responses else None)
        if key is None:
            return None
        response = responses[key]
        base = f"/paths/{_escape(op.template)}/{method.lower()}/responses/{key}"
        if "$ref" in response:
            base = response["$ref"].removeprefix("#")
            response = self.resolve(response)
        content = response.get("content", {})
        json_type = next((t for t in content if "json" in t), None)
        if json_type is None or "schema" not in content[json_type]:
            return None
        return f"{base}/content/{_escape(json_type)}/schema"

    def check_response(self, method: str, path: str, status: int, body: Any) -> list[str]:
        op = self.operation(method, path)
        if op is None:
            return []
        if str(status) not in op.spec.get("responses", {}) and status < 400:
            return [f"{method} {op.template}: status {status} is not a documented answer"]
        pointer = self.response_pointer(method, path, status)
        if pointer is None or not isinstance(body, dict | list):
            return []
        return [f"{method} {op.template} -> {status} response {e}" for e in self.errors(body, pointer)]

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = self.at(node["$ref"].removeprefix("#"))
        return node

    def at(self, pointer: str) -> Any:
        node: Any = self.document
        for part in pointer.lstrip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def schema(self, pointer: str) -> Any:
        return self.resolve(self.at(pointer))


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _nullable(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _nullable(v) for k, v in node.items()}
        if out.pop("nullable", False) is True:
            if "$ref" in out or "allOf" in out or "oneOf" in out or "anyOf" in out or "type" not in out:
                return {"anyOf": [out, {"type": "null"}]}
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        return out
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    return node


@functools.cache
def github_rest() -> OpenApi:
    return OpenApi(_load(GITHUB_REST, "run `npm ci` (package.json pins @octokit/openapi)"),
                   uri="urn:octokit:openapi", nullable=True)


@functools.cache
def github_webhooks() -> OpenApi:
    return OpenApi(_load(GITHUB_WEBHOOKS, "run `npm ci` (package.json pins @octokit/openapi-webhooks)"),
                   uri="urn:octokit:openapi-webhooks", nullable=False)


@functools.cache
def discord() -> OpenApi:
    return OpenApi(_load(DISCORD, "Discord's OpenAPI description is vendored in specs/discord/"),
                   uri="urn:discord:openapi", nullable=False)


@functools.cache
def github_graphql() -> Any:
    from graphql import build_client_schema, validate_schema

    data = _load(GITHUB_GRAPHQL, "run `npm ci` (package.json pins @octokit/graphql-schema)")
    schema = build_client_schema(data.get("data", data))
    # GitHub's schema deprecates some fields on implementations but not on their interfaces;
    # graphql-core's (stricter) schema check refuses that. It does not change what a query means,
    # so those findings, and only those, are accepted. validate_schema caches its verdict on the
    # schema, and validate()/execute() read that cache.
    errors = validate_schema(schema)
    others = [e.message for e in errors if "must not be deprecated" not in e.message]
    if others:
        raise ContractMissing("GitHub's GraphQL schema does not build: " + "; ".join(others[:3]))
    schema._validation_errors = []  # noqa: SLF001
    return schema


def complete(api: OpenApi, pointer: str, known: Any) -> Any:
    """``known`` filled to the documented shape (see ``contract_shapes``)."""
    from valine_local.contract_shapes import fill_to_schema

    return fill_to_schema(api, pointer, known)
