"""The validators that hold the emulators to the vendors' published contracts can fail, and
what the bot sends passes them. (Every emulator exchange in the suite is checked by the same
validators: tests/conftest.py fails a test whose exchanges the contracts refuse.)"""

from __future__ import annotations

import pytest
from graphql import parse, validate

from valine.adapters.github_graphql_queries import PREVIEW, STATE, mutation
from valine.core.outcomes import Asked, Choice, Previewed, Shown
from valine.discord import messages as msg
from valine.discord.commands import command_schema
from valine.discord.outcomes import message, response
from valine_local import contracts

REPO = "/repos/example-org/valine-site"


@pytest.fixture(scope="module")
def rest():
    return contracts.github_rest()


def test_a_rest_body_github_would_refuse_names_the_field_and_the_schema_path(rest):
    problems = rest.check_request("POST", f"{REPO}/pulls", {}, {"title": "t", "head": "b", "base": "main",
                                                                "draft": "yes"})
    assert len(problems) == 1
    assert "draft: 'yes' is not of type 'boolean'" in problems[0] and "schema properties/draft/type" in problems[0]


def test_blob_less_trees_and_their_modes_are_checked(rest):
    entry = {"path": "src/a.jsx", "mode": "100644", "type": "blob", "content": "x"}
    assert rest.check_request("POST", f"{REPO}/git/trees", {}, {"base_tree": "abc", "tree": [entry]}) == []
    assert rest.check_request("POST", f"{REPO}/git/trees", {}, {"tree": [entry | {"mode": "644"}]})


def test_an_operation_github_does_not_have_is_refused(rest):
    assert "no such operation" in rest.check_request("POST", f"{REPO}/git/tags/x/y/z", {}, {})[0]
    assert rest.check_request("GET", f"{REPO}/pulls/1/files", {}, None) == []  # and one it has


def test_a_response_missing_documented_fields_is_refused_and_complete_fills_them(rest):
    ours = {"number": 1, "html_url": "http://x/pull/1", "draft": True, "state": "open", "title": "t",
            "head": {"ref": "b", "sha": "a" * 40}, "base": {"ref": "main"}, "labels": []}
    assert rest.check_response("POST", f"{REPO}/pulls", 201, ours)  # the bare emulator answer is not GitHub's
    pointer = rest.response_pointer("POST", f"{REPO}/pulls", 201)
    full = contracts.complete(rest, pointer, ours)
    assert rest.check_response("POST", f"{REPO}/pulls", 201, full) == []
    assert {k: full[k] for k in ours if k not in ("head", "base")} == {k: ours[k] for k in ours
                                                                      if k not in ("head", "base")}
    wrong = full | {"number": "1"}
    assert any("number" in p for p in rest.check_response("POST", f"{REPO}/pulls", 201, wrong))


def test_an_undocumented_status_is_refused(rest):
    assert "not a documented answer" in rest.check_response("POST", f"{REPO}/pulls", 200, {})[0]


@pytest.mark.parametrize("document", [PREVIEW, STATE, mutation(["createRef", "createCommitOnBranch",
                                                                 "createPullRequest"]),
                                      mutation(["createCommitOnBranch", "createPullRequest"]),
                                      mutation(["createPullRequest"])])
def test_every_graphql_document_the_bot_sends_is_valid_against_githubs_schema(document):
    assert validate(contracts.github_graphql(), parse(document)) == []


def test_a_graphql_document_github_would_refuse_is_refused():
    errors = validate(contracts.github_graphql(), parse("query { repository(owner: \"o\", name: \"r\") { files } }"))
    assert errors and "Cannot query field 'files' on type 'Repository'" in errors[0].message
    bad_input = validate(contracts.github_graphql(), parse(
        "mutation { createRef(input: {repositoryId: \"R\", name: \"refs/heads/x\"}) { ref { name } } }"))
    assert bad_input and "oid" in bad_input[0].message


@pytest.fixture(scope="module")
def discord():
    return contracts.discord()


CALLBACK = "/interactions/1/token/callback"


@pytest.mark.parametrize("response", [
    msg.deferred(), msg.deferred(ephemeral=True), msg.pong(), msg.deferred_update(),
    msg.reply("hello"), msg.update("done", []),
    msg.update("preview", msg.preview_buttons("01JABCDEF", "ux", 3)),
    msg.edit_modal("01JABCDEF", "make the navbar blue", prefix="ux", title="UX update", version=3),
    msg.autocomplete([{"name": "header", "value": "header"}]),
], ids=lambda r: f"type{r['type']}")
def test_every_interaction_response_the_bot_sends_is_valid_against_discords_spec(discord, response):
    assert discord.check_request("POST", CALLBACK, {}, response) == []


def test_the_modal_uses_a_label_not_a_deprecated_action_row():
    modal = msg.edit_modal("01JABCDEF", "x", prefix="ux", title="UX update", version=0)
    assert [c["type"] for c in modal["data"]["components"]] == [18]
    assert "label" not in modal["data"]["components"][0]["component"]


def test_a_body_discord_would_refuse_names_the_field(discord):
    too_long = msg.update("x", [msg.row(msg.button("y" * 81, msg.ButtonStyle.PRIMARY, "ux:confirm:1"))])
    assert discord.check_request("POST", CALLBACK, {}, too_long)
    assert discord.check_request("POST", "/channels/1/messages", {}, {"content": 5})


def test_command_registration_is_valid_against_discords_spec(discord):
    body = command_schema()
    assert discord.check_request("PUT", "/applications/1/guilds/2/commands", {}, body) == []
    assert all("dm_permission" not in c for c in body)


MESSAGES = [
    Shown("PR #4 is ready", votes=("01JABCDEF", "ux"), link="https://github.com/o/r/pull/4"),
    Shown("**UX update**", votes=("01JABCDEF", "ux"), diff="-a\n+b", footer="Dry run."),
    Shown("Still working on it"),
    Previewed("**UX update**", "-a\n+b", "Confirm opens a draft pull request.", "01JABCDEF", "ux", 3,
              (("color", "#1e40af"),)),
    Asked("Which heading?", "01JABCDEF", "ux", 3),
    Asked("Which heading?", "01JABCDEF", "ux", 3, tuple(Choice(f"Welcome {i}", f"src/App.tsx:{i}", f"k{i}")
                                                         for i in range(30))),
]


@pytest.mark.parametrize("value", MESSAGES, ids=lambda v: type(v).__name__)
def test_every_message_the_worker_sends_and_its_update_are_valid_against_discords_spec(discord, value):
    # The worker's PATCH @original (and its follow-up), and the same value as a component's UPDATE_MESSAGE.
    body = message(value)
    assert discord.check_request("PATCH", "/webhooks/1/token/messages/@original", {}, body) == []
    assert discord.check_request("POST", "/webhooks/1/token", {"wait": "true"}, body) == []
    assert discord.check_request("POST", CALLBACK, {}, response(value).body) == []
