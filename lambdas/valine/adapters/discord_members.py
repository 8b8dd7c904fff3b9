"""Discord's List Guild Members, as the bot (adoption: who is eligible in a phase)."""

from __future__ import annotations

from typing import Any

import requests

from valine.discord.types import user_agent


def fetch_members(api_url: str, bot_token: str, guild_id: str) -> list[dict[str, Any]] | str:
    """Every member of the guild (paged by 1,000), or why not. Discord refuses without the
    Server Members intent (enabled in the Developer Portal → Bot → Privileged Gateway Intents)."""
    members: list[dict[str, Any]] = []
    after = "0"
    while True:
        answer = requests.get(f"{api_url.rstrip('/')}/guilds/{guild_id}/members", timeout=15,
                              params={"limit": "1000", "after": after},
                              headers={"Authorization": f"Bot {bot_token}", "User-Agent": user_agent()})
        if answer.status_code in (401, 403):
            return (f"Discord answered {answer.status_code} for guild {guild_id}'s members: the bot needs the "
                    "Server Members intent")
        if not answer.ok:
            return f"Discord answered {answer.status_code} for guild {guild_id}'s members"
        page = answer.json()
        members += page
        if len(page) < 1000:
            return members
        after = str(page[-1]["user"]["id"])
