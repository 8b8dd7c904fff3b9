"""Tasks and flags in the conversation table (DynamoDB)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from valine.adapters.task_items import PATCHED, task_from_item, task_to_doc
from valine.adapters.timestamps import iso as _iso
from valine.core.ports import Quota, TransitionError, TransitionResult
from valine.core.task import Task, TaskState

DAY = 86400


# The IAM actions each adapter calls; the stack grants each function exactly the union of
# what it uses (tests/unit/test_iam_actions.py records the calls against moto). Transactions
# are authorised by their items' actions ("Using IAM with DynamoDB transactions").
TASK_STORE_READ_WRITE = ("dynamodb:GetItem", "dynamodb:PutItem")
TASK_STORE_PINNED = ("dynamodb:UpdateItem",)  # update(): Confirm and Edit without a read (interactions)
QUOTAS = ("dynamodb:UpdateItem",)  # the per-user counters, in the same transaction as the task write
TASK_STORE_AUDIT = ("dynamodb:Query",)  # recent(), expired_open(): the by-requester and by-time indexes
BUDGET = ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")




class DynamoTaskStore:
    """TaskStore on one table: ``pk=TASK#<id>``; two GSIs give the audit trail."""

    def __init__(self, client: Any, table_name: str, *, retention_days: int) -> None:
        self._db = client
        self._table = table_name
        self._retention = retention_days * DAY

    def _item(self, task: Task) -> dict[str, Any]:
        purge_from = task.updated_at if task.state.terminal else max(task.expires_at, task.updated_at)
        return {
            "pk": {"S": f"TASK#{task.task_id}"},
            "sk": {"S": "TASK"},
            "state": {"S": task.state.value},
            "requester_id": {"S": task.requester_id},
            "agent": {"S": task.agent},  # top level, so a write can be conditional on whose task it is
            "expires_at": {"N": f"{task.expires_at:.3f}"},
            "version": {"N": str(task.version)},
            "created_at": {"S": _iso(task.created_at)},
            "gsi1pk": {"S": f"USER#{task.requester_id}"},
            "gsi2pk": {"S": "TASKS"},
            "purge_at": {"N": str(int(purge_from + self._retention))},
            "doc": {"S": task_to_doc(task)},
        }

    def create(self, task: Task, *, quota: Quota | None = None) -> TransitionResult:
        put = {"TableName": self._table, "Item": self._item(task), "ConditionExpression": "attribute_not_exists(pk)"}
        return self._write(put, quota, on_refused=lambda: TransitionResult(self.get(task.task_id),
                                                                           TransitionError.DUPLICATE), task=task)

    def _write(self, put: dict[str, Any], quota: Quota | None, *, on_refused: Callable[[], TransitionResult],
               task: Task) -> TransitionResult:
        """One conditional PutItem, or with a quota one transaction of the put and the counter:
        the same single round trip, and the counter can never pass its limit under any burst."""
        try:
            if quota is None:
                self._db.put_item(**put)
            else:
                self._db.transact_write_items(TransactItems=[{"Put": put}, {"Update": self._count(quota)}])
        except self._db.exceptions.ConditionalCheckFailedException:
            return on_refused()
        except self._db.exceptions.TransactionCanceledException as exc:
            codes = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if codes[:1] == ["ConditionalCheckFailed"]:
                return on_refused()
            if codes[1:2] == ["ConditionalCheckFailed"]:
                return TransitionResult(task, TransitionError.RATE_LIMITED)
            raise
        return TransitionResult(task)

    def _count(self, quota: Quota) -> dict[str, Any]:
        window = dt.datetime.fromtimestamp(quota.window_start, dt.UTC).strftime("%Y%m%dT%H%M")
        return {
            "TableName": self._table,
            "Key": {"pk": {"S": f"QUOTA#{quota.user_id}"}, "sk": {"S": f"{quota.kind}#{window}"}},
            "UpdateExpression": "ADD used :one SET purge_at = :p",
            "ConditionExpression": "attribute_not_exists(used) OR used < :limit",
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":limit": {"N": str(quota.limit)},
                                          ":p": {"N": str(int(quota.resets_at + DAY))}},
        }

    def get(self, task_id: str) -> Task | None:
        out = self._db.get_item(TableName=self._table, Key={"pk": {"S": f"TASK#{task_id}"}, "sk": {"S": "TASK"}},
                                ConsistentRead=True)
        item = out.get("Item")
        return task_from_item(item) if item else None

    def _conditions(self, *, expect: tuple[TaskState, ...], now: float, actor_id: str | None, actor_is_admin: bool,
                    expect_version: int | None, check_expiry: bool,
                    expect_agent: str | None = None) -> tuple[str, dict[str, str], dict[str, Any]]:
        names = {"#state": "state"}
        values: dict[str, Any] = {}
        conditions = ["attribute_exists(pk)"]
        states = []
        for i, state in enumerate(expect):
            values[f":s{i}"] = {"S": state.value}
            states.append(f":s{i}")
        conditions.append(f"#state IN ({', '.join(states)})")
        if actor_id is not None and not actor_is_admin:
            conditions.append("requester_id = :actor")
            values[":actor"] = {"S": actor_id}
        if check_expiry:
            conditions.append("expires_at > :now")
            values[":now"] = {"N": f"{now:.3f}"}
        if expect_version is not None:
            conditions.append("version = :v")
            values[":v"] = {"N": str(expect_version)}
        if expect_agent is not None:
            # Items written before the attribute existed lack it; they expire within one preview's TTL.
            names["#agent"] = "agent"
            conditions.append("(#agent = :agent OR attribute_not_exists(#agent))")
            values[":agent"] = {"S": expect_agent}
        return " AND ".join(conditions), names, values

    def transition(self, task: Task, *, expect: tuple[TaskState, ...], now: float, actor_id: str | None = None,
                   actor_is_admin: bool = False, expect_version: int | None = None,
                   check_expiry: bool = True, quota: Quota | None = None) -> TransitionResult:
        condition, names, values = self._conditions(expect=expect, now=now, actor_id=actor_id,
                                                    actor_is_admin=actor_is_admin, expect_version=expect_version,
                                                    check_expiry=check_expiry)
        put = {"TableName": self._table, "Item": self._item(task), "ConditionExpression": condition,
               "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}

        def refused() -> TransitionResult:
            current = self.get(task.task_id)
            return TransitionResult(current, _why(current, expect, now, actor_id, actor_is_admin,
                                                  expect_version, check_expiry))
        return self._write(put, quota, on_refused=refused, task=task)

    def update(self, task_id: str, *, changes: Mapping[str, Any], event: str, expect: tuple[TaskState, ...],
               now: float, by: str | None = None, actor_id: str | None = None, actor_is_admin: bool = False,
               expect_version: int | None = None, check_expiry: bool = True,
               quota: Quota | None = None, expect_agent: str | None = None) -> TransitionResult:
        condition, names, values = self._conditions(expect=expect, now=now, actor_id=actor_id,
                                                    actor_is_admin=actor_is_admin, expect_version=expect_version,
                                                    check_expiry=check_expiry, expect_agent=expect_agent)
        sets = []
        for i, (field, value) in enumerate({**changes, "updated_at": now}.items()):
            if field == "state":
                sets.append("#state = :new_state")
                values[":new_state"] = {"S": TaskState(value).value}
            elif field == "version":
                sets.append("version = :new_version")
                values[":new_version"] = {"N": str(int(value))}
            elif field == "expires_at":
                sets += ["expires_at = :new_expires", "purge_at = :new_purge"]
                values[":new_expires"] = {"N": f"{value:.3f}"}
                values[":new_purge"] = {"N": str(int(max(value, now) + self._retention))}
            elif field in ("task_id", "requester_id", "history"):
                raise ValueError(f"update() cannot change {field}")
            else:
                names[f"#f{i}"] = f"{PATCHED}{field}"
                values[f":f{i}"] = {"S": json.dumps(value.value if isinstance(value, TaskState) else value)}
                sets.append(f"#f{i} = :f{i}")
        entry: dict[str, Any] = {"at": round(now, 3), "event": event}
        if by:
            entry["by"] = by
        sets.append("events = list_append(if_not_exists(events, :no_events), :event)")
        values[":no_events"] = {"L": []}
        values[":event"] = {"L": [{"S": json.dumps(entry, separators=(",", ":"))}]}
        request = {"TableName": self._table, "Key": {"pk": {"S": f"TASK#{task_id}"}, "sk": {"S": "TASK"}},
                   "UpdateExpression": "SET " + ", ".join(sets), "ConditionExpression": condition,
                   "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
                   "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
        item: dict[str, Any] | None = None
        try:
            if quota is None:
                out = self._db.update_item(**request, ReturnValues="ALL_NEW")
                return TransitionResult(task_from_item(out["Attributes"]))
            self._db.transact_write_items(TransactItems=[{"Update": request}, {"Update": self._count(quota)}])
            return TransitionResult(None)
        except self._db.exceptions.ConditionalCheckFailedException as exc:
            item = exc.response.get("Item")
        except self._db.exceptions.TransactionCanceledException as exc:
            reasons = exc.response.get("CancellationReasons", [])
            codes = [r.get("Code") for r in reasons]
            if codes[1:2] == ["ConditionalCheckFailed"] and codes[:1] != ["ConditionalCheckFailed"]:
                return TransitionResult(None, TransitionError.RATE_LIMITED)
            if codes[:1] != ["ConditionalCheckFailed"]:
                raise
            item = reasons[0].get("Item")
        # The item as it was comes back with the refusal; a store that does not return it is read.
        current = task_from_item(item) if item else self.get(task_id)
        if current is not None and expect_agent is not None and current.agent != expect_agent:
            return TransitionResult(current, TransitionError.NOT_FOUND)  # not this agent's task
        return TransitionResult(current, _why(current, expect, now, actor_id, actor_is_admin, expect_version,
                                              check_expiry))

    def recent(self, *, requester_id: str | None, limit: int) -> list[Task]:
        if requester_id is None:
            index, key = "by-time", {":k": {"S": "TASKS"}}
            cond = "gsi2pk = :k"
        else:
            index, key = "by-requester", {":k": {"S": f"USER#{requester_id}"}}
            cond = "gsi1pk = :k"
        out = self._db.query(TableName=self._table, IndexName=index, KeyConditionExpression=cond,
                             ExpressionAttributeValues=key, ScanIndexForward=False, Limit=limit)
        return [task_from_item(i) for i in out.get("Items", [])]


    def created_between(self, start: float, end: float) -> list[Task]:
        return [task_from_item(i) for i in self.items_between(start, end)]

    def items_between(self, start: float, end: float) -> list[dict[str, Any]]:
        """The task items created in a window, as stored (the integrity check reads them raw)."""
        out: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": "by-time",
            "KeyConditionExpression": "gsi2pk = :k AND created_at BETWEEN :a AND :b",
            "ExpressionAttributeValues": {":k": {"S": "TASKS"}, ":a": {"S": _iso(start)}, ":b": {"S": _iso(end)}},
        }
        while True:
            page = self._db.query(**kwargs)
            out.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return out
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def expired_open(self, *, now: float, created_after: float, limit: int) -> list[Task]:
        out: list[Task] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": "by-time",
            "KeyConditionExpression": "gsi2pk = :k AND created_at >= :since",
            "FilterExpression": "#state IN (:p, :a) AND expires_at <= :now",
            "ExpressionAttributeNames": {"#state": "state"},
            "ExpressionAttributeValues": {":k": {"S": "TASKS"}, ":since": {"S": _iso(created_after)},
                                          ":p": {"S": TaskState.PROPOSED.value},
                                          ":a": {"S": TaskState.AWAITING_CONFIRMATION.value},
                                          ":now": {"N": f"{now:.3f}"}},
        }
        while len(out) < limit:
            page = self._db.query(**kwargs)
            out.extend(task_from_item(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return out[:limit]


def _why(current: Task | None, expect: tuple[TaskState, ...], now: float, actor_id: str | None,
         actor_is_admin: bool, expect_version: int | None, check_expiry: bool) -> TransitionError:
    if current is None:
        return TransitionError.NOT_FOUND
    if current.state not in expect:
        return TransitionError.WRONG_STATE
    if actor_id is not None and not actor_is_admin and current.requester_id != actor_id:
        return TransitionError.NOT_ALLOWED
    if check_expiry and current.expires_at <= now:
        return TransitionError.EXPIRED
    if expect_version is not None and current.version != expect_version:
        return TransitionError.STALE
    return TransitionError.WRONG_STATE


# The kill switches live in the same table; kept importable from here (the CLI and tests use ddb.*).
from valine.adapters.flags import FLAGS_READ, DynamoFlags  # noqa: E402

__all__ = ["FLAGS_READ", "DynamoFlags", "DynamoTaskStore", "task_from_item", "task_to_doc"]
