"""The /ux-update conversation end to end: preview, Confirm, Edit, Cancel, expiry, refusals."""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from valine.adapters.dynamodb import task_from_item, task_to_doc
from valine.markup import shown
from valine_cli.main import main as valine

from .conftest import drain, labels, preview, start_stack, wait_for


def changed_lines(diff: str) -> list[str]:
    return [ln for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def task_item(stack, task_id: str) -> dict:
    db = boto3.client("dynamodb", endpoint_url=stack.aws_url)
    item = db.get_item(TableName=stack.TABLE, Key={"pk": {"S": f"TASK#{task_id}"}, "sk": {"S": "TASK"}})["Item"]
    return json.loads(task_to_doc(task_from_item(item)))  # the document with what Confirm/Edit changed on top


def task_id_of(message: dict) -> str:
    custom = next(c["custom_id"] for row in message["components"] for c in row["components"] if "custom_id" in c)
    return custom.split(":")[2]


def test_preview_confirm_opens_a_draft_pr_with_exactly_the_previewed_diff(client, stack):
    message = preview(client, 'section:header text:"Welcome to the Valine studio"', user="ada")
    assert labels(message) == ["Confirm", "Edit", "Cancel"]
    assert '+      <h1 data-ux="header-text">Welcome to the Valine studio</h1>' in message["content"]
    task_id = task_id_of(message)
    task = task_item(stack, task_id)
    assert task["state"] == "awaiting_confirmation" and task["requester_name"] == "ada"

    out = client.press(message["id"], "confirm", "ada", ["admin"])
    assert out["response"]["type"] == 7 and out["response"]["data"]["components"] == []
    done = client.wait(message["id"], lambda m: "pull request #" in m["content"])
    pr_url = re.search(r"(http://\S+/pull/(\d+))", done["content"])
    assert pr_url, done["content"]
    pr = next(p for p in stack.github.pulls if p["html_url"] == pr_url.group(1))
    assert pr["draft"] is True and pr["base"]["ref"] == "main"
    assert pr["head"]["ref"].startswith("ux-update/header-") and pr["head"]["ref"].endswith(task_id[-6:])
    assert "ada" in pr["body"] and "Review checklist" in pr["body"] and "rollout phase 4" in pr["body"]
    git_diff = stack.github.diff("main", pr["head"]["ref"])
    assert changed_lines(git_diff) == changed_lines(task["preview_diff"])
    assert labels(done) == ["Open pull request", "Helpful", "Not helpful"]  # and feedback on the outcome
    final = task_item(stack, task_id)
    assert final["state"] == "completed" and final["pr_url"] == pr_url.group(1) and final["confirmed_by"]
    assert [h["event"] for h in final["history"]] == ["requested", "previewed", "confirmed", "branch chosen",
                                                      "pull request opened"]


def test_only_the_requester_or_an_admin_may_confirm(client, stack):
    message = preview(client, "make the footer teal", user="dev1", roles=["developer"])
    other = client.press(message["id"], "confirm", "dev2", ["developer"])
    assert other["response"]["type"] == 4 and other["response"]["data"]["flags"] == 64
    assert "Only <@" in other["response"]["data"]["content"]
    assert task_item(stack, task_id_of(message))["state"] == "awaiting_confirmation"
    admin = client.press(message["id"], "confirm", "boss", ["admin"])
    assert admin["response"]["type"] == 7
    done = client.wait(message["id"], lambda m: "pull request #" in m["content"])
    assert "pull request #" in done["content"]


def test_twenty_simultaneous_confirms_create_exactly_one_pr(client, stack):
    message = preview(client, "make the navbar dark green", user="clicker")
    before = len(stack.github.pulls)
    barrier = threading.Barrier(20)
    confirm = client.button(message["id"], "confirm")

    def click(_: int) -> dict:
        barrier.wait()
        return client.click(message["id"], confirm, "clicker", ["admin"])

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(click, range(20)))
    accepted = [r for r in results if r["response"]["type"] == 7]
    refused = [r for r in results if r["response"]["type"] == 4]
    assert len(accepted) == 1 and len(refused) == 19, [r["response"] for r in results]
    assert all("already" in r["response"]["data"]["content"] for r in refused)
    client.wait(message["id"], lambda m: "pull request #" in m["content"])
    time.sleep(0.5)
    assert len(stack.github.pulls) == before + 1


