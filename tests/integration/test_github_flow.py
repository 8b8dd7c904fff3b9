"""The pull-request flow against the GitHub emulator over HTTP, with injected faults."""

from __future__ import annotations

import re
import time

import pytest

from valine.adapters.github import GitHubError, GitHubRest
from valine.adapters.http import Retrying, RetryPolicy
from valine_cli.local.faults import parse_faults

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


@pytest.mark.parametrize("spec", [
    "POST /git/commits -> 502 x2",
    "POST /git/blobs -> 500 x1; POST /git/trees -> 503 x1",
    "POST /git/trees -> drop x1",
    "POST /pulls -> 403:1 x1",
    "POST /git/refs -> 429:0.5 x1",
    "GET /git/ref/heads/ -> timeout:2 x1",
])
def test_transient_github_failures_are_retried(client, stack, spec):
    message = preview(client, "make the footer slate gray", user="pat")
    assert "Confirm" in str(message["components"]), message["content"]
    stack.github.faults.set(parse_faults(spec))
    done = confirm_and_wait(client, message)
    assert "pull request #" in done["content"], done["content"]
    assert stack.github.faults.hits, "the fault was injected"
    pr = pr_for(stack, done)
    assert changed_lines(stack.github.diff("main", pr["head"]["ref"])) == \
        changed_lines(task_item(stack, task_id_of(message))["preview_diff"])


def test_repositories_without_drafts_get_a_marked_regular_pr(client, stack):
    stack.github.draft_supported = False
    message = preview(client, "make the navbar tomato", user="quinn")
    done = confirm_and_wait(client, message, user="quinn")
    pr = pr_for(stack, done)
    assert pr["draft"] is False and pr["title"].startswith("[DRAFT] ") and pr["labels"] == ["draft"]
    assert "drafts not supported" in done["content"]


def test_a_moved_base_with_a_changed_file_asks_for_a_new_preview(client, stack):
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


def test_a_moved_base_with_other_files_still_applies_the_previewed_change(client, stack):
    message = preview(client, "change the tagline to Made for teams", user="sam")
    new_head = stack.github.push_commit("main", "README.md", "# moved on\n")
    done = confirm_and_wait(client, message, user="sam")
    pr = pr_for(stack, done)
    assert stack.github.repo.git("merge-base", "main", pr["head"]["ref"]) == new_head
    assert changed_lines(stack.github.diff("main", pr["head"]["ref"])) == \
        changed_lines(task_item(stack, task_id_of(message))["preview_diff"])


def test_a_final_failure_deletes_the_half_made_branch_and_says_why(client, stack):
    message = preview(client, "make the header olive", user="tess")
    branches = set(stack.github.branches())
    stack.github.faults.set(parse_faults("POST /pulls -> 500"))
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
