"""GitHub GraphQL: a preview in one round trip and a pull request in two.

Preview: one query reads the base head, its tree and the file. Propose: one query finds the
state (the base head and its copy of the file, our branch and pull request if an earlier attempt
made them), then one mutation document creates the ref, commits with ``createCommitOnBranch``
and opens the draft pull request. Mutations in a document run in order, and GitHub signs a
``createCommitOnBranch`` commit, so it shows as Verified under "require signed commits".

GraphQL answers errors with HTTP 200; they map to the same reasons and retry classes as REST.
Where GraphQL or the mutation is not available (GitHub Enterprise Server without it, a token
without GraphQL access), ``GraphQLUnavailable`` sends the caller to the REST path.
"""

from __future__ import annotations

import base64
from typing import Any

import requests

from valine.adapters.github import (
    USER_AGENT,
    FileNotFound,
    GitHubError,
    GitHubRest,
    base_changed,
    blob_sha,
    describe,
)
from valine.adapters.github_graphql_queries import (
    _UNAVAILABLE_CODES,
    BLOBS_PER_QUERY,
    HEAD,
    PREVIEW,
    ROUNDS,
    GraphQLUnavailable,
    _field,
    _pull,
    blobs_query,
    error_of,
    graphql_delay,
    graphql_url,
    mutation,
    state_query,
)
from valine.adapters.http import Retrying, RetryPolicy
from valine.core.github import Head, ProposedChange, PullRequest, RepoFile


