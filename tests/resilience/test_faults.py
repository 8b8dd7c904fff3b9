"""Faults between the code and its dependencies: what was injected, what was observed,
and that nothing was lost (no duplicate PR or message, the task in the right state)."""

from __future__ import annotations

import dataclasses
import json
import time

import boto3
import pytest

from tests.integration.conftest import labels, preview, wait_for
from tests.integration.test_conversation import changed_lines, task_id_of, task_item
from tests.integration.test_github_flow import pr_for
from valine.core.ports import Job
from valine.core.task import TaskState
from valine.handlers.interactions import handler
from valine.settings import Settings
from valine.wiring import build_interactions
from valine_local.faults import parse_faults


def test_discord_429_and_5xx_on_the_edit_are_retried_once_each(client, stack):
    stack.discord.faults.set(parse_faults("PATCH @original -> 429:0.3 x1; PATCH @original -> 503 x1"))
    message = preview(client, "make the footer sienna", user="f1")
    assert labels(message) == ["Confirm", "Edit", "Cancel"]
    assert [h.split(" -> ")[1] for h in stack.discord.faults.hits] == ["429:0.3", "503"]
    assert len(message["edits"]) == 1  # one successful edit, no duplicates
    assert not any(m.get("followup_of") == message["id"] for m in client.messages())


def test_dynamodb_throttling_is_retried_then_answered_visibly(client, stack, capfd):
    stack.moto.faults.set(parse_faults("DDB (PutItem|TransactWriteItems) -> throttle x1"))
    out = client.command("ux-update", "f2", ["admin"], {"request": "make the navbar peru"})
    assert out["response"]["type"] == 5  # the SDK's retry absorbed one throttle
    stack.moto.faults.set(parse_faults("DDB (PutItem|TransactWriteItems) -> throttle"))
    try:
        out = client.command("ux-update", "f2", ["admin"], {"request": "make the navbar peru"})
    finally:
        stack.moto.faults.clear()
    data = out["response"]["data"]
    assert out["status"] == 200 and data["flags"] == 64
    assert "Something went wrong on my side (ref" in data["content"] and "nothing was changed" in data["content"]
    printed = capfd.readouterr().out
    assert '"HandledFailures":1' in printed and '"Function":"interactions"' in printed


def test_a_refused_conditional_write_is_not_taken_for_success(client, stack):
    message = preview(client, "make the footer linen", user="f3")
    # Aimed at this task's item: the worker threads may be writing other items meanwhile.
    stack.moto.faults.set(parse_faults(f"DDB TransactWriteItems.TASK#{task_id_of(message)} -> conditional x1"))
    out = client.press(message["id"], "confirm", "f3", ["admin"])
    assert out["response"]["type"] == 4 and "already" in out["response"]["data"]["content"]
    assert task_item(stack, task_id_of(message))["state"] == "awaiting_confirmation"  # press again later
    out = client.press(message["id"], "confirm", "f3", ["admin"])
    assert out["response"]["type"] == 7
    client.wait(message["id"], lambda m: "pull request #" in m["content"])


@pytest.mark.parametrize("api", ["graphql", "rest"])
def test_worker_killed_between_branch_and_pr_is_finished_by_the_redelivery(client, stack, api):
    stack.github.graphql_enabled = api == "graphql"
    message = preview(client, f"set the header text to Killed mid-task on {api}", user="f4")
    task_id = task_id_of(message)
    # Reproduce what a kill leaves behind: task in progress, branch chosen and pushed, no PR.
    task = stack.agent.store.get(task_id)
    now = time.time()
    branch = f"ux-update/header-killed-{task_id}"
    started = dataclasses.replace(task, state=TaskState.IN_PROGRESS, confirmed_by=task.requester_id,
                                  confirmed_at=now, branch=branch)
    assert stack.agent.store.transition(started, expect=(TaskState.AWAITING_CONFIRMATION,), now=now).ok
    stack.github.repo.git("update-ref", f"refs/heads/{branch}", task.base_sha)
    stack.github.push_commit(branch, task.target_path, task.new_content, "half-done")
    prs = len(stack.github.pulls)
    click = client.press(message["id"], "edit", "f4", ["admin"])  # any token on the message will do
    assert click["status"] == 200
    job = Job("create_pr", task_id, stack.settings.application_id, click["token"])
    stack.sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(job.to_json()))
    stack.sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(job.to_json()))  # and a duplicate
    assert wait_for(lambda: task_item(stack, task_id)["state"] == "completed", timeout=30)
    assert wait_for(lambda: stack.queue_depth()[0] == 0)
    assert len(stack.github.pulls) == prs + 1
    pr = stack.github.pulls[-1]
    assert pr["head"]["ref"] == branch
    assert changed_lines(stack.github.diff("main", branch)) == changed_lines(task.preview_diff)
    # The commit the killed worker made is the one in the pull request: no second commit.
    assert stack.github.repo.git("rev-list", "--count", f"main..{branch}") == "1"


