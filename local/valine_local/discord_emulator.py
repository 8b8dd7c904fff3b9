"""A Discord API emulator: the webhook and command endpoints the bot calls, and Discord's side
of an interaction, in Discord's order.

``POST /_emulator/interact`` plays Discord: it signs the interaction with the application's key,
sends it to the bot's interactions endpoint, and only when the endpoint's HTTP answer reaches it
does it create the deferred message (or apply the update). Until then ``PATCH .../@original``
answers 404 with code 10008 (Unknown Message), exactly the window a fast worker can hit on real
Discord. ``answer_delay`` widens that window (the answer's trip back to Discord), so tests can
put the worker's edit on either side of it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from typing import Any

import requests

from valine_local.httpbase import JsonServer, Request

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
        # Discord's side of an interaction: where the application's endpoint is and the key Discord signs with.
        self.interactions_url: str | None = None
        self.signing_key: Any = None  # nacl SigningKey; None when a real application's key verifies
        self.answer_delay = 0.0  # seconds between the endpoint's answer and Discord applying it
        self.acknowledged: set[str] = set()  # tokens whose interaction response reached Discord
        self._http = requests.Session()
        self._http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=64))
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
        self.route("DELETE", API + r"/webhooks/(\d+)/([^/]+)/messages/@original$", self._delete_original)
        self.route("POST", r"^/_emulator/interact$", self._interact)
        self.route("GET", r"^/_emulator/messages$", lambda r: (200, list(self.messages.values())))
        self.route("GET", r"^/_emulator/messages/(\d+)$", self._get_message)

    # ---- Discord's published contract ----------------------------------------------------
    def contract_problems(self, method: str, path: str, body: Any) -> list[str]:
        if not self.contracts:
            return []
        from valine_local import contracts

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
    def _interact(self, req: Request) -> tuple[int, Any]:
        body = req.json() or {}
        interaction = body.get("interaction")
        if not isinstance(interaction, dict):
            return 400, {"message": "POST /_emulator/interact takes {\"interaction\": {...}, \"message_id\": ...}"}
        return 200, self.deliver(interaction, message_id=body.get("message_id"))

    def deliver(self, interaction: dict[str, Any], *, message_id: str | None = None) -> dict[str, Any]:
        """What Discord does with one interaction: sign it, POST it to the endpoint, and apply the answer
        only once it has arrived. ``message_id``: the message whose component was used (Discord sends it)."""
        if self.signing_key is None or not self.interactions_url:
            return {"status": 0, "response": {"error": "this emulator cannot sign: the stack verifies a real "
                                                       "application's key, so only Discord can send interactions"}}
        token = str(interaction.get("token") or "")
        with self._lock:
            self.tokens.setdefault(token, None)  # Discord issued this token; its message comes with the answer
        if message_id:
            shown = self.messages.get(message_id) or {}
            interaction = {**interaction, "message": {"id": message_id, "content": shown.get("content", ""),
                                                      "components": shown.get("components", [])}}
            with self._lock:
                self.tokens[token] = message_id  # a component's token belongs to its message
        raw = json.dumps(interaction).encode()
        timestamp = str(int(time.time()))
        headers = {"X-Signature-Ed25519": self.signing_key.sign(timestamp.encode() + raw).signature.hex(),
                   "X-Signature-Timestamp": timestamp, "Content-Type": "application/json",
                   "User-Agent": "Discord-Interactions/1.0 (+https://discord.com)"}
        try:
            answer = self._http.post(self.interactions_url, data=raw, headers=headers, timeout=3.0)
        except requests.RequestException as exc:
            # Discord shows "The application did not respond" and invalidates the token.
            return {"status": 0, "response": {"error": f"the endpoint did not answer within 3 s ({exc})"}}
        out: dict[str, Any] = {"status": answer.status_code, "interaction_id": interaction.get("id"), "token": token}
        try:
            out["response"] = answer.json()
        except ValueError:
            out["response"] = {"raw": answer.text}
        if answer.status_code != 200:
            return out
        if self.answer_delay:
            time.sleep(self.answer_delay)  # the answer is still on its way to Discord
        applied = self._apply_response(token, out["response"])
        out.update(applied)
        return out

    def _apply_response(self, token: str, response: dict[str, Any]) -> dict[str, Any]:
        # What the bot answered an interaction with is the body of Discord's interaction callback.
        problems = self.contract_problems("POST", "/interactions/1/token/callback", response)
        if problems:
            return {"refused": {"message": "Invalid Form Body", "code": 50035, "errors": {"_contract": problems}}}
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
            if kind == 8:  # autocomplete: Discord shows the choices under the option; nothing to acknowledge
                return {"choices": list(data.get("choices") or [])}
            self.acknowledged.add(token)
            if kind == 9:
                return {"modal": data, "message_id": message_id}
        return {"message_id": message_id}

    def _update(self, message: dict[str, Any], data: dict[str, Any]) -> None:
        message["edits"].append({"content": message.get("content"), "at": time.time()})
        if "content" in data:
            message["content"] = data["content"]
        if "components" in data:
            message["components"] = data["components"]
        message["deferred"] = False

    # ---- the real API paths ------------------------------------------------------------
    def _message_for(self, app: str, token: str) -> dict[str, Any] | None:
        """The interaction's original response, once the endpoint's answer has reached Discord."""
        if app != self.application_id or token not in self.acknowledged:
            return None
        message_id = self.tokens.get(token)
        return self.messages.get(message_id) if message_id else None

    def _unknown(self, app: str, token: str) -> tuple[int, Any]:
        if app != self.application_id or token not in self.tokens:  # a token Discord never issued
            return 404, {"message": "Unknown Webhook", "code": 10015}
        return 404, {"message": "Unknown Message", "code": 10008}

    def _edit_original(self, req: Request, app: str, token: str) -> tuple[int, Any]:
        with self._lock:
            message = self._message_for(app, token)
            if message is None:
                return self._unknown(app, token)
            data = req.json() or {}
            if len(str(data.get("content", ""))) > 2000:
                return 400, {"message": "Invalid Form Body", "code": 50035,
                             "errors": {"content": "Must be 2000 or fewer in length."}}
            self._update(message, data)
            return 200, message

    def _get_original(self, req: Request, app: str, token: str) -> tuple[int, Any]:
        message = self._message_for(app, token)
        return (200, message) if message else self._unknown(app, token)

    def _delete_original(self, req: Request, app: str, token: str) -> tuple[int, Any]:
        """A person (or a moderator) deleted the message: later edits of @original find nothing."""
        with self._lock:
            message = self._message_for(app, token)
            if message is None:
                return self._unknown(app, token)
            self.messages.pop(message["id"], None)
            self.tokens[token] = None
        return 204, b""

    def _followup(self, req: Request, app: str, token: str) -> tuple[int, Any]:
        # A follow-up needs the interaction to have been answered (the token is live from then on).
        if app != self.application_id or token not in self.acknowledged:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        data = req.json() or {}
        with self._lock:
            message_id = self.new_id()
            self.messages[message_id] = {"id": message_id, "content": data.get("content", ""),
                                         "components": data.get("components", []), "flags": data.get("flags", 0),
                                         "ephemeral": bool(int(data.get("flags", 0)) & 64), "edits": [],
                                         "followup_of": self.tokens.get(token), "created": time.time()}
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
        nonce = data.get("nonce")
        with self._lock:
            if data.get("enforce_nonce") and nonce is not None:
                # Discord: with enforce_nonce, a message by the same author with the same nonce in the past
                # few minutes is returned instead of a new one (a retried post is not posted twice).
                earlier = next((m for m in self.messages.values() if m.get("channel_id") == channel
                                and m.get("nonce") == str(nonce) and time.time() - m["created"] < 300), None)
                if earlier is not None:
                    return 200, earlier
            message_id = self.new_id()
            self.messages[message_id] = {"id": message_id, "channel_id": channel, "content": data.get("content", ""),
                                         "components": [], "edits": [], "created": time.time(),
                                         **({"nonce": str(nonce)} if nonce is not None else {})}
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
