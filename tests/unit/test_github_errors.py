"""GraphQL answers errors with HTTP 200: they read as REST's statuses and retry classes."""

from __future__ import annotations

import json

import requests

from valine.adapters.github_graphql_queries import error_of, graphql_delay, graphql_url
from valine.adapters.http import retry_delay


def response(status: int, body: object, **headers: str) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = json.dumps(body).encode()
    r.headers.update(headers)
    return r


def test_graphql_error_types_read_as_rest_statuses_and_reasons():
    assert error_of({"type": "FORBIDDEN", "message": "Resource not accessible"}).reason == \
        "GitHub answered 403: Resource not accessible"
    assert error_of({"type": "NOT_FOUND", "message": "Could not resolve"}).status == 404
    assert error_of({"type": "UNPROCESSABLE", "message": "A pull request already exists"}).status == 422
    assert error_of({"type": "RATE_LIMITED", "message": "API rate limit exceeded"}).status == 429
    unknown = error_of({"message": "Something went wrong"})
    assert unknown.status is None and unknown.reason == "GitHub refused: Something went wrong"


def test_the_primary_graphql_rate_limit_is_waited_out_like_rests():
    limited = response(200, {"errors": [{"type": "RATE_LIMITED", "message": "exceeded"}]},
                       **{"x-ratelimit-reset": "0"})
    assert graphql_delay(limited) == 0.0  # the reset has passed: retry now
    assert graphql_delay(response(200, {"data": {"x": 1}})) is None  # a final answer
    assert graphql_delay(response(200, {"errors": [{"type": "NOT_FOUND"}]})) is None  # final, not retried
    secondary = response(403, {"message": "You have exceeded a secondary rate limit"}, **{"retry-after": "2"})
    assert graphql_delay(secondary) == retry_delay(secondary) == 2.0
    assert graphql_delay(response(502, {})) == 0.0


def test_the_graphql_endpoint_of_github_and_of_an_enterprise_server():
    assert graphql_url("https://api.github.com") == "https://api.github.com/graphql"
    assert graphql_url("https://ghe.example.com/api/v3/") == "https://ghe.example.com/api/graphql"


class _Answers:
    """GitHub's GraphQL endpoint as an HTTP session: each POST gets the next canned answer."""

    def __init__(self, *bodies: dict) -> None:
        self.bodies = list(bodies)

    def post(self, url: str, json: dict, headers: dict, timeout: object) -> object:
        import requests

        response = requests.Response()
        response.status_code = 200
        response._content = __import__("json").dumps(self.bodies.pop(0)).encode()
        return response


def _graphql(*bodies: dict) -> object:
    from valine.adapters.github import GitHubRest
    from valine.adapters.github_graphql import GitHubGraphQL

    rest = GitHubRest(api_url="http://127.0.0.1:9", repository="o/r", token_provider=lambda: "t")
    return GitHubGraphQL(api_url="http://127.0.0.1:9", repository="o/r", token_provider=lambda: "t", rest=rest,
                         session=_Answers(*bodies))  # type: ignore[arg-type]


def _change() -> object:
    from valine.core.github import ProposedChange

    return ProposedChange(branch="ux-update/x-1", base="main", base_sha="a" * 40, path="p.jsx",
                          original_sha="b" * 40, base_tree=None, content="x", message="m", title="t", body="b")


def test_documented_nulls_are_github_errors_not_crashes() -> None:
    """Issue 19 point 7: Ref.target and the items of PullRequestConnection.nodes may be null."""
    import pytest

    from valine.adapters.github import GitHubError

    null_target = {"data": {"repository": {"ref": {"target": None}}}}
    with pytest.raises(GitHubError, match="does not exist"):
        _graphql(null_target).read_file("p.jsx", "main")  # type: ignore[attr-defined]
    with pytest.raises(GitHubError, match="does not exist"):
        _graphql(null_target).head("main")  # type: ignore[attr-defined]
    # A state whose pull request list holds a null, and whose base points at nothing.
    state = {"data": {"repository": {"id": "R", "pullRequests": {"nodes": [None]}, "branch": None,
                                     "base": {"target": None}}}}
    with pytest.raises(GitHubError, match="base branch main is gone"):
        _graphql(state).propose(_change(), resume=False)  # type: ignore[attr-defined]
    state = {"data": {"repository": {"id": "R", "pullRequests": None, "branch": {"target": None},
                                     "base": {"target": {"oid": "a" * 40}}}}}
    with pytest.raises(GitHubError, match="points at nothing"):
        _graphql(state).propose(_change(), resume=False)  # type: ignore[attr-defined]
