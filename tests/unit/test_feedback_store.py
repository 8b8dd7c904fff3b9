"""Feedback in DynamoDB (moto): one vote per person per task, changed in place with its comment
kept; free text; a time window is one query of the by-time index."""

from __future__ import annotations

from tests.unit.test_iam_actions import TABLE, db  # noqa: F401  (the moto table fixture)
from valine.adapters.feedback import DynamoFeedback
from valine.core.ports import Feedback


def test_votes_change_in_place_comments_stay_and_windows_are_queried(db):  # noqa: F811
    store = DynamoFeedback(db, TABLE, retention_days=90)
    t0 = 1_800_000_000.0
    store.vote(Feedback(user_id="1", role="admin", phase=2, at=t0, task_id="11", agent="ux", vote=-1,
                        comment="wrong colour"))  # a 👎 with its comment, in one write
    store.vote(Feedback(user_id="1", role="admin", phase=2, at=t0 + 2, task_id="11", agent="ux", vote=1))
    store.vote(Feedback(user_id="2", role="pm", phase=3, at=t0 + 3, task_id="11", agent="ux", vote=-1))
    store.free_text(Feedback(user_id="3", role="developer", phase=3, at=t0 + 4, comment="more sections"), "x1")
    store.vote(Feedback(user_id="4", role="admin", phase=3, at=t0 + 9000, task_id="12", agent="copy", vote=1))
    got = sorted(store.between(t0, t0 + 10), key=lambda f: f.at)
    assert [(f.user_id, f.vote, f.role, f.phase, f.task_id, f.comment) for f in got] == [
        ("1", 1, "admin", 2, "11", "wrong colour"),  # changed to 👍, the comment kept
        ("2", -1, "pm", 3, "11", ""),
        ("3", 0, "developer", 3, None, "more sections"),
    ]
    assert [f.task_id for f in store.between(t0 + 100, t0 + 10_000)] == ["12"]
