"""When each rollout phase started on a stage, in the conversation table: ``ROLLOUT`` /
``CURRENT`` holds the phase running now and since when; ``ROLLOUT`` / ``PHASE#<n>`` the latest
run of phase n (``since``, and ``until`` once another phase took over). The worker records it on
its first run of a new phase (the probe's heartbeat runs it within minutes of a deploy); the go/no-go
check reads it so a phase is judged only on its own traffic, and not before the plan's time."""

from __future__ import annotations

import datetime as dt
from typing import Any

PHASE_WRITE = ("dynamodb:UpdateItem",)
_KEY = "ROLLOUT"


class DynamoPhaseRecord:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def _key(self, sk: str) -> dict[str, Any]:
        return {"pk": {"S": _KEY}, "sk": {"S": sk}}

    def started(self, phase: int, now: float) -> bool:
        """Record that ``phase`` runs from ``now``, unless it already did: one conditional write in
        the common case. True if this call recorded a change of phase."""
        try:
            out = self._db.update_item(
                TableName=self._table, Key=self._key("CURRENT"),
                UpdateExpression="SET phase = :n, since = :now",
                ConditionExpression="attribute_not_exists(phase) OR phase <> :n",
                ExpressionAttributeValues={":n": {"N": str(phase)}, ":now": {"N": f"{now:.3f}"}},
                ReturnValues="UPDATED_OLD")
        except self._db.exceptions.ConditionalCheckFailedException:
            return False
        old = out.get("Attributes", {}).get("phase", {}).get("N")
        self._db.update_item(TableName=self._table, Key=self._key(f"PHASE#{phase}"),
                             UpdateExpression="SET since = :now REMOVE #until",
                             ExpressionAttributeNames={"#until": "until"},
                             ExpressionAttributeValues={":now": {"N": f"{now:.3f}"}})
        if old is not None and old != str(phase):
            self._db.update_item(TableName=self._table, Key=self._key(f"PHASE#{old}"),
                                 UpdateExpression="SET #until = :now", ExpressionAttributeNames={"#until": "until"},
                                 ExpressionAttributeValues={":now": {"N": f"{now:.3f}"}})
        return True

    def ran(self, phase: int) -> tuple[dt.datetime, dt.datetime | None] | None:
        """(since, until) of the phase's latest run, or None if it never ran on this stage."""
        item = self._db.get_item(TableName=self._table, Key=self._key(f"PHASE#{phase}"),
                                 ConsistentRead=True).get("Item")
        if not item or "since" not in item:
            return None

        def when(name: str) -> dt.datetime | None:
            return dt.datetime.fromtimestamp(float(item[name]["N"]), dt.UTC) if name in item else None

        since = when("since")
        assert since is not None
        return since, when("until")
