"""Judging an agent's answer against a case's expectation (tests/sites/*/requests.jsonl).

``expect.outcome`` is edit, clarify or refuse. For an edit the pull request's files must be exactly
``files`` (none of ``not_files``); ``before`` must have been there, ``after`` and ``keep`` must be
there afterwards, ``gone`` must not, and ``count_before``/``count_after`` count occurrences over
``files``. Hex colours compare without case and JSX whitespace without layout, as the fixture's
README allows. A preview of a case that expects a question or a refusal, or an edit that misses
any check, is a *wrong* preview: the worst result, worse than asking."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

RIGHT, WRONG, MISSED = "right", "wrong", "missed"


@dataclass
class Verdict:
    result: str  # right | wrong | missed
    outcome: str  # what the agent did: edit | clarify | refuse | error
    why: list[str] = field(default_factory=list)


def _flat(text: str) -> str:
    return re.sub(r"#[0-9a-fA-F]{3,8}\b", lambda m: m.group(0).lower(), " ".join(text.split()))


def _count(text: str, needle: str) -> int:
    return _flat(text).count(_flat(needle))


def judge(expect: Mapping[str, Any], outcome: str, before: Mapping[str, str], after: Mapping[str, str]) -> Verdict:
    """``outcome``: edit (``after`` holds every changed file's new content), clarify, refuse or error."""
    wanted = expect.get("outcome", "edit")
    if outcome != "edit":
        if wanted == "edit":
            return Verdict(MISSED, outcome, [f"expected an edit, the agent answered with a {outcome}"])
        if outcome == wanted or (outcome in ("clarify", "refuse") and wanted in ("clarify", "refuse")):
            return Verdict(RIGHT if outcome == wanted else MISSED, outcome,
                           [] if outcome == wanted else [f"expected a {wanted}, the agent answered with a {outcome}"])
        return Verdict(MISSED, outcome, [f"expected a {wanted}, got {outcome}"])
    if wanted != "edit":
        return Verdict(WRONG, outcome, [f"expected a {wanted}, but the agent previewed an edit of "
                                        f"{', '.join(sorted(after))}"])
    why: list[str] = []
    changed = {p for p, text in after.items() if before.get(p) != text}
    files = set(expect.get("files") or [])
    if changed != files:
        missing, extra = sorted(files - changed), sorted(changed - files)
        if missing:
            why.append(f"did not change {', '.join(missing)}")
        if extra:
            why.append(f"changed {', '.join(extra)} too")
    for path in expect.get("not_files") or []:
        if path in changed:
            why.append(f"changed {path}, which must stay")
    old = "\n".join(before.get(p, "") for p in sorted(files))
    new = "\n".join(after.get(p, before.get(p, "")) for p in sorted(files))
    for text in expect.get("before") or []:
        if _count(old, text) == 0:
            why.append(f"before: {text[:60]!r} was not there to begin with (fixture drift)")
    for text in expect.get("after") or []:
        if _count(new, text) == 0:
            why.append(f"after: {text[:60]!r} is not there")
    for text in expect.get("keep") or []:
        if _count(new, text) == 0:
            why.append(f"keep: {text[:60]!r} was lost")
    for text in expect.get("gone") or []:
        if _count(new, text) > 0:
            why.append(f"gone: {text[:60]!r} is still there")
    for text, n in (expect.get("count_before") or {}).items():
        if _count(old, text) != n:
            why.append(f"count_before {text[:40]!r}: {_count(old, text)}, not {n}")
    for text, n in (expect.get("count_after") or {}).items():
        if _count(new, text) != n:
            why.append(f"count_after {text[:40]!r}: {_count(new, text)}, not {n}")
    return Verdict(WRONG if why else RIGHT, outcome, why)
