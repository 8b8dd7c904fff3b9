"""A real site through Discord's side of the product: the section option autocompletes from the site
model, /agents names the real sections, a question offers the candidates as a select menu and a pick
makes the preview, and a change of several files is one commit of one draft pull request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import preview, start_stack, wait_for
from valine.adapters.dynamodb import DynamoTaskStore
from valine.core.task import TaskState
from valine_local.discord_client import DiscordClient, user_id
from valine_local.stack import LocalStack

SITE = Path(__file__).resolve().parents[1] / "sites" / "react-landing-page-template"


@pytest.fixture(scope="module")
def site_stack(tmp_path_factory: pytest.TempPathFactory) -> Any:
    stack = start_stack(tmp_path_factory, "4", site=SITE, name="test-site-discord")
    yield stack
    stack.stop()


@pytest.fixture
def dc(site_stack: LocalStack) -> DiscordClient:
    return DiscordClient(site_stack.url, health=site_stack.health(), signing_key=site_stack.signing_key)


def latest(stack: LocalStack, user: str) -> Any:
    store = DynamoTaskStore(stack.dynamodb, stack.TABLE, retention_days=30)
    return store.recent(requester_id=user_id(user), limit=1)[0]


def test_the_section_option_autocompletes_from_the_site_model(site_stack: LocalStack, dc: DiscordClient) -> None:
    # GIVEN the worker has read the site once (any request does)
    preview(dc, 'change "Get Started" to "Start now"', user="ana")
    # WHEN a teammate types "te" into the section option
    out = dc.autocomplete("ux-update", "bea", ["admin"], {"section": "te"}, focused="section")
    # THEN Discord gets an autocomplete result (type 8) with the site's own sections, within its 25
    assert out["status"] == 200 and out["response"]["type"] == 8
    names = [c["name"] for c in out["choices"]]
    assert names and len(names) <= 25 and "team" in names and "testimonials" in names
    assert all("te" in n for n in names)
    assert all(" " not in c["value"] for c in out["choices"])  # a value the structured grammar reads


def test_agents_names_the_real_sections(site_stack: LocalStack, dc: DiscordClient) -> None:
    preview(dc, 'change "Get Started" to "Start today"', user="cai")
    out = dc.command("agents", "cai", ["admin"])
    content = out["response"]["data"]["content"]
    line = next(x for x in content.splitlines() if x.startswith("Sections of the site:"))
    # the site's own sections, not the example site's catalog (header, footer, navbar, home)
    assert "portfolio" in line and "services" in line and "testimonials" in line


def test_a_question_offers_the_candidates_and_a_pick_makes_the_preview(site_stack: LocalStack,
                                                                       dc: DiscordClient) -> None:
    # GIVEN four features all titled "Lorem ipsum": the agent asks which, with a select menu
    message = preview(dc, 'change the "Lorem ipsum" feature to "Brand strategy"', user="dan")
    menus = [c for row in message["components"] for c in row["components"] if c.get("type") == 3]
    assert menus and len(menus[0]["options"]) >= 2, message
    first = menus[0]["options"][0]
    # WHEN the requester picks one
    edits = len(message["edits"])
    out = dc.select(message["id"], first["value"], "dan", ["admin"])
    assert out["status"] == 200
    shown = dc.wait(message["id"], lambda m: len(m.get("edits", [])) > edits + 1 and "```diff" in m["content"],
                    timeout=20)
    # THEN the preview changes exactly that one entry
    assert "Brand strategy" in shown["content"] and shown["content"].count("+  ") <= 2
    task = latest(site_stack, "dan")
    assert task.state is TaskState.AWAITING_CONFIRMATION and task.pick == first["value"]


def test_a_change_of_several_files_is_one_commit_of_one_pull_request(site_stack: LocalStack,
                                                                     dc: DiscordClient) -> None:
    message = preview(dc, 'rename "React Landing Page" to "Northwind" everywhere', user="eve")
    task = latest(site_stack, "eve")
    assert task.state is TaskState.AWAITING_CONFIRMATION, task.outcome
    files = {task.target_path, *(f["path"] for f in task.more_files)}
    assert len(files) >= 2, files
    dc.press(message["id"], "confirm", "eve", ["admin"])
    done = wait_for(lambda: (t := latest(site_stack, "eve")).state.terminal and t, timeout=30)
    assert done and done.state is TaskState.COMPLETED and done.branch, done
    repo = site_stack.github.repo
    changed = set(repo.git("diff", "--name-only", "refs/heads/main", f"refs/heads/{done.branch}").split())
    assert changed == files
    assert repo.git("rev-list", "--count", f"refs/heads/main..refs/heads/{done.branch}") == "1"
