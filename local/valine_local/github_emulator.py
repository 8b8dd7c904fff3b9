"""A GitHub REST emulator backed by a real git repository.

It answers the paths and shapes the bot uses (``/repos/{owner}/{repo}/...``: contents,
git refs, commits, blobs, trees, pulls, labels) with git plumbing on a bare repository,
so a pull request's diff is what git says it is. ``draft_supported=False`` makes draft
requests fail with 422 like a plan without drafts. GraphQL is in ``github_graphql.py``, the
repository webhooks and merge/close in ``github_hooks.py``, the contracts in ``contracts.py``.
"""

from __future__ import annotations

import base64
import os
import tempfile
import threading
import time
from typing import Any

from valine_local.git_repo import GitRepo
from valine_local.github_git_routes import GitDataRoutes
from valine_local.github_hooks import WebhookRoutes
from valine_local.httpbase import JsonServer, Request

__all__ = ["GitHubEmulator", "GitRepo"]


class GitHubEmulator(GitDataRoutes, WebhookRoutes, JsonServer):
    def __init__(self, repo: GitRepo, full_name: str, *, token: str, port: int = 0) -> None:
        super().__init__("github-emulator", port=port)
        self.repo = repo
        self.full_name = full_name
        self.token = token
        self.draft_supported = True
        self.pulls: list[dict[str, Any]] = []
        # A GitHub App, when configured: (app id, installation id, RSA public key PEM).
        self.app: tuple[str, str, bytes] | None = None
        self.installation_token_ttl = 3600.0
        self.installation_tokens: dict[str, float] = {}
        self.lock = threading.Lock()
        self.verified: set[str] = set()  # commits GitHub signed (createCommitOnBranch)
        self.graphql_enabled = True  # False: /graphql answers 404, like a token or server without it
        self.graphql_missing: set[str] = set()  # mutations this "server version" lacks
        self.contracts = True  # hold every request and response to GitHub's published contracts
        self.hooks: list[dict[str, Any]] = []  # repository webhooks (POST /repos/{o}/{r}/hooks)
        self.deliveries: list[dict[str, Any]] = []  # webhook deliveries made, newest last
        base = rf"^/repos/{full_name}"
        self.route("POST", r"^/graphql$", self._graphql)
        self.route("GET", base + r"/hooks$", lambda req: (200, [self._hook_json(h) for h in self.hooks]))
        self.route("POST", base + r"/hooks$", self._create_hook)
        self.route("PATCH", base + r"/hooks/(\d+)$", self._update_hook)
        self.route("POST", r"^/_emulator/pulls/(\d+)/(merge|close)$", self._close_pull)
        self.route("POST", r"^/_emulator/deliveries/([^/]+)/redeliver$", self._redeliver)
        self.route("GET", r"^/_emulator/deliveries$", lambda req: (200, [
            {k: v for k, v in d.items() if k != "body"} for d in self.deliveries]))
        self.route("GET", base + r"/branches/(.+)$", self._branch)
        self.route("GET", base + r"$", self._repo_info)
        self.route("GET", base + r"/contents/(.+)$", self._contents)
        self.route("GET", base + r"/git/ref/heads/(.+)$", self._get_ref)
        self.route("GET", base + r"/git/commits/([0-9a-f]{40})$", self._get_commit)
        self.route("POST", base + r"/git/blobs$", self._blob)
        self.route("GET", base + r"/git/blobs/([0-9a-f]{40})$", self._get_blob)
        self.route("GET", base + r"/git/trees/([0-9a-f]{40})$", self._get_tree)
        self.route("POST", base + r"/git/trees$", self._tree)
        self.route("POST", base + r"/git/commits$", self._commit)
        self.route("POST", base + r"/git/refs$", self._create_ref)
        self.route("PATCH", base + r"/git/refs/heads/(.+)$", self._update_ref)
        self.route("DELETE", base + r"/git/refs/heads/(.+)$", self._delete_ref)
        self.route("GET", base + r"/pulls$", self._list_pulls)
        self.route("POST", base + r"/pulls$", self._create_pull)
        self.route("GET", base + r"/pulls/(\d+)$", self._get_pull)
        self.route("POST", base + r"/issues/(\d+)/labels$", self._labels)
        self.route("POST", r"^/_emulator/settings$", self._settings)
        super().route("POST", r"^/app/installations/(\d+)/access_tokens$", self._installation_token)
        self.route("GET", r"^/_emulator/branches$", lambda req: (200, self.branches()))

    # ---- helpers -----------------------------------------------------------------------
    def _auth(self, req: Request) -> tuple[int, Any] | None:
        bearer = req.headers.get("authorization", "").removeprefix("Bearer ")
        live = self.installation_tokens.get(bearer, 0) > time.time()
        if bearer != self.token and not live:
            return 401, {"message": "Bad credentials"}
        if not req.headers.get("x-github-api-version") and req.path != "/graphql":
            return 400, {"message": "X-GitHub-Api-Version header is required by this emulator"}
        return None

    def route(self, method: str, pattern: str, fn: Any) -> None:
        if pattern.startswith("^/_emulator"):
            return super().route(method, pattern, fn)

        def guarded(req: Request, *groups: str) -> tuple[int, Any]:
            return self._auth(req) or fn(req, *groups)
        super().route(method, pattern, guarded)

    def branches(self) -> dict[str, str]:
        out = self.repo.git("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads")
        return dict(line.split(" ", 1) for line in out.splitlines() if line)

    def diff(self, base: str, head: str) -> str:
        return self.repo.git("diff", f"{base}...{head}")

    def push_commit(self, branch: str, path: str, content: str, message: str = "Someone else's change") -> str:
        """Move ``branch`` forward with a change to ``path`` (tests: 'the base branch moved')."""
        parent = self.repo.rev(branch)
        assert parent
        blob = self.repo.git("hash-object", "-w", "--stdin", input=content.encode())
        tree = self.write_tree(self.repo.git("rev-parse", f"{parent}^{{tree}}"), [(path, "100644", blob)])
        sha = self.repo.git("commit-tree", tree, "-p", parent, "-m", message)
        self.repo.git("update-ref", f"refs/heads/{branch}", sha)
        return sha

    def write_tree(self, base_tree: str, entries: list[tuple[str, str, str]]) -> str:
        with tempfile.NamedTemporaryFile(delete=False) as index:
            env = {"GIT_INDEX_FILE": index.name}
        try:
            self.repo.git("read-tree", base_tree, env=env)
            for path, mode, sha in entries:
                if mode == "0":  # a deletion
                    self.repo.git("update-index", "--force-remove", path, env=env)
                else:
                    self.repo.git("update-index", "--add", "--cacheinfo", f"{mode},{sha},{path}", env=env)
            return self.repo.git("write-tree", env=env)
        finally:
            os.unlink(index.name)

    # ---- endpoints ---------------------------------------------------------------------
    def _repo_info(self, req: Request) -> tuple[int, Any]:
        return 200, {"full_name": self.full_name, "default_branch": "main", "private": True}

    def _contents(self, req: Request, path: str) -> tuple[int, Any]:
        ref = req.param("ref", "main")
        commit = self.repo.rev(ref)
        if commit is None:
            return 404, {"message": "No commit found for the ref"}
        sha = self.repo.git("rev-parse", "--verify", "--quiet", f"{commit}:{path}", check=False)
        if not sha or self.repo.git("cat-file", "-t", sha) != "blob":
            return 404, {"message": "Not Found"}
        data = self.repo.blob(sha)
        return 200, {"type": "file", "encoding": "base64", "path": path, "sha": sha, "size": len(data),
                     "content": base64.encodebytes(data).decode()}

    def _get_ref(self, req: Request, branch: str) -> tuple[int, Any]:
        sha = self.repo.rev(f"refs/heads/{branch}")
        if sha is None:
            return 404, {"message": "Not Found"}
        return 200, {"ref": f"refs/heads/{branch}", "object": {"sha": sha, "type": "commit"}}

    def _branch(self, req: Request, branch: str) -> tuple[int, Any]:
        sha = self.repo.rev(f"refs/heads/{branch}")
        if sha is None:
            return 404, {"message": "Branch not found"}
        tree = self.repo.git("rev-parse", f"{sha}^{{tree}}")
        return 200, {"name": branch, "protected": False,
                     "commit": {"sha": sha, "commit": {"tree": {"sha": tree}, "message": ""}}}

    def _graphql(self, req: Request) -> tuple[int, Any]:
        from valine_local.github_graphql import serve

        if not self.graphql_enabled:
            return 404, {"message": "Not Found"}
        return serve(self, req.json())

    # ---- GitHub's published contracts --------------------------------------------------
    def fault_key(self, req: Request) -> str:
        if req.path == "/graphql":  # e.g. "POST /graphql:Propose -> lost x1"
            from valine_local.github_graphql import operation_name

            try:
                return f"/graphql:{operation_name((req.json() or {}).get('query', ''))}"
            except ValueError:
                return req.path
        return req.path

    def check_request(self, req: Request) -> tuple[int, Any] | None:
        if not self.contracts or req.path == "/graphql":  # GraphQL is validated as it is executed
            return None
        from valine_local import contracts

        try:
            body = req.json()
        except ValueError:
            return 400, {"message": "Problems parsing JSON"}
        problems = contracts.github_rest().check_request(req.method, req.path, req.query, body)
        if not problems:
            return None
        self.violations.extend(problems)
        return 422, {"message": "Invalid request.\n\n" + "\n".join(problems),
                     "documentation_url": "https://docs.github.com/rest"}

    def check_response(self, req: Request, status: int, out: Any) -> Any:
        if not self.contracts or req.path == "/graphql" or not isinstance(out, dict | list):
            return out
        from valine_local import contracts

        api = contracts.github_rest()
        pointer = api.response_pointer(req.method, req.path, status)
        if pointer is not None:
            out = contracts.complete(api, pointer, out)
        self.violations.extend(api.check_response(req.method, req.path, status, out))
        return out


    def _pull_json(self, pr: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in pr.items() if not k.startswith("_")}

    def _list_pulls(self, req: Request) -> tuple[int, Any]:
        head = req.param("head")
        branch = head.split(":", 1)[1] if ":" in head else head
        with self.lock:
            return 200, [self._pull_json(p) for p in self.pulls if not branch or p["head"]["ref"] == branch]

    def open_pull(self, *, head: str, base: str, title: str, body: str,
                  draft: bool) -> tuple[dict[str, Any] | None, str | None]:
        """(the new pull request, or None and why GitHub refuses it): shared by REST and GraphQL."""
        if self.repo.rev(f"refs/heads/{head}") is None:
            return None, f"head {head} does not exist"
        if draft and not self.draft_supported:
            return None, "Draft pull requests are not supported in this repository."
        with self.lock:
            if any(p["head"]["ref"] == head and p["state"] == "open" for p in self.pulls):
                return None, f"A pull request already exists for {self.full_name.split('/')[0]}:{head}."
            number = len(self.pulls) + 1
            pr = {"number": number, "title": title, "body": body, "draft": draft, "state": "open", "labels": [],
                  "head": {"ref": head, "sha": self.repo.rev(f"refs/heads/{head}")}, "base": {"ref": base},
                  "html_url": f"{self.url}/{self.full_name}/pull/{number}"}
            self.pulls.append(pr)
        return pr, None

    def _create_pull(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        pr, problem = self.open_pull(head=body["head"], base=body["base"], title=body["title"],
                                     body=body.get("body") or "", draft=bool(body.get("draft")))
        if pr is None:
            return 422, {"message": "Validation Failed", "errors": [{"message": problem}]}
        return 201, self._pull_json(pr)

    def _get_pull(self, req: Request, number: str) -> tuple[int, Any]:
        for pr in self.pulls:
            if pr["number"] == int(number):
                if "diff" in req.headers.get("accept", ""):
                    return 200, self.diff(pr["base"]["ref"], pr["head"]["ref"])
                return 200, self._pull_json(pr)
        return 404, {"message": "Not Found"}

    def _labels(self, req: Request, number: str) -> tuple[int, Any]:
        for pr in self.pulls:
            if pr["number"] == int(number):
                pr["labels"] = sorted({*pr["labels"], *req.json().get("labels", [])})
                return 200, [{"name": n} for n in pr["labels"]]
        return 404, {"message": "Not Found"}

    def _installation_token(self, req: Request, installation: str) -> tuple[int, Any]:
        """Verify the App's RS256 JWT as GitHub does and issue an installation token."""
        import json as _json

        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        if self.app is None or installation != self.app[1]:
            return 404, {"message": "Not Found"}
        jwt = req.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            header, payload, signature = jwt.split(".")
            pad = lambda part: base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))  # noqa: E731
            key = serialization.load_pem_public_key(self.app[2])
            if not isinstance(key, rsa.RSAPublicKey):
                return 500, {"message": "the emulator's App key must be RSA"}
            key.verify(pad(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
            claims = _json.loads(pad(payload))
        except (ValueError, InvalidSignature):
            return 401, {"message": "A JSON web token could not be decoded"}
        now = time.time()
        if str(claims.get("iss")) != self.app[0] or not claims["iat"] <= now < claims["exp"] or \
                claims["exp"] - claims["iat"] > 600:
            return 401, {"message": "'Expiration time' claim ('exp') is too far in the future or expired"}
        token = "ghs_" + os.urandom(12).hex()
        expires = now + self.installation_token_ttl
        self.installation_tokens[token] = expires
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires))
        return 201, {"token": token, "expires_at": stamp, "permissions": {"contents": "write",
                                                                          "pull_requests": "write"}}

    def _settings(self, req: Request) -> tuple[int, Any]:
        body = req.json() or {}
        if "draft_supported" in body:
            self.draft_supported = bool(body["draft_supported"])
        if "graphql" in body:  # false: a token or server without GraphQL (the bot uses REST)
            self.graphql_enabled = bool(body["graphql"])
        if "graphql_missing" in body:  # e.g. ["createCommitOnBranch"]: an older Enterprise Server
            self.graphql_missing = set(body["graphql_missing"])
        return 200, {"draft_supported": self.draft_supported, "graphql": self.graphql_enabled,
                     "graphql_missing": sorted(self.graphql_missing)}
