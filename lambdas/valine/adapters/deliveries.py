"""GitHub webhook deliveries, in the conversation table (``DELIVERY#<id>``), purged by the table's
TTL after a week (GitHub redelivers for up to three days).

A claim is ``processing`` until the delivery was handled (``done``). A failed one is released; and
if even the release failed, its claim lapses after ``STALE_SECONDS`` (longer than the webhook
function may run), so GitHub's redelivery is handled rather than answered "duplicate"."""

from __future__ import annotations

from typing import Any

DELIVERIES = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")
KEEP_SECONDS = 7 * 86400
STALE_SECONDS = 60  # the webhook function's timeout is 10 s


class DynamoDeliveries:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def _key(self, delivery_id: str) -> dict[str, Any]:
        return {"pk": {"S": f"DELIVERY#{delivery_id}"}, "sk": {"S": "GITHUB"}}

    def claim(self, delivery_id: str, now: float) -> bool:
        try:
            self._db.put_item(
                TableName=self._table,
                Item={**self._key(delivery_id), "at": {"N": f"{now:.3f}"}, "status": {"S": "processing"},
                      "purge_at": {"N": str(int(now + KEEP_SECONDS))}},
                ConditionExpression="attribute_not_exists(pk) OR (#status = :processing AND #at < :stale)",
                ExpressionAttributeNames={"#status": "status", "#at": "at"},
                ExpressionAttributeValues={":processing": {"S": "processing"},
                                           ":stale": {"N": f"{now - STALE_SECONDS:.3f}"}})
        except self._db.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def done(self, delivery_id: str, now: float) -> None:
        self._db.update_item(TableName=self._table, Key=self._key(delivery_id),
                             UpdateExpression="SET #status = :done, done_at = :now",
                             ExpressionAttributeNames={"#status": "status"},
                             ExpressionAttributeValues={":done": {"S": "done"}, ":now": {"N": f"{now:.3f}"}})

    def release(self, delivery_id: str) -> None:
        self._db.delete_item(TableName=self._table, Key=self._key(delivery_id))
