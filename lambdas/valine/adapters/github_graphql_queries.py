"""GitHub's GraphQL documents the adapter sends (the preview read, the head, the state of a branch
and its pull requests, the mutations), and how its answers' errors and delays read."""

from __future__ import annotations

import time
from typing import Any

import requests

from valine.adapters.github import (
    GitHubError,
)
from valine.adapters.http import retry_delay
from valine.core.github import PullRequest

PREVIEW = """query Preview($owner: String!, $name: String!, $ref: String!, $path: String!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) {
      target {
        oid
        ... on Commit { tree { oid } file(path: $path) { oid object { ... on Blob { text isBinary isTruncated } } } }
      }
    }
  }
}"""


HEAD = """query Head($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) { ref(qualifiedName: $ref) { target { oid ... on Commit { tree { oid } } } } }
}"""


BLOBS_PER_QUERY = 100


def blobs_query(count: int) -> str:
    variables = ", ".join(f"$o{i}: GitObjectID!" for i in range(count))
    fields = "\n    ".join(f"b{i}: object(oid: $o{i}) {{ ... on Blob {{ oid text isBinary isTruncated }} }}"
                          for i in range(count))
    return (f"query Blobs($owner: String!, $name: String!, {variables}) {{\n"
            f"  repository(owner: $owner, name: $name) {{\n    {fields}\n  }}\n}}")


def state_query(files: int) -> str:
    """The state of a change: the base head and its copy of each file, our branch's, our pull request."""
    variables = ", ".join(f"$p{i}: String!" for i in range(files))
    blobs = " ".join(f"f{i}: file(path: $p{i}) {{ oid }}" for i in range(files))
    return (f"query State($owner: String!, $name: String!, $base: String!, $branch: String!, $head: String!, "
            f"{variables}) {{\n  repository(owner: $owner, name: $name) {{\n    id\n"
            f"    base: ref(qualifiedName: $base) {{ target {{ oid ... on Commit {{ {blobs} }} }} }}\n"
            f"    branch: ref(qualifiedName: $branch) {{ target {{ oid ... on Commit {{ {blobs} }} }} }}\n"
            "    pullRequests(headRefName: $head, first: 1, states: [OPEN, CLOSED, MERGED]) "
            "{ nodes { number url isDraft } }\n  }\n}")


STATE = state_query(1)


_STEPS = {  # mutation field -> (variable type, selection)
    "createRef": ("CreateRefInput", "ref { name }"),
    "createCommitOnBranch": ("CreateCommitOnBranchInput", "commit { oid }"),
    "createPullRequest": ("CreatePullRequestInput", "pullRequest { number url isDraft }"),
}


# Error codes that mean "this GitHub cannot do it through GraphQL" rather than "this failed".
_UNAVAILABLE_CODES = {"undefinedField", "undefinedType", "argumentNotAccepted", "missingRequiredInputObjectAttribute"}


_STATUS_OF = {"NOT_FOUND": 404, "FORBIDDEN": 403, "UNPROCESSABLE": 422, "RATE_LIMITED": 429}


ROUNDS = 3  # state + mutation rounds before giving up (a round follows a failure we cannot read)


class GraphQLUnavailable(Exception):
    """GraphQL (or a mutation the path needs) is not available: use REST."""


def mutation(steps: list[str]) -> str:
    variables = ", ".join(f"${step}: {_STEPS[step][0]}!" for step in steps)
    fields = "\n  ".join(f"{step}(input: ${step}) {{ {_STEPS[step][1]} }}" for step in steps)
    return f"mutation Propose({variables}) {{\n  {fields}\n}}"


def graphql_url(api_url: str) -> str:
    api = api_url.rstrip("/")
    return api[: -len("/v3")] + "/graphql" if api.endswith("/api/v3") else api + "/graphql"


def graphql_delay(response: requests.Response) -> float | None:
    """REST's retry classes, plus GraphQL's primary rate limit (HTTP 200, type RATE_LIMITED)."""
    if response.status_code == 200:
        try:
            errors = response.json().get("errors") or []
        except (ValueError, AttributeError):
            return None
        if any(isinstance(e, dict) and e.get("type") == "RATE_LIMITED" for e in errors):
            reset = response.headers.get("x-ratelimit-reset")
            return max(0.0, min(60.0, float(reset) - time.time())) if reset else 1.0
        return None
    return retry_delay(response)


def _field(error: dict[str, Any]) -> str | None:
    path = error.get("path") or []
    return str(path[0]) if path else None


def _pull(node: dict[str, Any], branch: str) -> PullRequest:
    return PullRequest(number=int(node["number"]), url=str(node["url"]), draft=bool(node.get("isDraft")),
                       branch=branch)


def error_of(error: dict[str, Any]) -> GitHubError:
    """A GraphQL error as REST would have said it: the same reasons and statuses."""
    status = _STATUS_OF.get(str(error.get("type")))
    message = str(error.get("message") or "unknown error")
    if status is not None:
        return GitHubError(f"GitHub answered {status}: {message}", status)
    return GitHubError(f"GitHub refused: {message}")
