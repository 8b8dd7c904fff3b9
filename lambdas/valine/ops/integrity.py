"""The plan's "no data corruption in DynamoDB", looked for: every task item must parse and keep
the invariants the workflow relies on. The daily status counts the bad ones (CorruptTasks, which
alarms) and ``valine rollout check`` judges and lists them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from valine.core.task import Task, TaskState


def _invariant(task: Task, item: dict[str, Any]) -> str | None:
    if item.get("pk", {}).get("S") != f"TASK#{task.task_id}":
        return "its key does not name its task id"
    if item.get("requester_id", {}).get("S") != task.requester_id:
        return "the requester in its key attributes differs from its document"
    if not task.agent:
        return "it names no agent"
    if task.version < 0:
        return f"version {task.version} is negative"
    if task.updated_at + 1 < task.created_at:
        return "it was updated before it was created"
    if task.state is TaskState.AWAITING_CONFIRMATION and not (task.preview_diff and task.new_content is not None
                                                               and task.target_path):
        return "it awaits confirmation of a preview it does not hold"
    if task.state in (TaskState.MERGED, TaskState.REJECTED) and not (task.pr_url and task.pr_number):
        return f"it is {task.state.value} without a pull request"
    if task.pr_number is not None and not task.pr_url:
        return "it has a pull request number and no URL"
    return None


def problems(items: Iterable[dict[str, Any]], parse: Callable[[dict[str, Any]], Task]) -> list[tuple[str, str]]:
    """(key, what is wrong) for every task item that does not parse (``parse``: the store's own
    reader of its items) or breaks an invariant."""
    out = []
    for item in items:
        key = str(item.get("pk", {}).get("S", "?"))
        try:
            task = parse(item)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
            out.append((key, f"it does not parse ({type(exc).__name__}: {str(exc)[:80]})"))
            continue
        problem = _invariant(task, item)
        if problem:
            out.append((key, problem))
    return out
