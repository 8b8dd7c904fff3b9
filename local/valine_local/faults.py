"""Fault switches shared by the emulators: ``POST /_emulator/faults`` or ``FAULTS=...``.

A fault is ``METHOD PATH-REGEX -> ACTION [xN]``; actions: a status code (``503``),
``429:2.5`` (rate limit with retry-after seconds), ``403:1`` (GitHub secondary rate limit),
``timeout:SECONDS`` (answer late), ``drop`` (close the connection, the request is not
served), ``lost`` (serve the request, then close the connection: it took effect but its
answer never arrives, like a response lost to a network fault), ``ratelimited:SECONDS``
(GitHub GraphQL's primary rate limit: HTTP 200 with a RATE_LIMITED error and the reset time in
``x-ratelimit-reset``; the request is not served). ``xN`` limits how many
requests it hits (default: all). Several faults are separated by ``;``. Example:

    FAULTS='POST /git/commits -> 502 x2; PATCH @original -> 429:1 x1'

DynamoDB faults use the method ``DDB``; their path is a regex over "<Operation> <pk>", so
they can aim at one item (a transaction's first item). Actions: ``throttle``
(ProvisionedThroughputExceededException), ``conditional`` (ConditionalCheckFailedException, or for
TransactWriteItems a TransactionCanceledException naming the first item) or a status. The task
writes that count against a rate limit are transactions: aim at ``(PutItem|TransactWriteItems)``. Examples:
``DDB PutItem -> throttle x2``, ``DDB PutItem.TASK#123 -> conditional x1``, ``DDB GetItem -> 500``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    action: str
    remaining: int | None

    def describe(self) -> str:
        times = "" if self.remaining is None else f" x{self.remaining}"
        return f"{self.method} {self.path.pattern} -> {self.action}{times}"


_SPEC = re.compile(r"^\s*(?P<method>[A-Z*]+)\s+(?P<path>\S+)\s*->\s*(?P<action>\S+)(?:\s+x(?P<n>\d+))?\s*$")


_ACTION = re.compile(r"^(\d{3}(:\d+(\.\d+)?)?|(timeout|ratelimited):\d+(\.\d+)?|drop|lost|throttle|conditional)$")


def parse_faults(spec: str) -> list[Fault]:
    faults = []
    for part in filter(str.strip, spec.split(";")):
        m = _SPEC.match(part)
        if not m:
            raise ValueError(f"fault {part!r} is not 'METHOD PATH-REGEX -> ACTION [xN]' "
                             "(e.g. 'POST /git/commits -> 502 x2')")
        action = m.group("action")
        if not _ACTION.match(action):
            raise ValueError(f"fault action {action!r} must be a status (503), 429:SECONDS, timeout:SECONDS, "
                             "ratelimited:SECONDS, drop, lost, or for DynamoDB (DDB <Operation>) throttle or "
                             "conditional")
        faults.append(Fault(m.group("method"), re.compile(m.group("path")), action,
                            int(m.group("n")) if m.group("n") else None))
    return faults


class FaultBook:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.hits: list[str] = []

    def set(self, faults: list[Fault]) -> None:
        with self._lock:
            self._faults = list(faults)
            self.hits = []

    def add(self, faults: list[Fault]) -> None:
        with self._lock:
            self._faults.extend(faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.hits = []

    def take(self, method: str, path: str) -> str | None:
        with self._lock:
            for fault in self._faults:
                if fault.method in (method, "*") and fault.path.search(path):
                    if fault.remaining is not None:
                        if fault.remaining <= 0:
                            continue
                        fault.remaining -= 1
                    self.hits.append(f"{method} {path} -> {fault.action}")
                    return fault.action
        return None

    def describe(self) -> list[str]:
        with self._lock:
            return [f.describe() for f in self._faults]
