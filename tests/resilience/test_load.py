"""Load on the local stack: 200 interactions from 20 users in parallel, mixed commands and
clicks. Every one is answered, every task ends in a terminal state, and each confirmed
task has exactly one pull request."""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import boto3

from tests.integration.conftest import wait_for
from valine.adapters.dynamodb import task_from_item, task_to_doc


def test_two_hundred_interactions_from_twenty_users(stack, client):
    prs_before = len(stack.github.pulls)

    def user(n: int) -> list[tuple[str, str, int]]:
        name, done = f"load{n}", []
        for j in range(5):
            out = client.command("ux-update", name, ["admin" if n % 2 else "developer"],
                                 {"request": f"set the footer text to Load {n}-{j}"})
            assert out["status"] == 200 and out["response"]["type"] == 5, out
            message = client.wait_settled(out["message_id"], 0, timeout=60)
            action = "confirm" if j % 2 == 0 else "cancel"
            clicked = client.press(message["id"], action, name, ["admin" if n % 2 else "developer"])
            assert clicked["status"] == 200 and clicked["response"]["type"] == 7, clicked
            done.append((out["interaction_id"], action, 2))
        return done

    started = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        results = [r for batch in pool.map(user, range(20)) for r in batch]
    assert sum(n for _, _, n in results) == 200  # interactions sent, each answered with 200 above
    db = boto3.client("dynamodb", endpoint_url=stack.aws_url)

    def state(task_id: str) -> dict:
        item = db.get_item(TableName=stack.TABLE, Key={"pk": {"S": f"TASK#{task_id}"}, "sk": {"S": "TASK"}})
        return json.loads(task_to_doc(task_from_item(item["Item"])))

    def all_terminal() -> bool:
        return all(state(t)["state"] in ("completed", "cancelled") for t, _, _ in results)

    assert wait_for(all_terminal, timeout=120), [state(t)["state"] for t, _, _ in results]
    confirmed = [t for t, action, _ in results if action == "confirm"]
    cancelled = [t for t, action, _ in results if action == "cancel"]
    assert all(state(t)["state"] == "completed" and state(t)["pr_url"] for t in confirmed)
    assert all(state(t)["state"] == "cancelled" for t in cancelled)
    new_prs = stack.github.pulls[prs_before:]
    by_task = {}
    for pr in new_prs:
        task_id = re.search(r"-(\d+)$", pr["head"]["ref"]).group(1)  # branches end with the task id
        by_task.setdefault(task_id, []).append(pr)
    assert len(new_prs) == len(confirmed) == 60
    assert sorted(by_task) == sorted(confirmed)
    assert all(len(prs) == 1 for prs in by_task.values())
    assert time.monotonic() - started < 150
