"""GitHub REST: read a file at a ref, and one commit on a new branch via the Git Data API."""

from __future__ import annotations

import base64
import contextlib
from typing import Any
from urllib.parse import quote

import requests

from valine.adapters.http import Retrying, RetryPolicy
from valine.ports import PullRequest, RepoFile, RepoFileMissing

API_VERSION = "2022-11-28"


class GitHubError(Exception):
    """A GitHub failure after retries; ``reason`` is fit to show the user."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class FileNotFound(GitHubError, RepoFileMissing):
    pass


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
                   "Authorization": f"Bearer {self._token()}", "User-Agent": "valine-ux-agent"}
        try:
            response = self._retry.call(lambda timeout: self._http.request(
                method, url, json=json, params=params, headers=headers, timeout=timeout))
        except requests.Timeout as exc:
            raise GitHubError("GitHub did not answer in time") from exc
        except requests.ConnectionError as exc:
            raise GitHubError("could not reach GitHub") from exc
        if response.status_code not in ok:
            raise GitHubError(_describe(response), response.status_code)
        return response

    # ---- the GitHub port ---------------------------------------------------------------
    def branch_head(self, branch: str) -> str | None:
        try:
            response = self._call("GET", f"/git/ref/heads/{quote(branch, safe='/')}")
        except GitHubError as exc:
            if exc.status == 404:
                return None
            raise
        return str(response.json()["object"]["sha"])

    def read_file(self, path: str, ref: str) -> RepoFile:
        commit = self.branch_head(ref)
        if commit is None:
            raise GitHubError(f"branch {ref} does not exist in {self.repository}", 404)
        try:
            data = self._call("GET", f"/contents/{quote(path)}", params={"ref": commit}).json()
        except GitHubError as exc:
            if exc.status == 404:
                raise FileNotFound(f"{path} does not exist on {ref} in {self.repository}", 404) from exc
            raise
        if not isinstance(data, dict) or data.get("type") != "file":
            raise GitHubError(f"{path} is not a file in {self.repository}")
        content = base64.b64decode(data["content"]).decode("utf-8")
        return RepoFile(path=path, content=content, sha=str(data["sha"]), commit_sha=commit)

    def commit_file(self, *, base_sha: str, branch: str, path: str, content: str, message: str) -> str:
        base_tree = self._call("GET", f"/git/commits/{base_sha}").json()["tree"]["sha"]
        blob = self._call("POST", "/git/blobs", json={"content": content, "encoding": "utf-8"}).json()["sha"]
        tree = self._call("POST", "/git/trees", json={
            "base_tree": base_tree, "tree": [{"path": path, "mode": "100644", "type": "blob", "sha": blob}],
        }).json()["sha"]
        commit = self._call("POST", "/git/commits", json={
            "message": message, "tree": tree, "parents": [base_sha]}).json()["sha"]
        try:
            self._call("POST", "/git/refs", json={"ref": f"refs/heads/{branch}", "sha": commit})
        except GitHubError as exc:
            if exc.status != 422:
                raise
            # Our own earlier attempt made the branch (the names are unique per task): re-point it.
            self._call("PATCH", f"/git/refs/heads/{quote(branch, safe='/')}", json={"sha": commit, "force": True})
        return str(commit)

    def find_pull(self, branch: str) -> PullRequest | None:
        pulls = self._call("GET", "/pulls", params={"head": f"{self._owner}:{branch}", "state": "all"}).json()
        for pr in pulls:
            if pr.get("head", {}).get("ref") == branch:
                return PullRequest(number=int(pr["number"]), url=str(pr["html_url"]), draft=bool(pr.get("draft")),
                                   branch=branch)
        return None

    def open_draft_pull(self, *, branch: str, base: str, title: str, body: str) -> PullRequest:
        payload = {"title": title, "head": branch, "base": base, "body": body, "draft": True}
        try:
            pr = self._call("POST", "/pulls", json=payload, ok=(201,)).json()
            return PullRequest(int(pr["number"]), str(pr["html_url"]), bool(pr.get("draft", True)), branch)
        except GitHubError as exc:
            if exc.status != 422:
                raise
            existing = self.find_pull(branch)
            if existing is not None:  # a lost response to our own earlier request
                return existing
            if "draft" not in exc.reason.lower():
                raise
        # The plan does not support drafts: a regular PR, visibly marked as one.
        payload |= {"draft": False, "title": f"[DRAFT] {title}"}
        pr = self._call("POST", "/pulls", json=payload, ok=(201,)).json()
        # The title already says it; a missing label is not worth failing the task.
        with contextlib.suppress(GitHubError):
            self._call("POST", f"/issues/{pr['number']}/labels", json={"labels": ["draft"]})
        return PullRequest(int(pr["number"]), str(pr["html_url"]), False, branch)

    def delete_branch(self, branch: str) -> None:
        try:
            self._call("DELETE", f"/git/refs/heads/{quote(branch, safe='/')}", ok=(204, 200))
        except GitHubError as exc:
            if exc.status not in (404, 422):
                raise


def _describe(response: requests.Response) -> str:
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