def test_cancel_marks_the_task_and_removes_the_buttons(client, stack):
    message = preview(client, "rename the brand to Joint", user="carol")
    out = client.press(message["id"], "cancel", "carol", ["admin"])
    assert out["response"]["type"] == 7 and out["response"]["data"]["components"] == []
    assert "Cancelled" in client.message(message["id"])["content"]
    assert task_item(stack, task_id_of(message))["state"] == "cancelled"
    again = client.press  # the buttons are gone: nothing left to press
    with pytest.raises(LookupError):
        again(message["id"], "confirm", "carol", ["admin"])


def test_edit_opens_a_prefilled_modal_and_refreshes_the_preview_and_ttl(client, stack):
    message = preview(client, "make the header say Hello", user="erin")
    task_id = task_id_of(message)
    first = task_item(stack, task_id)
    opened = client.press(message["id"], "edit", "erin", ["admin"])
    modal = opened["modal"]
    assert modal["custom_id"] == f"ux:edit:{task_id}:0"  # pinned to the version it was opened at
    assert modal["components"][0]["component"]["value"] == "make the header say Hello"
    edits = len(client.message(message["id"])["edits"])
    submitted = client.submit_edit(message["id"], modal["custom_id"], "make the header say Goodbye", "erin", ["admin"])
    assert submitted["response"]["type"] == 7
    updated = client.wait_settled(message["id"], edits + 1)
    assert "Goodbye" in updated["content"] and labels(updated) == ["Confirm", "Edit", "Cancel"]
    second = task_item(stack, task_id)
    assert second["version"] == first["version"] + 1 and second["expires_at"] > first["expires_at"]


def test_a_clarification_can_be_answered_with_edit(client):
    message = preview(client, "make it purple", user="frank")
    assert "Which section should be purple" in message["content"]
    assert labels(message) == ["Edit request", "Cancel"]
    opened = client.press(message["id"], "edit", "frank", ["admin"])
    edits = len(client.message(message["id"])["edits"])
    client.submit_edit(message["id"], opened["modal"]["custom_id"], "make the footer purple", "frank", ["admin"])
    updated = client.wait_settled(message["id"], edits + 1)
    assert "#800080" in updated["content"] and "Confirm" in labels(updated)


def test_invalid_requests_are_explained_at_preview_time(client):
    message = preview(client, 'section:header links:"Evil:javascript:alert(1)"', user="gina")
    assert "must be a relative path (/about) or an https:// URL" in shown(message["content"])
    assert "Confirm" not in labels(message)


def test_an_expired_preview_cannot_be_confirmed(client, stack):
    message = preview(client, "make the footer navy", user="hank")
    task_id = task_id_of(message)
    # DynamoDB deletes expired items hours late: the item is still there, past its expires_at.
    db = boto3.client("dynamodb", endpoint_url=stack.aws_url)
    doc = task_item(stack, task_id)
    doc["expires_at"] = time.time() - 1
    db.update_item(TableName=stack.TABLE, Key={"pk": {"S": f"TASK#{task_id}"}, "sk": {"S": "TASK"}},
                   UpdateExpression="SET expires_at = :e, doc = :d",
                   ExpressionAttributeValues={":e": {"N": str(doc["expires_at"])}, ":d": {"S": json.dumps(doc)}})
    before = len(stack.github.pulls)
    out = client.press(message["id"], "confirm", "hank", ["admin"])
    assert out["response"]["type"] == 7 and "expired" in out["response"]["data"]["content"]
    assert out["response"]["data"]["components"] == []
    assert task_item(stack, task_id)["state"] == "expired"
    time.sleep(0.5)
    assert len(stack.github.pulls) == before


def test_direct_messages_and_roles_outside_the_phase_are_refused(client):
    dm = client.command("ux-update", "ivy", [], {"request": "make the navbar blue"}, dm=True)
    assert dm["response"]["data"]["flags"] == 64 and "not in direct messages" in dm["response"]["data"]["content"]
    member = client.command("ux-update", "ivy", ["member"], {"request": "make the navbar blue"})
    text = member["response"]["data"]["content"]
    assert member["response"]["type"] == 4 and "open to: admin, developer, pm during rollout phase 4" in text


def test_status_agents_and_tasks(client):
    status = client.command("status", "jon", ["developer"])["response"]["data"]["content"]
    assert "rollout phase 4" in status and "/ux-update allowed: yes" in status and "DISABLE_UX_UPDATES=false" in status
    agents = client.command("agents", "jon", ["member"])["response"]["data"]["content"]
    assert "UX agent" in agents and "open to admin, developer, pm" in agents
    preview(client, "make the footer gold", user="jon", roles=["developer"])
    mine = client.command("tasks", "jon", ["developer"])["response"]["data"]["content"]
    assert "(yours)" in mine and "make the footer gold" in mine
    everyone = client.command("tasks", "pm1", ["pm"])["response"]["data"]["content"]
    assert "(everyone)" in everyone


