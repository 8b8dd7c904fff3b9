"""A Discord API emulator: the webhook and command endpoints the bot calls, plus the
client-side bookkeeping a real Discord does (which message an interaction token edits)."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from valine_cli.local.httpbase import JsonServer, Request

API = r"^/api/v10"


class DiscordEmulator(JsonServer):
    def __init__(self, *, application_id: str, bot_token: str, port: int = 0) -> None:
        super().__init__("discord-emulator", port=port)
        self.application_id = application_id
        self.bot_token = bot_token
        self.messages: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, str | None] = {}  # interaction token -> message it edits
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self._ids = itertools.count(1_100_000_000_000_000_000)
        self._lock = threading.Lock()
        self.contracts = True  # hold what the bot sends to Discord's published OpenAPI description
        self.members: dict[str, list[dict[str, Any]]] = {}  # guild id -> its members (List Guild Members)
        self.members_intent = True  # False: the bot lacks the privileged Server Members intent
        self.route("PATCH", API + r"/webhooks/(\d+)/([^/]+)/messages/@original$", self._edit_original)
        self.route("GET", API + r"/webhooks/(\d+)/([^/]+)/messages/@original$", self._get_original)
        self.route("POST", API + r"/webhooks/(\d+)/([^/]+)$", self._followup)
        self.route("PUT", API + r"/applications/(\d+)/commands$", self._put_global)
        self.route("PUT", API + r"/applications/(\d+)/guilds/(\d+)/commands$", self._put_guild)
        self.route("GET", API + r"/applications/(\d+)/commands$", lambda r, a: (200, self.commands.get("global", [])))
        self.route("GET", API + r"/applications/(\d+)/guilds/(\d+)/commands$",
                   lambda r, a, g: (200, self.commands.get(g, [])))
        self.route("POST", API + r"/channels/(\d+)/messages$", self._channel_message)
        self.route("GET", API + r"/guilds/(\d+)/members$", self._members)
        self.route("POST", r"^/_emulator/interactions/([^/]+)$", self._register)
        self.route("POST", r"^/_emulator/interactions/([^/]+)/response$", self._apply_response)
        self.route("GET", r"^/_emulator/messages$", lambda r: (200, list(self.messages.values())))
        self.route("GET", r"^/_emulator/messages/(\d+)$", self._get_message)

    # ---- Discord's published contract ----------------------------------------------------
    def contract_problems(self, method: str, path: str, body: Any) -> list[str]:
        if not self.contracts:
            return []
        from valine_cli.local import contracts

        problems = contracts.discord().check_request(method, path, {}, body)
        self.violations.extend(problems)
        return problems

    def check_request(self, req: Request) -> tuple[int, Any] | None:
        if not req.path.startswith("/api/v10/"):
            return None
        try:
            body = req.json()
        except ValueError:
            return 400, {"message": "400: Bad Request", "code": 50109}
        problems = self.contract_problems(req.method, req.path.removeprefix("/api/v10"), body)
        if problems:  # Discord's answer to a body it cannot accept
            return 400, {"message": "Invalid Form Body", "code": 50035, "errors": {"_contract": problems}}
        return None

    def new_id(self) -> str:
        return str(next(self._ids))

    # ---- what Discord does around an interaction ---------------------------------------
    def _register(self, req: Request, token: str) -> tuple[int, Any]:
        with self._lock:
            self.tokens[token] = (req.json() or {}).get("message_id")
        return 200, {"token": token}

    def _apply_response(self, req: Request, token: str) -> tuple[int, Any]:
        response = req.json() or {}
        # What the bot answered an interaction with is the body of Discord's interaction callback.
        problems = self.contract_problems("POST", "/interactions/1/token/callback", response)
        if problems:
            return 400, {"message": "Invalid Form Body", "code": 50035, "errors": {"_contract": problems}}
        kind = response.get("type")
        data = response.get("data") or {}
        with self._lock:
            message_id = self.tokens.get(token)
            if kind in (4, 5):
                message_id = self.new_id()
                self.messages[message_id] = {
                    "id": message_id, "content": data.get("content", "" if kind == 4 else "Valine is thinking…"),
                    "components": data.get("components", []), "flags": data.get("flags", 0),
                    "ephemeral": bool(int(data.get("flags", 0)) & 64), "deferred": kind == 5, "edits": [],
                    "created": time.time()}
                self.tokens[token] = message_id
            elif kind == 7 and message_id in self.messages:
                self._update(self.messages[message_id], data)
            elif kind == 9:
                return 200, {"modal": data}
        return 200, {"message_id": message_id}

    def _update(self, message: dict[str, Any], data: dict[str, Any]) -> None:
        message["edits"].append({"content": message.get("content"), "at": time.time()})
        if "content" in data:
            message["content"] = data["content"]
        if "components" in data:
            message["components"] = data["components"]
        message["deferred"] = False

    # ---- the real API paths ------------------------------------------------------------
    def _message_for(self, app: str, token: str) -> dict[str, Any] | None:
        if app != self.application_id:
            return None
        message_id = self.tokens.get(token)
        return self.messages.get(message_id) if message_id else None

    def _edit_original(self, req: Request, app: str, token: str) -> tuple[int, Any]:
        with self._lock:
            message = self._message_for(app, token)
            if message is None:
                return 404, {"message": "Unknown Webhook", "code": 10015}
            data = req.json() or {}
            if len(str(data.get("content", ""))) > 2000:
                return 400, {"message": "Invalid Form Body", "code": 50035,
                             "errors": {"content": "Must be 2000 or fewer in length."}}
            self._update(message, data)
            return 200, message

    def _get_original(self, req: Request, app: str, token: str) -> tuple[int, Any]:
        message = self._message_for(app, token)
        return (200, message) if message else (404, {"message": "Unknown Message", "code": 10008})

    def _followup(self, req: Request, app: str, token: str) -> tuple[int, Any]:
        if app != self.application_id or token not in self.tokens:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        data = req.json() or {}
        with self._lock:
            message_id = self.new_id()
            self.messages[message_id] = {"id": message_id, "content": data.get("content", ""),
                                         "components": data.get("components", []), "flags": data.get("flags", 0),
                                         "ephemeral": bool(int(data.get("flags", 0)) & 64), "edits": [],
                                         "followup_of": self.tokens[token], "created": time.time()}
        return 200, self.messages[message_id]

    def _bot_auth(self, req: Request) -> tuple[int, Any] | None:
        if req.headers.get("authorization") != f"Bot {self.bot_token}":
            return 401, {"message": "401: Unauthorized", "code": 0}
        return None

    def _put_global(self, req: Request, app: str) -> tuple[int, Any]:
        denied = self._bot_auth(req)
        if denied:
            return denied
        self.commands["global"] = [{**c, "id": self.new_id(), "application_id": app} for c in req.json()]
        return 200, self.commands["global"]

    def _put_guild(self, req: Request, app: str, guild: str) -> tuple[int, Any]:
        denied = self._bot_auth(req)
        if denied:
            return denied
        self.commands[guild] = [{**c, "id": self.new_id(), "application_id": app, "guild_id": guild}
                                for c in req.json()]
        return 200, self.commands[guild]

    def _channel_message(self, req: Request, channel: str) -> tuple[int, Any]:
        denied = self._bot_auth(req)
        if denied:
            return denied
        data = req.json() or {}
        if len(str(data.get("content", ""))) > 2000:
            return 400, {"message": "Invalid Form Body", "code": 50035}
        with self._lock:
            message_id = self.new_id()
            self.messages[message_id] = {"id": message_id, "channel_id": channel, "content": data.get("content", ""),
                                         "components": [], "edits": [], "created": time.time()}
        return 200, self.messages[message_id]

    def _members(self, req: Request, guild: str) -> tuple[int, Any]:
        denied = self._bot_auth(req)
        if denied:
            return denied
        if not self.members_intent:
            return 403, {"message": "Missing Access", "code": 50001}
        limit = max(1, min(1000, int(req.param("limit", "1") or 1)))
        after = int(req.param("after", "0") or 0)
        ordered = sorted(self.members.get(guild, []), key=lambda m: int(m["user"]["id"]))
        return 200, [m for m in ordered if int(m["user"]["id"]) > after][:limit]

    def _get_message(self, req: Request, message_id: str) -> tuple[int, Any]:
        message = self.messages.get(message_id)
        return (200, message) if message else (404, {"message": "Unknown Message", "code": 10008})
