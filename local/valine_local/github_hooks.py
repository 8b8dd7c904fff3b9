"""The GitHub emulator's repository webhooks: ``/repos/{owner}/{repo}/hooks``, and GitHub's side of a
review: merge (a real merge commit) or close a pull request, then deliver the signed
``pull_request`` event, validated against ``@octokit/openapi-webhooks``, to every hook that wants
it; deliveries are kept and can be redelivered with the same ``X-GitHub-Delivery``."""

from __future__ import annotations

import time
from typing import Any

from valine_local.httpbase import Request


class WebhookRoutes:
    """Mixed into GitHubEmulator (which provides repo, pulls, lock, url, full_name, violations)."""

    repo: Any
    pulls: list[dict[str, Any]]
    lock: Any
    full_name: str
    contracts: bool
    hooks: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]
    violations: list[str]
    _pull_json: Any  # the emulator's pull request as GitHub shows it

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
        # "Update a repository webhook" declares config, events, add_events, remove_events and active.
        undeclared = sorted(set(body) - {"config", "events", "add_events", "remove_events", "active"})
        if undeclared:
            self.violations.append(f"PATCH hooks/{hook_id}: undeclared properties {undeclared}")
            return 422, {"message": "Invalid request.", "errors": [f"{k} is not a permitted key." for k in undeclared]}
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
        return self._pull_event("closed", pr, by)

    def reopen_pull(self, number: int, *, by: str = "octocat") -> dict[str, Any]:
        """Reopen a closed, unmerged pull request and deliver ``pull_request`` ``reopened``."""
        pr = next((p for p in self.pulls if p["number"] == number), None)
        if pr is None or pr["state"] != "closed" or pr.get("merged"):
            raise LookupError(f"pull request #{number} is not closed unmerged")
        with self.lock:
            pr.update(state="open", closed_at=None)
        return self._pull_event("reopened", pr, by)

    def _pull_event(self, action: str, pr: dict[str, Any], by: str) -> dict[str, Any]:
        """Deliver GitHub's ``pull_request`` event for ``action`` (its payload's shape, as octokit's
        webhooks schema has it) and return the pull request with the deliveries."""
        owner, name = self.full_name.split("/")
        return {"pull_request": self._pull_json(pr), "deliveries": self.deliver("pull_request", {
            "action": action, "number": pr["number"], "sender": {"login": by, "id": 1, "type": "User"},
            "repository": {"full_name": self.full_name, "name": name, "owner": {"login": owner}, "private": True},
            "pull_request": {**{k: v for k, v in self._pull_json(pr).items() if k != "labels"},
                             "merged": bool(pr.get("merged")), "merged_by": pr.get("merged_by"),
                             "labels": [{"name": n} for n in pr["labels"]]},
        }, name=f"pull-request-{action}")}

    def deliver(self, event: str, payload: dict[str, Any], *, name: str) -> list[dict[str, Any]]:
        import hashlib
        import hmac
        import json as _json
        import uuid

        import requests

        from valine_local import contracts

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
