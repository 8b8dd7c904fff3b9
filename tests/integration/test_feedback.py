"""Feedback over real HTTP: a finished task's message offers 👍 / 👎 (Discord's spec holds the
buttons and the Label modal), a vote is one per person per task and changeable, 👎 takes an
optional comment, and /feedback takes free text; all of it lands in the table with role and phase."""

from __future__ import annotations

import time

from valine.adapters.feedback import DynamoFeedback

from .conftest import preview
from .test_conversation import task_id_of
from .test_github_flow import confirm_and_wait


def given(stack, since):
    import boto3

    db = boto3.client("dynamodb", endpoint_url=stack.aws_url)
    return DynamoFeedback(db, stack.TABLE, retention_days=90).between(since, time.time() + 1)


def test_votes_and_comments_on_a_finished_task(client, stack):
    since = time.time() - 1
    message = preview(client, "make the header gold", user="fb1")
    task_id = task_id_of(message)
    done = confirm_and_wait(client, message, user="fb1")
    labels = [c.get("label") for row in done["components"] for c in row["components"]]
    assert labels == ["Open pull request", "Helpful", "Not helpful"]
    up = client.press(done["id"], "up", "fb2", ["pm"])
    assert up["response"]["type"] == 4 and "👍 recorded" in up["response"]["data"]["content"]
    down = client.press(done["id"], "down", "fb2", ["pm"])  # changed his mind: still one vote
    modal = down["response"]
    assert modal["type"] == 9 and modal["data"]["components"][0]["type"] == 18
    thanks = client.submit_modal(done["id"], modal["data"]["custom_id"], {"comment": "it picked the wrong header"},
                                 "fb2", ["pm"])
    assert "comment are with the team" in thanks["response"]["data"]["content"]
    client.press(done["id"], "up", "fb1", ["admin"])
    votes = {f.user_id: f for f in given(stack, since) if f.task_id == task_id}
    assert len(votes) == 2
    pm = next(f for f in votes.values() if f.role == "pm")
    assert (pm.vote, pm.comment, pm.phase, pm.agent) == (-1, "it picked the wrong header", 4, "ux")
    assert next(f for f in votes.values() if f.role == "admin").vote == 1


def test_feedback_command_free_text(client, stack):
    since = time.time() - 1
    out = client.command("feedback", "fb3", ["developer"], {"text": "please support the footer links"})
    assert out["response"]["type"] == 4 and "with the team" in out["response"]["data"]["content"]
    (text,) = [f for f in given(stack, since) if f.task_id is None and f.comment == "please support the footer links"]
    assert text.role == "developer" and text.vote == 0


def test_the_cli_votes_and_sends_feedback_as_documented(client, stack, monkeypatch, capsys):
    from valine_cli.main import main as valine

    monkeypatch.setenv("PORT", str(stack.config.port))
    message = preview(client, "make the header navy", user="fb4")
    confirm_and_wait(client, message, user="fb4")
    since = time.time() - 1
    as_bob = ["--user", "fb5", "--role", "developer", "--timeout", "5"]
    assert valine(["discord", "--url", stack.url, "vote", "down", "--comment", "wrong shade", *as_bob]) == 0
    assert "your comment are with the team" in capsys.readouterr().out
    assert valine(["discord", "--url", stack.url, "feedback", "previews are great", *as_bob]) == 0
    mine = [f for f in given(stack, since) if f.role == "developer"]
    assert {(f.vote, f.comment) for f in mine} >= {(-1, "wrong shade"), (0, "previews are great")}
