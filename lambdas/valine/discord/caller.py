"""Who is asking, and the HTTP answer: the shapes the router and the lifecycle share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from valine.core.phases import Role
from valine.discord import messages as msg
from valine.settings import Settings


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


@dataclass(frozen=True)
class Caller:
    user_id: str
    name: str
    role_ids: tuple[str, ...]
    roles: frozenset[Role]
    guild_id: str

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def role_label(self) -> str:
        for role in (Role.ADMIN, Role.PM, Role.DEVELOPER):
            if role in self.roles:
                return role.value
        return Role.MEMBER.value


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
