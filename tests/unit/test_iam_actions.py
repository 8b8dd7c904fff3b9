"""GIVEN each function's DynamoDB adapters WHEN every method it uses runs (moto, in process)
THEN each call is covered by the IAM actions the stack grants that function, and nothing
granted goes unused. Transactions are authorised by their items' actions (DynamoDB
developer guide, "Using IAM with DynamoDB transactions")."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from valine.adapters import dynamodb as ddb
from valine.adapters.budget import DynamoBudget
from valine.adapters.feedback import DynamoFeedback
from valine.adapters.site_sections import SECTIONS_READ, SECTIONS_WRITE, DynamoSiteSections
from valine.agents import KILL_SWITCHES
from valine.core.ports import Feedback, Flags, Quota
from valine.core.task import Task, TaskState

TABLE = "valine-ux-agent-conversations-iam"
_ITEM_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                 "ConditionCheck": "ConditionCheckItem"}


@pytest.fixture
def db() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        gsi = [{"IndexName": name, "KeySchema": [{"AttributeName": pk, "KeyType": "HASH"},
                                                 {"AttributeName": "created_at", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}} for name, pk in (("by-requester", "gsi1pk"),
                                                                           ("by-time", "gsi2pk"))]
        client.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                       {"AttributeName": "sk", "KeyType": "RANGE"}],
                            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                                                  for n in ("pk", "sk", "gsi1pk", "gsi2pk", "created_at")],
                            GlobalSecondaryIndexes=gsi)
        yield client


def record(client: Any) -> list[tuple[str, bool]]:
    """(IAM action, whether it targets an index) for every call the client makes from now on."""
    seen: list[tuple[str, bool]] = []

    def before(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "TransactWriteItems":
            for item in params["TransactItems"]:
                (kind,) = item
                seen.append((f"dynamodb:{_ITEM_ACTIONS[kind]}", False))
        else:
            seen.append((f"dynamodb:{model.name}", "IndexName" in params))

    client.meta.events.register("before-parameter-build.dynamodb", before)
    return seen


def a_task() -> Task:
    now = time.time()
    return Task(task_id=str(time.time_ns()), requester_id="1", requester_name="a", requester_roles=("admin",),
                agent="ux", guild_id="g", channel_id="c", request="make the footer teal", state=TaskState.PROPOSED,
                created_at=now, updated_at=now, expires_at=now + 600)


def test_the_interactions_function_calls_only_what_it_is_granted(db):
    seen = record(db)
    store = ddb.DynamoTaskStore(db, TABLE, retention_days=90)
    flags = ddb.DynamoFlags(db, TABLE, defaults=Flags(), kill_switches=KILL_SWITCHES, max_age=0)
    task = a_task()
    assert store.create(task).ok
    assert store.create(a_task(), quota=Quota.hourly("1", "request", 5, time.time())).ok
    flags.read()
    got = store.get(task.task_id)
    assert got is not None
    moved = dataclasses.replace(got, state=TaskState.AWAITING_CONFIRMATION)
    assert store.transition(moved, expect=(TaskState.PROPOSED,), now=time.time(),
                            quota=Quota.hourly("1", "pr", 5, time.time())).ok
    assert store.update(task.task_id, changes={"state": TaskState.IN_PROGRESS}, event="confirmed",  # Confirm
                        expect=(TaskState.AWAITING_CONFIRMATION,), now=time.time(), expect_version=0).ok
    feedback = DynamoFeedback(db, TABLE, retention_days=90)  # 👍 / 👎, the comment modal, /feedback
    feedback.vote(Feedback(user_id="1", role="admin", phase=2, at=time.time(), task_id=task.task_id, vote=1))
    feedback.vote(Feedback(user_id="1", role="admin", phase=2, at=time.time(), task_id=task.task_id, vote=-1,
                           comment="fine"))  # the comment modal: its 👎 and comment in one write
    feedback.free_text(Feedback(user_id="1", role="admin", phase=2, at=time.time(), comment="hi"), "f1")
    store.recent(requester_id=None, limit=5)
    store.recent(requester_id="1", limit=5)
    store.expired_open(now=time.time(), created_after=time.time() - 3600, limit=5)  # the sweep's one query
    DynamoSiteSections(db, TABLE, max_age=0).current()  # the section option's autocomplete, /agents
    on_table = {a for a, index in seen if not index}
    on_index = {a for a, index in seen if index}
    assert on_table == {*ddb.TASK_STORE_READ_WRITE, *ddb.TASK_STORE_PINNED, *ddb.QUOTAS, *ddb.FLAGS_READ,
                        *SECTIONS_READ}
    assert on_index == set(ddb.TASK_STORE_AUDIT)


def test_the_worker_calls_only_what_it_is_granted(db):
    store = ddb.DynamoTaskStore(db, TABLE, retention_days=90)
    task = a_task()
    assert store.create(task).ok
    seen = record(db)
    flags = ddb.DynamoFlags(db, TABLE, defaults=Flags(), kill_switches=KILL_SWITCHES, max_age=0)
    flags.read()
    got = store.get(task.task_id)
    assert got is not None
    assert store.transition(dataclasses.replace(got, state=TaskState.AWAITING_CONFIRMATION),
                            expect=(TaskState.PROPOSED,), now=time.time()).ok
    sections = DynamoSiteSections(db, TABLE)
    sections.publish(["hero", "pricing"], "tree-1", time.time())
    DynamoSiteSections(db, TABLE).publish(["hero"], "tree-1", time.time())  # another container, same tree: refused
    assert sections.read() == ("hero", "pricing")
    assert {a for a, index in seen} == {*ddb.TASK_STORE_READ_WRITE, *ddb.FLAGS_READ, *SECTIONS_WRITE}
    assert not any(index for _, index in seen)
    # The LLM phases add the budget.
    seen.clear()
    budget = DynamoBudget(db, TABLE, stage="iam")
    assert budget.reserve(day="2026-11-29", amount_usd=0.01, cap_usd=5, reservation="r1")
    budget.settle(day="2026-11-29", reservation="r1", reserved_usd=0.01, actual_usd=0.001)
    budget.today(day="2026-11-29")
    assert {a for a, _ in seen} == set(ddb.BUDGET)
