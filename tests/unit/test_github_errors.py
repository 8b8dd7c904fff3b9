"""GraphQL answers errors with HTTP 200: they read as REST's statuses and retry classes."""

from __future__ import annotations

import json

import requests

from valine.adapters.github_graphql import error_of, graphql_delay, graphql_url
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
