"""GitHub REST: read a file, and propose a change (branch, one commit, draft pull request).

This is the fallback behind the GraphQL path (``github_graphql.py``): for a GitHub Enterprise
Server without ``createCommitOnBranch`` or a token without GraphQL access. It proposes a change
in five calls: the base head, a tree with the new content inline (no separate blob), the
commit, the ref and the pull request. The base tree comes from the preview.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
from typing import Any
from urllib.parse import quote

import requests

from valine.adapters.http import Retrying, RetryPolicy
from valine.core.github import (
    BaseFileChanged,
    Head,
    ProposedChange,
    PullRequest,
    RepoFile,
    RepoFileMissing,
    TreeEntry,
    valid_branch,
)

log = logging.getLogger("valine.github")
API_VERSION = "2022-11-28"
USER_AGENT = "valine-ux-agent"


class GitHubError(Exception):
    """A GitHub failure after retries; ``reason`` is fit to show the user."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class FileNotFound(GitHubError, RepoFileMissing):
    pass


def blob_sha(content: str) -> str:
    """The git blob id of ``content`` (UTF-8), as GitHub computes it."""
    data = content.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def base_changed(change: ProposedChange) -> BaseFileChanged:
    names = ", ".join(f.path for f in change.files)
    return BaseFileChanged(f"{names} changed on {change.base} after the preview")


