"""``POST /github``: GitHub tells us a pull request the bot opened was merged or closed.

The delivery is verified (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body with the secret
from Secrets Manager, compared in constant time), handled once per ``X-GitHub-Delivery``, and
only ``pull_request`` ``closed`` and ``reopened`` events of the configured repository whose head
branch names a task that opened that pull request are acted on: the task becomes ``merged`` or
``rejected`` (a reopened one ``completed`` again) with who and when, and ``PullRequestsMerged`` /
``PullRequestsRejected`` / ``PullRequestsReopened`` are counted. Telling the requester is queued
(``valine.workflow.notices``): GitHub is answered within its 10 s whatever Discord does, and the
notice is posted once. A delivery that failed is handled again when GitHub redelivers it.
Everything else is answered 202 (ignored) or 400 (not a pull_request payload).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from valine.core.ports import Clock, Metrics, TaskStore
from valine.core.task import Task, TaskState
from valine.discord.caller import HttpResponse
from valine.workflow.pull_request import task_id_of_branch

log = logging.getLogger("valine.github_webhook")


DELIVERY_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")  # GitHub's are GUIDs
MAX_BODY_BYTES = 25 * 1024 * 1024  # GitHub caps payloads at 25 MB


class Deliveries(Protocol):
    """Which ``X-GitHub-Delivery`` ids were handled (GitHub redelivers on timeouts and by hand)."""

    def claim(self, delivery_id: str, now: float) -> bool:
        """True unless the delivery was handled, or is being handled right now by another invocation."""

    def done(self, delivery_id: str, now: float) -> None:
        """The delivery was handled: a redelivery is a duplicate from now on."""

    def release(self, delivery_id: str) -> None:
        """Forget a claim whose handling failed, so GitHub's redelivery is handled (best effort: a
        claim that cannot be released expires, see ``DynamoDeliveries``)."""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _epoch(stamp: object, default: float) -> float:
    try:
        return dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return default


def _payload(raw: bytes) -> tuple[dict[str, Any], str, str, dict[str, Any]] | str:
    """(pull_request, action, repository full name, sender) of a pull_request event, or why it is not one."""
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        return "body is not JSON"
    if not isinstance(payload, dict):
        return "not a pull_request event payload"
    pr, action, repository = payload.get("pull_request"), payload.get("action"), payload.get("repository")
    if not isinstance(pr, dict) or not isinstance(action, str) or not isinstance(repository, dict) \
            or not isinstance(repository.get("full_name"), str):
        return "not a pull_request event payload (pull_request, action and repository.full_name)"
    head = pr.get("head")
    if head is not None and not isinstance(head, dict):
        return "pull_request.head is not an object"
    sender = payload.get("sender")
    return pr, action, str(repository["full_name"]), sender if isinstance(sender, dict) else {}


@dataclass
class GitHubWebhooks:
    repository: str
    store: TaskStore
    deliveries: Deliveries
    metrics: Metrics
    clock: Clock
    secret: Callable[[], str]  # the shared secret (read through the secrets cache)
    notify: Callable[[Task], None]  # queue telling the requester (the worker posts it, once)

    def handle(self, headers: Mapping[str, str], raw: bytes) -> HttpResponse:
        headers = {k.lower(): v for k, v in headers.items()}
        given = headers.get("x-hub-signature-256", "")
        if not hmac.compare_digest(given.encode(), signature(self.secret(), raw).encode()):
            return HttpResponse(401, {"error": "bad or missing X-Hub-Signature-256"})
        event = headers.get("x-github-event", "")
        if event == "ping":
            return HttpResponse(200, {"ok": "pong"})
        if event != "pull_request":
            return HttpResponse(202, {"ignored": f"event {event[:40] or '(none)'}"})
        delivery = headers.get("x-github-delivery", "")
        if not DELIVERY_ID.match(delivery):
            return HttpResponse(400, {"error": "X-GitHub-Delivery must be GitHub's delivery GUID"})
        parsed = _payload(raw) if len(raw) <= MAX_BODY_BYTES else "body larger than GitHub sends"
        if isinstance(parsed, str):
            return HttpResponse(400, {"error": parsed})
        pr, action, repository, sender = parsed
        if repository.lower() != self.repository.lower():
            return HttpResponse(202, {"ignored": f"repository {repository[:100]}"})
        if action not in ("closed", "reopened"):
            return HttpResponse(202, {"ignored": f"action {action[:40]}"})
        task_id = task_id_of_branch(str((pr.get("head") or {}).get("ref", "")))
        if task_id is None:
            return HttpResponse(202, {"ignored": "not a branch the bot made"})
        number = pr.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            return HttpResponse(400, {"error": "pull_request.number is not a number"})
        now = self.clock.now()
        if not self.deliveries.claim(delivery, now):
            return HttpResponse(200, {"duplicate": delivery})
        try:
            if action == "reopened":
                answer = self._reopened(task_id, number, now)
            else:
                answer = self._closed(task_id, number, pr, sender, now)
        except Exception:
            try:
                self.deliveries.release(delivery)  # GitHub's redelivery gets another go
            except Exception:
                log.exception("could not release the delivery; its claim expires instead",
                              extra={"delivery": delivery})
            raise
        try:
            self.deliveries.done(delivery, now)
        except Exception:  # handled all the same; the claim lapses and a redelivery changes nothing
            log.exception("could not mark the delivery handled", extra={"delivery": delivery})
        return answer

    def _task(self, task_id: str, number: int) -> Task | None:
        """The task that opened pull request ``number`` (a dry run or a task without one opened none)."""
        task = self.store.get(task_id)
        if task is None or not isinstance(task.pr_number, int) or task.pr_number != number or not task.pr_url:
            return None
        return task

    def _closed(self, task_id: str, number: int, pr: Mapping[str, Any], sender: Mapping[str, Any],
                now: float) -> HttpResponse:
        task = self._task(task_id, number)
        if task is None:
            return HttpResponse(202, {"ignored": "no task opened this pull request"})
        merged = pr.get("merged") is True
        who = pr.get("merged_by") if merged else sender
        by = str((who if isinstance(who, dict) else {}).get("login") or "someone")
        at = _epoch(pr.get("merged_at") if merged else pr.get("closed_at"), now)
        state = TaskState.MERGED if merged else TaskState.REJECTED
        # A rejected pull request can be reopened and merged later; a merged one stays merged.
        expect = (TaskState.COMPLETED, TaskState.REJECTED) if merged else (TaskState.COMPLETED,)
        updated = task.with_event(now, "pull request merged" if merged else "pull request closed unmerged",
                                  by=by[:100], state=state, pr_closed_by=by[:100], pr_closed_at=at)
        if not self.store.transition(updated, expect=expect, now=now, check_expiry=False).ok:
            return HttpResponse(200, {"task": task_id, "unchanged": task.state.value})
        self.metrics.count("PullRequestsMerged" if merged else "PullRequestsRejected", Agent=task.agent)
        if task.state is TaskState.REJECTED:  # closed, reopened and merged: the rejection is taken back
            self.metrics.count("PullRequestsReopened", Agent=task.agent)
        self.notify(updated)
        return HttpResponse(200, {"task": task_id, "state": state.value, "notice": "queued"})

    def _reopened(self, task_id: str, number: int, now: float) -> HttpResponse:
        task = self._task(task_id, number)
        if task is None or task.state is not TaskState.REJECTED:
            return HttpResponse(202, {"ignored": "no rejected task for this pull request"})
        updated = task.with_event(now, "pull request reopened", state=TaskState.COMPLETED, pr_closed_by=None,
                                  pr_closed_at=None)
        if not self.store.transition(updated, expect=(TaskState.REJECTED,), now=now, check_expiry=False).ok:
            return HttpResponse(200, {"task": task_id, "unchanged": task.state.value})
        self.metrics.count("PullRequestsReopened", Agent=task.agent)  # closing it was no rejection after all
        return HttpResponse(200, {"task": task_id, "state": TaskState.COMPLETED.value})

