"""``POST /github``: GitHub tells us a pull request the bot opened was merged or closed.

The delivery is verified (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body with the secret
from Secrets Manager, compared in constant time), handled once per ``X-GitHub-Delivery``, and
only ``pull_request`` ``closed`` events of the configured repository whose head branch names a
task are acted on: the task becomes ``merged`` or ``rejected`` with who and when, the requester
is told in the task's channel, and ``PullRequestsMerged`` / ``PullRequestsRejected`` are counted.
Everything else is answered 202 and ignored, so GitHub shows the delivery as successful.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from valine.core.ports import Clock, Metrics, TaskStore
from valine.core.task import TaskState
from valine.discord.caller import HttpResponse
from valine.markup import discord_text
from valine.workflow.pull_request import task_id_of_branch

log = logging.getLogger("valine.github_webhook")


class Deliveries(Protocol):
    """Which ``X-GitHub-Delivery`` ids were handled (GitHub redelivers on timeouts and by hand)."""

    def claim(self, delivery_id: str, now: float) -> bool:
        """True the first time ``delivery_id`` is claimed."""

    def release(self, delivery_id: str) -> None:
        """Forget a claim whose handling failed, so GitHub's redelivery is handled."""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _epoch(stamp: object, default: float) -> float:
    try:
        return dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return default


@dataclass
class GitHubWebhooks:
    repository: str
    store: TaskStore
    deliveries: Deliveries
    metrics: Metrics
    clock: Clock
    secret: Callable[[], str]  # the shared secret (read through the secrets cache)
    notify: Callable[[str, str, tuple[str, ...]], str]  # (channel, text, users to ping) -> "" or why not
    titles: Mapping[str, str]  # agent name -> its title ("UX update")

    def handle(self, headers: Mapping[str, str], raw: bytes) -> HttpResponse:
        headers = {k.lower(): v for k, v in headers.items()}
        given = headers.get("x-hub-signature-256", "")
        if not hmac.compare_digest(given.encode(), signature(self.secret(), raw).encode()):
            return HttpResponse(401, {"error": "bad or missing X-Hub-Signature-256"})
        event = headers.get("x-github-event", "")
        if event == "ping":
            return HttpResponse(200, {"ok": "pong"})
        if event != "pull_request":
            return HttpResponse(202, {"ignored": f"event {event or '(none)'}"})
        try:
            payload = json.loads(raw)
            pr, action = payload["pull_request"], payload["action"]
            repository = str(payload["repository"]["full_name"])
        except (ValueError, KeyError, TypeError):
            return HttpResponse(400, {"error": "not a pull_request event payload"})
        if repository.lower() != self.repository.lower():
            return HttpResponse(202, {"ignored": f"repository {repository}"})
        if action != "closed":
            return HttpResponse(202, {"ignored": f"action {action}"})
        task_id = task_id_of_branch(str((pr.get("head") or {}).get("ref", "")))
        if task_id is None:
            return HttpResponse(202, {"ignored": "not a branch the bot made"})
        delivery = headers.get("x-github-delivery", "")
        if not delivery:
            return HttpResponse(400, {"error": "X-GitHub-Delivery is missing"})
        now = self.clock.now()
        if not self.deliveries.claim(delivery, now):
            return HttpResponse(200, {"duplicate": delivery})
        try:
            return self._closed(task_id, pr, payload.get("sender") or {}, now)
        except Exception:
            self.deliveries.release(delivery)  # GitHub's redelivery gets another go
            raise

    def _closed(self, task_id: str, pr: Mapping[str, Any], sender: Mapping[str, Any], now: float) -> HttpResponse:
        task = self.store.get(task_id)
        if task is None or task.pr_number != pr.get("number"):
            return HttpResponse(202, {"ignored": "no task opened this pull request"})
        merged = bool(pr.get("merged"))
        by = str(((pr.get("merged_by") or {}) if merged else sender).get("login") or "someone")
        at = _epoch(pr.get("merged_at") if merged else pr.get("closed_at"), now)
        state = TaskState.MERGED if merged else TaskState.REJECTED
        # A rejected pull request can be reopened and merged later; a merged one stays merged.
        expect = (TaskState.COMPLETED, TaskState.REJECTED) if merged else (TaskState.COMPLETED,)
        updated = task.with_event(now, "pull request merged" if merged else "pull request closed unmerged",
                                  by=by, state=state, pr_closed_by=by, pr_closed_at=at)
        if not self.store.transition(updated, expect=expect, now=now, check_expiry=False).ok:
            return HttpResponse(200, {"task": task_id, "unchanged": task.state.value})
        self.metrics.count("PullRequestsMerged" if merged else "PullRequestsRejected", Agent=task.agent)
        how = "was merged by" if merged else "was closed without merging by"
        text = (f"<@{task.requester_id}> your **{self.titles.get(task.agent, task.agent)}** `{task.short_id}`: "
                f"pull request #{task.pr_number} {how} {discord_text(by)}. {task.pr_url}")
        problem = self.notify(task.channel_id, text, (task.requester_id,))
        if problem:
            self.metrics.count("HandledFailures", Function="webhook")
            log.warning("could not tell the requester", extra={"task_id": task_id, "problem": problem})
        return HttpResponse(200, {"task": task_id, "state": state.value, "told": not problem})