class GitHubRest:
    def __init__(self, *, api_url: str, repository: str, token_provider: Any, session: requests.Session | None = None,
                 retry: Retrying | None = None) -> None:
        self._api = api_url.rstrip("/")
        self.repository = repository
        self._owner = repository.split("/", 1)[0]
        self._token = token_provider
        self._http = session or requests.Session()
        self._retry = retry or Retrying(RetryPolicy())

    # ---- plumbing ----------------------------------------------------------------------
    def _call(self, method: str, path: str, *, json: Any = None, params: dict[str, str] | None = None,
              ok: tuple[int, ...] = (200, 201)) -> requests.Response:
        url = f"{self._api}/repos/{self.repository}{path}"
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION,
                   "Authorization": f"Bearer {self._token()}", "User-Agent": USER_AGENT}
        try:
            response = self._retry.call(lambda timeout: self._http.request(
                method, url, json=json, params=params, headers=headers, timeout=timeout))
        except requests.Timeout as exc:
            raise GitHubError("GitHub did not answer in time") from exc
        except requests.ConnectionError as exc:
            raise GitHubError("could not reach GitHub") from exc
        if response.status_code not in ok:
            raise GitHubError(describe(response), response.status_code)
        return response

    # ---- reads -------------------------------------------------------------------------
    def branch_head(self, branch: str) -> str | None:
        try:
            response = self._call("GET", f"/git/ref/heads/{quote(branch, safe='/')}")
        except GitHubError as exc:
            if exc.status == 404:
                return None
            raise
        return str(response.json()["object"]["sha"])

    def read_file(self, path: str, ref: str) -> RepoFile:
        try:  # one call for the head commit and its tree
            branch = self._call("GET", f"/branches/{quote(ref, safe='/')}").json()
        except GitHubError as exc:
            if exc.status == 404:
                raise GitHubError(f"branch {ref} does not exist in {self.repository}", 404) from exc
            raise
        commit = str(branch["commit"]["sha"])
        content, sha = self.read_at(path, commit, ref)
        return RepoFile(path=path, content=content, sha=sha, commit_sha=commit,
                        tree_sha=str(branch["commit"]["commit"]["tree"]["sha"]))

    def head(self, ref: str) -> Head:
        try:
            branch = self._call("GET", f"/branches/{quote(ref, safe='/')}").json()
        except GitHubError as exc:
            if exc.status == 404:
                raise GitHubError(f"branch {ref} does not exist in {self.repository}", 404) from exc
            raise
        return Head(str(branch["commit"]["sha"]), str(branch["commit"]["commit"]["tree"]["sha"]))

    def tree(self, tree_sha: str) -> list[TreeEntry]:
        data = self._call("GET", f"/git/trees/{tree_sha}", params={"recursive": "1"}).json()
        if data.get("truncated"):  # over 100,000 entries or 7 MB: what GitHub did list is still the site's
            log.warning("GitHub truncated the tree listing", extra={"tree": tree_sha})
        return [TreeEntry(str(e["path"]), str(e["sha"]), int(e.get("size") or 0))
                for e in data.get("tree") or [] if e.get("type") == "blob"]

    def blobs(self, shas: list[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for sha in shas:
            data = self._call("GET", f"/git/blobs/{sha}").json()
            raw = base64.b64decode(data.get("content") or "") if data.get("encoding") == "base64" else \
                str(data.get("content") or "").encode()
            try:
                out[sha] = raw.decode("utf-8")
            except UnicodeDecodeError:
                out[sha] = None
        return out

    def read_at(self, path: str, commit: str, ref_name: str | None = None) -> tuple[str, str]:
        """(content, blob sha) of ``path`` at ``commit``."""

        try:
            data = self._call("GET", f"/contents/{quote(path)}", params={"ref": commit}).json()
        except GitHubError as exc:
            if exc.status == 404:
                raise FileNotFound(f"{path} does not exist on {ref_name or commit} in {self.repository}",
                                   404) from exc
            raise
        if not isinstance(data, dict) or data.get("type") != "file":
            raise GitHubError(f"{path} is not a file in {self.repository}")
        return base64.b64decode(data["content"]).decode("utf-8"), str(data["sha"])

    def _blob_sha_at(self, path: str, commit: str) -> str | None:
        try:
            data = self._call("GET", f"/contents/{quote(path)}", params={"ref": commit}).json()
        except GitHubError as exc:
            if exc.status == 404:
                return None
            raise
        return str(data["sha"]) if isinstance(data, dict) else None

    def find_pull(self, branch: str) -> PullRequest | None:
        pulls = self._call("GET", "/pulls", params={"head": f"{self._owner}:{branch}", "state": "all"}).json()
        for pr in pulls:
            if pr.get("head", {}).get("ref") == branch:
                return PullRequest(number=int(pr["number"]), url=str(pr["html_url"]), draft=bool(pr.get("draft")),
                                   branch=branch)
        return None

    # ---- the change ----------------------------------------------------------------------
    def propose(self, change: ProposedChange, *, resume: bool) -> PullRequest:
        if resume:  # an earlier attempt may have got this far
            found = self.find_pull(change.branch)
            if found is not None:
                return found
            head = self.branch_head(change.branch)
            if head is not None:
                if all(self._blob_sha_at(f.path, head) == blob_sha(f.content) for f in change.files):
                    return self.open_draft_pull(change)
                self.delete_branch(change.branch)  # a branch without the change: start it again
        head = self.branch_head(change.base)
        if head is None:
            raise GitHubError(f"the base branch {change.base} is gone", 404)
        if head == change.base_sha:
            base_tree = change.base_tree or self._tree_of(head)
        else:  # the base moved: the change still applies exactly if its files did not
            if any(self._blob_sha_at(f.path, head) != f.original_sha for f in change.files):
                raise base_changed(change)
            base_tree = self._tree_of(head)
        tree = self._call("POST", "/git/trees", json={"base_tree": base_tree, "tree": [
            {"path": f.path, "mode": "100644", "type": "blob", "content": f.content} for f in change.files]}
        ).json()["sha"]
        commit = self._call("POST", "/git/commits", json={
            "message": change.message, "tree": tree, "parents": [head]}).json()["sha"]
        try:
            self._call("POST", "/git/refs", json={"ref": f"refs/heads/{change.branch}", "sha": commit})
        except GitHubError as exc:
            if exc.status != 422:
                raise
            # A lost answer to our own request made it (branch names are unique per task): re-point it.
            self._call("PATCH", f"/git/refs/heads/{quote(change.branch, safe='/')}",
                       json={"sha": commit, "force": True})
        return self.open_draft_pull(change)

    def _tree_of(self, commit: str) -> str:
        return str(self._call("GET", f"/git/commits/{commit}").json()["tree"]["sha"])

    def open_draft_pull(self, change: ProposedChange) -> PullRequest:
        payload = {"title": change.title, "head": change.branch, "base": change.base, "body": change.body,
                   "draft": True}
        try:
            pr = self._call("POST", "/pulls", json=payload, ok=(201,)).json()
            return PullRequest(int(pr["number"]), str(pr["html_url"]), bool(pr.get("draft", True)), change.branch)
        except GitHubError as exc:
            if exc.status != 422:
                raise
            existing = self.find_pull(change.branch)
            if existing is not None:  # a lost response to our own earlier request
                return existing
            if "draft" not in exc.reason.lower():
                raise
        return self.open_marked_pull(change)

    def open_marked_pull(self, change: ProposedChange) -> PullRequest:
        """The plan does not support drafts: a regular pull request, visibly marked as one."""
        payload = {"title": f"[DRAFT] {change.title}", "head": change.branch, "base": change.base,
                   "body": change.body, "draft": False}
        pr = self._call("POST", "/pulls", json=payload, ok=(201,)).json()
        self.label(int(pr["number"]))
        return PullRequest(int(pr["number"]), str(pr["html_url"]), False, change.branch)

    def label(self, number: int) -> None:
        # The title already says it; a missing label is not worth failing the task.
        with contextlib.suppress(GitHubError):
            self._call("POST", f"/issues/{number}/labels", json={"labels": ["draft"]})

    def delete_branch(self, branch: str) -> None:
        if not valid_branch(branch):  # a/../../main would reach the server as main
            raise ValueError(f"{branch!r} is not a valid branch name; nothing was deleted")
        try:
            self._call("DELETE", f"/git/refs/heads/{quote(branch, safe='/')}", ok=(204, 200))
        except GitHubError as exc:
            if exc.status not in (404, 422):
                raise


def describe(response: requests.Response) -> str:
    try:
        data = response.json()
        message = data.get("message", "") if isinstance(data, dict) else ""
        errors = data.get("errors") if isinstance(data, dict) else None
        if errors:
            message += " (" + "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e)
                                       for e in errors) + ")"
    except ValueError:
        message = response.text[:200]
    return f"GitHub answered {response.status_code}: {message or response.reason}"
