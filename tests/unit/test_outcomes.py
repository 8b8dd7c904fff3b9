"""#21: the lifecycle and the worker decide and return outcome values with no Discord types; one
renderer maps every outcome to Discord's interaction response or to the message the worker edits,
in one table."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

from valine.core import outcomes
from valine.core.outcomes import Asked, AskEdit, Choice, Previewed, Said, Shown, Thinking
from valine.discord.outcomes import BODY, RENDER, message, response
from valine.discord.types import MAX_CONTENT

ROOT = Path(__file__).resolve().parents[2]


def test_every_outcome_has_its_row_in_the_one_table() -> None:
    assert set(RENDER) == set(typing.get_args(outcomes.Outcome))
    # What a task's message can say is rendered once, for the worker's edit and for an interaction's answer.
    assert set(BODY) == set(typing.get_args(outcomes.Message))
    for value in (Shown("done"), Previewed("h", "-a\n+b", "f", "t1", "ux", 2), Asked("which?", "t1", "ux", 2)):
        assert response(value).body == {"type": 7, "data": message(value)}


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


def test_each_message_is_the_body_discord_expects() -> None:
    done = message(Shown("PR #4 is ready", votes=("t1", "ux"), link="https://github.com/o/r/pull/4"))
    assert done["components"][0]["components"] == [
        {"type": 2, "style": 5, "label": "Open pull request", "url": "https://github.com/o/r/pull/4"}]
    assert done["components"][1]["components"][0]["custom_id"] == "fb:up:ux:t1" and done["embeds"] == []
    # A preview: Confirm pinned to the version shown, one swatch per colour, the diff trimmed to fit.
    diff = "".join(f"-old line {i}\n+new line {i}\n" for i in range(400))
    shown = message(Previewed("**UX update**", diff, "Confirm opens a draft pull request.", "t1", "ux", 3,
                              (("color", "#1e40af"), ("text", "Welcome"))))
    assert len(shown["content"]) <= MAX_CONTENT and shown["content"].endswith("Confirm opens a draft pull request.")
    assert shown["content"].count("```") == 2
    assert [c["custom_id"] for c in shown["components"][0]["components"]] == ["ux:confirm:t1:3", "ux:edit:t1",
                                                                              "ux:cancel:t1"]
    assert shown["embeds"] == [{"title": "New color: #1e40af", "color": 0x1E40AF}]
    # A dry run's finished message keeps its diff whole-fenced too, and offers only the votes.
    dry = message(Shown("**UX update**", votes=("t1", "ux"), diff=diff, footer="Dry run."))
    assert dry["content"].count("```") == 2 and dry["content"].endswith("Dry run.") and len(dry["components"]) == 1
    # A question: Edit request and Cancel, and with choices a menu pinned to the version.
    plain = message(Asked("Which heading?", "t1", "ux", 3))
    assert [c["custom_id"] for c in plain["components"][0]["components"]] == ["ux:edit:t1", "ux:cancel:t1"]
    menu = message(Asked("Which heading?", "t1", "ux", 3, (Choice("Welcome", "src/App.tsx:4", "k1"),)))
    select = menu["components"][0]["components"][0]
    assert select["custom_id"] == "ux:pick:t1:3" and select["options"] == [
        {"label": "Welcome", "value": "k1", "description": "src/App.tsx:4"}]
    assert all(m["allowed_mentions"] == {"parse": []} for m in (done, shown, dry, plain, menu))


def test_the_lifecycle_and_the_worker_import_nothing_of_discord() -> None:
    # The workflow reads the kernel's Caller and Interaction and returns outcome values: the router
    # reads Discord's JSON into them, and valine.discord.outcomes renders what comes back.
    for path in sorted((ROOT / "lambdas" / "valine" / "workflow").glob("*.py")):
        tree = ast.parse(path.read_text())
        modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | \
            {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not [m for m in modules if m == "valine.discord" or m.startswith("valine.discord.")], path.name
