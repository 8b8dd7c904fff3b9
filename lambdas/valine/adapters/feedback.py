"""Feedback in the conversation table: ``FEEDBACK#<task>`` / ``USER#<user>`` (one vote per person
per task, changed in place) and ``FEEDBACK#TEXT#<id>`` for /feedback. All of it is on the by-time
index under ``FEEDBACK``, so a window is one query."""

from __future__ import annotations

from typing import Any

from valine.adapters.timestamps import iso as _iso
from valine.core.ports import Feedback

FEEDBACK_WRITE = ("dynamodb:UpdateItem", "dynamodb:PutItem")
FEEDBACK_READ = ("dynamodb:Query",)  # the by-time index




class DynamoFeedback:
    def __init__(self, client: Any, table_name: str, *, retention_days: int) -> None:
        self._db = client
        self._table = table_name
        self._retention = retention_days * 86400

    def _common(self, f: Feedback) -> dict[str, Any]:
        values = {":role": {"S": f.role}, ":phase": {"N": str(f.phase)}, ":at": {"N": f"{f.at:.3f}"},
                  ":when": {"S": _iso(f.at)}, ":k": {"S": "FEEDBACK"}, ":p": {"N": str(int(f.at + self._retention))}}
        if f.agent:
            values[":agent"] = {"S": f.agent}
        return values

    def vote(self, feedback: Feedback) -> None:
        assert feedback.task_id and feedback.vote in (1, -1)
        values = self._common(feedback) | {":vote": {"N": str(feedback.vote)}}
        fields = {"vote": ":vote", "role": ":role", "phase": ":phase", "at": ":at", "gsi2pk": ":k",
                  "created_at": ":when", "purge_at": ":p", **({"agent": ":agent"} if feedback.agent else {})}
        if feedback.comment:  # a 👎 with its comment: one write (an earlier comment is kept otherwise)
            fields |= {"comment": ":c", "commented_at": ":at"}
            values[":c"] = {"S": feedback.comment}
        # Every name through a placeholder: several (role, at, agent) are DynamoDB reserved words.
        self._db.update_item(TableName=self._table, Key=self._key(feedback.task_id, feedback.user_id),
                             UpdateExpression="SET " + ", ".join(f"#{k} = {v}" for k, v in fields.items()),
                             ExpressionAttributeValues=values, ExpressionAttributeNames={f"#{k}": k for k in fields})

    def free_text(self, feedback: Feedback, feedback_id: str) -> None:
        item = {"pk": {"S": f"FEEDBACK#TEXT#{feedback_id}"}, "sk": {"S": f"USER#{feedback.user_id}"},
                "vote": {"N": "0"}, "comment": {"S": feedback.comment}, "role": {"S": feedback.role},
                "phase": {"N": str(feedback.phase)}, "at": {"N": f"{feedback.at:.3f}"},
                "gsi2pk": {"S": "FEEDBACK"}, "created_at": {"S": _iso(feedback.at)},
                "purge_at": {"N": str(int(feedback.at + self._retention))}}
        self._db.put_item(TableName=self._table, Item=item)

    def between(self, start: float, end: float) -> list[Feedback]:
        out: list[Feedback] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": "by-time",
            "KeyConditionExpression": "gsi2pk = :k AND created_at BETWEEN :a AND :b",
            "ExpressionAttributeValues": {":k": {"S": "FEEDBACK"}, ":a": {"S": _iso(start)}, ":b": {"S": _iso(end)}}}
        while True:
            page = self._db.query(**kwargs)
            out.extend(_feedback(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return out
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    @staticmethod
    def _key(task_id: str, user_id: str) -> dict[str, Any]:
        return {"pk": {"S": f"FEEDBACK#{task_id}"}, "sk": {"S": f"USER#{user_id}"}}


def _feedback(item: dict[str, Any]) -> Feedback:
    pk = item["pk"]["S"].removeprefix("FEEDBACK#")
    return Feedback(user_id=item["sk"]["S"].removeprefix("USER#"), role=item.get("role", {}).get("S", "member"),
                    phase=int(item.get("phase", {}).get("N", "0")), at=float(item.get("at", {}).get("N", "0")),
                    task_id=None if pk.startswith("TEXT#") else pk, agent=item.get("agent", {}).get("S"),
                    vote=int(item.get("vote", {}).get("N", "0")), comment=item.get("comment", {}).get("S", ""))
