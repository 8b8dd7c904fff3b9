"""Who is asking, read from Discord's interaction, and the HTTP answer the router gives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from valine.core.caller import Caller, Interaction
from valine.discord import messages as msg
from valine.settings import Settings


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


def caller_of(interaction: Mapping[str, Any], settings: Settings) -> Caller | HttpResponse:
    """The guild member who acted, or the refusal for a DM or an unconfigured server."""
    member = interaction.get("member")
    if not isinstance(member, dict) or not isinstance(member.get("user"), dict):
        return HttpResponse(200, msg.reply(
            "I only work inside the team's Discord server, not in direct messages: "
            "run the command in a channel there."))
    user = member["user"]
    guild_id = str(interaction.get("guild_id") or "")
    if settings.guild_ids and guild_id not in settings.guild_ids:
        return HttpResponse(200, msg.reply("This server is not configured for the Valine bot."))
    role_ids = tuple(str(r) for r in member.get("roles") or [] if isinstance(r, str | int))
    return Caller(user_id=str(user.get("id", "")), name=str(user.get("username") or user.get("id") or "?"),
                  role_ids=role_ids, roles=settings.roles_of(role_ids), guild_id=guild_id)


def options_of(data: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for opt in data.get("options") or []:
        if isinstance(opt, dict) and isinstance(opt.get("name"), str) and "value" in opt:
            out[opt["name"]] = str(opt["value"])
    return out


def interaction_of(interaction: Mapping[str, Any], settings: Settings) -> Interaction:
    """What the lifecycle reads of a Discord interaction (a command, a component or a modal)."""
    data = interaction.get("data") or {}
    text = ""
    for top in data.get("components") or []:  # a Label holds one ``component``; an Action Row a list
        top = top if isinstance(top, dict) else {}
        for comp in [top.get("component"), *(top.get("components") or [])]:
            if isinstance(comp, dict) and comp.get("custom_id") == "request":
                text = str(comp.get("value") or "").strip()
    values = data.get("values") or []
    picked = values[0] if isinstance(values, list) and values and isinstance(values[0], str) else ""
    message = interaction.get("message") or {}
    clicked = str((message.get("content") if isinstance(message, dict) else "") or "").split("\n", 1)[0]
    return Interaction(id=str(interaction["id"]), token=str(interaction["token"]),
                       application_id=str(interaction.get("application_id") or settings.application_id),
                       channel_id=str(interaction.get("channel_id") or ""), options=options_of(data), text=text,
                       picked=picked, clicked=clicked)
