"""Expiry, feedback and the accuracy proxy on the same fakes as test_agents_on_fakes (its ``World``):
an abandoned preview expires and counts once; GIVEN a finished task, WHEN people vote or write,
THEN one vote per person is kept; the proxy counts first previews confirmed unchanged, by parser."""

from __future__ import annotations

from typing import Any

from tests.unit.test_agents_on_fakes import World
from valine.core.task import TaskState


def test_an_expired_preview_counts_once_however_often_it_is_clicked():
    w = World()
    w.command("copy-update", 'page:faq find:"Yes." replace:"Yes!"')
    w.work()
    (task,) = w.store.tasks.values()
    w.clock.advance(3601)
    for _ in range(3):
        assert "expired" in w.press(f"copy:confirm:{task.task_id}").body["data"]["content"]
    assert w.store.get(task.task_id).state is TaskState.EXPIRED
    assert w.metrics.total("ConversationsExpired", Agent="copy") == 1


def test_the_sweep_expires_abandoned_previews_exactly_once():
    from valine.workflow.sweep import sweep_expired

    w = World()
    for i in range(2):
        w.command("copy-update", f'page:faq find:"Yes." replace:"Y{i}"')
    w.work()
    w.clock.advance(3601)
    assert sweep_expired(store=w.store, clock=w.clock, metrics=w.metrics, lookback_seconds=86400) == 2
    assert sweep_expired(store=w.store, clock=w.clock, metrics=w.metrics, lookback_seconds=86400) == 0
    (first, _) = w.store.tasks.values()
    w.press(f"copy:confirm:{first.task_id}")  # a late click finds it expired and counts nothing more
    assert {t.state for t in w.store.tasks.values()} == {TaskState.EXPIRED}
    assert w.metrics.total("ConversationsExpired", Agent="copy") == 2


def finished_task(w: World) -> Any:
    w.command("copy-update", 'on the about page, change "in 2024" to "in 2023"')
    w.work()
    (task,) = w.store.tasks.values()
    w.press(f"copy:confirm:{task.task_id}:{task.version}")
    w.work()
    return w.store.get(task.task_id)


def test_a_finished_task_offers_feedback_and_one_vote_per_person_is_kept():
    w = World()
    task = finished_task(w)
    message = w.discord.messages["tok2"]
    ids = [c.get("custom_id") for row in message["components"] for c in row["components"]]
    assert ids[-2:] == [f"fb:up:copy:{task.task_id}", f"fb:down:copy:{task.task_id}"]
    thanks = w.press(f"fb:up:copy:{task.task_id}", user="7", roles=())
    assert thanks.body["type"] == 4 and thanks.body["data"]["flags"] == 64 and "👍 recorded" in \
        thanks.body["data"]["content"]
    (vote,) = w.feedback.items.values()
    assert (vote.vote, vote.role, vote.phase, vote.agent, vote.user_id) == (1, "member", 4, "copy", "7")
    modal = w.press(f"fb:down:copy:{task.task_id}", user="7", roles=())  # changed: still one vote
    assert modal.body["type"] == 9 and modal.body["data"]["components"][0]["type"] == 18
    (vote,) = w.feedback.items.values()
    assert vote.vote == -1
    submitted = w.send(w.interaction(5, {"custom_id": modal.body["data"]["custom_id"], "components": [
        {"type": 18, "component": {"type": 4, "custom_id": "comment", "value": "  the diff was too long "}}]},
        user="7", roles=()))
    assert "comment are with the team" in submitted.body["data"]["content"]
    (vote,) = w.feedback.items.values()
    assert vote.comment == "the diff was too long" and vote.vote == -1
    w.press(f"fb:up:copy:{task.task_id}", user="42")  # an admin: a second vote, by another person
    assert sorted(v.role for v in w.feedback.items.values()) == ["admin", "member"]
    assert w.metrics.total("Feedback", Kind="down") == 1 and w.metrics.total("Feedback", Kind="comment") == 1


def test_feedback_the_command_takes_free_text_and_says_how_to_use_it():
    w = World()
    ok = w.send(w.interaction(2, {"name": "feedback", "options": [{"name": "text", "type": 3,
                                                                   "value": "previews are great"}]}))
    assert "with the team" in ok.body["data"]["content"]
    (text,) = w.feedback.items.values()
    assert text.comment == "previews are great" and text.vote == 0 and text.task_id is None
    empty = w.send(w.interaction(2, {"name": "feedback", "options": [{"name": "text", "type": 3, "value": " "}]}))
    assert "/feedback text:" in empty.body["data"]["content"] and len(w.feedback.items) == 1
    forged = w.press("fb:up:copy:../../x")
    assert "not one of mine" in forged.body["data"]["content"] and len(w.feedback.items) == 1


def test_the_accuracy_proxy_counts_first_previews_confirmed_unchanged_by_parser():
    w = World()
    finished_task(w)  # previewed once, confirmed as first parsed
    assert w.metrics.total("FirstPreviews", Parser="rules") == 1
    assert w.metrics.total("ConfirmedUnchanged", Parser="rules") == 1
    w.command("copy-update", 'on the about page, change "a growing team" to "a big team"')
    w.work()
    task = max(w.store.tasks.values(), key=lambda t: t.created_at)
    w.send(w.interaction(5, {"custom_id": f"copy:edit:{task.task_id}:{task.version}", "components": [
        {"type": 18, "component": {"type": 4, "custom_id": "request",
                                   "value": 'on the about page, change "in 2023" to "in 2022"'}}]}))
    w.work()
    edited = w.store.get(task.task_id)
    w.press(f"copy:confirm:{task.task_id}:{edited.version}")
    w.work()
    assert w.store.get(task.task_id).pr_number is not None
    # The edited request's preview is not a first preview, and its confirmation is not "unchanged".
    assert w.metrics.total("ConfirmedUnchanged", Parser="rules") == 1
