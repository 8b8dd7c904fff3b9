"""The LLM parser: the real openai client against a local OpenAI-compatible server over
HTTP, the budget in DynamoDB on moto over HTTP."""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from tests.fakes.metrics import RecordingMetrics
from valine.adapters.budget import DynamoBudget
from valine.adapters.openai_llm import OpenAiChat
from valine.agents.ux.intent import Clarify, Intent
from valine.agents.ux.llm import LlmParser, Prices, estimated_tokens, llm_allowed, prompt_bytes
from valine.agents.ux.parser import parse_request
from valine.agents.ux.parsing import RequestParser
from valine.core.phases import PHASES
from valine.core.ports import Flags
from valine.core.task import Task, TaskState
from valine_local.example_site import example_catalog
from valine_local.openai_emulator import OpenAiEmulator

CATALOG = example_catalog()
PRICES = Prices(0.15, 0.60)
_ids = iter(range(10**6))


def task(request: str, roles: tuple[str, ...] = ("admin", "member"), use_llm: bool = False) -> Task:
    now = time.time()
    return Task(task_id=f"t{next(_ids)}", requester_id="1", requester_name="a", requester_roles=roles, guild_id="g",
                agent="ux", channel_id="c", request=request, state=TaskState.PROPOSED, created_at=now, updated_at=now,
                expires_at=now + 60, use_llm=use_llm)


@pytest.fixture(scope="module")
def llm_server():
    server = OpenAiEmulator(api_key="sk-test").start()
    yield server
    server.stop()


@pytest.fixture
def budget(stack):
    stage = f"llm-{time.time_ns()}"  # a fresh day bucket per test
    return DynamoBudget(boto3.client("dynamodb", endpoint_url=stack.aws_url), stack.TABLE, stage=stage)


def make_parser(llm_server, budget, *, cap=5.0, timeout=1.0, metrics=None):
    client = OpenAiChat(api_key="sk-test", model="gpt-4o-mini", timeout_seconds=timeout, max_retries=1,
                        base_url=f"{llm_server.url}/v1")
    return LlmParser(client=client, budget=budget, prices=PRICES, daily_cap_usd=cap, stage="test", model="gpt-4o-mini",
                     metrics=metrics or RecordingMetrics(), clock=time.time, fallback=parse_request)


def today() -> str:
    return time.strftime("%Y-%m-%d", time.gmtime())


def test_valid_intent_from_the_llm(llm_server, budget, caplog):
    caplog.set_level(logging.INFO, logger="valine.agents.ux.llm")
    result = make_parser(llm_server, budget).parse(task("make the navbar blue"), CATALOG)
    assert isinstance(result, Intent) and result.parser == "llm"
    assert (result.section, result.changes) == ("navbar", {"color": "#0000ff"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if "cost_usd" in r.getMessage()]
    assert len(lines) == 1 and lines[0]["cost_usd"] > 0 and lines[0]["input_tokens"] > 0
    assert budget.today(day=today())["spent"] == pytest.approx(lines[0]["cost_usd"])


def test_clarification_from_the_llm(llm_server, budget):
    result = make_parser(llm_server, budget).parse(task("make it blue"), CATALOG)
    assert isinstance(result, Clarify) and result.parser == "llm" and "Which section" in result.question


@pytest.mark.parametrize(("marker", "why"), [
    ("[[refuse]]", "declined"), ("[[malformed]]", "unexpected shape"), ("[[lowconf]]", "unsure"),
    ("[[slow]]", "unavailable (LlmUnavailable"), ("[[429]]", "unavailable"), ("[[500]]", "unavailable"),
])
def test_failures_fall_back_to_the_rules_and_say_so(llm_server, budget, marker, why):
    metrics = RecordingMetrics()
    result = make_parser(llm_server, budget, metrics=metrics).parse(task(f"make the footer red {marker}"), CATALOG)
    # The rule parser still understands the request (the marker is just extra words).
    assert result.parser.startswith("rules (LLM fallback: ") and why.split(" (")[0] in result.parser, result
    assert metrics.total("LlmParses", Outcome="fallback") == 1


def test_an_exhausted_budget_means_no_call_and_a_fallback(llm_server, budget):
    calls = llm_server.calls
    worst = PRICES.cost(prompt_bytes(CATALOG, "make the navbar blue"), 200)
    result = make_parser(llm_server, budget, cap=worst / 2).parse(task("make the navbar blue"), CATALOG)
    assert isinstance(result, Intent) and "daily LLM budget is used up" in result.parser
    assert llm_server.calls == calls


def test_fifty_parallel_parses_never_pass_the_cap_nor_charge_twice(llm_server, budget):
    worst = PRICES.cost(prompt_bytes(CATALOG, "make the navbar blue"), 200)
    cap = worst * 4.5  # room for four reservations at a time
    parser = make_parser(llm_server, budget, cap=cap)
    calls_before = llm_server.calls
    barrier = threading.Barrier(50)

    def parse(_: int):
        barrier.wait()
        return parser.parse(task("make the navbar blue"), CATALOG)

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(parse, range(50)))
    day = budget.today(day=today())
    answered_by_llm = sum(r.parser == "llm" for r in results)
    refused_by_budget = sum("budget is used up" in r.parser for r in results)
    assert 1 <= answered_by_llm <= day["reservations"] <= llm_server.calls - calls_before
    assert refused_by_budget == 50 - day["reservations"] >= 1
    assert day["spent"] <= cap
    assert day["calls"] == day["reservations"]  # every reservation settled exactly once
    assert day["committed"] == pytest.approx(day["spent"], abs=1e-9)  # nothing left reserved


