"""A task as a DynamoDB item: its JSON document, the fields update() changed since (~<field>
attributes) and the top-level state, version and expiry, read back into a Task."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from valine.core.task import Task, TaskState


def task_to_doc(task: Task) -> str:
    data = dataclasses.asdict(task)
    data["state"] = task.state.value
    return json.dumps(data, separators=(",", ":"))


PATCHED = "~"  # attributes "~<field>" hold fields changed by update() since the last full write


def task_from_item(item: dict[str, Any]) -> Task:
    """The task in an item: its document, with what ``update`` changed since the last full write
    (``~<field>`` attributes, the top-level state, version and expiry, and ``events``) on top."""
    data = json.loads(item["doc"]["S"])
    for name, value in item.items():
        if name.startswith(PATCHED):
            data[name[1:]] = json.loads(value["S"])
    data["state"] = item["state"]["S"]
    data["version"] = int(item["version"]["N"])
    data["expires_at"] = float(item["expires_at"]["N"])
    data["history"] = [*(data.get("history") or ()), *(json.loads(e["S"]) for e in item.get("events", {}).get("L", []))]
    return _task(data)


def _task(data: dict[str, Any]) -> Task:
    data.setdefault("agent", "ux")  # items written before agents had names were the UX agent's
    data["state"] = TaskState(data["state"])
    data["requester_roles"] = tuple(data.get("requester_roles") or ())
    data["history"] = tuple(data.get("history") or ())
    data["more_files"] = tuple(dict(f) for f in data.get("more_files") or ())
    data["notes"] = tuple(data.get("notes") or ())
    fields = {f.name for f in dataclasses.fields(Task)}
    return Task(**{k: v for k, v in data.items() if k in fields})
