"""What the requester is told when a reviewer merges or closes the bot's pull request.

GitHub's webhook (``valine.github_webhook``) records the new state and queues a ``notify`` job on its
own notices queue; the same function, invoked by that queue as the bot, posts this notice in the
task's channel with a nonce Discord enforces, so a retried post (a lost answer, a 5xx, a 429 wait)
is never posted twice and never holds GitHub's delivery up. (The worker never holds the bot token.)"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from valine.core.ports import Job, Metrics, TaskStore
from valine.core.task import Task, TaskState
from valine.markup import discord_text

log = logging.getLogger("valine.notices")

# post(channel, content, mention, nonce) -> "" when posted, else why not
Post = Callable[[str, str, tuple[str, ...], str], str]


class NoticeFailed(RuntimeError):
    """Discord did not take the notice: SQS delivers the job again (the nonce keeps it to one post)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = f"Discord did not take the notice ({reason})"


def notice_job(task: Task) -> Job:
    return Job("notify", task.task_id, "", "")


def nonce(task: Task) -> str:
    """The same for every attempt at one notice, different for a later state (at most 25 characters)."""
    return f"pr{task.pr_number}{task.state.value[:1]}{task.task_id[-12:]}"[:25]


def notice(task: Task, titles: Mapping[str, str]) -> str:
    merged = task.state is TaskState.MERGED
    how = "was merged by" if merged else "was closed without merging by"
    return (f"<@{task.requester_id}> your **{titles.get(task.agent, task.agent)}** `{task.short_id}`: "
            f"pull request #{task.pr_number} {how} {discord_text(task.pr_closed_by or 'someone')}. {task.pr_url}")


def send_batch(event: Mapping[str, Any], *, store: TaskStore, post: Post, titles: Mapping[str, str],
               metrics: Metrics) -> dict[str, Any]:
    """An SQS batch of notify jobs; a notice Discord did not take is retried by SQS (partial batch)."""
    failures = []
    for record in event.get("Records", []):
        try:
            send_notice(Job.from_json(json.loads(record["body"])), store=store, post=post, titles=titles,
                        metrics=metrics)
        except (KeyError, TypeError, ValueError):
            log.error("dropping a message that is not a notice job", extra={"message_id": record.get("messageId")})
        except Exception:
            log.exception("the notice was not posted; SQS delivers it again")
            metrics.count("HandledFailures", Function="webhook")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def send_notice(job: Job, *, store: TaskStore, post: Post | None, titles: Mapping[str, str],
                metrics: Metrics) -> None:
    """One ``notify`` job: post the notice for the task's current state, once."""
    task = store.get(job.task_id)
    if task is None or task.state not in (TaskState.MERGED, TaskState.REJECTED):
        return  # reopened since, or gone: nothing to say
    if post is None:
        log.error("no bot token configured: cannot tell the requester", extra={"task_id": task.task_id})
        metrics.count("HandledFailures", Function="webhook")
        return
    problem = post(task.channel_id, notice(task, titles), (task.requester_id,), nonce(task))
    if problem:
        raise NoticeFailed(problem)