def test_settling_twice_charges_once(budget):
    assert budget.reserve(day="2026-01-01", amount_usd=0.01, cap_usd=1.0, reservation="r1")
    budget.settle(day="2026-01-01", reservation="r1", reserved_usd=0.01, actual_usd=0.004)
    budget.settle(day="2026-01-01", reservation="r1", reserved_usd=0.01, actual_usd=0.004)
    assert budget.today(day="2026-01-01") == {"spent": 0.004, "committed": 0.004, "calls": 1, "reservations": 1}


@pytest.mark.parametrize(("phase", "flag", "roles", "opt_in", "allowed"), [
    (4, True, ("admin",), True, False),
    (5, False, ("admin",), False, False),
    (5, True, ("admin",), False, True),
    (5, True, ("pm",), True, False),
    (6, True, ("member",), False, False),
    (6, True, ("member",), True, True),
])
def test_gating(phase, flag, roles, opt_in, allowed):
    assert llm_allowed(PHASES[phase], flag, task("x", roles=roles, use_llm=opt_in))[0] is allowed


class _CountingClient:
    def __init__(self) -> None:
        self.calls = 0

    def complete(self, **kwargs):
        self.calls += 1
        raise AssertionError("no LLM call may happen here")


class _Flags:
    def __init__(self, on):
        self.on = on

    def current(self):
        return Flags(use_llm_parsing=self.on)


def test_use_llm_parsing_off_means_no_call_at_all():
    client = _CountingClient()
    def build():
        raise AssertionError("the LLM parser may not even be built here")

    parser = RequestParser(phase=PHASES[5], flags=_Flags(False), llm=build)
    result = parser(task("make the navbar blue"), CATALOG)
    assert isinstance(result, Intent) and result.parser == "rules" and client.calls == 0


def test_the_prompt_stays_small(llm_server, budget):
    make_parser(llm_server, budget).parse(task("make the navbar blue"), CATALOG)
    measured = llm_server.prompt_tokens[-1]
    estimate = estimated_tokens(CATALOG, "make the navbar blue")
    assert measured <= estimate <= measured * 1.05  # the estimate adds the message framing
    assert estimate < 800


@pytest.mark.parametrize("fault", ["DDB TransactWriteItems -> 500", "DDB TransactWriteItems -> throttle"])
def test_a_dynamodb_error_in_the_budget_falls_back_to_the_rules_and_spends_nothing(stack, llm_server, budget, fault):
    from valine_local.faults import parse_faults

    # GIVEN the budget's table refuses every transaction
    stack.moto.faults.set(parse_faults(fault))
    calls, metrics = llm_server.calls, RecordingMetrics()
    # WHEN an LLM parse is asked for THEN the rules answer, no LLM call is paid for, the request survives
    result = make_parser(llm_server, budget, metrics=metrics).parse(task("make the navbar blue"), CATALOG)
    assert isinstance(result, Intent) and (result.section, result.changes) == ("navbar", {"color": "#0000ff"})
    assert result.parser == "rules (LLM fallback: the LLM budget could not be checked)"
    assert llm_server.calls == calls
    assert metrics.total("LlmParses", Outcome="fallback") == 1


# ---- a hostile OpenAI-compatible server (#20) -----------------------------------------------
def test_a_nan_confidence_is_not_an_answer(llm_server, budget):
    result = make_parser(llm_server, budget).parse(task("[[nan]] make the navbar blue"), CATALOG)
    assert "rules (LLM fallback:" in result.parser and "outside 0 to 1" in result.parser


@pytest.mark.parametrize("marker", ["[[negative-usage]]", "[[absurd-usage]]"])
def test_reported_usage_can_never_credit_the_budget(llm_server, budget, marker):
    parser = make_parser(llm_server, budget)
    parser.parse(task("make the navbar blue"), CATALOG)
    honest = budget.today(day=today())
    parser.parse(task(f"{marker} make the navbar blue"), CATALOG)
    after = budget.today(day=today())
    # The implausible call is charged its worst case: spend and commitment only ever grow.
    assert after["spent"] > honest["spent"] > 0 and after["committed"] >= after["spent"]
    assert after["committed"] >= honest["committed"]
