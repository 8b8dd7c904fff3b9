"""Who acted, and how: the guild member behind an interaction (with the roles the stage maps their
Discord roles to), and the interaction as the lifecycle needs it. ``valine.discord.caller`` reads
both from Discord's interaction; the lifecycle sees only these values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from valine.core.phases import Role
from valine.core.ports import Job


@dataclass(frozen=True)
class Caller:
    """The person who acted: their id and name, their Discord role ids, and what those make them."""

    user_id: str
    name: str
    role_ids: tuple[str, ...]
    roles: frozenset[Role]
    guild_id: str

    @property
    def is_admin(self) -> bool:
        """Whether the stage makes them an admin (who may confirm or cancel anyone's request)."""
        return Role.ADMIN in self.roles

    def role_label(self) -> str:
        """Their highest role's name, as metrics and refusals show it."""
        for role in (Role.ADMIN, Role.PM, Role.DEVELOPER):
            if role in self.roles:
                return role.value
        return Role.MEMBER.value


@dataclass(frozen=True)
class Interaction:
    """One interaction as the lifecycle reads it: its id, where its answer goes (the application and
    the token, valid 15 minutes), its channel, and what the person gave: a command's options, the Edit
    form's text, a menu's pick, and the first line of the message they clicked."""

    id: str
    application_id: str
    token: str
    channel_id: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    text: str = ""
    picked: str = ""
    clicked: str = ""

    def job(self, kind: str, task_id: str, version: int) -> Job:
        """The worker's job for a task, answering on this interaction's message."""
        return Job(kind=kind, task_id=task_id, application_id=self.application_id, token=self.token,
                   version=version, interaction_id=self.id)
