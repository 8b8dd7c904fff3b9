"""One lifecycle suite, run for every agent: preview, Confirm (a draft PR with exactly the
previewed diff), Cancel, Edit, expiry, phase gating and the agent's own kill switch, over
real HTTP against the local stack."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

import boto3
import pytest

from valine.agents import BY_NAME
from valine_cli.main import main as valine

from .conftest import labels
from .test_conversation import changed_lines, task_id_of, task_item


@dataclass(frozen=True)
class Case:
    agent: str
    request: str  # makes a preview
    added: str  # a line the preview's diff adds
    edit: str  # an edited request
    edited: str  # a line the edited preview adds
    branch_part: str


CASES = [
    Case("ux", 'section:footer text:"Made by the lifecycle suite"',
         "Made by the lifecycle suite", "make the footer say Edited by the suite", "Edited by the suite", "footer"),
    Case("copy", 'on the about page, change "a small team" to "a lifecycle suite"',
         "a lifecycle suite", 'page:about find:"a small team" replace:"an edited suite"', "an edited suite", "about"),
]


@pytest.fixture(params=CASES, ids=lambda c: c.agent)
def case(request: pytest.FixtureRequest) -> Case:
    return request.param


def start(client, case: Case, request: str | None = None, user: str = "life", roles=("admin",)):
    command = BY_NAME[case.agent].command
    out = client.command(command, user, list(roles), {"request": request or case.request})
    assert out["status"] == 200 and out["response"]["type"] == 5, out
    return out, client.wait_settled(out["message_id"], 0, 20)


def test_preview_then_confirm_opens_a_draft_pr_with_exactly_the_previewed_diff(client, stack, case):
    _, message = start(client, case, user=f"{case.agent}-a")
    assert labels(message) == ["Confirm", "Edit", "Cancel"], message["content"]
    assert case.added in message["content"]
    task_id = task_id_of(message)
    task = task_item(stack, task_id)
    assert message["components"][0]["components"][0]["custom_id"] == \
        f"{BY_NAME[case.agent].prefix}:confirm:{task_id}:{task['version']}"  # pinned to the previewed version
    assert task["agent"] == case.agent and task["state"] == "awaiting_confirmation"
    out = client.press(message["id"], "confirm", f"{case.agent}-a", ["admin"])
    assert out["response"]["type"] == 7
    done = client.wait(message["id"], lambda m: "pull request #" in m["content"] or "failed" in m["content"])
    url = re.search(r"(http://\S+/pull/\d+)", done["content"])
    assert url, done["content"]
    pr = next(p for p in stack.github.pulls if p["html_url"] == url.group(1))
    assert pr["draft"] is True
    assert pr["head"]["ref"].startswith(f"{BY_NAME[case.agent].branch_prefix}/{case.branch_part}-")
    assert pr["head"]["ref"].endswith(task_id[-6:])
    assert changed_lines(stack.github.diff("main", pr["head"]["ref"])) == changed_lines(task["preview_diff"])
    assert [h["event"] for h in task_item(stack, task_id)["history"]] == [
        "requested", "previewed", "confirmed", "branch chosen", "pull request opened"]


def test_cancel_ends_it_and_nothing_is_made(client, stack, case):
    _, message = start(client, case, user=f"{case.agent}-c")
    prs = len(stack.github.pulls)
    out = client.press(message["id"], "cancel", f"{case.agent}-c", ["admin"])
    assert out["response"]["type"] == 7 and out["response"]["data"]["components"] == []
    assert task_item(stack, task_id_of(message))["state"] == "cancelled"
    assert len(stack.github.pulls) == prs


def test_edit_refreshes_the_preview(client, stack, case):
    _, message = start(client, case, user=f"{case.agent}-e")
    task_id = task_id_of(message)
    opened = client.press(message["id"], "edit", f"{case.agent}-e", ["admin"])
    assert opened["modal"]["custom_id"] == f"{BY_NAME[case.agent].prefix}:edit:{task_id}:0"  # the version it opened at
    edits = len(client.message(message["id"])["edits"])
    client.submit_edit(message["id"], opened["modal"]["custom_id"], case.edit, f"{case.agent}-e", ["admin"])
    updated = client.wait_settled(message["id"], edits + 1)
    assert case.edited in updated["content"] and labels(updated) == ["Confirm", "Edit", "Cancel"]
    assert task_item(stack, task_id)["version"] == 1


def test_an_expired_preview_cannot_be_confirmed(client, stack, case):
    _, message = start(client, case, user=f"{case.agent}-x")
    task_id = task_id_of(message)
    doc = task_item(stack, task_id)
    doc["expires_at"] = time.time() - 1
    boto3.client("dynamodb", endpoint_url=stack.aws_url).update_item(
        TableName=stack.TABLE, Key={"pk": {"S": f"TASK#{task_id}"}, "sk": {"S": "TASK"}},
        UpdateExpression="SET expires_at = :e, doc = :d",
        ExpressionAttributeValues={":e": {"N": str(doc["expires_at"])}, ":d": {"S": json.dumps(doc)}})
    out = client.press(message["id"], "confirm", f"{case.agent}-x", ["admin"])
    assert out["response"]["type"] == 7 and "expired" in out["response"]["data"]["content"]
    assert f"/{BY_NAME[case.agent].command}" in out["response"]["data"]["content"]
    assert task_item(stack, task_id)["state"] == "expired"


def test_the_phase_gates_who_may_ask(client, case):
    # Phase 4 (the shared stack): admins, PMs and developers; members are refused before any work.
    out = client.command(BY_NAME[case.agent].command, "plain", ["member"], {"request": case.request})
    data = out["response"]["data"]
    assert data["flags"] == 64 and f"/{BY_NAME[case.agent].command} is open to: admin, developer, pm" in data["content"]


def test_the_agents_own_kill_switch_pauses_it_and_only_it(client, stack, case, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    spec = BY_NAME[case.agent]
    other = next(a for a in BY_NAME.values() if a.name != case.agent)
    assert valine(["flags", "set", "--stage", "local", f"--disable-{spec.name}", "true"]) == 0
    assert f"{spec.kill_switch} false -> true" in capsys.readouterr().out
    try:
        refused = client.command(spec.command, "kim", ["admin"], {"request": case.request})
        assert f"kill switch {spec.kill_switch}" in refused["response"]["data"]["content"]
        still = client.command(other.command, "kim", ["admin"], {"request": "hello"})
        assert still["response"]["type"] == 5  # the other agent keeps working
        client.wait_settled(still["message_id"], 0)  # (its worker output belongs to this test)
    finally:
        assert valine(["flags", "set", "--stage", "local", f"--disable-{spec.name}", "false"]) == 0
    again = client.command(spec.command, "kim", ["admin"], {"request": case.request})
    assert again["response"]["type"] == 5
    client.wait_settled(again["message_id"], 0)


def test_the_sweep_marks_abandoned_previews_in_dynamodb_once(client, stack, case):
    from tests.fakes.metrics import RecordingMetrics
    from valine.core.clock import SystemClock
    from valine.workflow.sweep import sweep_expired

    _, message = start(client, case, user=f"{case.agent}-s")
    task_id = task_id_of(message)
    doc = task_item(stack, task_id)
    doc["expires_at"] = time.time() - 1  # abandoned: nobody clicked, and DynamoDB's TTL is hours late
    boto3.client("dynamodb", endpoint_url=stack.aws_url).update_item(
        TableName=stack.TABLE, Key={"pk": {"S": f"TASK#{task_id}"}, "sk": {"S": "TASK"}},
        UpdateExpression="SET expires_at = :e, doc = :d",
        ExpressionAttributeValues={":e": {"N": str(doc["expires_at"])}, ":d": {"S": json.dumps(doc)}})
    metrics = RecordingMetrics()
    sweep_expired(store=stack.agent.store, clock=SystemClock(), metrics=metrics, lookback_seconds=3600)
    assert task_item(stack, task_id)["state"] == "expired"
    counted = metrics.total("ConversationsExpired", Agent=case.agent)
    assert counted >= 1
    sweep_expired(store=stack.agent.store, clock=SystemClock(), metrics=metrics, lookback_seconds=3600)
    assert metrics.total("ConversationsExpired", Agent=case.agent) == counted  # never twice
