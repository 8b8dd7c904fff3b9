"""What a parser returns: an intent, a clarification question, or an error for the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Intent:
    section: str
    changes: dict[str, str]
    parser: str = "rules"

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section, "changes": dict(self.changes)}


@dataclass(frozen=True)
class Clarify:
    question: str
    parser: str = "rules"

    def to_json(self) -> dict[str, Any]:
        return {"clarify": self.question}


@dataclass(frozen=True)
class ParseError:
    message: str
    parser: str = "rules"
    details: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"error": self.message}


ParseResult = Intent | Clarify | ParseError
