"""Every outcome of the lifecycle and the worker as Discord renders it, in one table
(``valine.core.outcomes`` holds the values): ``BODY`` says what a task's message shows, and
``response`` answers an interaction, with one of those bodies (UPDATE_MESSAGE) or one of the
three answers that are not a message of the task."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from valine import feedback
from valine.core.outcomes import Asked, AskEdit, Message, Outcome, Previewed, Said, Shown, Thinking
from valine.discord import messages as msg
from valine.discord.caller import HttpResponse


def _shown(o: Shown) -> dict[str, Any]:
    text = o.text if o.diff is None else msg.preview_message(o.text, o.diff, o.footer)
    rows = ([msg.row(msg.link_button("Open pull request", o.link))] if o.link else []) + \
        ([feedback.buttons(*o.votes)] if o.votes else [])
    return msg.body(text, rows, [])  # [] removes an earlier preview's buttons and swatch


def _previewed(o: Previewed) -> dict[str, Any]:
    return msg.body(msg.preview_message(o.header, o.diff, o.footer),
                    msg.preview_buttons(o.task_id, o.prefix, o.version), msg.swatches(dict(o.colours)))


def _asked(o: Asked) -> dict[str, Any]:
    rows = msg.choice_menu(o.task_id, o.prefix, o.version, o.choices) if o.choices else \
        msg.revise_buttons(o.task_id, o.prefix)
    return msg.body(o.text, rows, [])


BODY: dict[type, Callable[[Any], dict[str, Any]]] = {
    Shown: _shown,
    Previewed: _previewed,
    Asked: _asked,
}

RENDER: dict[type, Callable[[Any], dict[str, Any]]] = {
    Said: lambda o: msg.reply(o.text),  # type 4, ephemeral: only the person who acted sees it
    Thinking: lambda o: msg.deferred(),  # type 5: the worker edits @original later
    AskEdit: lambda o: msg.edit_modal(o.task_id, o.request, prefix=o.prefix, title=o.title, version=o.version),
    # type 7, UPDATE_MESSAGE: the message the component is on says what the task's message says
    **{kind: lambda o: msg.updated(message(o)) for kind in BODY},
}


def message(outcome: Message) -> dict[str, Any]:
    """The body the worker PATCHes onto the interaction's original message."""
    return BODY[type(outcome)](outcome)


def response(outcome: Outcome) -> HttpResponse:
    """The interaction response for one outcome (HTTP 200, as Discord expects within 3 s)."""
    return HttpResponse(200, RENDER[type(outcome)](outcome))
