"""Every request ends in a visible outcome, even when the outcome itself could not be posted,
the task store is down, or GitHub's answer was lost. Each case was reproduced against
`make local` before the fix."""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import drain, preview, wait_for
from tests.integration.test_conversation import task_id_of, task_item
from tests.integration.test_github_flow import confirm_and_wait, pr_for
from valine.core.ports import Job
from valine_local.faults import parse_faults


def test_a_failure_message_lost_to_discord_502s_is_sent_again_by_the_redelivery(client, stack):
    message = preview(client, "make the header maroon", user="o1")
    # GIVEN GitHub refuses the pull request for good, and Discord 502s every edit of the first
    # delivery (4 attempts): the task is failed but the user has not been told.
    stack.github.faults.set(parse_faults("POST /graphql:Propose -> 500"))
    stack.discord.faults.set(parse_faults("PATCH @original -> 502 x4"))
    out = client.press(message["id"], "confirm", "o1", ["admin"])
    assert out["response"]["type"] == 7
    # WHEN SQS delivers the job again THEN the failure is said, not swallowed because the task is failed
    done = client.wait(message["id"], lambda m: "failed" in m["content"], timeout=40)
    assert "failed: GitHub answered 500" in done["content"], done["content"]
    assert len(stack.discord.faults.hits) == 4
    assert task_item(stack, task_id_of(message))["state"] == "failed"


def test_a_completed_task_says_its_pull_request_again_to_any_late_job(client, stack):
    out = client.command("ux-update", "o2", ["admin"], {"request": "make the footer orchid"})
    message = client.wait_settled(out["message_id"], 0)
    done = confirm_and_wait(client, message, user="o2")
    pr = pr_for(stack, done)
    prs = len(stack.github.pulls)
    # GIVEN a late duplicate of the preview job (its token edits the same message)
    job = Job("preview", task_id_of(message), stack.settings.application_id, out["token"])
    edits = len(client.message(message["id"])["edits"])
    stack.sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(job.to_json()))
    # THEN it re-states the outcome with the link, and makes nothing new
    again = client.wait(message["id"], lambda m: len(m["edits"]) > edits, timeout=20)
    assert f"#{pr['number']}" in again["content"] and pr["html_url"] in str(again["components"])
    assert len(stack.github.pulls) == prs


def test_when_the_task_store_is_down_the_last_delivery_still_tells_the_user(client, stack):
    # GIVEN every read of a task fails (the store is down for the worker) after the request was accepted
    stack.moto.faults.set(parse_faults("DDB GetItem.TASK# -> 500"))
    out = client.command("ux-update", "o3", ["admin"], {"request": "make the footer sienna"})
    assert out["response"]["type"] == 5
    # WHEN all three deliveries fail THEN the third tells the user, from the job alone
    message = client.wait(out["message_id"], lambda m: "could not finish" in (m.get("content") or ""), timeout=60)
    assert "Nothing was merged" in message["content"] and out["interaction_id"][-8:] in message["content"]
    stack.moto.faults.clear()
    assert wait_for(lambda: stack.queue_depth() == (0, 1), timeout=20)  # and on-call gets the dead letter
    drain(stack, stack.dlq_url)


@pytest.mark.parametrize("api,spec", [("graphql", "POST /graphql:Propose -> lost"), ("rest", "POST /pulls -> lost")])
def test_a_pull_request_whose_answer_was_lost_becomes_the_tasks_pr_not_an_orphan(client, stack, api, spec):
    stack.github.graphql_enabled = api == "graphql"
    message = preview(client, "make the header teal", user="o4")
    prs = len(stack.github.pulls)
    # GIVEN GitHub creates the pull request but its answer never arrives, on every attempt
    stack.github.faults.set(parse_faults(spec))
    done = confirm_and_wait(client, message, user="o4")
    # THEN the task claims the pull request GitHub did make, and its branch is kept
    assert "pull request #" in done["content"], done["content"]
    assert len(stack.github.pulls) == prs + 1
    pr = pr_for(stack, done)
    assert pr["head"]["ref"] in stack.github.branches()
    item = task_item(stack, task_id_of(message))
    assert item["state"] == "completed" and item["pr_number"] == pr["number"]
