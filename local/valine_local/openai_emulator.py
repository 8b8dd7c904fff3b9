"""An OpenAI-compatible chat completions server for tests and ``valine eval-llm``.

It answers ``POST /v1/chat/completions`` in the real response shape (choices, message
content or refusal, usage). Its "model" is the rule-based parser, so answers are
deterministic; markers in the request trigger the failures a real endpoint has:
``[[refuse]]``, ``[[malformed]]``, ``[[lowconf]]``, ``[[slow]]`` (answers after 3 s),
``[[429]]``, ``[[500]]``. Faults can also be set with ``/_emulator/faults``.
"""

from __future__ import annotations

import json
import math
import threading
import time
from typing import Any

from valine.agents.ux.intent import Clarify, Intent
from valine.agents.ux.parser import parse_request
from valine_local.example_site import example_catalog
from valine_local.httpbase import JsonServer, Request


class OpenAiEmulator(JsonServer):
    def __init__(self, *, api_key: str = "sk-local", port: int = 0, slow_seconds: float = 3.0) -> None:
        super().__init__("openai-emulator", port=port)
        self.api_key = api_key
        self.slow_seconds = slow_seconds
        self.calls = 0
        self.prompt_tokens: list[int] = []
        self._lock = threading.Lock()
        self.route("POST", r"^/v1/chat/completions$", self._complete)

    def _complete(self, req: Request) -> tuple[int, Any]:
        if req.headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
        body = req.json()
        messages = body["messages"]
        user = next(m["content"] for m in reversed(messages) if m["role"] == "user")
        schema = body.get("response_format", {}).get("json_schema", {}).get("schema")
        if schema is None:
            return 400, {"error": {"message": "response_format json_schema is required here"}}
        with self._lock:
            self.calls += 1
        if "[[429]]" in user:
            return 429, {"error": {"message": "Rate limit reached", "type": "requests"}}
        if "[[500]]" in user:
            return 500, {"error": {"message": "The server had an error"}}
        if "[[slow]]" in user:
            time.sleep(self.slow_seconds)
        prompt = sum(len(m["content"].encode()) for m in messages) + len(json.dumps(schema).encode())
        prompt_tokens = math.ceil(prompt / 4)
        self.prompt_tokens.append(prompt_tokens)
        clean = user
        for mark in ("[[lowconf]]", "[[slow]]", "[[nan]]", "[[negative-usage]]", "[[absurd-usage]]"):
            clean = clean.replace(mark, "")
        clean = clean.strip()
        refusal = None
        if "[[refuse]]" in user:
            content, refusal = None, "I can't help with that."
        elif "[[malformed]]" in user:
            content = "Sure! The navbar should be blue."
        else:
            # A hostile or broken server: json.dumps writes NaN, which Python's json.loads reads back.
            confidence = math.nan if "[[nan]]" in user else (0.3 if "[[lowconf]]" in user else 0.95)
            content = json.dumps(self._answer(clean, confidence=confidence))
        completion = math.ceil(len((content or refusal or "").encode()) / 4)
        if "[[negative-usage]]" in user:
            prompt_tokens, completion = -1_000_000_000, -1_000_000_000
        if "[[absurd-usage]]" in user:
            prompt_tokens = 10**15
        return 200, {
            "id": f"chatcmpl-{self.calls}", "object": "chat.completion", "created": int(time.time()),
            "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content, "refusal": refusal}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                      "total_tokens": prompt_tokens + completion},
        }

    @staticmethod
    def _answer(text: str, confidence: float) -> dict[str, Any]:
        result = parse_request(text, example_catalog())
        if isinstance(result, Intent):
            return {"kind": "intent", "section": result.section, "question": "", "confidence": confidence,
                    "changes": [{"property": k, "value": v} for k, v in result.changes.items()]}
        question = result.question if isinstance(result, Clarify) else f"Could you rephrase? {result.message}"
        return {"kind": "clarify", "section": "", "changes": [], "question": question, "confidence": confidence}
