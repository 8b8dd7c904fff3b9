"""The GitHub port: GraphQL first (one round trip per preview, two per pull request), REST
where this GitHub or this token cannot do it through GraphQL. The switch is remembered for the
next ten minutes, so only the first call pays for finding out, and a server upgraded to have
it is used again without a redeploy."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests

from valine.adapters.github import GitHubRest
from valine.adapters.github_graphql import GitHubGraphQL, GraphQLUnavailable
from valine.adapters.http import Retrying, RetryPolicy
from valine.core.github import Head, ProposedChange, PullRequest, RepoFile, TreeEntry

log = logging.getLogger("valine.github")
REMEMBER_SECONDS = 600
T = TypeVar("T")


class GitHubClient:
    def __init__(self, *, api_url: str, repository: str, token_provider: Any, retry: Retrying | None = None,
                 session: requests.Session | None = None, graphql: bool = True) -> None:
        retry = retry or Retrying(RetryPolicy())
        session = session or requests.Session()
        self.repository = repository
        self.rest = GitHubRest(api_url=api_url, repository=repository, token_provider=token_provider,
                               session=session, retry=retry)
        self.graphql: GitHubGraphQL | None = GitHubGraphQL(
            api_url=api_url, repository=repository, token_provider=token_provider, rest=self.rest,
            session=session, retry=retry) if graphql else None
        self._rest_until = 0.0  # monotonic time until which GraphQL is known not to work here

    @property
    def _use_graphql(self) -> bool:
        return self.graphql is not None and time.monotonic() >= self._rest_until

    def _unavailable(self, exc: GraphQLUnavailable) -> None:
        log.warning("GitHub GraphQL is not available here; using REST for %d s", REMEMBER_SECONDS,
                    extra={"reason": str(exc)})
        self._rest_until = time.monotonic() + REMEMBER_SECONDS

    def _either(self, graphql: Callable[[GitHubGraphQL], T], rest: Callable[[GitHubRest], T]) -> T:
        """GraphQL where it works here, else REST (and remember for REMEMBER_SECONDS that it does not).
        GraphQLUnavailable is raised before anything ran (validation), so REST never repeats work."""
        if self._use_graphql and self.graphql is not None:
            try:
                return graphql(self.graphql)
            except GraphQLUnavailable as exc:
                self._unavailable(exc)
        return rest(self.rest)

    def try_graphql_again(self) -> None:
        self._rest_until = 0.0

    def read_file(self, path: str, ref: str) -> RepoFile:
        return self._either(lambda g: g.read_file(path, ref), lambda r: r.read_file(path, ref))

    def head(self, ref: str) -> Head:
        return self._either(lambda g: g.head(ref), lambda r: r.head(ref))

    def tree(self, tree_sha: str) -> list[TreeEntry]:
        return self.rest.tree(tree_sha)  # GraphQL has no recursive tree listing

    def blobs(self, shas: list[str]) -> dict[str, str | None]:
        return self._either(lambda g: g.blobs(shas), lambda r: r.blobs(shas))

    def propose(self, change: ProposedChange, *, resume: bool) -> PullRequest:
        return self._either(lambda g: g.propose(change, resume=resume), lambda r: r.propose(change, resume=resume))

    def find_pull(self, branch: str) -> PullRequest | None:
        return self.rest.find_pull(branch)

    def delete_branch(self, branch: str) -> None:
        self.rest.delete_branch(branch)
