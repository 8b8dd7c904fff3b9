"""Secrets Manager values, read in the worker and cached (never in env vars or logs)."""

from __future__ import annotations

import json
import time
from typing import Any

from valine.cache import TtlCache


class SecretNotSet(Exception):
    def __init__(self, secret_id: str, example: str) -> None:
        super().__init__(f"secret {secret_id} has no value yet; an operator fills it with: aws secretsmanager "
                         f"put-secret-value --secret-id {secret_id} --secret-string '{example}'")


class SecretsCache:
    def __init__(self, client: Any, *, max_age: float = 900.0, clock: Any = time.monotonic) -> None:
        self._sm = client
        self._cache: TtlCache[dict[str, Any]] = TtlCache(max_age, clock)

    def json(self, secret_id: str, *, required: str | tuple[str, ...], example: str) -> dict[str, Any]:
        """The secret's JSON; ``required`` names the field (or alternatives) it must have."""
        fields = (required,) if isinstance(required, str) else required
        return self._cache.get(secret_id, lambda: self._read(secret_id, fields, example))

    def _read(self, secret_id: str, fields: tuple[str, ...], example: str) -> dict[str, Any]:
        raw = self._sm.get_secret_value(SecretId=secret_id)["SecretString"]
        try:
            value = json.loads(raw)
        except ValueError:
            value = {fields[0]: raw}  # a bare string is accepted as the one field we need
        if not isinstance(value, dict) or value.get("unset") or not any(value.get(f) for f in fields):
            raise SecretNotSet(secret_id, example)
        return value

    def forget(self, secret_id: str) -> None:
        self._cache.forget(secret_id)