class GitHubGraphQL:
    def __init__(self, *, api_url: str, repository: str, token_provider: Any, rest: GitHubRest,
                 session: requests.Session | None = None, retry: Retrying | None = None) -> None:
        self._url = graphql_url(api_url)
        self.repository = repository
        self._owner, self._name = repository.split("/", 1)
        self._token = token_provider
        self._rest = rest
        self._http = session or requests.Session()
        self._retry = retry or Retrying(RetryPolicy())

    # ---- plumbing ----------------------------------------------------------------------
    def _post(self, query: str, variables: dict[str, Any], *, unsafe: bool = False) -> dict[str, Any]:
        """``data`` and ``errors`` of one document; raises for an answer with no data at all."""
        headers = {"Authorization": f"Bearer {self._token()}", "User-Agent": USER_AGENT,
                   "Content-Type": "application/json"}
        body: dict[str, Any] = {"query": query, "variables": variables}
        try:
            response = self._retry.call(lambda timeout: self._http.post(
                self._url, json=body, headers=headers, timeout=timeout), delay_for=graphql_delay, unsafe=unsafe)
        except requests.Timeout as exc:
            raise GitHubError("GitHub did not answer in time") from exc
        except requests.ConnectionError as exc:
            raise GitHubError("could not reach GitHub") from exc
        if response.status_code in (404, 410) or (response.status_code == 403 and
                                                  response.headers.get("x-ratelimit-remaining") != "0"
                                                  and not response.headers.get("retry-after")):
            raise GraphQLUnavailable(describe(response))
        if response.status_code != 200:
            raise GitHubError(describe(response), response.status_code)
        try:
            out = response.json()
        except ValueError as exc:
            raise GitHubError(f"GitHub answered 200 with no JSON: {response.text[:200]}") from exc
        errors = out.get("errors") or []
        for error in errors:
            code = (error.get("extensions") or {}).get("code")
            if code in _UNAVAILABLE_CODES or (error.get("type") == "FORBIDDEN" and
                                             "not accessible" in str(error.get("message"))):
                raise GraphQLUnavailable(str(error.get("message")))
        if out.get("data") is None:
            raise error_of(errors[0] if errors else {"message": "no data"})
        return {"data": out["data"], "errors": errors}

    # ---- the port ------------------------------------------------------------------------
    def read_file(self, path: str, ref: str) -> RepoFile:
        out = self._post(PREVIEW, {"owner": self._owner, "name": self._name, "ref": f"refs/heads/{ref}",
                                   "path": path})
        repo = out["data"].get("repository")
        if repo is None:
            raise error_of(out["errors"][0] if out["errors"] else {"message": f"{self.repository} not found"})
        if repo.get("ref") is None or not isinstance(repo["ref"].get("target"), dict):  # Ref.target is nullable
            raise GitHubError(f"branch {ref} does not exist in {self.repository}", 404)
        target = repo["ref"]["target"]
        file = target.get("file")
        if file is None or not isinstance(file.get("object"), dict) or "text" not in file["object"]:
            raise FileNotFound(f"{path} does not exist on {ref} in {self.repository}", 404)
        blob = file["object"]
        if blob.get("isBinary"):
            raise GitHubError(f"{path} is not a text file in {self.repository}")
        if blob.get("isTruncated") or blob.get("text") is None:  # too large for GraphQL: read it by REST
            content, sha = self._rest.read_at(path, target["oid"], ref)
        else:
            content, sha = blob["text"], file["oid"]
        return RepoFile(path=path, content=content, sha=sha, commit_sha=target["oid"],
                        tree_sha=str((target.get("tree") or {}).get("oid") or ""))

    def head(self, ref: str) -> Head:
        out = self._post(HEAD, {"owner": self._owner, "name": self._name, "ref": f"refs/heads/{ref}"})
        repo = out["data"].get("repository")
        if repo is None:
            raise error_of(out["errors"][0] if out["errors"] else {"message": f"{self.repository} not found"})
        if repo.get("ref") is None or not isinstance(repo["ref"].get("target"), dict):
            raise GitHubError(f"branch {ref} does not exist in {self.repository}", 404)
        target = repo["ref"]["target"]
        return Head(str(target["oid"]), str((target.get("tree") or {}).get("oid") or ""))

    def blobs(self, shas: list[str]) -> dict[str, str | None]:
        """Blob texts, a hundred per query; one GitHub truncates is read by REST."""
        out: dict[str, str | None] = {}
        for at in range(0, len(shas), BLOBS_PER_QUERY):
            batch = shas[at:at + BLOBS_PER_QUERY]
            answer = self._post(blobs_query(len(batch)), {"owner": self._owner, "name": self._name,
                                                          **{f"o{i}": sha for i, sha in enumerate(batch)}})
            repo = answer["data"].get("repository") or {}
            for i, sha in enumerate(batch):
                blob = repo.get(f"b{i}")
                if not isinstance(blob, dict):
                    raise GitHubError(f"GitHub has no blob {sha} in {self.repository}", 404)
                if blob.get("isBinary"):
                    out[sha] = None
                elif blob.get("isTruncated") or blob.get("text") is None:
                    out.update(self._rest.blobs([sha]))
                else:
                    out[sha] = str(blob["text"])
        return out

    def find_pull(self, branch: str) -> PullRequest | None:
        return self._rest.find_pull(branch)

    def delete_branch(self, branch: str) -> None:
        self._rest.delete_branch(branch)

    def propose(self, change: ProposedChange, *, resume: bool) -> PullRequest:
        # ``resume`` needs no extra call here: the state query always looks for our branch and pull request.
        last: GitHubError | None = None
        for _ in range(ROUNDS):
            state = self._state(change)
            # PullRequestConnection.nodes and its items may be null (GitHub's schema).
            pulls = [p for p in ((state.get("pullRequests") or {}).get("nodes") or []) if isinstance(p, dict)]
            if pulls:
                return _pull(pulls[0], change.branch)
            steps, inputs = self._plan(change, state)
            try:
                out = self._post(mutation(steps), inputs, unsafe=True)
            except GitHubError as exc:
                if exc.status is not None and exc.status < 500:
                    raise
                last = exc  # it may have run: read the state again
                continue
            created = out["data"].get("createPullRequest")
            if created and created.get("pullRequest"):
                return _pull(created["pullRequest"], change.branch)
            errors = out["errors"]
            if any("draft" in str(e.get("message", "")).lower() for e in errors if _field(e) == "createPullRequest") \
                    and not any(_field(e) in ("createRef", "createCommitOnBranch") for e in errors):
                return self._marked_pull(change, state["id"])
            # Something in the document failed; the steps before it stand. Read the state again.
            last = error_of(errors[0]) if errors else GitHubError("GitHub opened no pull request")
        assert last is not None
        raise last

    # ---- steps ---------------------------------------------------------------------------
    def _state(self, change: ProposedChange) -> dict[str, Any]:
        files = change.files
        out = self._post(state_query(len(files)), {
            "owner": self._owner, "name": self._name, "base": f"refs/heads/{change.base}",
            "branch": f"refs/heads/{change.branch}", "head": change.branch,
            **{f"p{i}": f.path for i, f in enumerate(files)}})
        repo = out["data"].get("repository")
        if repo is None:
            raise error_of(out["errors"][0] if out["errors"] else {"message": f"{self.repository} not found"})
        return dict(repo)

    def _plan(self, change: ProposedChange, state: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
        """The mutation steps still to do, and their inputs."""
        headline, _, body = change.message.partition("\n")
        files = change.files
        commit = {"branch": {"repositoryNameWithOwner": self.repository, "branchName": change.branch},
                  "message": {"headline": headline, "body": body.strip()},
                  "fileChanges": {"additions": [{"path": f.path, "contents": base64.b64encode(
                      f.content.encode("utf-8")).decode()} for f in files]}}
        pull = {"repositoryId": state["id"], "baseRefName": change.base, "headRefName": change.branch,
                "title": change.title, "body": change.body, "draft": True}

        def blobs(target: dict[str, Any]) -> list[str | None]:
            return [(target.get(f"f{i}") or {}).get("oid") for i in range(len(files))]

        branch = state.get("branch")
        if branch is not None and not isinstance(branch.get("target"), dict):
            raise GitHubError(f"the branch {change.branch} points at nothing GitHub can show", 409)
        if branch is not None:  # an earlier attempt made the branch
            target = branch["target"]
            on_branch = blobs(target)
            if on_branch == [blob_sha(f.content) for f in files]:
                return ["createPullRequest"], {"createPullRequest": pull}
            if on_branch != [f.original_sha for f in files]:
                raise base_changed(change)
            return ["createCommitOnBranch", "createPullRequest"], {
                "createCommitOnBranch": commit | {"expectedHeadOid": target["oid"]}, "createPullRequest": pull}
        base = state.get("base")
        if base is None or not isinstance(base.get("target"), dict):
            raise GitHubError(f"the base branch {change.base} is gone", 404)
        head = base["target"]["oid"]
        if head != change.base_sha and blobs(base["target"]) != [f.original_sha for f in files]:
            raise base_changed(change)
        return ["createRef", "createCommitOnBranch", "createPullRequest"], {
            "createRef": {"repositoryId": state["id"], "name": f"refs/heads/{change.branch}", "oid": head},
            "createCommitOnBranch": commit | {"expectedHeadOid": head},
            "createPullRequest": pull}

    def _marked_pull(self, change: ProposedChange, repository_id: str) -> PullRequest:
        """The plan does not support drafts: a regular pull request, visibly marked as one."""
        out = self._post(mutation(["createPullRequest"]), {"createPullRequest": {
            "repositoryId": repository_id, "baseRefName": change.base, "headRefName": change.branch,
            "title": f"[DRAFT] {change.title}", "body": change.body, "draft": False}}, unsafe=True)
        created = out["data"].get("createPullRequest")
        if not created or not created.get("pullRequest"):
            raise error_of(out["errors"][0] if out["errors"] else {"message": "GitHub opened no pull request"})
        pr = _pull(created["pullRequest"], change.branch)
        self._rest.label(pr.number)
        return pr


