"""``valine eval-site``: a site's labelled requests through the real lifecycle, judged.

Each case of ``--cases`` (one JSON object per line: ``id``, ``class``, ``request``, ``expect``; see
tests/sites/README.md) is typed as ``/ux-update`` by its own teammate into a local stack whose
GitHub emulator serves ``--site``. The worker previews it or asks; a preview is confirmed and the
pull request's branch is read back from the emulator's git repository and judged against
``expect`` (valine_cli/site_judge.py). A question or a refusal is judged by what the agent said it
was (the task's ``asked``). Nothing is mocked: signatures, the queue, DynamoDB (moto), the
GitHub API and Discord's ordering are the ones ``make local`` runs.

A wrong preview (one click on Confirm from a wrong pull request) is what this counts first.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from valine_cli.aws_stage import CliError
from valine_cli.site_judge import MISSED, RIGHT, WRONG, Verdict, judge

# What the agent's question was (Task.asked) -> how a case names it.
ASKED = {"clarify": "clarify", "invalid": "clarify", "unsupported": "refuse", "error": "error"}


@dataclasses.dataclass
class CaseResult:
    id: str
    klass: str
    request: str
    verdict: Verdict
    said: str  # the agent's summary or question, one line
    files: list[str]  # what the pull request changed


def read_cases(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise CliError(f"{path} does not exist; give a JSON Lines file of cases (see tests/sites/README.md)")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CliError(f"{path}:{number} is not JSON ({exc.msg})") from exc
        missing = [k for k in ("id", "request", "expect") if k not in case]
        if missing:
            raise CliError(f"{path}:{number} has no {', '.join(missing)}; each case needs id, request and expect")
        cases.append(case)
    if not cases:
        raise CliError(f"{path} holds no cases")
    return cases


@contextmanager
def site_stack(site: Path, phase: str) -> Iterator[Any]:
    """A local stack (its own ports, state and moto backend) serving ``site``."""
    from valine_local.stack import LocalConfig, LocalStack

    if not site.is_dir():
        raise CliError(f"{site} is not a folder; give your site's checkout (a git repository or a plain folder)")
    with tempfile.TemporaryDirectory(prefix="valine-eval-") as state:
        config = dataclasses.replace(LocalConfig.from_env({}), port=0, phase=phase, state_dir=Path(state),
                                     site=site.resolve(), name=f"eval-{int(time.time() * 1000) % 10**8}",
                                     extra_env={"FLAGS_MAX_AGE_SECONDS": "0"})
        stack = LocalStack(config).start()
        try:
            yield stack
        finally:
            stack.stop()


class Runner:
    """Plays one teammate per case against the stack and reads back what happened."""

    def __init__(self, stack: Any, timeout: float = 60.0) -> None:
        from valine.adapters.dynamodb import DynamoTaskStore
        from valine_local.discord_client import DiscordClient

        self.stack = stack
        self.client = DiscordClient(stack.url, health=stack.health(), signing_key=stack.signing_key)
        self.store = DynamoTaskStore(stack.dynamodb, stack.TABLE, retention_days=30)
        self.repo = stack.github.repo
        self.base = stack.config.base_branch
        self.timeout = timeout

    def run(self, case: dict[str, Any], n: int) -> CaseResult:
        from valine.core.task import TaskState
        from valine_local.discord_client import user_id

        user = f"eval-{n:03d}"  # one teammate per case: the per-person hourly limit never decides a case
        out = self.client.command("ux-update", user, ["admin"], {"request": str(case["request"])})
        if out.get("status") != 200 or out["response"].get("type") != 5:
            return self._result(case, Verdict(MISSED, "error", [f"the endpoint answered {out}"]), "", [])
        message = self.client.wait_settled(out["message_id"], 0, self.timeout)
        task = self._task(user_id(user))
        if task is None:
            return self._result(case, Verdict(MISSED, "error", ["no task was recorded"]), "", [])
        if task.state is TaskState.AWAITING_CONFIRMATION:
            return self._confirm(case, task, out["message_id"], user, len(message.get("edits", [])))
        said = " ".join(str(task.outcome or message.get("content") or "").split())
        if task.state is not TaskState.PROPOSED or task.asked is None:
            return self._result(case, Verdict(MISSED, "error", [f"the task is {task.state.value}: {said}"]), said, [])
        verdict = judge(case["expect"], ASKED.get(task.asked, "clarify"), {}, {})
        return self._result(case, verdict, said, [])

    def _confirm(self, case: dict[str, Any], task: Any, message_id: str, user: str, edits: int) -> CaseResult:
        from valine.core.task import TaskState

        said = task.summary or ""
        try:
            self.client.press(message_id, "confirm", user, ["admin"])
        except SystemExit as exc:
            # Discord's 3 s ran out before the endpoint's answer reached the emulator (the local stack
            # shares one process and two cores with everything else). The click may still have been
            # taken: the case is judged on the pull request it made, and the line says the answer was late.
            said = f"{said} (the Confirm's answer was late: {exc})"
        done = self._wait_state(task.task_id, lambda t: t.state.terminal)
        if done is None or done.state is not TaskState.COMPLETED or not done.branch:
            state = done.state.value if done else "unknown"
            why = f"Confirm ended {state}: {done.outcome if done else 'no answer'}"
            return self._result(case, Verdict(MISSED, "error", [why]), said, [])
        changed = [p for p in self.repo.git("diff", "--name-only", f"refs/heads/{self.base}",
                                            f"refs/heads/{done.branch}").splitlines() if p]
        before = {p: self._show(self.base, p) for p in changed}
        after = {p: self._show(done.branch, p) for p in changed}
        for path in case["expect"].get("files") or []:
            before.setdefault(path, self._show(self.base, path))
        verdict = judge(case["expect"], "edit", before, after)
        return self._result(case, verdict, said, changed)

    def _show(self, ref: str, path: str) -> str:
        return str(self.repo.git("show", f"refs/heads/{ref}:{path}", check=False) or "")

    def _task(self, requester_id: str) -> Any:
        recent = self.store.recent(requester_id=requester_id, limit=1)
        return recent[0] if recent else None

    def _wait_state(self, task_id: str, until: Any) -> Any:
        deadline = time.monotonic() + self.timeout
        task = self.store.get(task_id)
        while (task is None or not until(task)) and time.monotonic() < deadline:
            time.sleep(0.05)
            task = self.store.get(task_id)
        return task

    @staticmethod
    def _result(case: dict[str, Any], verdict: Verdict, said: str, files: list[str]) -> CaseResult:
        return CaseResult(str(case["id"]), str(case.get("class", "-")), str(case["request"]), verdict, said, files)


def evaluate(site: Path, cases: list[dict[str, Any]], *, phase: str = "4",
             progress: Any = None) -> list[CaseResult]:
    """Every case's verdict; ``progress(result)`` hears of each as it is judged."""
    with site_stack(site, phase) as stack:
        runner = Runner(stack)
        results = []
        for n, case in enumerate(cases):
            result = runner.run(case, n)
            results.append(result)
            if progress:
                progress(result)
        return results


