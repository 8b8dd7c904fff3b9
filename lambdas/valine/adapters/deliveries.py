"""GitHub webhook deliveries already handled, in the conversation table (``DELIVERY#<id>``),
purged by the table's TTL after a week (GitHub redelivers for up to three days)."""

from __future__ import annotations

from typing import Any

DELIVERIES = ("dynamodb:PutItem", "dynamodb:DeleteItem")
KEEP_SECONDS = 7 * 86400


class DynamoDeliveries:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def _key(self, delivery_id: str) -> dict[str, Any]:
        return {"pk": {"S": f"DELIVERY#{delivery_id}"}, "sk": {"S": "GITHUB"}}

    def claim(self, delivery_id: str, now: float) -> bool:
        try:
            self._db.put_item(TableName=self._table, Item={**self._key(delivery_id), "at": {"N": f"{now:.3f}"},
                                                           "purge_at": {"N": str(int(now + KEEP_SECONDS))}},
                              ConditionExpression="attribute_not_exists(pk)")
        except self._db.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def release(self, delivery_id: str) -> None:
        self._db.delete_item(TableName=self._table, Key=self._key(delivery_id))
