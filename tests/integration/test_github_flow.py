"""The pull-request flow against the GitHub emulator over HTTP, with injected faults."""

from __future__ import annotations

import re
import time

import pytest

from valine.adapters.github import GitHubError, GitHubRest
from valine.adapters.http import Retrying, RetryPolicy
from valine_local.faults import parse_faults

from .conftest import preview, wait_for
from .test_conversation import changed_lines, task_id_of, task_item


def confirm_and_wait(client, message, user="pat"):
    out = client.press(message["id"], "confirm", user, ["admin"])
    assert out["response"]["type"] == 7, out
    return client.wait(message["id"], lambda m: "pull request #" in m["content"] or "failed" in m["content"],
                       timeout=30)


def pr_for(stack, message):
    url = re.search(r"(http://\S+/pull/\d+)", message["content"]).group(1)
    return next(p for p in stack.github.pulls if p["html_url"] == url)


@pytest.fixture(params=["graphql", "rest"])
def api(request, stack):
    """Each flow runs on the GraphQL path and on the REST fallback (a server or token without GraphQL)."""
    stack.github.graphql_enabled = request.param == "graphql"
    return request.param


TRANSIENT = {
    "graphql": [
        "POST /graphql:State -> 502 x2",
        "POST /graphql:Propose -> 502 x1",  # it may have run: the state is read again
        "POST /graphql:Propose -> lost x1",  # it ran, its answer never came: the next round finds the PR
        "POST /graphql:Propose -> drop x1",
        "POST /graphql:Propose -> 403:1 x1",  # a secondary rate limit
        "POST /graphql:Propose -> ratelimited:0.5 x1",  # the primary limit: HTTP 200, type RATE_LIMITED
        "POST /graphql:State -> 429:0.5 x1",
        "POST /graphql:State -> timeout:2 x1",
    ],
    "rest": [
        "POST /git/commits -> 502 x2",
        "POST /git/trees -> 500 x1",
        "POST /git/trees -> drop x1",
        "POST /pulls -> 403:1 x1",
        "POST /git/refs -> 429:0.5 x1",
        "GET /git/ref/heads/ -> timeout:2 x1",
    ],
}


@pytest.mark.parametrize("kind,spec", [(k, s) for k, specs in TRANSIENT.items() for s in specs])
def test_transient_github_failures_are_retried(client, stack, kind, spec):
    stack.github.graphql_enabled = kind == "graphql"
    message = preview(client, "make the footer slate gray", user="pat")
    assert "Confirm" in str(message["components"]), message["content"]
    stack.github.faults.set(parse_faults(spec))
    prs = len(stack.github.pulls)
    done = confirm_and_wait(client, message)
    assert "pull request #" in done["content"], done["content"]
    assert stack.github.faults.hits, "the fault was injected"
    assert len(stack.github.pulls) == prs + 1  # one pull request, whatever the fault
    pr = pr_for(stack, done)
    assert changed_lines(stack.github.diff("main", pr["head"]["ref"])) == \
        changed_lines(task_item(stack, task_id_of(message))["preview_diff"])
    assert stack.github.repo.git("rev-list", "--count", f"main..{pr['head']['ref']}") == "1"  # one commit


def quiet(stack):
    """Nothing of an earlier test still reaching GitHub: no job in the queue, and no request the emulator is
    still serving (a "timeout:2" fault answers after the client gave up, and is recorded then)."""
    assert wait_for(lambda: stack.queue_depth()[0] == 0 and stack.github.in_flight == 0, timeout=90)


def test_the_graphql_path_is_one_round_trip_per_preview_and_two_per_pull_request(client, stack):
    quiet(stack)
    preview(client, "make the footer teal", user="pat")  # the catalog is read and cached
    before = len(stack.github.requests)
    message = preview(client, "make the header navy", user="pat")
    preview_calls = stack.github.requests[before:]
    before = len(stack.github.requests)
    done = confirm_and_wait(client, message)
    pr_calls = stack.github.requests[before:]
    assert [c[:2] for c in preview_calls] == [("POST", "/graphql")]
    assert [c[:2] for c in pr_calls] == [("POST", "/graphql")] * 2
    pr = pr_for(stack, done)
    head = stack.github.repo.rev(f"refs/heads/{pr['head']['ref']}")
    assert head in stack.github.verified  # committed by createCommitOnBranch: GitHub signs it
    assert pr["draft"] is True


def test_the_rest_fallback_takes_five_calls_and_is_remembered(client, stack):
    quiet(stack)
    stack.github.graphql_missing = {"createCommitOnBranch"}  # an Enterprise Server without the mutation
    preview(client, "make the footer teal", user="pat")
    message = preview(client, "make the header maroon", user="pat")
    before = len(stack.github.requests)
    done = confirm_and_wait(client, message)
    first = [(m, re.sub(r"^/repos/[^/]+/[^/]+", "", p)) for m, p, _ in stack.github.requests[before:]]
    # Found out once: the state query works, the mutation document is refused before it runs.
    assert first[:2] == [("POST", "/graphql")] * 2
    assert first[2:] == REST_PR_CALLS, first
    assert "pull request #" in done["content"]
    again = preview(client, "make the header olive", user="pat")
    before = len(stack.github.requests)
    confirm_and_wait(client, again)
    later = [(m, re.sub(r"^/repos/[^/]+/[^/]+", "", p)) for m, p, _ in stack.github.requests[before:]]
    assert later == REST_PR_CALLS  # remembered: five calls, no GraphQL


