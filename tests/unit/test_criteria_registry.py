"""#21: a new go/no-go criterion is one entry in ``CRITERIA``. A throwaway one, added in this
test's scope only, is judged by the check (so `rollout check`, the phase summary and the weekly
report show it) and listed in the generated docs table; docs/rollout.md holds the table as
generated from the list."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from valine.core.phases import PHASES
from valine.ops import criteria
from valine.ops.criteria import Criterion, Result, Verdict, criteria_table, evaluate, go
from valine.ops.report import gather, phase_markdown, weekly_text

ROOT = Path(__file__).resolve().parents[2]


class _Quiet:
    def stat(self, *args, **kwargs):
        return []

    def fired(self, *args):
        return []


@pytest.fixture
def moon(monkeypatch: pytest.MonkeyPatch) -> Criterion:
    entry = Criterion("moon phase", "the sky", "one clear night", lambda p: p.number == 3,
                      lambda i: Result(Verdict.FAIL, f"the moon is full ({i.span})", "it is new"))
    monkeypatch.setattr(criteria, "CRITERIA", [*criteria.CRITERIA, entry])
    return entry


def test_a_new_criterion_is_one_entry_judged_everywhere(moon: Criterion) -> None:
    now = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    results = evaluate(PHASES[3], stage="s", reader=_Quiet(), now=now, approval_for_next=None)
    assert results[-1] == Result(Verdict.FAIL, "the moon is full (last 168 h)", "it is new") and not go(results)
    assert not [r for r in evaluate(PHASES[2], stage="s", reader=_Quiet(), now=now, approval_for_next=None)
                if "moon" in r.criterion]
    evidence = gather(PHASES[3], stage="s", now=now, hours=168, reader=_Quiet(), alarms=_Quiet(),
                      feedback=lambda a, b: [], adoption=None)
    assert "| FAIL | the moon is full (last 168 h) | it is new |" in phase_markdown(evidence, approver_hint="")
    assert "❌ the moon is full (last 168 h): it is new" in weekly_text(evidence)
    assert "| moon phase | the sky | one clear night | 3 |" in criteria_table()


def test_the_docs_table_is_the_generated_one() -> None:
    text = (ROOT / "docs" / "rollout.md").read_text()
    found = re.search(r"<!-- criteria:begin -->\n(.*?)\n<!-- criteria:end -->", text, re.S)
    assert found, "docs/rollout.md lost its criteria table markers"
    assert found.group(1) == criteria_table(), "regenerate it: .venv/bin/valine rollout criteria"


def test_every_criterion_states_what_it_reads_and_needs() -> None:
    for c in criteria.CRITERIA:
        assert c.name and c.reads and c.needs, c
        assert any(c.applies(p) for p in PHASES.values()), f"{c.name} applies to no phase"
