"""Edits the interaction's original message through Discord's webhook endpoint.

Discord makes the deferred message only when the endpoint's HTTP answer reaches it, and the
job the endpoint queued can finish first (a clarification takes about 20 ms). So a 404
(10008 Unknown Message) on ``@original`` shortly after the interaction was made means "not
there yet": the edit is tried again until ``DISCORD_ORIGINAL_WAIT_SECONDS`` after the
interaction's creation. After that a 404 means the message is gone (deleted), and the outcome
goes out as a follow-up message on the same token instead, so the person still sees it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from valine.adapters.http import Retrying, RetryPolicy
from valine.core import budgets
from valine.core.outcomes import Message
from valine.core.ports import MessageGone
from valine.discord import outcomes
from valine.discord.types import snowflake_time, user_agent

log = logging.getLogger("valine.discord")


class DiscordDeliveryError(Exception):
    pass


class DiscordWebhooksHttp:
    def __init__(self, *, api_url: str, session: requests.Session | None = None,
                 retry: Retrying | None = None, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._api = api_url.rstrip("/")
        self._http = session or requests.Session()
        self._retry = retry or Retrying(RetryPolicy(attempts=4, total_seconds=15.0))
        self._clock = clock
        self._sleep = sleep
        self.waited_for_original = 0  # 404s that were Discord not having made the message yet
        self.followups = 0  # outcomes sent as a follow-up because the original was gone

    def edit_original(self, application_id: str, token: str, message: Message, *,
                      interaction_id: str = "") -> None:
        body = outcomes.message(message)
        # The interaction token authorises these calls; no bot token is needed (or sent).
        url = f"{self._api}/webhooks/{application_id}/{token}/messages/@original"
        created = snowflake_time(interaction_id)
        now = self._clock()
        # An id from the future or absurdly old (clock skew, a hand-made id) waits no longer than the window.
        wait_until = min(now + budgets.DISCORD_ORIGINAL_WAIT_SECONDS,
                         (created if created is not None else now) + budgets.DISCORD_ORIGINAL_WAIT_SECONDS)
        delay = 0.05
        while True:
            response = self._send(lambda timeout: self._http.patch(
                url, json=body, timeout=timeout, headers={"User-Agent": user_agent()}), "message edit")
            if response.status_code != 404:
                break
            left = wait_until - self._clock()
            work_left = budgets.work_time_left()
            if work_left is not None:
                left = min(left, work_left)
            if left <= 0 or _code(response) == 10015:  # 10015 Unknown Webhook: the token itself is dead
                self._follow_up(application_id, token, body, response)
                return
            self.waited_for_original += 1
            self._sleep(min(delay, left))
            delay = min(delay * 2, 1.0)
        if response.status_code >= 400:
            raise DiscordDeliveryError(f"Discord answered {response.status_code} to the message edit")

    def _follow_up(self, application_id: str, token: str, message: Mapping[str, Any],
                   edit: requests.Response) -> None:
        """The original message is gone: post the outcome as a follow-up on the same token."""
        url = f"{self._api}/webhooks/{application_id}/{token}?wait=true"
        body = {k: v for k, v in message.items() if k in ("content", "components", "embeds", "allowed_mentions")}
        response = self._send(lambda timeout: self._http.post(
            url, json=body, timeout=timeout, headers={"User-Agent": user_agent()}), "follow-up")
        if response.status_code == 404:
            # The 15-minute token expired, or the interaction was never answered: nothing can carry it.
            raise MessageGone(f"Discord answered 404 to the edit ({edit.text[:80]}) and to the follow-up "
                              f"({response.text[:80]})")
        if response.status_code >= 400:
            raise DiscordDeliveryError(f"Discord answered {response.status_code} to the follow-up")
        self.followups += 1
        log.warning("the original message was gone; the outcome went out as a follow-up")

    def _send(self, send: Callable[[tuple[float, float]], requests.Response], what: str) -> requests.Response:
        try:
            return self._retry.call(send)
        except (requests.ConnectionError, requests.Timeout):
            # The URL holds the interaction token: neither it nor the exception that quotes it is logged.
            raise DiscordDeliveryError(f"could not reach Discord for the {what}") from None


def _code(response: requests.Response) -> int | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) and isinstance(body.get("code"), int) else None
