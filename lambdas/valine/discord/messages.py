"""Builders for interaction responses, message bodies and components."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from valine.core.outcomes import CANCEL, CONFIRM, EDIT, PICK
from valine.discord.types import (
    EPHEMERAL,
    MAX_CONTENT,
    MAX_CUSTOM_ID,
    MAX_SELECT_OPTIONS,
    ButtonStyle,
    ComponentType,
    InteractionResponseType,
    TextInputStyle,
)
from valine.markup import discord_code_block
from valine.site.diff import trim_diff

ACTIONS = (CONFIRM, EDIT, CANCEL, PICK)


def custom_id(prefix: str, action: str, task_id: str, version: int | None = None) -> str:
    """``<agent prefix>:<action>:<task id>[:<version>]``: the router finds the agent by the prefix.
    The version is the task's when the message was made: Confirm and the Edit modal change the
    task without reading it first, pinned to the version the person saw."""
    value = f"{prefix}:{action}:{task_id}" + ("" if version is None else f":{version}")
    if len(value) > MAX_CUSTOM_ID:
        raise ValueError(f"custom_id longer than {MAX_CUSTOM_ID}: {value!r}")
    return value


def parse_custom_id(value: object) -> tuple[str, str, str, int | None] | None:
    """(prefix, action, task id, version or None), or None for anything else."""
    if not isinstance(value, str) or len(value) > MAX_CUSTOM_ID:
        return None
    parts = value.split(":")
    if len(parts) not in (3, 4) or not parts[0] or parts[1] not in ACTIONS or not parts[2]:
        return None
    if len(parts) == 4 and not (parts[3].isascii() and parts[3].isdigit() and len(parts[3]) <= 9):
        return None
    return parts[0], parts[1], parts[2], int(parts[3]) if len(parts) == 4 else None


def clip(content: str, limit: int = MAX_CONTENT) -> str:
    if len(content) <= limit:
        return content
    return content[: limit - 1] + "…"


def button(label: str, style: ButtonStyle, cid: str) -> dict[str, Any]:
    return {"type": ComponentType.BUTTON, "style": style, "label": label, "custom_id": cid}


def link_button(label: str, url: str) -> dict[str, Any]:
    return {"type": ComponentType.BUTTON, "style": ButtonStyle.LINK, "label": label, "url": url}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": ComponentType.ACTION_ROW, "components": list(components)}


def preview_buttons(task_id: str, prefix: str, version: int) -> list[dict[str, Any]]:
    return [row(
        button("Confirm", ButtonStyle.SUCCESS, custom_id(prefix, CONFIRM, task_id, version)),
        button("Edit", ButtonStyle.SECONDARY, custom_id(prefix, EDIT, task_id)),
        button("Cancel", ButtonStyle.DANGER, custom_id(prefix, CANCEL, task_id)),
    )]


def revise_buttons(task_id: str, prefix: str) -> list[dict[str, Any]]:
    """For a clarification or an invalid request: answer with Edit, or Cancel."""
    return [row(
        button("Edit request", ButtonStyle.PRIMARY, custom_id(prefix, EDIT, task_id)),
        button("Cancel", ButtonStyle.DANGER, custom_id(prefix, CANCEL, task_id)),
    )]


def choice_menu(task_id: str, prefix: str, version: int,
                choices: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """A select menu of the agent's candidates (label, where, value: a ``Choice``), above Edit request and
    Cancel."""
    options = [{"label": label[:100] or "(empty)", "value": value[:100], "description": detail[:100]}
               for label, detail, value in choices[:MAX_SELECT_OPTIONS]]
    menu = {"type": ComponentType.STRING_SELECT, "custom_id": custom_id(prefix, PICK, task_id, version),
            "placeholder": "Pick the one you mean", "options": options, "min_values": 1, "max_values": 1}
    return [row(menu), *revise_buttons(task_id, prefix)]


def body(content: str, components: list[dict[str, Any]] | None = None,
         embeds: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A message body for PATCH @original; ``components=[]`` removes the buttons, ``embeds=[]`` the swatch."""
    out: dict[str, Any] = {"content": clip(content), "allowed_mentions": {"parse": []}}
    if components is not None:
        out["components"] = components
    if embeds is not None:
        out["embeds"] = embeds
    return out


def swatches(changes: dict[str, Any]) -> list[dict[str, Any]]:
    """One embed per colour the change sets, its bar in that colour: the preview shows the colour."""
    return [{"title": f"New {name}: {value}", "color": int(value[1:], 16)}
            for name, value in changes.items()
            if isinstance(value, str) and len(value) == 7 and value[0] == "#"
            and all(c in "0123456789abcdef" for c in value[1:].lower())]


def pong() -> dict[str, Any]:
    return {"type": InteractionResponseType.PONG}


def deferred(*, ephemeral: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"type": InteractionResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE}
    if ephemeral:
        out["data"] = {"flags": EPHEMERAL}
    return out


def reply(content: str, *, ephemeral: bool = True, components: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data = body(content, components)
    if ephemeral:
        data["flags"] = EPHEMERAL
    return {"type": InteractionResponseType.CHANNEL_MESSAGE_WITH_SOURCE, "data": data}


def update(content: str, components: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Replace the message (a preview's colour swatch included)."""
    return updated(body(content, components, []))


def updated(data: dict[str, Any]) -> dict[str, Any]:
    """Answer a component's interaction by making its message ``data`` (a ``body``)."""
    return {"type": InteractionResponseType.UPDATE_MESSAGE, "data": data}


def deferred_update() -> dict[str, Any]:
    return {"type": InteractionResponseType.DEFERRED_UPDATE_MESSAGE}


def edit_modal(task_id: str, request: str, *, prefix: str, title: str, version: int) -> dict[str, Any]:
    return {
        "type": InteractionResponseType.MODAL,
        "data": {
            "custom_id": custom_id(prefix, EDIT, task_id, version),
            "title": f"Edit your {title}"[:45],
            # A Label around the text input: Discord deprecates text inputs in Action Rows
            # and their own ``label`` field in modals.
            "components": [{
                "type": ComponentType.LABEL,
                "label": "Request",
                "description": "Say what should change; the preview is made again.",
                "component": {
                    "type": ComponentType.TEXT_INPUT,
                    "custom_id": "request",
                    "style": TextInputStyle.PARAGRAPH,
                    "value": request[:1000],
                    "min_length": 1,
                    "max_length": 1000,
                    "required": True,
                },
            }],
        },
    }


def autocomplete(choices: list[dict[str, str]]) -> dict[str, Any]:
    return {"type": InteractionResponseType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
            "data": {"choices": choices[:25]}}


def preview_message(header: str, diff: str, footer: str) -> str:
    frame = f"{header}\n```diff\n\n```\n{footer}"
    return f"{header}\n{discord_code_block(trim_diff(diff, MAX_CONTENT - len(frame) - 4), 'diff')}\n{footer}"
