"""The OpenAI-compatible chat completions API with structured outputs (worker only)."""

from __future__ import annotations

from typing import Any

import openai

from valine.core import budgets
from valine.core.llm import LlmReply, LlmUnavailable

# More tokens than any model's context window: usage above it (or below zero, or not a whole
# number) is no measurement, and the budget charges the call's worst case instead.
MAX_PLAUSIBLE_TOKENS = 10_000_000


def _tokens(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PLAUSIBLE_TOKENS:
        return None
    return value


class OpenAiChat:
    def __init__(self, *, api_key: str, model: str, timeout_seconds: float, max_retries: int,
                 base_url: str | None = None) -> None:
        self._client = openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout_seconds,
                                     max_retries=max_retries)
        self._model = model
        self._timeout = timeout_seconds

    def complete(self, *, system: str, user: str, schema: dict[str, Any], max_output_tokens: int) -> LlmReply:
        try:
            response = self._client.chat.completions.create(
                model=self._model,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                response_format={"type": "json_schema",
                                 "json_schema": {"name": "ux_intent", "strict": True, "schema": schema}},
                max_completion_tokens=max_output_tokens,
                temperature=0,
                # Inside a job, never past the job's deadline less the reserve to tell the user.
                timeout=budgets.budget(self._timeout),
            )
        except (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError,
                openai.InternalServerError) as exc:
            raise LlmUnavailable(type(exc).__name__) from exc
        except openai.APIStatusError as exc:
            raise LlmUnavailable(f"HTTP {exc.status_code}") from exc
        usage = response.usage
        choice = response.choices[0].message if response.choices else None
        return LlmReply(
            content=choice.content if choice else None,
            refusal=getattr(choice, "refusal", None) if choice else None,
            input_tokens=_tokens(usage.prompt_tokens) if usage else None,
            output_tokens=_tokens(usage.completion_tokens) if usage else None,
        )
