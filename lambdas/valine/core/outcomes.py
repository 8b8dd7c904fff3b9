"""What the lifecycle decided, as values: the 3-second path returns one of these, and
``valine.discord.outcomes`` renders each as Discord's interaction response, in one table. The
lifecycle knows no Discord types; a new way to answer is a value here and a row there.

NamedTuples rather than dataclasses: immutable values all the same, and a tenth of the import
cost on the interactions function's cold start (make bench's cold_init_ratio).
"""

from __future__ import annotations

from typing import NamedTuple

# The actions a task's buttons carry (``<prefix>:<action>:<task id>[:<version>]``).
CONFIRM, EDIT, CANCEL, PICK = "confirm", "edit", "cancel", "pick"


class Said(NamedTuple):
    """A private answer to the person who acted; the message they acted on stays as it is."""

    text: str


class Shown(NamedTuple):
    """The message the person acted on now says ``text``, its buttons gone; with ``votes``
    (task id, agent) it carries the 👍 / 👎 row of a finished task."""

    text: str
    votes: tuple[str, str] | None = None


class Thinking(NamedTuple):
    """The work went to the worker: the person sees "thinking" until the worker's answer."""


class AskEdit(NamedTuple):
    """Open the Edit form on the task's request, pinned to the version it was opened at."""

    task_id: str
    request: str
    prefix: str
    title: str
    version: int


Outcome = Said | Shown | Thinking | AskEdit
