"""What the lifecycle and the worker decided, as values: the 3-second path returns one of these,
the worker hands one to ``DiscordWebhooks``, and ``valine.discord.outcomes`` renders each, in one
table: as Discord's interaction response, or as the message the worker edits. Neither the lifecycle
nor the worker knows a Discord type; a new way to answer is a value here and a row there.

NamedTuples rather than dataclasses: immutable values all the same, and a tenth of the import
cost on the interactions function's cold start (make bench's cold_init_ratio).
"""

from __future__ import annotations

from typing import NamedTuple

# The actions a task's buttons carry (``<prefix>:<action>:<task id>[:<version>]``).
CONFIRM, EDIT, CANCEL, PICK = "confirm", "edit", "cancel", "pick"


class Choice(NamedTuple):
    """One answer the person can pick (a select option): what it is, where, and its key (how the
    pick comes back, as ``task.pick``)."""

    label: str
    detail: str
    key: str


class Said(NamedTuple):
    """A private answer to the person who acted; the message they acted on stays as it is."""

    text: str


class Shown(NamedTuple):
    """The task's message now says ``text``, its buttons gone. With ``diff``, the diff follows in a
    block trimmed to fit, then ``footer``; with ``link`` (a pull request's address) it carries an
    "Open pull request" button; with ``votes`` (task id, agent) the 👍 / 👎 row of a finished task."""

    text: str
    votes: tuple[str, str] | None = None
    link: str | None = None
    diff: str | None = None
    footer: str = ""


class Previewed(NamedTuple):
    """A preview waiting for the person: ``header``, the diff, ``footer``, then Confirm (pinned to
    ``version``), Edit and Cancel; one colour swatch per (name, value) in ``colours``."""

    header: str
    diff: str
    footer: str
    task_id: str
    prefix: str
    version: int
    colours: tuple[tuple[str, object], ...] = ()


class Asked(NamedTuple):
    """The agent needs an answer: ``text``, then Edit request and Cancel, and with ``choices`` a menu
    to pick one from, pinned to ``version``."""

    text: str
    task_id: str
    prefix: str
    version: int
    choices: tuple[Choice, ...] = ()


class Thinking(NamedTuple):
    """The work went to the worker: the person sees "thinking" until the worker's answer."""


class AskEdit(NamedTuple):
    """Open the Edit form on the task's request, pinned to the version it was opened at."""

    task_id: str
    request: str
    prefix: str
    title: str
    version: int


Message = Shown | Previewed | Asked
"""What a task's message can say: the worker edits it to one of these, and an interaction's
answer can be one too (``UPDATE_MESSAGE``)."""

Outcome = Said | Thinking | AskEdit | Message