def summary(results: list[CaseResult]) -> dict[str, Any]:
    by_class: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for r in results:
        by_class[r.klass][r.verdict.result] += 1
    total = collections.Counter(r.verdict.result for r in results)
    return {"cases": len(results), "right": total[RIGHT], "wrong": total[WRONG], "missed": total[MISSED],
            "right_share": round(total[RIGHT] / len(results), 3) if results else 0.0,
            "by_class": {k: {"right": v[RIGHT], "wrong": v[WRONG], "missed": v[MISSED]}
                         for k, v in sorted(by_class.items())}}


def line(r: CaseResult) -> str:
    mark = {RIGHT: "ok", WRONG: "WRONG", MISSED: "missed"}[r.verdict.result]
    text = f"{mark:6} {r.id:12} {r.klass:10} {r.verdict.outcome:8} {r.said[:100]}"
    if r.verdict.result != RIGHT:
        text += "".join(f"\n{'':8}- {why[:150]}" for why in r.verdict.why)
    return text


def table(s: dict[str, Any]) -> str:
    rows = ["| class | right | wrong | missed |", "|---|---|---|---|"]
    rows += [f"| {k} | {v['right']} | {v['wrong']} | {v['missed']} |" for k, v in s["by_class"].items()]
    rows.append(f"| **all** | **{s['right']}** of {s['cases']} ({s['right_share']:.0%}) | **{s['wrong']}** | "
                f"{s['missed']} |")
    return "\n".join(rows)


def cmd_eval_site(args: argparse.Namespace) -> int:
    site = Path(args.site).expanduser()
    cases = read_cases(Path(args.cases) if args.cases else site / "requests.jsonl")
    if args.only:
        cases = [c for c in cases if str(c["id"]).startswith(args.only)]
    out = sys.stdout
    # The functions' metric lines (EMF on stdout, as in Lambda) are not part of the report.
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        results = evaluate(site, cases, phase=args.phase,
                           progress=None if args.json else (lambda r: print(line(r), file=out, flush=True)))
    s = summary(results)
    if args.json:
        print(json.dumps({**s, "results": [{"id": r.id, "class": r.klass, "result": r.verdict.result,
                                            "outcome": r.verdict.outcome, "why": r.verdict.why, "said": r.said,
                                            "files": r.files} for r in results]}, indent=2))
    else:
        print()
        print(table(s))
    return 1 if s["wrong"] else 0


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("eval-site", help="a site's labelled requests through the real lifecycle, judged per class")
    p.add_argument("--site", required=True, help="the site's folder or git checkout")
    p.add_argument("--cases", help="JSON Lines of cases (default: SITE/requests.jsonl)")
    p.add_argument("--phase", default="4", help="the rollout phase to run (default 4: rules only)")
    p.add_argument("--only", help="only the cases whose id starts so")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(handler=cmd_eval_site)
