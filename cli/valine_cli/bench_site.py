"""The site model's and the parsers' benchmarks: scanning a real site, its first and later previews
and their GitHub calls, and the rule parser's accuracy on the labelled cases."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


OUT = REPO_ROOT / ".bench"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def _site() -> dict[str, Any]:
    """The largest fixture site: how long reading it takes, and a preview once its model is cached."""
    import dataclasses

    from valine.core.ports import Job
    from valine.site.model import build
    from valine.site.source import from_folder
    from valine_local.config import REPO_ROOT
    from valine_local.discord_client import DiscordClient
    from valine_local.stack import LocalConfig, LocalStack

    sites = sorted((REPO_ROOT / "tests" / "sites").iterdir())
    largest = max((d for d in sites if d.is_dir()),
                  key=lambda d: sum(len(t) for t in from_folder(str(d)).values()))
    files = from_folder(str(largest))
    print(f"site model: {largest.name} ({len(files)} files), scanned 5 times, then previews…", file=sys.stderr)
    scans = []
    for _ in range(5):
        t0 = time.perf_counter()
        build(files)
        scans.append((time.perf_counter() - t0) * 1000)
    cases = [json.loads(line) for line in (largest / "requests.jsonl").read_text().splitlines() if line.strip()]
    edits = [c["request"] for c in cases if c["expect"].get("outcome", "edit") == "edit"][:16]
    with tempfile.TemporaryDirectory() as tmp:
        cfg = dataclasses.replace(LocalConfig.from_env({}), port=0, state_dir=Path(tmp), worker_threads=0,
                                  name="bench-site", phase="4", site=largest)
        stack = LocalStack(cfg).start()
        try:
            client = DiscordClient(stack.url, health=stack.health(), signing_key=stack.signing_key)
            times, calls, first = [], [], 0.0
            for i, request in enumerate(edits):
                out = client.command("ux-update", f"s{i}", ["admin"], {"request": request})
                job = Job("preview", out["interaction_id"], stack.settings.application_id, out["token"])
                before, t0 = len(stack.github.requests), time.perf_counter()
                stack.agent.run(job)
                elapsed = (time.perf_counter() - t0) * 1000
                if i == 0:
                    first = elapsed  # reads the tree and every blob, and builds the model
                    continue
                times.append(elapsed)
                calls.append(len(stack.github.requests) - before)
        finally:
            stack.stop()
    return {"site_bench_site": largest.name, "site_files": len(files),
            "site_scan_ms": round(statistics.median(scans), 1),
            "site_first_preview_ms": round(first, 1),
            "site_preview_p50_ms": round(pct(times, 50), 1),
            "site_github_calls_per_preview": max(calls)}


def _button_interaction(client: Any, custom_id: str) -> dict[str, Any]:
    interaction: dict[str, Any] = client._interaction(3, "b", ["admin"], {"custom_id": custom_id,
                                                                         "component_type": 2}, None)
    interaction["message"] = {"id": "1", "content": "**UX update** `bench` for <@1> — navbar (parsed by rules)"}
    interaction["member"]["user"]["id"] = "1"
    return interaction


def _drain(stack: Any) -> None:
    while True:
        got = stack.sqs.receive_message(QueueUrl=stack.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return
        stack.sqs.delete_message_batch(QueueUrl=stack.queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])


def _parse_accuracy() -> dict[str, Any]:
    """The rule parser on the shipped labelled set (evals/parse_cases.jsonl), overall and per class."""
    from valine_cli.eval_parse import evaluate, load

    per_class, _ = evaluate(load(str(REPO_ROOT / "evals" / "parse_cases.jsonl")))
    right = sum(r for r, _ in per_class.values())
    total = sum(t for _, t in per_class.values())
    out: dict[str, Any] = {"parse_accuracy_pct": round(100.0 * right / total, 1), "parse_cases": total}
    out |= {f"parse_accuracy_{cls}_pct": round(100.0 * r / t, 1) for cls, (r, t) in per_class.items()}
    return out