def test_kill_switch_takes_effect_without_a_restart(client, stack, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    assert valine(["flags", "set", "--stage", "local", "--disable-ux", "true"]) == 0
    assert "DISABLE_UX_UPDATES false -> true" in capsys.readouterr().out
    try:
        refused = client.command("ux-update", "kim", ["admin"], {"request": "make the navbar blue"})
        assert "switched off" in refused["response"]["data"]["content"]
    finally:
        assert valine(["flags", "set", "--stage", "local", "--disable-ux", "false"]) == 0
    allowed = client.command("ux-update", "kim", ["admin"], {"request": "make the navbar blue"})
    assert allowed["response"]["type"] == 5


def test_duplicate_worker_deliveries_neither_post_twice_nor_open_two_prs(client, stack):
    message = preview(client, "make the header crimson", user="lee")
    task_id = task_id_of(message)
    out = client.press(message["id"], "confirm", "lee", ["admin"])
    token = out["token"]
    client.wait(message["id"], lambda m: "pull request #" in m["content"])
    prs = len(stack.github.pulls)
    messages = len(client.messages())
    job = {"kind": "create_pr", "task_id": task_id, "application_id": stack.settings.application_id,
           "token": token, "version": 0}
    for _ in range(3):
        stack.sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(job))
    assert wait_for(lambda: stack.queue_depth()[0] == 0)
    assert len(stack.github.pulls) == prs and len(client.messages()) == messages
    assert "pull request #" in client.message(message["id"])["content"]


def test_a_job_that_keeps_failing_tells_the_user_and_lands_in_the_dlq(client, stack):
    stack.github.faults.set(__import__("valine_local.faults", fromlist=["parse_faults"])
                            .parse_faults("POST /graphql -> 500"))
    message = preview(client, "make the footer orange", user="max", timeout=60)
    assert "could not finish this request" in message["content"]
    assert wait_for(lambda: stack.queue_depth()[1] >= 1, timeout=20)
    drain(stack, stack.dlq_url)


@pytest.fixture(scope="module")
def dry_run_stack(tmp_path_factory):
    s = start_stack(tmp_path_factory, "1")
    yield s
    s.stop()


def test_phase_1_is_a_dry_run(dry_run_stack):
    from valine_local.discord_client import DiscordClient

    client = DiscordClient(dry_run_stack.url, health=dry_run_stack.health(), signing_key=dry_run_stack.signing_key)
    developer = client.command("ux-update", "nia", ["developer"], {"request": "make the navbar blue"})
    assert "open to: admin during rollout phase 1" in developer["response"]["data"]["content"]
    message = preview(client, "make the navbar blue", user="olga")
    assert "Dry run" in message["content"]
    out = client.press(message["id"], "confirm", "olga", ["admin"])
    assert "no pull request was made" in out["response"]["data"]["content"]
    time.sleep(0.5)
    assert dry_run_stack.github.pulls == [] and list(dry_run_stack.github.branches()) == ["main"]


def test_an_expired_interaction_token_is_not_retried_into_the_dlq(client, stack, capfd):
    message = preview(client, "make the footer ivory", user="gone")
    dead_before = stack.queue_depth()[1]
    job = {"kind": "preview", "task_id": task_id_of(message), "application_id": stack.settings.application_id,
           "token": "tok_expired_long_ago", "version": 0}
    stack.sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(job))
    assert wait_for(lambda: '"MessagesGone":1' in capfd.readouterr().out)
    assert wait_for(lambda: stack.queue_depth() == (0, dead_before))


def test_a_confirm_racing_an_edit_cannot_confirm_the_old_diff(client, stack):
    import dataclasses

    from valine.core.ports import TransitionError
    from valine.core.task import TaskState

    message = preview(client, "make the footer beige", user="race")
    store = stack.interactions.store
    read_by_click = store.get(task_id_of(message))
    # Meanwhile the user's Edit was re-previewed: same state, a newer version.
    now = time.time()
    edited = dataclasses.replace(read_by_click, version=read_by_click.version + 1, preview_diff="-new\n+diff")
    assert store.transition(edited, expect=(TaskState.AWAITING_CONFIRMATION,), now=now).ok
    confirm = dataclasses.replace(read_by_click, state=TaskState.IN_PROGRESS)
    result = store.transition(confirm, expect=(TaskState.AWAITING_CONFIRMATION,), now=now,
                              actor_id=read_by_click.requester_id, expect_version=read_by_click.version)
    assert result.error is TransitionError.STALE
    assert task_item(stack, read_by_click.task_id)["preview_diff"] == "-new\n+diff"
