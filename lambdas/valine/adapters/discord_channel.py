"""Posts a message to a channel as the bot (the daily status, pull-request outcomes): the only
users of the bot token."""

from __future__ import annotations

from typing import Any

import requests

from valine.adapters.http import Retrying, RetryPolicy
from valine.discord.types import user_agent


class DiscordChannelHttp:
    def __init__(self, *, api_url: str, bot_token: str, retry: Retrying | None = None) -> None:
        self._api = api_url.rstrip("/")
        self._token = bot_token
        self._retry = retry or Retrying(RetryPolicy(attempts=4, total_seconds=20))

    def post(self, channel_id: str, content: str, mention: tuple[str, ...] = (), nonce: str | None = None) -> str:
        """Post ``content``, pinging only the users in ``mention``; returns "" when posted, else why
        not (never raises for Discord's answer). With ``nonce`` the post is idempotent: Discord's
        ``enforce_nonce`` returns the message an earlier attempt made, so a retry after a lost answer
        does not post twice."""
        body: dict[str, Any] = {"content": content[:2000], "allowed_mentions": {"parse": [], "users": list(mention)}}
        if nonce is not None:
            body |= {"nonce": nonce[:25], "enforce_nonce": True}
        try:
            response = self._retry.call(lambda timeout: requests.post(
                f"{self._api}/channels/{channel_id}/messages", timeout=timeout,
                headers={"Authorization": f"Bot {self._token}", "User-Agent": user_agent()}, json=body))
        except (requests.ConnectionError, requests.Timeout) as exc:
            return type(exc).__name__
        return "" if response.ok else f"HTTP {response.status_code}"
