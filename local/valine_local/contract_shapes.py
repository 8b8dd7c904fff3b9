"""Filling an emulator's answer to the shape its OpenAPI description documents.

The emulators model the fields the bot reads; GitHub's answers carry many more that are required
by the schema (a pull request's ``user``, ``repo``, dozens of URLs). Each required field the
emulator does not model gets a placeholder of the documented type, so the bot parses GitHub's
full shape and the validator can hold the whole answer to the schema; the fields the emulator
does model are validated as they are, never replaced.
"""

from __future__ import annotations

from typing import Any, Protocol


class OpenApi(Protocol):
    """What filling needs of an OpenAPI document (valine_local.contracts.OpenApi is one)."""

    def resolve(self, node: Any) -> Any: ...

    def at(self, pointer: str) -> Any: ...

    def schema(self, pointer: str) -> Any: ...


def fill_to_schema(api: OpenApi, pointer: str, known: Any) -> Any:
    """``known`` with every required property the schema documents and the emulator does not
    model filled with a placeholder of the documented type, so responses have GitHub's shape."""
    return _fill(api, api.schema(pointer), known, depth=0)


def _fill(api: OpenApi, schema: Any, value: Any, depth: int) -> Any:
    schema = api.resolve(schema)
    if not isinstance(schema, dict) or depth > 12:
        return value
    for key in ("allOf",):
        if key in schema:
            for part in schema[key]:
                value = _fill(api, part, value, depth + 1)
            return value
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [api.resolve(o) for o in schema[key]]
            if value is None and any(o.get("type") == "null" for o in options):
                return None
            typed = [o for o in options if o.get("type") != "null"]
            if value is not None:
                fitting = [o for o in typed if _type_fits(o, value)]
                return _fill(api, (fitting or typed or options)[0], value, depth + 1)
            return _fill(api, (typed or options)[0], value, depth + 1)
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if value is None:
        if "null" in kinds:
            return None
        return _placeholder(api, schema, depth)
    if isinstance(value, dict) and ("object" in kinds or "properties" in schema):
        props = schema.get("properties", {})
        out = dict(value)
        for name in schema.get("required", []):
            if name not in out:
                out[name] = _placeholder(api, props.get(name, {}), depth + 1)
        for name, sub in props.items():
            if name in out and isinstance(out[name], dict | list):
                out[name] = _fill(api, sub, out[name], depth + 1)
        return out
    if isinstance(value, list) and "items" in schema:
        return [_fill(api, schema["items"], v, depth + 1) for v in value]
    return value


def _type_fits(schema: dict[str, Any], value: Any) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    checks = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int, "number": int | float}
    return any(isinstance(value, checks[k]) for k in kinds if k in checks) or kind is None


def _placeholder(api: OpenApi, schema: Any, depth: int) -> Any:
    schema = api.resolve(schema)
    if not isinstance(schema, dict):
        return None
    if "enum" in schema:
        return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [api.resolve(o) for o in schema[key]]
            if any(o.get("type") == "null" for o in options):
                return None
            return _placeholder(api, options[0], depth + 1)
    if "allOf" in schema:
        out: dict[str, Any] = {}
        for part in schema["allOf"]:
            filled = _placeholder(api, part, depth + 1)
            if isinstance(filled, dict):
                out |= filled
        return out
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "null" in kinds:
        return None
    kind = kinds[0]
    if kind == "object" or "properties" in schema:
        if depth > 12:
            return {}
        props = schema.get("properties", {})
        return {name: _placeholder(api, props.get(name, {}), depth + 1) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(0, int(schema.get("minimum", 0)))
    if kind == "number":
        return 0
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2026-01-01T00:00:00Z"
        if fmt == "uri":
            return "https://github.invalid/placeholder"
        if fmt == "email":
            return "placeholder@github.invalid"
        return ""
    return None

