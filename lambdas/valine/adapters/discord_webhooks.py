"""Edits the interaction's original message through Discord's webhook endpoint."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import requests

from valine.adapters.http import Retrying, RetryPolicy
from valine.discord.types import user_agent
from valine.ports import MessageGone

log = logging.getLogger("valine.discord")


class DiscordDeliveryError(Exception):
    pass


class DiscordWebhooksHttp:
    def __init__(self, *, api_url: str, session: requests.Session | None = None,
                 retry: Retrying | None = None) -> None:
        self._api = api_url.rstrip("/")
        self._http = session or requests.Session()
        self._retry = retry or Retrying(RetryPolicy(attempts=4, total_seconds=15.0))

    def edit_original(self, application_id: str, token: str, message: Mapping[str, Any]) -> None:
        # The interaction token authorises this call; no bot token is needed (or sent).
        url = f"{self._api}/webhooks/{application_id}/{token}/messages/@original"
        try:
            response = self._retry.call(lambda timeout: self._http.patch(
                url, json=dict(message), timeout=timeout, headers={"User-Agent": user_agent()}))
        except (requests.ConnectionError, requests.Timeout):
            # The URL holds the interaction token: neither it nor the exception that quotes it is logged.
            raise DiscordDeliveryError("could not reach Discord") from None
        if response.status_code == 404:
            # Unknown Webhook/Message: the 15-minute token expired or the message was deleted.
            # Retrying cannot help, and a dead letter would page on-call for nothing.
            raise MessageGone(f"Discord answered 404 to the message edit ({response.text[:80]})")
        if response.status_code >= 400:
            raise DiscordDeliveryError(f"Discord answered {response.status_code} to the message edit")
