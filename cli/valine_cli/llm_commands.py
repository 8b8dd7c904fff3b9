"""LLM operations: costs, eval-llm."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from valine_cli import options
from valine_cli.aws_stage import CliError, aws, stage_endpoint, stage_settings


def cmd_costs(args: argparse.Namespace) -> int:
    from valine.adapters.budget import DynamoBudget

    endpoint, table = stage_endpoint(args)
    day = time.strftime("%Y-%m-%d", time.gmtime())
    today = DynamoBudget(aws("dynamodb", endpoint), table, stage=args.stage).today(day=day)
    pct = 100 * today["spent"] / args.cap if args.cap else 0.0
    print(f"{args.stage} {day}: spent ${today['spent']:.4f} of ${args.cap:.2f} ({pct:.1f}%), "
          f"{int(today['calls'])} LLM calls, ${max(0.0, today['committed'] - today['spent']):.4f} reserved in flight")
    return 0

def cmd_eval_llm(args: argparse.Namespace) -> int:
    from valine.adapters.openai_llm import OpenAiChat
    from valine.agents.ux.intent import Clarify, Intent
    from valine.agents.ux.llm import MAX_OUTPUT_TOKENS, LlmParser, Prices
    from valine.core.task import Task, TaskState
    from valine_local.example_site import example_catalog

    llm = stage_settings("dev").get("llm", {})
    from valine.core.names import LLM_DEFAULTS

    prices = Prices(float(llm.get("input_usd_per_million", LLM_DEFAULTS.input_usd_per_million)),
                    float(llm.get("output_usd_per_million", LLM_DEFAULTS.output_usd_per_million)))
    model = args.model or str(llm.get("model", LLM_DEFAULTS.model))
    try:
        cases = [json.loads(line) for line in Path(args.cases).read_text().splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read {args.cases}: {exc}") from exc
    emulator = None
    base_url, api_key = args.base_url, os.environ.get("OPENAI_API_KEY", "")
    if args.emulator:
        from valine_local.openai_emulator import OpenAiEmulator

        emulator = OpenAiEmulator(api_key="sk-eval").start()
        base_url, api_key = f"{emulator.url}/v1", "sk-eval"
    if not api_key:
        raise CliError("set OPENAI_API_KEY (and --base-url for another OpenAI-compatible endpoint), or use --emulator")

    class Unlimited:  # evaluation runs are paid for by whoever runs them; the report shows the total
        def reserve(self, **kwargs: Any) -> bool:
            return True

        def settle(self, **kwargs: Any) -> None:
            return None

        def today(self, **kwargs: Any) -> dict[str, float]:
            return {}

    class Tally:
        def __init__(self) -> None:
            self.cost = 0.0

        def count(self, *a: Any, **k: Any) -> None:
            return None

        def timing(self, *a: Any, **k: Any) -> None:
            return None

        def money(self, name: str, usd: float, **k: Any) -> None:
            self.cost += usd

    tally = Tally()
    timeout = float(llm.get("timeout_seconds", LLM_DEFAULTS.timeout_seconds))
    client = OpenAiChat(api_key=api_key, model=model, timeout_seconds=timeout, max_retries=1, base_url=base_url)
    parser = LlmParser(client=client, budget=Unlimited(), prices=prices, daily_cap_usd=1e9, stage="eval",
                       model=model, metrics=tally, clock=time.time,
                       fallback=lambda text, catalog: Clarify("(no fallback in evaluation)", parser="none"))
    catalog = example_catalog()
    correct, rows = 0, []
    try:
        for i, case in enumerate(cases):
            now = time.time()
            task = Task(task_id=f"eval-{i}", requester_id="0", requester_name="eval", requester_roles=("admin",),
                        agent="ux", guild_id="", channel_id="", request=case["request"], state=TaskState.PROPOSED,
                        created_at=now, updated_at=now, expires_at=now + 60)
            result = parser.parse(task, catalog)
            expect = case["expect"]
            if expect.get("clarify"):
                ok = isinstance(result, Clarify) and result.parser == "llm"
            else:
                ok = isinstance(result, Intent) and result.section == expect["section"] and \
                    result.changes == expect["changes"]
            correct += ok
            rows.append((ok, case["request"], result.to_json(), result.parser))
    finally:
        if emulator:
            emulator.stop()
    for ok, request, got, by in rows:
        if not ok:
            print(f"MISS  {request!r} -> {json.dumps(got, ensure_ascii=False)} [{by}]")
    accuracy = 100.0 * correct / len(cases) if cases else 0.0
    print(f"model {model}{' (emulator)' if emulator else ''}: {correct}/{len(cases)} correct = {accuracy:.1f}% "
          f"(plan: > 80%), total cost ${tally.cost:.6f}, max output tokens {MAX_OUTPUT_TOKENS}")
    return 0 if accuracy > 80.0 else 1


def add_parsers(sub: Any) -> None:
    from valine.core.phases import PHASES

    c = sub.add_parser("costs", help="today's LLM spend against the daily cap")
    options.stage(c)
    c.add_argument("--cap", type=float, default=PHASES[5].llm_daily_cap_usd,
                   help="the daily cap in USD (default: the phase table's, %(default)s)")
    c.set_defaults(handler=cmd_costs)
    ev = sub.add_parser("eval-llm", help="run labelled requests through the LLM parser; report accuracy and cost")
    ev.add_argument("--cases", required=True, help="JSON lines: {request, expect: {section, changes} | {clarify}}")
    ev.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL"),
                    help="OpenAI-compatible endpoint (default: OpenAI; env OPENAI_BASE_URL)")
    ev.add_argument("--model", default=None, help="default: cdk.json dev llm.model")
    ev.add_argument("--emulator", action="store_true",
                    help="use the local OpenAI-compatible emulator (checks the harness offline, not a model)")
    ev.set_defaults(handler=cmd_eval_llm)
