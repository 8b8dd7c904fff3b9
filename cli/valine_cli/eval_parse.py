"""``valine eval-parse --cases FILE``: the rule-based parser against labelled requests.

Each line is ``{"class": ..., "request": ..., "expect": {"section": ..., "changes": {...}}}`` or
``{"expect": {"clarify": true}}``. A request that must be clarified counts as right when the
parser asks or refuses (no preview is made); an intent must match exactly.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from valine_cli.aws_stage import CliError

GOAL_PCT = 95.0


def evaluate(cases: list[dict[str, Any]]) -> tuple[dict[str, tuple[int, int]], list[tuple[str, str, Any, Any]]]:
    """(class -> (right, total), misses as (class, request, expected, got))."""
    from valine.agents.ux.intent import Intent
    from valine.agents.ux.parser import parse_request
    from valine_local.example_site import example_catalog

    catalog = example_catalog()
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for case in cases:
        result = parse_request(case["request"], catalog)
        expect = case["expect"]
        if expect.get("clarify"):
            ok = not isinstance(result, Intent)
        else:
            ok = isinstance(result, Intent) and result.section == expect["section"] and \
                result.changes == expect["changes"]
        cls = str(case.get("class", "all"))
        tally[cls][0] += ok
        tally[cls][1] += 1
        if not ok:
            misses.append((cls, case["request"], expect, result.to_json()))
    return {k: (v[0], v[1]) for k, v in tally.items()}, misses


def load(path: str) -> list[dict[str, Any]]:
    try:
        return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from exc


def cmd_eval_parse(args: argparse.Namespace) -> int:
    per_class, misses = evaluate(load(args.cases))
    for cls, request, expect, got in misses:
        print(f"MISS  [{cls}] {request!r}\n      expected {json.dumps(expect, ensure_ascii=False)}\n"
              f"      got      {json.dumps(got, ensure_ascii=False)}")
    right = sum(r for r, _ in per_class.values())
    total = sum(t for _, t in per_class.values())
    for cls, (r, t) in per_class.items():
        print(f"{cls:<10} {r:>4}/{t:<4} {100.0 * r / t:6.1f}%")
    pct = 100.0 * right / total if total else 0.0
    print(f"{'all':<10} {right:>4}/{total:<4} {pct:6.1f}%  (goal > {GOAL_PCT:g}%)")
    return 0 if pct > GOAL_PCT else 1


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("eval-parse", help="the rule-based parser against labelled requests: accuracy per class")
    p.add_argument("--cases", default="evals/parse_cases.jsonl", help="JSON lines (default %(default)s)")
    p.set_defaults(handler=cmd_eval_parse)