def test_worker_dying_after_the_pr_but_before_telling_the_user(client, stack):
    message = preview(client, "make the footer wheat", user="f5")
    # Every edit fails for the first delivery (4 attempts): the job fails after the PR exists.
    stack.discord.faults.set(parse_faults("PATCH @original -> 500 x4"))
    prs = len(stack.github.pulls)
    client.press(message["id"], "confirm", "f5", ["admin"])
    done = client.wait(message["id"], lambda m: "pull request #" in m["content"], timeout=40)
    assert "pull request #" in done["content"]  # told on the redelivery
    assert len(stack.github.pulls) == prs + 1 and len(stack.discord.faults.hits) == 4


def test_a_confirm_after_the_phase_was_rolled_back_is_refused(client, stack):
    message = preview(client, "make the footer tan", user="dev9", roles=["developer"])
    # The live alias now runs phase 3 (developers out), against the same table and queue.
    rolled_back = build_interactions(dataclasses.replace(stack.settings, phase=Settings.from_env(
        {"PHASE": "3"}).phase))
    interaction = client._interaction(3, "dev9", ["developer"], {
        "custom_id": client.button(message["id"], "confirm"), "component_type": 2}, message["id"])
    body = json.dumps(interaction).encode()
    import base64

    result = handler({"headers": {k.lower(): v for k, v in client.sign(body).items()},
                      "body": base64.b64encode(body).decode(), "isBase64Encoded": True}, None, app=rolled_back)
    answer = json.loads(result["body"])
    assert answer["type"] == 4 and "open to: admin, pm during rollout phase 3" in answer["data"]["content"]
    assert task_item(stack, task_id_of(message))["state"] == "awaiting_confirmation"


def test_values_crafted_to_break_out_of_jsx_land_as_a_string_literal(client, stack):
    message = preview(client, 'section:header text:"</h1><script>alert(`x`)</script>{process.exit()}"', user="f6")
    client.press(message["id"], "confirm", "f6", ["admin"])
    done = client.wait(message["id"], lambda m: "pull request #" in m["content"])
    pr = pr_for(stack, done)
    added = [ln for ln in stack.github.diff("main", pr["head"]["ref"]).splitlines() if ln.startswith("+ ")
             or ln.startswith("+      ")]
    assert added == ['+      <h1 data-ux="header-text">{"</h1><script>alert(`x`)</script>{process.exit()}"}</h1>']


def test_a_repository_catalog_pointing_outside_the_repo_is_refused_visibly(client, stack):
    ux = stack.agent.agents["ux"]
    original = ux.catalog
    stack.github.push_commit("main", ".valine/catalog.json", json.dumps({"sections": {"x": {
        "file": "../../etc/passwd.js", "properties": {"text": {"kind": "text", "element": "p"}}}}}))
    from valine.agents.ux.parsing import CatalogSource

    ux.catalog = CatalogSource(stack.agent.github, "main")
    try:
        message = preview(client, "make the footer red", user="f7")
        assert "repository's .valine/catalog.json is invalid" in message["content"] and "'..'" in message["content"]
        assert "Confirm" not in labels(message)
    finally:
        ux.catalog = original
        stack.github.repo.git("update-ref", "refs/heads/main", stack.github.repo.rev("main~1"))


def test_dynamodb_client_is_the_real_one(stack):
    assert boto3.client("dynamodb", endpoint_url=stack.aws_url).list_tables()["TableNames"]
