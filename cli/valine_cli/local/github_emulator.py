"""A GitHub REST emulator backed by a real git repository.

It answers the paths and shapes the bot uses (``/repos/{owner}/{repo}/...``: contents,
git refs, commits, blobs, trees, pulls, labels) with git plumbing on a bare repository,
so a pull request's diff is what git says it is. ``draft_supported=False`` makes draft
requests fail with 422 like a plan without drafts.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from valine_cli.local.httpbase import JsonServer, Request

_GIT_ENV = {"GIT_AUTHOR_NAME": "Valine Bot", "GIT_AUTHOR_EMAIL": "bot@valine.invalid",
            "GIT_COMMITTER_NAME": "Valine Bot", "GIT_COMMITTER_EMAIL": "bot@valine.invalid"}


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = path

    def git(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None,
            check: bool = True) -> str:
        result = subprocess.run(["git", "--git-dir", str(self.path), *args], input=input, capture_output=True,
                                env={**os.environ, **_GIT_ENV, **(env or {})}, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)}: {result.stderr.decode()[:300]}")
        return result.stdout.decode("utf-8", "replace").strip()

    @classmethod
    def seed(cls, path: Path, source: Path, branch: str = "main") -> GitRepo:
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(["git", "init", "-q", "--bare", "-b", branch, str(path)], check=True)
        repo = cls(path)
        with tempfile.TemporaryDirectory() as work:
            shutil.copytree(source, work, dirs_exist_ok=True)
            env = {**os.environ, **_GIT_ENV}
            run = dict(cwd=work, check=True, env=env, capture_output=True)
            subprocess.run(["git", "init", "-q", "-b", branch], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "add", "-A"], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "commit", "-q", "-m", "Initial site"], **run)  # type: ignore[call-overload]
            subprocess.run(["git", "push", "-q", str(path), branch], **run)  # type: ignore[call-overload]
        return repo

    def blob(self, oid: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.path), "cat-file", "blob", oid],
                              capture_output=True, check=True).stdout

    def rev(self, ref: str) -> str | None:
        out = self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return out or None


class GitHubEmulator(JsonServer):
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
        from valine_cli.local.github_graphql import serve

        if not self.graphql_enabled:
            return 404, {"message": "Not Found"}
        return serve(self, req.json())

    # ---- GitHub's published contracts --------------------------------------------------
    def fault_key(self, req: Request) -> str:
        if req.path == "/graphql":  # e.g. "POST /graphql:Propose -> lost x1"
            from valine_cli.local.github_graphql import operation_name

            try:
                return f"/graphql:{operation_name((req.json() or {}).get('query', ''))}"
            except ValueError:
                return req.path
        return req.path

    def check_request(self, req: Request) -> tuple[int, Any] | None:
        if not self.contracts or req.path == "/graphql":  # GraphQL is validated as it is executed
            return None
        from valine_cli.local import contracts

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
        from valine_cli.local import contracts

        api = contracts.github_rest()
        pointer = api.response_pointer(req.method, req.path, status)
        if pointer is not None:
            out = contracts.complete(api, pointer, out)
        self.violations.extend(api.check_response(req.method, req.path, status, out))
        return out

    def _get_commit(self, req: Request, sha: str) -> tuple[int, Any]:
        if self.repo.rev(sha) is None:
            return 404, {"message": "Not Found"}
        tree = self.repo.git("rev-parse", f"{sha}^{{tree}}")
        parents = self.repo.git("rev-list", "--parents", "-n", "1", sha).split()[1:]
        verified = sha in self.verified
        return 200, {"sha": sha, "tree": {"sha": tree}, "parents": [{"sha": p} for p in parents],
                     "verification": {"verified": verified, "reason": "valid" if verified else "unsigned",
                                      "signature": None, "payload": None, "verified_at": None}}

    def _blob(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        raw = base64.b64decode(body["content"]) if body.get("encoding") == "base64" else body["content"].encode()
        return 201, {"sha": self.repo.git("hash-object", "-w", "--stdin", input=raw)}

    def _tree(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        entries = [(e["path"], e["mode"], e["sha"] if e.get("sha") else
                    self.repo.git("hash-object", "-w", "--stdin", input=e.get("content", "").encode()))
                   for e in body["tree"]]
        for path, _, _ in entries:
            if path.startswith("/") or ".." in path.split("/"):
                return 422, {"message": f"invalid tree path {path}"}
        return 201, {"sha": self.write_tree(body["base_tree"], entries)}

    def _commit(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        args = ["commit-tree", body["tree"]]
        for parent in body.get("parents", []):
            args += ["-p", parent]
        sha = self.repo.git(*args, "-m", body["message"])
        return 201, {"sha": sha, "tree": {"sha": body["tree"]}}

    def _create_ref(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        ref = body["ref"]
        with self.lock:
            if self.repo.rev(ref) is not None:
                return 422, {"message": "Reference already exists"}
            self.repo.git("update-ref", ref, body["sha"])
        return 201, {"ref": ref, "object": {"sha": body["sha"], "type": "commit"}}

    def _update_ref(self, req: Request, branch: str) -> tuple[int, Any]:
        self.repo.git("update-ref", f"refs/heads/{branch}", req.json()["sha"])
        return 200, {"ref": f"refs/heads/{branch}", "object": {"sha": req.json()["sha"]}}

    def _delete_ref(self, req: Request, branch: str) -> tuple[int, Any]:
        if self.repo.rev(f"refs/heads/{branch}") is None:
            return 422, {"message": "Reference does not exist"}
        self.repo.git("update-ref", "-d", f"refs/heads/{branch}")
        return 204, b""

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

    # ---- webhooks ------------------------------------------------------------------------
    def _hook_json(self, hook: dict[str, Any]) -> dict[str, Any]:
        return {"id": hook["id"], "type": "Repository", "name": "web", "active": hook["active"],
                "events": hook["events"], "config": {"url": hook["url"], "content_type": "json",
                                                     "insecure_ssl": "0", "secret": "********"}}

    def _create_hook(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        config = body.get("config") or {}
        if not config.get("url"):
            return 422, {"message": "Validation Failed", "errors": [{"message": "config.url is missing"}]}
        hook = {"id": len(self.hooks) + 1, "url": config["url"], "secret": config.get("secret", ""),
                "events": body.get("events", ["push"]), "active": body.get("active", True)}
        self.hooks.append(hook)
        return 201, self._hook_json(hook)

    def _update_hook(self, req: Request, hook_id: str) -> tuple[int, Any]:
        hook = next((h for h in self.hooks if h["id"] == int(hook_id)), None)
        if hook is None:
            return 404, {"message": "Not Found"}
        body = req.json()
        config = body.get("config") or {}
        hook.update({k: v for k, v in (("url", config.get("url")), ("secret", config.get("secret")),
                                       ("events", body.get("events")), ("active", body.get("active")))
                     if v is not None})
        return 200, self._hook_json(hook)

    def close_pull(self, number: int, *, merge: bool, by: str = "octocat") -> dict[str, Any]:
        """Merge (a real merge commit on the base) or close a pull request, then deliver GitHub's
        signed ``pull_request`` ``closed`` webhook to every hook that wants it."""
        pr = next((p for p in self.pulls if p["number"] == number), None)
        if pr is None or pr["state"] != "open":
            raise LookupError(f"pull request #{number} is not open")
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self.lock:
            if merge:
                base, head = pr["base"]["ref"], pr["head"]["ref"]
                tree = self.repo.git("merge-tree", "--write-tree", f"refs/heads/{base}", f"refs/heads/{head}")
                sha = self.repo.git("commit-tree", tree.split()[0], "-p", f"refs/heads/{base}",
                                    "-p", f"refs/heads/{head}", "-m", f"Merge pull request #{number}")
                self.repo.git("update-ref", f"refs/heads/{base}", sha)
                pr.update(merged=True, merged_at=stamp, merged_by={"login": by}, merge_commit_sha=sha)
            pr.update(state="closed", closed_at=stamp)
        return {"pull_request": self._pull_json(pr), "deliveries": self.deliver("pull_request", {
            "action": "closed", "number": number, "sender": {"login": by, "id": 1, "type": "User"},
            "repository": {"full_name": self.full_name, "name": self.full_name.split("/")[1],
                           "owner": {"login": self.full_name.split("/")[0]}, "private": True},
            "pull_request": {**{k: v for k, v in self._pull_json(pr).items() if k != "labels"},
                             "merged": bool(pr.get("merged")), "merged_by": pr.get("merged_by"),
                             "labels": [{"name": n} for n in pr["labels"]]},
        }, name="pull-request-closed")}

    def deliver(self, event: str, payload: dict[str, Any], *, name: str) -> list[dict[str, Any]]:
        import hashlib
        import hmac
        import json as _json
        import uuid

        import requests

        from valine_cli.local import contracts

        if self.contracts:  # the payload in the shape GitHub's webhook description documents
            api = contracts.github_webhooks()
            pointer = f"/webhooks/{name}/post/requestBody/content/application~1json/schema"
            payload = contracts.complete(api, pointer, payload)
            self.violations.extend(f"webhook {name}: {e}" for e in api.errors(payload, pointer))
        body = _json.dumps(payload).encode()
        made = []
        for hook in self.hooks:
            if not hook["active"] or event not in hook["events"]:
                continue
            headers = {"Content-Type": "application/json", "User-Agent": "GitHub-Hookshot/emulator",
                       "X-GitHub-Event": event, "X-GitHub-Delivery": str(uuid.uuid4()),
                       "X-GitHub-Hook-ID": str(hook["id"]),
                       "X-Hub-Signature-256": "sha256=" + hmac.new(hook["secret"].encode(), body,
                                                                   hashlib.sha256).hexdigest()}
            delivery = {"id": headers["X-GitHub-Delivery"], "event": event, "url": hook["url"], "headers": headers,
                        "body": body}
            delivery["status"] = self._post_delivery(requests, delivery)
            self.deliveries.append(delivery)
            made.append({"id": delivery["id"], "status": delivery["status"]})
        return made

    @staticmethod
    def _post_delivery(requests: Any, delivery: dict[str, Any]) -> int:
        try:
            return int(requests.post(delivery["url"], data=delivery["body"], headers=delivery["headers"],
                                     timeout=10).status_code)
        except requests.RequestException:
            return 0

    def _close_pull(self, req: Request, number: str, how: str) -> tuple[int, Any]:
        try:
            return 200, self.close_pull(int(number), merge=how == "merge", by=(req.json() or {}).get("by", "octocat"))
        except LookupError as exc:
            return 422, {"message": str(exc)}

    def redeliver(self, delivery_id: str) -> int:
        """Deliver again with the same X-GitHub-Delivery, as GitHub's "Redeliver" does."""
        import requests

        delivery = next(d for d in self.deliveries if d["id"] == delivery_id)
        return self._post_delivery(requests, delivery)

    def _redeliver(self, req: Request, delivery_id: str) -> tuple[int, Any]:
        try:
            return 200, {"status": self.redeliver(delivery_id)}
        except StopIteration:
            return 404, {"message": "no such delivery"}

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
