"""An in-memory Metrics port (valine.core.ports.Metrics)."""

from __future__ import annotations

from valine.core.ports import Metrics


class RecordingMetrics:
    def __init__(self) -> None:
        self.points: list[tuple[str, float, dict[str, str]]] = []

    def count(self, name: str, value: float = 1, **dimensions: str) -> None:
        self.points.append((name, value, dimensions))

    def timing(self, name: str, milliseconds: float, **dimensions: str) -> None:
        self.points.append((name, milliseconds, dimensions))

    def percent(self, name: str, value: float, **dimensions: str) -> None:
        self.points.append((name, value, dimensions))

    def money(self, name: str, usd: float, **dimensions: str) -> None:
        self.points.append((name, usd, dimensions))

    def total(self, name: str, **dimensions: str) -> float:
        return sum(v for n, v, d in self.points if n == name and all(d.get(k) == x for k, x in dimensions.items()))


_: Metrics = RecordingMetrics()  # type-checked: the fake cannot drift from the port
