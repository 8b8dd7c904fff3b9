"""Every outcome of the lifecycle as Discord's interaction response, in one table
(``valine.core.outcomes`` holds the values)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from valine import feedback
from valine.core.outcomes import AskEdit, Outcome, Said, Shown, Thinking
from valine.discord import messages as msg
from valine.discord.caller import HttpResponse


def _shown(o: Shown) -> dict[str, Any]:
    return msg.update(o.text, [feedback.buttons(*o.votes)] if o.votes else [])


def _ask_edit(o: AskEdit) -> dict[str, Any]:
    return msg.edit_modal(o.task_id, o.request, prefix=o.prefix, title=o.title, version=o.version)


RENDER: dict[type, Callable[[Any], dict[str, Any]]] = {
    Said: lambda o: msg.reply(o.text),  # ephemeral: only the person who acted sees it
    Shown: _shown,  # type 7, UPDATE_MESSAGE: the message the component is on
    Thinking: lambda o: msg.deferred(),  # type 5: the worker edits @original later
    AskEdit: _ask_edit,  # type 9, MODAL
}


def response(outcome: Outcome) -> HttpResponse:
    """The interaction response for one outcome (HTTP 200, as Discord expects within 3 s)."""
    return HttpResponse(200, RENDER[type(outcome)](outcome))
