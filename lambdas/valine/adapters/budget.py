"""The LLM's daily budget in the conversation table (see valine.agents.ux.llm.Budget)."""

from __future__ import annotations

import math
import random
import time
from typing import Any

DAY = 86400


class DynamoBudget:
    """The LLM's daily budget: one bucket item per stage and day, plus one item per reservation.

    ``committed`` = settled spend + open reservations. A reservation is a transaction that
    adds its worst case to ``committed`` only if the result stays within the cap, so the
    day's spend cannot pass the cap under any concurrency; settling replaces the worst case
    by the actual cost and is conditional on the reservation not being settled yet.
    """

    def __init__(self, client: Any, table_name: str, *, stage: str, clock: Any = time.time) -> None:
        self._db = client
        self._table = table_name
        self._stage = stage
        self._clock = clock

    def _bucket(self, day: str) -> dict[str, Any]:
        return {"pk": {"S": f"BUDGET#{self._stage}"}, "sk": {"S": day}}

    def reserve(self, *, day: str, amount_usd: float, cap_usd: float, reservation: str) -> bool:
        if not (math.isfinite(amount_usd) and amount_usd >= 0) or amount_usd > cap_usd:
            return False
        purge = {"N": str(int(self._clock() + 14 * DAY))}
        items = [
                {"Update": {
                    "TableName": self._table, "Key": self._bucket(day),
                    "UpdateExpression": "ADD committed :w, reservations :one SET purge_at = :p",
                    "ConditionExpression": "attribute_not_exists(committed) OR committed <= :room",
                    "ExpressionAttributeValues": {":w": {"N": f"{amount_usd:.8f}"}, ":one": {"N": "1"},
                                                  ":room": {"N": f"{cap_usd - amount_usd:.8f}"}, ":p": purge},
                }},
                {"Put": {
                    "TableName": self._table,
                    "Item": {**self._bucket(f"{day}#R#{reservation}"), "reserved": {"N": f"{amount_usd:.8f}"},
                             "purge_at": purge},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }},
            ]
        return self._transact(items)

    def settle(self, *, day: str, reservation: str, reserved_usd: float, actual_usd: float) -> None:
        if not (math.isfinite(actual_usd) and actual_usd >= 0):
            actual_usd = reserved_usd  # no measurement: the worst case stays charged, nothing is credited
        # A refused condition means already settled: charging twice is what this prevents.
        self._transact([
                {"Update": {
                    "TableName": self._table, "Key": self._bucket(f"{day}#R#{reservation}"),
                    "UpdateExpression": "SET settled = :t, actual = :a",
                    "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(settled)",
                    "ExpressionAttributeValues": {":t": {"BOOL": True}, ":a": {"N": f"{actual_usd:.8f}"}},
                }},
                {"Update": {
                    "TableName": self._table, "Key": self._bucket(day),
                    "UpdateExpression": "ADD committed :d, spent :a, calls :one",
                    "ExpressionAttributeValues": {":d": {"N": f"{actual_usd - reserved_usd:.8f}"},
                                                  ":a": {"N": f"{actual_usd:.8f}"}, ":one": {"N": "1"}},
                }},
            ])

    def _transact(self, items: list[dict[str, Any]], attempts: int = 8) -> bool:
        """True if written, False if a condition refused it. Conflicts with concurrent
        transactions on the same bucket (TransactionConflict) are retried, never taken
        for a refusal: that would lose a settlement or refuse a call within budget."""
        for attempt in range(attempts):
            try:
                self._db.transact_write_items(TransactItems=items)
                return True
            except self._db.exceptions.TransactionCanceledException as exc:
                codes = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
                if "ConditionalCheckFailed" in codes:
                    return False
                if attempt == attempts - 1:
                    raise
                time.sleep(random.uniform(0.005, 0.02) * (2 ** attempt))
        return False

    def today(self, *, day: str) -> dict[str, float]:
        item = self._db.get_item(TableName=self._table, Key=self._bucket(day), ConsistentRead=True).get("Item") or {}
        return {k: float(item[k]["N"]) if k in item else 0.0 for k in ("spent", "committed", "calls", "reservations")}
