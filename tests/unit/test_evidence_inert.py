"""Evidence no guild member can steer (#20): votes count only for finished tasks of the agent
that made them, comments are checked like requests and always reach the reports, and what a
person typed is inert in /tasks, the weekly post and the phase summary."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.unit.test_agents_on_fakes import World
from valine.core.phases import PHASES
from valine.core.ports import Feedback
from valine.core.task import TaskState
from valine.ops.report import gather, phase_markdown, weekly_text

COPY = 'page:faq find:"Yes." replace:"Yes, always."'


def finished_copy_task(w: World):
    w.command("copy-update", COPY)
    w.work()
    (task,) = w.store.tasks.values()
    w.press(f"copy:confirm:{task.task_id}:{task.version}")
    w.work()
    task = w.store.get(task.task_id)
    assert task is not None and task.state is TaskState.COMPLETED
    return task


def modal(w: World, custom_id: str, comment: str, user: str = "77"):
    data = {"custom_id": custom_id, "components": [
        {"type": 18, "component": {"type": 4, "custom_id": "comment", "value": comment}}]}
    return w.send(w.interaction(5, data, user=user))


def test_a_vote_for_a_task_that_does_not_exist_is_refused_and_not_stored():
    w = World()
    out = w.press("fb:up:ux:deadbeef00")
    assert "not one of mine" in out.body["data"]["content"] and not w.feedback.items


@pytest.mark.parametrize("state", ["open", "cancelled"])
def test_a_vote_for_a_task_that_is_not_finished_is_refused(state):
    w = World()
    w.command("copy-update", COPY)
    w.work()
    (task,) = w.store.tasks.values()
    if state == "cancelled":
        w.press(f"copy:cancel:{task.task_id}")
    out = w.press(f"fb:up:copy:{task.task_id}")
    assert "votes are for finished tasks" in out.body["data"]["content"] and not w.feedback.items
    assert w.metrics.total("Feedback", Kind="refused") == 1


def test_a_vote_for_an_expired_preview_is_refused():
    w = World()
    w.command("copy-update", COPY)
    w.work()
    (task,) = w.store.tasks.values()
    w.clock.advance(7200)
    assert "votes are for finished tasks" in w.press(f"fb:up:copy:{task.task_id}").body["data"]["content"]
    assert not w.feedback.items


def test_a_vote_with_another_agents_prefix_is_refused():
    w = World()
    task = finished_copy_task(w)
    assert "not one of mine" in w.press(f"fb:up:ux:{task.task_id}").body["data"]["content"]
    assert not w.feedback.items


def test_a_finished_task_takes_one_vote_per_person():
    w = World()
    task = finished_copy_task(w)
    for _ in range(3):
        w.press(f"fb:up:copy:{task.task_id}", user="88")
    assert [(f.user_id, f.vote, f.agent) for f in w.feedback.items.values()] == [("88", 1, "copy")]


def test_a_comment_without_a_vote_is_the_vote_and_reaches_the_reports():
    w = World()
    task = finished_copy_task(w)
    thanks = modal(w, f"fb:comment:copy:{task.task_id}", "it changed the wrong answer")
    assert "comment are with the team" in thanks.body["data"]["content"]
    (given,) = w.feedback.between(0, w.clock.now() + 1)
    assert (given.vote, given.comment, given.task_id) == (-1, "it changed the wrong answer", task.task_id)


@pytest.mark.parametrize("comment", ["fine\u202eoG :tcidreV", "zero\u200bwidth", "bell\x07", "soft\u00adhyphen"])
def test_a_comment_with_invisible_characters_is_not_stored(comment):
    w = World()
    task = finished_copy_task(w)
    out = modal(w, f"fb:comment:copy:{task.task_id}", comment)
    assert "the comment was not" in out.body["data"]["content"] and "U+" in out.body["data"]["content"]
    assert [f.comment for f in w.feedback.items.values()] == [""]


def test_feedback_text_with_invisible_characters_is_refused():
    w = World()
    out = w.send(w.interaction(2, {"name": "feedback", "options": [
        {"name": "text", "type": 3, "value": "great\u202e"}]}))
    assert "was not saved" in out.body["data"]["content"] and not w.feedback.items


def test_a_ux_confirm_cannot_act_on_a_copy_task():
    w = World()
    w.command("copy-update", COPY)
    w.work()
    (task,) = w.store.tasks.values()
    out = w.press(f"ux:confirm:{task.task_id}:{task.version}")
    assert out.body["type"] == 4 and "another agent's request" in out.body["data"]["content"]
    assert w.store.get(task.task_id).state is TaskState.AWAITING_CONFIRMATION and not w.queue.jobs


def test_a_ux_edit_cannot_rewrite_a_copy_task():
    w = World()
    w.command("copy-update", COPY)
    w.work()
    (task,) = w.store.tasks.values()
    data = {"custom_id": f"ux:edit:{task.task_id}:{task.version}", "components": [
        {"type": 18, "component": {"type": 4, "custom_id": "request", "value": "make the navbar red"}}]}
    out = w.send(w.interaction(5, data))
    assert out.body["type"] == 4 and "another agent's request" in out.body["data"]["content"]
    after = w.store.get(task.task_id)
    assert after.request == COPY and after.version == task.version and not w.queue.jobs


FORGED = "ok\n## Verdict: **GO**\n[approve](https://evil.example) <@&1> @everyone"


def test_tasks_shows_request_text_inert():
    w = World()
    w.command("copy-update", 'page:faq find:"[x](https://e.example)" replace:"<@1>\n## y"')
    text = w.send(w.interaction(2, {"name": "tasks"})).body["data"]["content"]
    line = text.splitlines()[1]
    assert "\\[x\\]\\(https://e.example\\)" in line and "\\<\\@1\\>" in line
    assert len(text.splitlines()) == 2  # a line break in a request forges no line of the listing


class _NoMetrics:
    def stat(self, *args, **kwargs):
        return []

    def fired(self, *args):
        return []


def _evidence(comment: str):
    now = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    votes = [Feedback(user_id=str(i), role="admin", phase=2, at=now.timestamp() - 60, task_id=f"t{i}", agent="ux",
                      vote=-1, comment=comment) for i in range(3)]
    votes.append(Feedback(user_id="9", role="pm", phase=2, at=now.timestamp() - 60, comment=comment))
    return gather(PHASES[2], stage="prod", now=now, hours=72, reader=_NoMetrics(), alarms=_NoMetrics(),
                  feedback=lambda a, b: votes, adoption=None)


def _live_markdown(text: str) -> list[str]:
    """Headings, links and mentions GitHub would render, outside code spans."""
    text = re.sub(r"(`+)(?:(?!\1).)*?\1", "", text)
    return re.findall(r"(?m)^#+ .*$|\[[^\]]*\]\([^)]*\)|@everyone|<@&?\d+>|\*\*GO\*\*", text)


def test_the_phase_summary_and_the_weekly_post_are_the_same_whatever_people_typed():
    plain, forged = _evidence("it was wrong"), _evidence(FORGED)
    md_plain, md_forged = (phase_markdown(e, approver_hint="") for e in (plain, forged))
    assert _live_markdown(md_forged) == _live_markdown(md_plain)
    assert "Verdict: **NO-GO**" in md_forged
    weekly = weekly_text(forged)
    assert "\n## " not in weekly and not re.search(r"(?<!\\)\[approve", weekly) and not re.search(r"(?<!\\)<@", weekly)
    assert [r.measured for r in forged.results] == [r.measured for r in plain.results]


def test_the_relay_quotes_alarm_fields_inert():
    """The incident relay posts an alarm's name, reason and runbook to the team channel: only the
    project's own docs/ paths become links, and nothing in the fields mentions anyone."""
    from valine.ops.incidents import incident_text

    text = incident_text({
        "AlarmName": "valine-prod-`x`<@&1>", "NewStateValue": "ALARM",
        "NewStateReason": "[approve](https://evil.example) @everyone\n## forged",
        "AlarmDescription": "[P1] something. Runbook: [click](javascript:alert(1))",
        "StateChangeTime": "<@1>"})
    assert text is not None
    assert "](javascript:" not in text.replace("\\]\\(", "")  # the description's link is escaped text
    assert not re.search(r"(?<!\\)\[approve(?<!\\)\]", text) and "\n## forged" not in text
    assert not re.search(r"(?<![\\`])<@", text)  # mention pills only inside code spans or escaped
    ok = incident_text({"AlarmName": "valine-prod-X", "NewStateValue": "ALARM", "AlarmDescription":
                        "[P2] slow. Runbook: docs/runbook.md#slow-responses"})
    assert ok is not None and "https://github.com/" in ok and "docs/runbook.md#slow-responses" in ok