REST_PR_CALLS = [("GET", "/git/ref/heads/main"), ("POST", "/git/trees"), ("POST", "/git/commits"),
                 ("POST", "/git/refs"), ("POST", "/pulls")]


def test_repositories_without_drafts_get_a_marked_regular_pr(client, stack, api):
    stack.github.draft_supported = False
    message = preview(client, "make the navbar tomato", user="quinn")
    done = confirm_and_wait(client, message, user="quinn")
    pr = pr_for(stack, done)
    assert pr["draft"] is False and pr["title"].startswith("[DRAFT] ") and pr["labels"] == ["draft"]
    assert "drafts not supported" in done["content"]


def test_a_moved_base_with_a_changed_file_asks_for_a_new_preview(client, stack, api):
    message = preview(client, "set the header text to Hello there", user="rosa")
    branches = set(stack.github.branches())
    original = stack.github.repo.git("show", "main:src/components/Header.jsx") + "\n"
    stack.github.push_commit("main", "src/components/Header.jsx", "export default () => <h1>rewritten</h1>;\n")
    try:
        done = confirm_and_wait(client, message, user="rosa")
    finally:  # later tests edit the header again
        stack.github.push_commit("main", "src/components/Header.jsx", original, "Restore the header")
    assert "changed on main after the preview" in done["content"]
    assert "run /ux-update again" in done["content"]
    assert set(stack.github.branches()) == branches  # no orphan branch
    assert task_item(stack, task_id_of(message))["state"] == "failed"


def test_a_moved_base_with_other_files_still_applies_the_previewed_change(client, stack, api):
    message = preview(client, "change the tagline to Made for teams", user="sam")
    new_head = stack.github.push_commit("main", "README.md", "# moved on\n")
    done = confirm_and_wait(client, message, user="sam")
    pr = pr_for(stack, done)
    assert stack.github.repo.git("merge-base", "main", pr["head"]["ref"]) == new_head
    assert changed_lines(stack.github.diff("main", pr["head"]["ref"])) == \
        changed_lines(task_item(stack, task_id_of(message))["preview_diff"])


def test_a_final_failure_deletes_the_half_made_branch_and_says_why(client, stack, api):
    message = preview(client, "make the header olive", user="tess")
    branches = set(stack.github.branches())
    stack.github.faults.set(parse_faults("POST /pulls -> 500" if api == "rest" else "POST /graphql:Propose -> 500"))
    done = confirm_and_wait(client, message, user="tess")
    assert "failed: GitHub answered 500" in done["content"] and "ref" in done["content"]
    assert wait_for(lambda: set(stack.github.branches()) == branches)
    assert task_item(stack, task_id_of(message))["state"] == "failed"


def test_retries_are_bounded_in_time(stack):
    github = GitHubRest(api_url=stack.github.url, repository=stack.config.repository,
                        token_provider=lambda: stack.github_token,
                        retry=Retrying(RetryPolicy(attempts=10, total_seconds=2.0, timeout=(1, 1))))
    stack.github.faults.set(parse_faults("GET /git/ref/heads/ -> 503"))
    started = time.monotonic()
    with pytest.raises(GitHubError, match="GitHub answered 503"):
        github.branch_head("main")
    assert time.monotonic() - started < 4.0


def test_requests_carry_the_api_version_and_credentials(stack):
    bad = GitHubRest(api_url=stack.github.url, repository=stack.config.repository, token_provider=lambda: "wrong")
    with pytest.raises(GitHubError, match="401"):
        bad.branch_head("main")


def test_the_emulators_refuse_what_the_real_apis_would_and_record_it(stack):
    import requests

    headers = {"Authorization": f"Bearer {stack.github_token}", "X-GitHub-Api-Version": "2022-11-28"}
    bad = requests.post(f"{stack.github.url}/repos/{stack.config.repository}/pulls", headers=headers, timeout=5,
                        json={"title": "t", "head": "x", "base": "main", "draft": "yes"})
    assert bad.status_code == 422 and "draft: 'yes' is not of type 'boolean'" in bad.json()["message"]
    graphql = requests.post(f"{stack.github.url}/graphql", headers=headers, timeout=5,
                            json={"query": "query Q { viewer { nope } }"})
    assert graphql.status_code == 200 and "Cannot query field 'nope'" in graphql.json()["errors"][0]["message"]
    discord = requests.post(f"{stack.discord.url}/api/v10/channels/1/messages", timeout=5,
                            headers={"Authorization": f"Bot {stack.discord.bot_token}"}, json={"content": 5})
    assert discord.status_code == 400 and discord.json()["code"] == 50035
    assert len(stack.github.violations) == 2 and len(stack.discord.violations) == 1
    stack.github.violations.clear()  # seen; the autouse check would fail this test otherwise
    stack.discord.violations.clear()
