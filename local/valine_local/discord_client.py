"""Plays a Discord client against the local stack: signed interactions, as Discord sends them."""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from nacl.signing import SigningKey

from valine.discord.types import DISCORD_EPOCH_MS, InteractionType

_SEQUENCE = itertools.count()


def snowflake() -> str:
    """A Discord snowflake made now: milliseconds since Discord's epoch, then a 22-bit sequence."""
    return str(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_SEQUENCE) & 0x3FFFFF))


def user_id(name: str) -> str:
    return str(10**17 + int(hashlib.sha256(name.encode()).hexdigest(), 16) % (9 * 10**17))


class DiscordClient:
    def __init__(self, endpoint: str, *, health: dict[str, Any] | None = None, signing_key: SigningKey | None = None,
                 session: requests.Session | None = None) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.http = session or requests.Session()
        if session is None:  # tests click 20 buttons at once
            self.http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=64))
        self.health = health or self.http.get(f"{self.endpoint}/healthz", timeout=5).json()
        if signing_key is None:
            key_file = Path(self.health["state_dir"]) / "dev-signing-key"
            if not self.health.get("dev_signing_key") or not key_file.exists():
                raise SystemExit("the local stack verifies with a real application's public key, so only Discord can "
                                 "sign for it; unset DISCORD_PUBLIC_KEY to use the development key")
            signing_key = SigningKey(bytes.fromhex(key_file.read_text().strip()))
        self.key = signing_key
        self.emulator = self.health["discord_url"]
        self.channel_id = "100000000000000099"

    # ---- building and sending ----------------------------------------------------------
    def member(self, user: str, roles: list[str]) -> dict[str, Any]:
        role_ids: list[str] = []
        for role in roles:
            ids = self.health["role_ids"].get(role)
            if ids is None and role != "member":
                raise SystemExit(f"unknown role {role!r}; use admin, pm, developer or member")
            role_ids += (ids or [])[:1]
        return {"user": {"id": user_id(user), "username": user}, "roles": role_ids}

    def sign(self, body: bytes, timestamp: str | None = None) -> dict[str, str]:
        """Headers for a request sent straight to the endpoint (tests of the signature check itself)."""
        ts = timestamp or str(int(time.time()))
        return {"X-Signature-Ed25519": self.key.sign(ts.encode() + body).signature.hex(),
                "X-Signature-Timestamp": ts, "Content-Type": "application/json"}

    def post(self, interaction: dict[str, Any], *, headers: dict[str, str] | None = None,
             body: bytes | None = None) -> requests.Response:
        raw = body if body is not None else json.dumps(interaction).encode()
        return self.http.post(f"{self.endpoint}/discord", data=raw, headers=headers or self.sign(raw), timeout=10)

    def _interaction(self, kind: int, user: str, roles: list[str], data: dict[str, Any],
                     message_id: str | None = None, dm: bool = False) -> dict[str, Any]:
        interaction: dict[str, Any] = {
            "id": snowflake(), "application_id": self.health["application_id"], "type": kind,
            "token": "tok_" + secrets.token_urlsafe(24), "version": 1, "data": data,
            "channel_id": self.channel_id,
        }
        if dm:
            interaction["user"] = {"id": user_id(user), "username": user}
        else:
            interaction["guild_id"] = self.health["guild_ids"][0]
            interaction["member"] = self.member(user, roles)
        return interaction

    def _exchange(self, interaction: dict[str, Any], message_id: str | None) -> dict[str, Any]:
        """Hand the interaction to Discord (the emulator), which signs it, sends it to the endpoint and
        makes the message only when the endpoint's answer reaches it, as the real Discord does."""
        answer = self.http.post(f"{self.emulator}/_emulator/interact",
                                json={"interaction": interaction, "message_id": message_id}, timeout=15)
        out = dict(answer.json())
        if out.get("status") == 0:
            raise SystemExit(f"Discord (the emulator) could not deliver the interaction: {out['response']['error']}")
        return out

    def command(self, name: str, user: str, roles: list[str], options: dict[str, str] | None = None,
                dm: bool = False) -> dict[str, Any]:
        data = {"id": snowflake(), "name": name, "type": 1,
                "options": [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()]}
        return self._exchange(self._interaction(InteractionType.APPLICATION_COMMAND, user, roles, data, dm=dm), None)

    def autocomplete(self, name: str, user: str, roles: list[str], options: dict[str, str],
                     focused: str) -> dict[str, Any]:
        """What Discord sends while the person types into ``focused`` (interaction type 4)."""
        data = {"id": snowflake(), "name": name, "type": 1,
                "options": [{"name": k, "type": 3, "value": v, **({"focused": True} if k == focused else {})}
                            for k, v in options.items()]}
        return self._exchange(self._interaction(InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE, user, roles,
                                                data), None)

    def select(self, message_id: str, value: str, user: str, roles: list[str]) -> dict[str, Any]:
        """Pick ``value`` in the message's select menu (component type 3), as Discord sends it."""
        message = self.message(message_id)
        menu = next((c for row in message.get("components", []) for c in row.get("components", [])
                     if c.get("type") == 3), None)
        if menu is None:
            raise LookupError(f"message {message_id} has no select menu")
        data = {"custom_id": menu["custom_id"], "component_type": 3, "values": [value]}
        return self._exchange(self._interaction(InteractionType.MESSAGE_COMPONENT, user, roles, data, message_id),
                              message_id)

    def press(self, message_id: str, action: str, user: str, roles: list[str]) -> dict[str, Any]:
        return self.click(message_id, self.button(message_id, action), user, roles)

    def button(self, message_id: str, action: str) -> str:
        """The custom_id of the message's ``action`` button, as Discord would send it back."""
        message = self.message(message_id)
        custom = next((c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])
                       if str(c.get("custom_id", "")).split(":")[1:2] == [action]), None)
        if custom is None:
            raise LookupError(f"message {message_id} has no {action} button (buttons: "
                              f"{[c.get('label') for r in message.get('components', []) for c in r['components']]})")
        return str(custom)

    def click(self, message_id: str, custom_id: str, user: str, roles: list[str]) -> dict[str, Any]:
        data = {"custom_id": custom_id, "component_type": 2}
        return self._exchange(self._interaction(InteractionType.MESSAGE_COMPONENT, user, roles, data, message_id),
                              message_id)

    def submit_edit(self, message_id: str, custom_id: str, text: str, user: str, roles: list[str]) -> dict[str, Any]:
        # What Discord sends for a text input inside a Label (type 18).
        data = {"custom_id": custom_id, "components": [
            {"type": 18, "id": 1, "component": {"type": 4, "id": 2, "custom_id": "request", "value": text}}]}
        return self._exchange(self._interaction(InteractionType.MODAL_SUBMIT, user, roles, data, message_id),
                              message_id)

    def submit_modal(self, message_id: str, custom_id: str, fields: dict[str, str], user: str,
                     roles: list[str]) -> dict[str, Any]:
        """Submit a modal whose text inputs sit in Labels (type 18), as Discord sends it."""
        data = {"custom_id": custom_id, "components": [
            {"type": 18, "id": i * 2 + 1, "component": {"type": 4, "id": i * 2 + 2, "custom_id": key, "value": value}}
            for i, (key, value) in enumerate(fields.items())]}
        return self._exchange(self._interaction(InteractionType.MODAL_SUBMIT, user, roles, data, message_id),
                              message_id)

    # ---- reading what Discord shows ----------------------------------------------------
    def message(self, message_id: str) -> dict[str, Any]:
        return dict(self.http.get(f"{self.emulator}/_emulator/messages/{message_id}", timeout=5).json())

    def messages(self) -> list[dict[str, Any]]:
        return list(self.http.get(f"{self.emulator}/_emulator/messages", timeout=5).json())

    def wait(self, message_id: str, until: Callable[[dict[str, Any]], bool], timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        message = self.message(message_id)
        while not until(message) and time.monotonic() < deadline:
            time.sleep(0.05)
            message = self.message(message_id)
        return message

    def wait_settled(self, message_id: str, edits_before: int, timeout: float = 30.0) -> dict[str, Any]:
        """Wait until the worker has edited the message since ``edits_before`` edits."""
        return self.wait(message_id, lambda m: len(m.get("edits", [])) > edits_before and not m.get("deferred"),
                         timeout)


def render(message: dict[str, Any]) -> str:
    buttons = [c.get("label") for row in message.get("components", []) for c in row.get("components", [])]
    text = f"[message {message['id']}{' (ephemeral)' if message.get('ephemeral') else ''}]\n{message.get('content')}"
    if buttons:
        text += "\n[buttons: " + " | ".join(str(b) for b in buttons) + "]"
    return text
