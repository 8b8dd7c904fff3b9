"""GitHub's signed pull_request webhook over real HTTP: the GitHub emulator merges or closes a
pull request the bot opened and delivers the event (validated against @octokit/openapi-webhooks)
to POST /github; the task becomes merged or rejected and the requester is told in its channel."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
import requests

from .conftest import preview, wait_for
from .emf import emf_lines
from .test_conversation import task_id_of, task_item
from .test_github_flow import confirm_and_wait, pr_for


@pytest.fixture(autouse=True)
def _main_as_it_was(stack):
    """Merges move main; later tests (in other files) expect the seeded site."""
    before = stack.github.repo.rev("refs/heads/main")
    yield
    stack.github.repo.git("update-ref", "refs/heads/main", before)


COLOURS = iter(["sienna", "peru", "orchid", "khaki", "linen", "bisque", "thistle", "wheat"])


def opened(client, stack, user):
    message = preview(client, f"make the footer {next(COLOURS)}", user=user)  # each a change on a merged main
    done = confirm_and_wait(client, message, user=user)
    assert "pull request #" in done["content"], done["content"]
    return task_id_of(message), pr_for(stack, done)


def channel_messages(stack, text):
    return [m for m in stack.discord.messages.values() if m.get("channel_id") and text in m["content"]]


@pytest.mark.parametrize("merge,state,said", [(True, "merged", "was merged by"),
                                              (False, "rejected", "was closed without merging by")])
def test_a_closed_pull_request_ends_the_task_and_tells_the_requester(client, stack, capfd, merge, state, said):
    task_id, pr = opened(client, stack, f"wh-{state}")
    capfd.readouterr()
    out = stack.github.close_pull(pr["number"], merge=merge, by="rev_iewer")
    assert [d["status"] for d in out["deliveries"]] == [200]
    item = task_item(stack, task_id)
    assert item["state"] == state and item["pr_closed_by"] == "rev_iewer" and item["pr_closed_at"]
    # The notice is a job for the worker (GitHub is answered at once): it arrives shortly after.
    (told,) = wait_for(lambda: channel_messages(stack, f"pull request #{pr['number']} {said}"))
    assert told["channel_id"] == client.channel_id
    assert f"<@{item['requester_id']}>" in told["content"] and "rev\\_iewer" in told["content"]  # escaped
    names = [m["Name"] for line in emf_lines(capfd.readouterr().out) for b in line["_aws"]["CloudWatchMetrics"]
             for m in b["Metrics"]]
    assert ("PullRequestsMerged" if merge else "PullRequestsRejected") in names
    if merge:  # a real merge commit on the base
        assert stack.github.repo.git("merge-base", "--is-ancestor", pr["head"]["sha"], "main", check=False) == ""


def test_a_replayed_delivery_is_handled_once(client, stack):
    task_id, pr = opened(client, stack, "wh-replay")
    out = stack.github.close_pull(pr["number"], merge=True, by="reviewer")
    (delivery,) = out["deliveries"]
    assert stack.github.redeliver(delivery["id"]) == 200
    replay = next(d for d in stack.github.deliveries if d["id"] == delivery["id"])
    answer = requests.post(replay["url"], data=replay["body"], headers=replay["headers"], timeout=5)
    assert answer.status_code == 200 and answer.json() == {"duplicate": delivery["id"]}
    assert wait_for(lambda: channel_messages(stack, f"pull request #{pr['number']} was merged"))
    time.sleep(0.5)  # a second notice would have been posted by now
    assert len(channel_messages(stack, f"pull request #{pr['number']} was merged")) == 1
    assert [h["event"] for h in task_item(stack, task_id)["history"]].count("pull request merged") == 1


def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(stack, body, *, event="pull_request", signature=None, delivery="d-1"):
    raw = json.dumps(body).encode()
    return requests.post(f"{stack.url}/github", data=raw, timeout=5, headers={
        "X-GitHub-Event": event, "X-GitHub-Delivery": delivery, "Content-Type": "application/json",
        "X-Hub-Signature-256": signature if signature is not None else sign(stack.webhook_secret, raw)})


def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(client, stack):
    task_id, pr = opened(client, stack, "wh-forged")
    forged = {"action": "closed", "number": pr["number"], "sender": {"login": "mallory"},
              "repository": {"full_name": stack.config.repository},
              "pull_request": {"number": pr["number"], "merged": True, "merged_by": {"login": "mallory"},
                               "head": {"ref": pr["head"]["ref"]}}}
    assert post(stack, forged, signature=sign("not-the-secret", json.dumps(forged).encode())).status_code == 401
    assert post(stack, forged, signature="").status_code == 401
    assert post(stack, forged, signature="sha256=" + "0" * 64).status_code == 401
    assert task_item(stack, task_id)["state"] == "completed"
    # The same body, signed with the secret: accepted.
    answer = post(stack, forged, delivery="d-forged-then-signed")
    assert answer.status_code == 200 and answer.json()["state"] == "merged"


def test_other_events_repositories_and_branches_are_ignored(stack):
    assert post(stack, {"zen": "hi"}, event="ping").json() == {"ok": "pong"}
    assert post(stack, {"ref": "x"}, event="push").status_code == 202
    other = {"action": "closed", "number": 1, "sender": {}, "repository": {"full_name": "someone/else"},
             "pull_request": {"number": 1, "head": {"ref": "ux-update/x-1"}}}
    assert post(stack, other).json() == {"ignored": "repository someone/else"}
    opened_only = {**other, "action": "opened", "repository": {"full_name": stack.config.repository}}
    assert post(stack, opened_only).status_code == 202
    human = {**other, "repository": {"full_name": stack.config.repository},
             "pull_request": {"number": 1, "head": {"ref": "fix-typo"}}}
    assert post(stack, human).json() == {"ignored": "not a branch the bot made"}
    assert post(stack, b"not json" and {"action": "closed"}).status_code == 400


def test_healthz_names_the_webhook_url_and_secret(client, stack):
    health = stack.health()
    assert health["github_webhook_url"] == f"{stack.url}/github"
    assert health["github_webhook_secret"] == "valine/test-phase4/github-webhook" or \
        health["github_webhook_secret"].endswith("/github-webhook")
    assert wait_for(lambda: stack.github.hooks and stack.github.hooks[0]["url"] == health["github_webhook_url"])


def test_register_webhook_and_github_merge_drive_the_local_stack(client, stack, monkeypatch, capsys):
    from valine_cli.main import main as valine

    monkeypatch.setenv("PORT", str(stack.config.port))
    assert valine(["register-webhook", "--stage", "local", "--dry-run"]) == 0
    shown = capsys.readouterr().out
    assert "pull_request" in shown and stack.webhook_secret not in shown  # the secret is never printed
    assert valine(["register-webhook", "--stage", "local"]) == 0
    assert "updated webhook 1" in capsys.readouterr().out  # the same URL: updated, not added twice
    assert len(stack.github.hooks) == 1 and stack.github.hooks[0]["secret"] == stack.webhook_secret
    task_id, pr = opened(client, stack, "wh-cli")
    assert valine(["github", "close", str(pr["number"]), "--by", "octo"]) == 0
    out = capsys.readouterr().out
    assert f"pull request #{pr['number']} closed by octo" in out and "-> HTTP 200" in out
    assert task_item(stack, task_id)["state"] == "rejected"
    assert valine(["github", "merge", str(pr["number"])]) == 2  # closed already: said, not crashed
    assert "is not open" in capsys.readouterr().err
