"""Confirm and Edit change a task without reading it first (one conditional write on the
3-second path), pinned to the version on the button: on DynamoDB (moto, in process) and on the
fake, which the lifecycle tests use."""

from __future__ import annotations

import dataclasses
import time

import pytest

from tests.fakes.ports import FakeTaskStore
from tests.unit.test_iam_actions import TABLE, a_task, db  # noqa: F401  (the moto table fixture)
from valine.adapters import dynamodb as ddb
from valine.core.ports import Quota, TransitionError
from valine.core.task import TaskState

CONFIRM = {"state": TaskState.IN_PROGRESS, "confirmed_by": "1", "confirmed_at": 0.0}


@pytest.fixture(params=["dynamodb", "fake"])
def store(request, db):  # noqa: F811
    return ddb.DynamoTaskStore(db, TABLE, retention_days=90) if request.param == "dynamodb" else FakeTaskStore()


def awaiting(store):
    task = dataclasses.replace(a_task(), state=TaskState.AWAITING_CONFIRMATION, version=3, preview_diff="-a\n+b")
    assert store.create(task).ok
    return task


def test_a_confirm_pinned_to_the_previewed_version_writes_once_and_returns_the_task(store):
    task = awaiting(store)
    now = time.time()
    result = store.update(task.task_id, changes=CONFIRM | {"confirmed_at": now}, event="confirmed", by="1",
                          expect=(TaskState.AWAITING_CONFIRMATION,), now=now, actor_id="1", expect_version=3)
    assert result.ok and result.task is not None
    got = store.get(task.task_id)
    assert got == result.task
    assert got.state is TaskState.IN_PROGRESS and got.confirmed_by == "1" and got.confirmed_at == now
    assert got.version == 3 and got.preview_diff == "-a\n+b" and got.request == task.request
    assert got.history[-1] == {"at": round(now, 3), "event": "confirmed", "by": "1"}


def test_an_edit_since_the_preview_makes_the_confirm_stale_and_returns_the_task_as_it_is(store):
    task = awaiting(store)
    now = time.time()
    edited = store.update(task.task_id, changes={"request": "make it red", "state": TaskState.PROPOSED,
                                                 "version": 4, "preview_diff": None, "expires_at": now + 600},
                          event="edited", by="1", expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION),
                          now=now, actor_id="1", expect_version=3)
    assert edited.ok
    stale = store.update(task.task_id, changes=CONFIRM, event="confirmed", expect=(TaskState.PROPOSED,
                                                                                   TaskState.AWAITING_CONFIRMATION),
                         now=now, actor_id="1", expect_version=3)
    assert stale.error is TransitionError.STALE
    assert stale.task is not None and stale.task.request == "make it red" and stale.task.version == 4
    assert stale.task.preview_diff is None


@pytest.mark.parametrize("who,admin,error", [("2", False, TransitionError.NOT_ALLOWED), ("2", True, None)])
def test_only_the_requester_or_an_admin(store, who, admin, error):
    task = awaiting(store)
    result = store.update(task.task_id, changes=CONFIRM, event="confirmed", expect=(TaskState.AWAITING_CONFIRMATION,),
                          now=time.time(), actor_id=who, actor_is_admin=admin, expect_version=3)
    assert result.error is error


def test_expired_missing_and_wrong_state_are_told_apart(store):
    task = awaiting(store)
    late = store.update(task.task_id, changes=CONFIRM, event="confirmed", expect=(TaskState.AWAITING_CONFIRMATION,),
                        now=task.expires_at + 1, actor_id="1", expect_version=3)
    assert late.error is TransitionError.EXPIRED and late.task is not None
    gone = store.update("nope", changes=CONFIRM, event="confirmed", expect=(TaskState.AWAITING_CONFIRMATION,),
                        now=time.time(), expect_version=3)
    assert gone.error is TransitionError.NOT_FOUND and gone.task is None
    assert store.update(task.task_id, changes=CONFIRM, event="confirmed", expect=(TaskState.AWAITING_CONFIRMATION,),
                        now=time.time(), expect_version=3).ok
    twice = store.update(task.task_id, changes=CONFIRM, event="confirmed", expect=(TaskState.AWAITING_CONFIRMATION,),
                         now=time.time(), expect_version=3)
    assert twice.error is TransitionError.WRONG_STATE and twice.task.state is TaskState.IN_PROGRESS


def test_with_a_quota_the_write_and_the_counter_are_one_transaction(store):
    task = awaiting(store)
    now = time.time()
    quota = Quota.hourly("1", "pr", 1, now)
    assert store.update(task.task_id, changes=CONFIRM, event="confirmed", expect=(TaskState.AWAITING_CONFIRMATION,),
                        now=now, expect_version=3, quota=quota).ok
    other = awaiting(store)
    refused = store.update(other.task_id, changes=CONFIRM, event="confirmed",
                           expect=(TaskState.AWAITING_CONFIRMATION,), now=now, expect_version=3, quota=quota)
    assert refused.error is TransitionError.RATE_LIMITED
    assert store.get(other.task_id).state is TaskState.AWAITING_CONFIRMATION  # nothing written


def test_a_full_write_after_an_update_keeps_what_the_update_changed(store):
    task = awaiting(store)
    now = time.time()
    assert store.update(task.task_id, changes=CONFIRM, event="confirmed", expect=(TaskState.AWAITING_CONFIRMATION,),
                        now=now, expect_version=3).ok
    got = store.get(task.task_id)
    done = got.with_event(now, "pull request opened", state=TaskState.COMPLETED, pr_number=7)
    assert store.transition(done, expect=(TaskState.IN_PROGRESS,), now=now, check_expiry=False).ok
    final = store.get(task.task_id)
    assert final.state is TaskState.COMPLETED and final.confirmed_by == "1" and final.pr_number == 7
    assert [h["event"] for h in final.history] == [*(h["event"] for h in task.history), "confirmed",
                                                   "pull request opened"]
