"""What the lifecycle decided, as values: the 3-second path returns one of these, and
``valine.discord.outcomes`` renders each as Discord's interaction response, in one table. The
lifecycle knows no Discord types; a new way to answer is a value here and a row there.
"""

from __future__ import annotations

from dataclasses import dataclass

# The actions a task's buttons carry (``<prefix>:<action>:<task id>[:<version>]``).
CONFIRM, EDIT, CANCEL, PICK = "confirm", "edit", "cancel", "pick"


@dataclass(frozen=True)
class Said:
    """A private answer to the person who acted; the message they acted on stays as it is."""

    text: str


@dataclass(frozen=True)
class Shown:
    """The message the person acted on now says ``text``, its buttons gone; with ``votes``
    (task id, agent) it carries the 👍 / 👎 row of a finished task."""

    text: str
    votes: tuple[str, str] | None = None


@dataclass(frozen=True)
class Thinking:
    """The work went to the worker: the person sees "thinking" until the worker's answer."""


@dataclass(frozen=True)
class AskEdit:
    """Open the Edit form on the task's request, pinned to the version it was opened at."""

    task_id: str
    request: str
    prefix: str
    title: str
    version: int


Outcome = Said | Shown | Thinking | AskEdit
