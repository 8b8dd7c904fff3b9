"""No silent holes on the GitHub webhook's path (#19): a lost answer to a notice tells the requester
once, GitHub is answered in time while Discord rate-limits, a redelivery is processed, bad or odd
payloads get 400, and a closed-then-reopened pull request or a null number changes no task."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.integration.emf import emf_lines
from valine_local.stack import LocalStack

_COLOURS = iter(["tomato", "salmon", "coral", "gold", "navy", "teal", "olive", "maroon", "plum", "tan", "crimson",
                 "indigo"])


def _opened(client: Any, stack: LocalStack, user: str) -> tuple[str, dict[str, Any]]:
    """A draft pull request the bot opened (a footer colour, on the base as it is now)."""
    from tests.integration.conftest import preview
    from tests.integration.test_conversation import task_id_of
    from tests.integration.test_github_flow import confirm_and_wait, pr_for

    message = preview(client, f"make the footer {next(_COLOURS)}", user=user)
    done = confirm_and_wait(client, message, user=user)
    assert "pull request #" in done["content"], done["content"]
    return task_id_of(message), pr_for(stack, done)


def _notices(stack: LocalStack, number: int) -> list[dict[str, Any]]:
    return [m for m in stack.discord.messages.values() if m.get("channel_id")
            and f"pull request #{number} " in m["content"]]


@pytest.fixture
def _main_back(stack: LocalStack) -> Any:
    before = stack.github.repo.rev("refs/heads/main")
    yield
    stack.github.repo.git("update-ref", "refs/heads/main", before)


def test_a_lost_answer_to_the_notice_does_not_tell_the_requester_twice(client: Any, stack: LocalStack,
                                                                        _main_back: Any) -> None:
    from tests.integration.conftest import wait_for
    from valine_local.faults import parse_faults

    _, pr = _opened(client, stack, "holes-lost")
    # GIVEN Discord takes the channel post but its answer never arrives (then answers normally)
    stack.discord.faults.set(parse_faults(r"POST /channels/\d+/messages -> lost x1"))
    out = stack.github.close_pull(pr["number"], merge=True, by="reviewer")
    # THEN GitHub is answered at once, and after the retry the requester has exactly one notice
    assert [d["status"] for d in out["deliveries"]] == [200]
    assert wait_for(lambda: _notices(stack, pr["number"]), timeout=20)
    time.sleep(1.5)
    assert len(_notices(stack, pr["number"])) == 1


def test_github_is_answered_in_time_while_discord_rate_limits(client: Any, stack: LocalStack, _main_back: Any) -> None:
    from tests.integration.conftest import wait_for
    from valine_local.faults import parse_faults

    _, pr = _opened(client, stack, "holes-429")
    stack.discord.faults.set(parse_faults(r"POST /channels/\d+/messages -> 429:3 x2"))
    started = time.monotonic()
    out = stack.github.close_pull(pr["number"], merge=False, by="reviewer")
    # THEN the delivery is answered well within GitHub's 10 s; the notice follows when Discord lets it
    assert [d["status"] for d in out["deliveries"]] == [200] and time.monotonic() - started < 5
    assert wait_for(lambda: _notices(stack, pr["number"]), timeout=30)
    assert len(_notices(stack, pr["number"])) == 1


def test_a_redelivery_of_a_failed_delivery_is_processed(client: Any, stack: LocalStack, _main_back: Any) -> None:
    from tests.integration.conftest import wait_for
    from tests.integration.test_conversation import task_item
    from valine_local.faults import parse_faults

    task_id, pr = _opened(client, stack, "holes-redeliver")
    # GIVEN reading the task fails, and so does releasing the delivery's claim
    stack.moto.faults.set(parse_faults(f"DDB GetItem.TASK#{task_id} -> 500 x6; DDB DeleteItem.DELIVERY# -> 500 x6"))
    out = stack.github.close_pull(pr["number"], merge=True, by="reviewer")
    assert [d["status"] for d in out["deliveries"]] != [200]
    stack.moto.faults.set([])
    # WHEN GitHub redelivers it (after the claim lapsed) THEN the merge is recorded and told once
    from valine.adapters import deliveries

    (delivery,) = out["deliveries"]
    item_key = {"pk": {"S": f"DELIVERY#{delivery['id']}"}, "sk": {"S": "GITHUB"}}
    stack.dynamodb.update_item(TableName=stack.TABLE, Key=item_key, UpdateExpression="SET #at = :old",
                               ExpressionAttributeNames={"#at": "at"},
                               ExpressionAttributeValues={
                                   ":old": {"N": str(time.time() - deliveries.STALE_SECONDS - 1)}})
    assert stack.github.redeliver(delivery["id"]) == 200
    assert task_item(stack, task_id)["state"] == "merged"
    assert wait_for(lambda: _notices(stack, pr["number"]), timeout=20)


def _post(stack: LocalStack, raw: bytes, delivery: str = "0b3e1f7a-1111-2222-3333-444455556666") -> Any:
    import hashlib
    import hmac

    import requests

    sig = "sha256=" + hmac.new(stack.webhook_secret.encode(), raw, hashlib.sha256).hexdigest()
    return requests.post(f"{stack.url}/github", data=raw, timeout=5, headers={
        "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": delivery, "X-Hub-Signature-256": sig,
        "Content-Type": "application/json"})


@pytest.mark.parametrize("body", [
    {"action": "closed", "pull_request": "x", "repository": {"full_name": "example-org/valine-site"}},
    {"action": "closed", "pull_request": None, "repository": {"full_name": "example-org/valine-site"}},
    {"action": "closed", "pull_request": [1], "repository": {"full_name": "example-org/valine-site"}},
    {"action": "closed", "pull_request": {"head": "main"}, "repository": {"full_name": "example-org/valine-site"}},
    [1, 2, 3],
])
def test_signed_bad_shapes_get_400(stack: LocalStack, body: Any) -> None:

    answer = _post(stack, json.dumps(body).encode())
    assert answer.status_code == 400, answer.text


def test_deep_json_and_a_long_delivery_id_get_400(stack: LocalStack) -> None:
    assert _post(stack, b"[" * 60000 + b"]" * 60000).status_code == 400
    assert _post(stack, b'{"action": "closed"}', delivery="d" * 4000).status_code == 400


def test_closed_then_reopened_is_no_rejection(client: Any, stack: LocalStack, capfd: Any, _main_back: Any) -> None:
    from tests.integration.test_conversation import task_item

    task_id, pr = _opened(client, stack, "holes-reopen")
    capfd.readouterr()
    stack.github.close_pull(pr["number"], merge=False, by="reviewer")
    assert task_item(stack, task_id)["state"] == "rejected"
    assert stack.github.reopen_pull(pr["number"], by="reviewer")["deliveries"][0]["status"] == 200
    assert task_item(stack, task_id)["state"] == "completed"
    stack.github.close_pull(pr["number"], merge=True, by="reviewer")
    assert task_item(stack, task_id)["state"] == "merged"
    counted = [m["Name"] for line in emf_lines(capfd.readouterr().out) for b in line["_aws"]["CloudWatchMetrics"]
               for m in b["Metrics"]]
    # one rejection, taken back: the rejection rate is (rejected - reopened) / closed = 0
    assert counted.count("PullRequestsRejected") == 1 and counted.count("PullRequestsReopened") == 1
    assert counted.count("PullRequestsMerged") == 1


def test_a_null_number_does_not_mark_a_dry_run_task_merged(client: Any, stack: LocalStack) -> None:
    import dataclasses

    from tests.integration.test_conversation import task_item
    from valine.adapters.dynamodb import DynamoTaskStore
    from valine.core.task import Task, TaskState

    # GIVEN a phase-1 dry run's task: completed, with a branch name's id but no pull request
    store = DynamoTaskStore(stack.dynamodb, stack.TABLE, retention_days=30)
    now = time.time()
    task = Task(task_id="1311000000000000001", requester_id="1", requester_name="d", requester_roles=("admin",),
                agent="ux", guild_id="g", channel_id="c", request="make it blue", state=TaskState.PROPOSED,
                created_at=now, updated_at=now, expires_at=now + 3600)
    assert store.create(task).ok
    done = dataclasses.replace(task, state=TaskState.COMPLETED, outcome="dry run: phase 1 makes no pull request")
    assert store.transition(done, expect=(TaskState.PROPOSED,), now=now, check_expiry=False).ok
    event = {"action": "closed", "number": None, "sender": {"login": "eve"},
             "repository": {"full_name": "example-org/valine-site"},
             "pull_request": {"number": None, "merged": True, "merged_by": {"login": "eve"},
                              "head": {"ref": f"ux-update/header-20261201-000000-{task.task_id}"}}}
    # WHEN a signed event says that branch's pull request (number null) was merged
    answer = _post(stack, json.dumps(event).encode(), delivery="9d1c6a52-0000-4000-8000-000000000001")
    # THEN it is refused and the task stays a dry run
    assert answer.status_code == 400
    event["pull_request"]["number"] = event["number"] = 1
    answer = _post(stack, json.dumps(event).encode(), delivery="9d1c6a52-0000-4000-8000-000000000002")
    assert answer.status_code == 202 and answer.json() == {"ignored": "no task opened this pull request"}
    assert task_item(stack, task.task_id)["state"] == "completed"


# ---- point 6: odd inputs are refusals, not failures ----------------------------------------------
