"""#21: the lifecycle decides and returns outcome values with no Discord types; one renderer maps
every outcome to Discord's interaction response, in one table."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

from valine.core import outcomes
from valine.core.outcomes import AskEdit, Said, Shown, Thinking
from valine.discord.outcomes import RENDER, response

ROOT = Path(__file__).resolve().parents[2]


def test_every_outcome_has_its_row_in_the_one_table() -> None:
    assert set(RENDER) == set(typing.get_args(outcomes.Outcome))


def test_each_row_is_the_response_discord_expects() -> None:
    assert response(Said("no")).body == {"type": 4, "data": {"content": "no", "flags": 64,
                                                              "allowed_mentions": {"parse": []}}}
    shown = response(Shown("done", votes=("t1", "ux"))).body
    assert shown["type"] == 7 and shown["data"]["content"] == "done"
    assert [c["custom_id"] for c in shown["data"]["components"][0]["components"]] == ["fb:up:ux:t1", "fb:down:ux:t1"]
    assert response(Shown("gone")).body["data"]["components"] == []
    assert response(Thinking()).body == {"type": 5}
    modal = response(AskEdit("t1", "make it blue", prefix="ux", title="UX update", version=3)).body
    assert modal["type"] == 9 and modal["data"]["custom_id"] == "ux:edit:t1:3"


def test_the_lifecycle_imports_no_discord_response_builders() -> None:
    for name in ("lifecycle.py", "pinned.py"):
        tree = ast.parse((ROOT / "lambdas" / "valine" / "workflow" / name).read_text())
        imported = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert not {m for m, _ in imported} & {"valine.discord.messages", "valine.discord.types"}, name
        assert ("valine.discord", "messages") not in imported and ("valine.discord.caller", "HttpResponse") \
            not in imported, name
