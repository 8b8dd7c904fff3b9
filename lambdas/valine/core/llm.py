"""The LLM port: one structured completion, and the shared daily budget that caps its spending."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class LlmReply:
    """One completion: its content or refusal, and the tokens the server reported (None when the
    server reported none, or nothing plausible: the budget then charges the worst case)."""

    content: str | None
    refusal: str | None
    input_tokens: int | None
    output_tokens: int | None


class LlmUnavailable(Exception):
    """Timeout, rate limit, server error or connection failure, after the allowed retries."""


class LlmClient(Protocol):
    """The LLM port: one structured completion."""

    def complete(self, *, system: str, user: str, schema: dict[str, Any], max_output_tokens: int) -> LlmReply:
        """Answer ``user`` under ``system`` in the JSON ``schema``, within ``max_output_tokens``."""


class Budget(Protocol):
    """A daily spending cap shared by every Lambda instance of a stage."""

    def reserve(self, *, day: str, amount_usd: float, cap_usd: float, reservation: str) -> bool:
        """Atomically add ``amount_usd`` to the day's committed spend unless that would pass the cap."""

    def settle(self, *, day: str, reservation: str, reserved_usd: float, actual_usd: float) -> None:
        """Replace the reservation by the actual cost, exactly once per reservation."""

    def today(self, *, day: str) -> dict[str, float]:
        """The day's committed and spent amounts, calls and open reservations."""
