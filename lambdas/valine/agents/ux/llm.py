"""LLM parsing (rollout phase 5+): structured outputs, a daily budget, and fallback.

The reply is constrained by a JSON schema generated from the catalog (sections and
properties as enums), so it is either an intent or a clarification question. Before each
call the worst-case cost is reserved atomically against the stage's daily cap; after it
the actual cost is settled. Any failure — budget spent, timeout, refusal, error,
malformed or low-confidence output — falls back to the rule-based parser, and the user is
told which parser answered.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from valine.agents.ux.catalog import Catalog
from valine.agents.ux.intent import Clarify, Intent, ParseError, ParseResult
from valine.agents.ux.validate import validate
from valine.core.llm import Budget, LlmClient, LlmReply, LlmUnavailable
from valine.core.phases import LlmMode, PhaseConfig, Role
from valine.core.task import Task

log = logging.getLogger("valine.llm")
MIN_CONFIDENCE = 0.6
MAX_OUTPUT_TOKENS = 200






@dataclass(frozen=True)
class Prices:
    input_usd_per_million: float
    output_usd_per_million: float

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return round((input_tokens * self.input_usd_per_million + output_tokens * self.output_usd_per_million) / 1e6,
                     8)


def schema_for(catalog: Catalog) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "section", "changes", "question", "confidence"],
        "properties": {
            "kind": {"type": "string", "enum": ["intent", "clarify"]},
            "section": {"type": "string", "enum": [*catalog.section_names(), ""]},
            "changes": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["property", "value"],
                "properties": {"property": {"type": "string", "enum": catalog.property_names()},
                               "value": {"type": "string"}}}},
            "question": {"type": "string"},
            "confidence": {"type": "number"},
        },
    }


def system_prompt(catalog: Catalog) -> str:
    sections = "; ".join(f"{s.name}: {', '.join(s.properties)}" for s in catalog.sections.values())
    return (
        "You turn a website change request into JSON. Sections and their properties: "
        f"{sections}. color values: CSS name or #rrggbb. links values: Label:/path or Label:https://url. "
        "Text values: the exact words requested. If the section, property or value is unclear, set kind "
        "to clarify and ask one short question. confidence: 0 to 1."
    )


def prompt_bytes(catalog: Catalog, request: str) -> int:
    """An upper bound on input tokens: no tokenizer maps less than one byte to a token."""
    return len((system_prompt(catalog) + request + json.dumps(schema_for(catalog))).encode()) + 32


def estimated_tokens(catalog: Catalog, request: str) -> int:
    """A typical count for English and JSON with GPT tokenizers (about 4 bytes per token)."""
    return math.ceil(prompt_bytes(catalog, request) / 4)


def llm_allowed(phase: PhaseConfig, flag_on: bool, task: Task) -> tuple[bool, str]:
    if phase.llm is LlmMode.OFF:
        return False, f"phase {phase.number} has no LLM parsing"
    if not flag_on:
        return False, "USE_LLM_PARSING is off"
    if phase.llm is LlmMode.ADMINS and Role.ADMIN.value not in task.requester_roles:
        return False, "LLM parsing is for admins in this phase"
    if phase.llm is LlmMode.OPT_IN and not task.use_llm:
        return False, "LLM parsing is opt-in (use_llm:true)"
    return True, ""


class LlmParser:
    def __init__(self, *, client: LlmClient, budget: Budget, prices: Prices, daily_cap_usd: float, stage: str,
                 model: str, metrics: Any, clock: Callable[[], float], fallback: Callable[[str, Catalog], ParseResult],
                 ) -> None:
        self.client = client
        self.budget = budget
        self.prices = prices
        self.cap = daily_cap_usd
        self.stage = stage
        self.model = model
        self.metrics = metrics
        self.clock = clock
        self.fallback = fallback

    def parse(self, task: Task, catalog: Catalog) -> ParseResult:
        request = task.request
        day = dt.datetime.fromtimestamp(self.clock(), dt.UTC).strftime("%Y-%m-%d")
        worst = self.prices.cost(prompt_bytes(catalog, request), MAX_OUTPUT_TOKENS)
        reservation = f"{task.task_id}-{task.version}-{uuid.uuid4().hex[:8]}"
        try:
            reserved = self.budget.reserve(day=day, amount_usd=worst, cap_usd=self.cap, reservation=reservation)
        except Exception:
            # No spending without a reservation: the rules answer when the budget cannot be read.
            log.exception("LLM budget unavailable")
            return self._fallback(request, catalog, "the LLM budget could not be checked")
        if not reserved:
            return self._fallback(request, catalog, "the daily LLM budget is used up")
        reply: LlmReply | None = None
        try:
            reply = self.client.complete(system=system_prompt(catalog), user=request, schema=schema_for(catalog),
                                         max_output_tokens=MAX_OUTPUT_TOKENS)
        except LlmUnavailable as exc:
            return self._fallback(request, catalog, f"the LLM was unavailable ({exc})")
        except Exception as exc:  # an SDK surprise must not cost the user their request
            log.exception("LLM call failed")
            return self._fallback(request, catalog, f"the LLM call failed ({type(exc).__name__})")
        finally:
            actual = self._actual_cost(reply, worst)
            self._settle(day=day, reservation=reservation, reserved_usd=worst, actual_usd=actual)
            self._log_cost(task, reply, actual)
        if reply.refusal:
            return self._fallback(request, catalog, "the LLM declined the request")
        result = self._interpret(reply.content, catalog)
        if isinstance(result, str):
            return self._fallback(request, catalog, result)
        self.metrics.count("LlmParses", Outcome="ok")
        return result

    def _actual_cost(self, reply: LlmReply | None, worst: float) -> float:
        """What the call cost. A call that failed before an answer cost nothing; an answer without
        plausible usage is charged its worst case, so a server cannot credit the day's budget."""
        if reply is None:
            return 0.0
        if reply.input_tokens is None or reply.output_tokens is None:
            log.warning("the LLM reported no plausible token usage; charged the reservation's worst case")
            return worst
        cost = self.prices.cost(reply.input_tokens, reply.output_tokens)
        return cost if math.isfinite(cost) and cost >= 0 else worst

    def _settle(self, **kwargs: Any) -> None:
        try:
            self.budget.settle(**kwargs)
        except Exception:
            # The reservation stays counted at its worst case: the cap errs on the safe side.
            log.exception("could not settle the LLM reservation", extra={"reservation": kwargs.get("reservation")})

    def _interpret(self, content: str | None, catalog: Catalog) -> ParseResult | str:
        try:
            data = json.loads(content or "")
            kind, section, confidence = data["kind"], data["section"], float(data["confidence"])
            changes = {str(c["property"]): str(c["value"]) for c in data["changes"]}
        except (ValueError, KeyError, TypeError):
            return "the LLM answered in an unexpected shape"
        if not math.isfinite(confidence) or not 0.0 <= confidence <= 1.0:  # NaN compares False to everything
            return f"the LLM answered a confidence of {confidence!r}, outside 0 to 1"
        if confidence < MIN_CONFIDENCE:
            return f"the LLM was unsure (confidence {confidence:.2f})"
        if kind == "clarify":
            question = str(data.get("question") or "").strip()
            return Clarify(question, parser="llm") if question else "the LLM asked an empty question"
        if section not in catalog.sections or not changes:
            return "the LLM named no section or change"
        checked = validate(Intent(section=section, changes=changes, parser="llm"), catalog)
        if isinstance(checked, ParseError):
            return ParseError(checked.message, parser="llm")
        return checked

    def _fallback(self, request: str, catalog: Catalog, why: str) -> ParseResult:
        self.metrics.count("LlmParses", Outcome="fallback")
        result = self.fallback(request, catalog)
        label = f"rules (LLM fallback: {why})"
        if isinstance(result, Intent):
            return Intent(section=result.section, changes=result.changes, parser=label)
        if isinstance(result, Clarify):
            return Clarify(result.question, parser=label)
        return ParseError(result.message, parser=label)

    def _log_cost(self, task: Task, reply: LlmReply | None, cost: float) -> None:
        # One line per call with cost_usd, so `aws logs tail ... --filter-pattern cost_usd` finds it.
        log.info(json.dumps({"event": "llm_call", "cost_usd": cost, "model": self.model, "stage": self.stage,
                             "task_id": task.task_id, "input_tokens": reply.input_tokens if reply else 0,
                             "output_tokens": reply.output_tokens if reply else 0}))
        self.metrics.money("LlmCostUsd", cost)
