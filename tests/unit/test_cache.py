"""GIVEN a TtlCache WHEN read within and after max_age THEN it reloads only after max_age."""

from __future__ import annotations

import pytest

from valine.cache import TtlCache


def test_values_are_kept_for_max_age_then_reloaded_and_failures_are_not_kept():
    now = [100.0]
    cache: TtlCache[int] = TtlCache(30.0, clock=lambda: now[0])
    loads = []

    def load() -> int:
        loads.append(now[0])
        return len(loads)

    assert cache.get("k", load) == 1
    now[0] += 29.9
    assert cache.get("k", load) == 1
    now[0] += 0.1
    assert cache.get("k", load) == 2
    cache.forget("k")
    assert cache.get("k", load) == 3
    with pytest.raises(RuntimeError):
        cache.get("other", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    assert cache.get("other", load) == 4  # the failure was not cached
