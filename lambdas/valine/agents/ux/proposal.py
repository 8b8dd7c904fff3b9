"""What an edit of the site gives: a proposal (the splices, what they change, the intent), or a
question back to the person (with the candidates to pick from); and a candidate the choosing ranks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from valine.core.work import Choice
from valine.site.render import Item
from valine.site.values import Str
from valine.site.writing import Splice


@dataclass
class Proposal:
    """The splices that make the change, and what it is (summary, part, intent, notes)."""

    splices: list[Splice]
    summary: str
    part: str
    intent: dict[str, Any]
    notes: list[str] = field(default_factory=list)


@dataclass
class Question:
    """What the person is asked instead of a change, with the candidates to pick from."""

    text: str
    outcome: str = "clarify"  # "clarify": a question; "unsupported": what cannot be done, and what can
    choices: list[Choice] = field(default_factory=list)


Result = Proposal | Question


@dataclass
class Candidate:
    """One literal that may be what the request means: every place it shows, and how well it fits."""

    source: Str
    items: list[Item]
    score: float

    @property
    def first(self) -> Item:
        return self.items[0]
