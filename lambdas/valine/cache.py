"""A per-process cache whose entries expire: flags, secrets and the repository's catalog are
read once per ``max_age`` per warm container, which bounds how late a change is seen."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TtlCache(Generic[V]):
    def __init__(self, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        """The cached value, or ``load()``'s, kept for ``max_age`` seconds; failures are not kept."""
        now = self._clock()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and now - hit[0] < self.max_age:
            return hit[1]
        value = load()
        with self._lock:
            self._entries[key] = (now, value)
        return value

    def forget(self, key: Hashable | None = None) -> None:
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)
