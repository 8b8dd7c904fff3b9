"""Is a verified interaction the shape Discord documents? A signed body can still be odd (a client
bug, a replayed test payload, a hand-made request with the key): odd shapes are refused with 400
and a reason, and never reach the lifecycle, where they would count as handled failures and page.

Discord's Interaction object: ``id``, ``application_id``, ``token`` (strings), ``type``; ``data``
an object; ``guild_id``, ``channel_id`` snowflakes; ``member.user.id`` a snowflake and
``member.roles`` an array of snowflakes; ``data.options`` an array of objects."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SNOWFLAKE = re.compile(r"^\d{1,20}$")
MAX_TOKEN = 500


def _snowflake(value: Any) -> bool:
    return isinstance(value, str) and SNOWFLAKE.match(value) is not None


def malformed(interaction: Mapping[str, Any], application_id: str) -> str | None:
    """Why the interaction is not one Discord sends this application, or None."""
    if not _snowflake(interaction.get("id")):
        return "interaction id is not a snowflake"
    if not _snowflake(interaction.get("application_id")):
        return "application_id is not a snowflake"
    if application_id and interaction["application_id"] != application_id:
        return "the interaction is for another application"
    token = interaction.get("token")
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN:
        return "interaction token is missing or too long"
    for key in ("guild_id", "channel_id"):
        if key in interaction and interaction[key] is not None and not _snowflake(interaction[key]):
            return f"{key} is not a snowflake"
    member = interaction.get("member")
    if member is not None:
        if not isinstance(member, dict) or not isinstance(member.get("user"), dict):
            return "member is not an object with a user"
        if not _snowflake(member["user"].get("id")):
            return "member.user.id is not a snowflake"
        roles = member.get("roles", [])
        if not isinstance(roles, list) or not all(_snowflake(r) for r in roles):
            return "member.roles is not an array of snowflakes"
    user = interaction.get("user")
    if user is not None and (not isinstance(user, dict) or not _snowflake(user.get("id"))):
        return "user is not an object with a snowflake id"
    data = interaction.get("data")
    if not isinstance(data, dict):
        return "interaction has no data object"
    options = data.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return "data.options is not an array of objects"
    for key in ("custom_id", "name"):
        if key in data and (not isinstance(data[key], str) or len(data[key]) > 100):
            return f"data.{key} is not a string of at most 100 characters"
    values = data.get("values", [])
    if not isinstance(values, list) or not all(isinstance(v, str) and len(v) <= 100 for v in values):
        return "data.values is not an array of short strings"
    components = data.get("components", [])
    if not isinstance(components, list):
        return "data.components is not an array"
    return None
