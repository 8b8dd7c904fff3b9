"""The CLI's commands; each is ``cmd_<name>(args) -> exit code``."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from valine_cli.aws_stage import REPO_ROOT, CliError, local_health, operator, stage_endpoint, stage_settings
from valine_cli.aws_stage import aws as _aws

__all__ = ["CliError"]


def cmd_version(args: argparse.Namespace) -> int:
    from valine import __version__

    print(__version__)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from valine_cli.bench import main

    return main()


# ---- parse -------------------------------------------------------------------------------
def cmd_parse(args: argparse.Namespace) -> int:
    from valine.ux.catalog import default_catalog
    from valine.ux.intent import Clarify, Intent
    from valine.ux.parser import parse_request

    result = parse_request(args.request, default_catalog())
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    elif isinstance(result, Intent):
        print(f"section: {result.section}")
        for key, value in result.changes.items():
            print(f"  {key}: {value}")
    elif isinstance(result, Clarify):
        print(f"question: {result.question}")
    else:
        print(f"error: {result.message}")
    return 0 if isinstance(result, Intent) else 1


# ---- local -------------------------------------------------------------------------------
def cmd_local(args: argparse.Namespace) -> int:
    import logging

    from valine_cli.local.stack import LocalConfig, LocalStack

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        stack = LocalStack(LocalConfig.from_env()).start()
    except OSError as exc:
        raise CliError(f"could not start the local stack ({exc}); is port {LocalConfig.from_env().port} in use? "
                       "Set PORT=...") from exc
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    h = stack.health()
    dev_note = " (development key; valine discord signs with it)" if h["dev_signing_key"] else ""
    print(f"""Valine is running locally (stage {h['stage']}, rollout phase {h['phase']}: {h['phase_name']}).

  interactions endpoint  {stack.url}/discord   (health: {stack.url}/healthz)
  Discord API emulator   {h['discord_url']}
  GitHub API emulator    {h['github_url']}   repository {h['repository']} (git: {h['state_dir']}/site.git)
  AWS (moto server)      {h['aws_url']}   table {h['table']}
  LLM endpoint           {h['llm_url'] or 'none (phases 1-4 parse with rules)'}
  public key             {h['public_key']}{dev_note}

Try, in another terminal:
  .venv/bin/valine discord ux-update "make the navbar blue" --user alice --role admin
  .venv/bin/valine discord confirm --user alice --role admin
Ctrl-C stops everything.""", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


# ---- discord client ------------------------------------------------------------------------
def _client(args: argparse.Namespace) -> Any:
    import requests

    from valine_cli.discord_client import DiscordClient

    try:
        return DiscordClient(args.url)
    except requests.ConnectionError as exc:
        raise CliError(f"nothing answers at {args.url}; start the local stack with `make local` first") from exc


def _roles(args: argparse.Namespace) -> list[str]:
    return list(args.role or ["admin"])


def _latest_with(client: Any, action: str) -> str:
    for message in sorted(client.messages(), key=lambda m: m.get("created", 0), reverse=True):
        for row in message.get("components", []):
            for comp in row.get("components", []):
                if str(comp.get("custom_id", "")).split(":")[1:2] == [action]:
                    return str(message["id"])
    raise CliError(f"no message has a {action.title()} button; run `valine discord ux-update ...` first")


def _show(client: Any, out: dict[str, Any], timeout: float, edits_before: int = 0) -> int:
    from valine_cli.discord_client import render

    response = out.get("response", {})
    if out["status"] != 200:
        print(f"HTTP {out['status']}: {response}")
        return 1
    kind = response.get("type")
    if "modal" in out:
        print(f"[modal] {out['modal'].get('title')}")
        return 0
    message_id = out.get("message_id")
    data = response.get("data") or {}
    if kind == 4 and data.get("flags", 0) & 64:
        print(f"[only you can see this]\n{data.get('content')}")
        return 0
    if not message_id:
        print(json.dumps(response))
        return 0
    if kind in (5, 6) or (kind == 7 and (data.get("content", "").endswith("…"))):
        message = client.wait_settled(message_id, edits_before if kind != 5 else 0, timeout)
    else:
        message = client.message(message_id)
    print(render(message))
    return 0


def cmd_discord(args: argparse.Namespace) -> int:
    from valine_cli.discord_client import render

    client = _client(args)
    if args.action == "messages":
        for message in client.messages():
            print(render(message), end="\n\n")
        return 0
    roles = _roles(args)
    if args.action == "ux-update":
        options = {k: v for k, v in {"request": args.request, "section": args.section, "property": args.property,
                                     "value": args.value}.items() if v}
        if args.use_llm:
            options["use_llm"] = "true"
        return _show(client, client.command("ux-update", args.user, roles, options), args.timeout)
    if args.action in ("status", "agents", "tasks"):
        return _show(client, client.command(args.action, args.user, roles), args.timeout)
    if args.action in ("confirm", "cancel"):
        message_id = args.message or _latest_with(client, args.action)
        before = len(client.message(message_id).get("edits", []))
        return _show(client, client.press(message_id, args.action, args.user, roles), args.timeout, before + 1)
    if args.action == "edit":
        message_id = args.message or _latest_with(client, "edit")
        opened = client.press(message_id, "edit", args.user, roles)
        if "modal" not in opened:
            return _show(client, opened, args.timeout)
        before = len(client.message(message_id).get("edits", []))
        out = client.submit_edit(message_id, opened["modal"]["custom_id"], args.request, args.user, roles)
        return _show(client, {**out, "response": {"type": 6}}, args.timeout, before + 1) if out["status"] == 200 \
            and out["response"].get("type") == 7 else _show(client, out, args.timeout)
    raise CliError(f"unknown action {args.action}")


# ---- operator commands ---------------------------------------------------------------------
def cmd_register_commands(args: argparse.Namespace) -> int:
    import requests

    from valine.discord.commands import command_schema

    endpoint = None
    if args.stage == "local":
        health = local_health()
        app_id = args.application_id or health["application_id"]
        api = f"{health['discord_url']}/api/v10"
        endpoint = health["aws_url"]
    else:
        app_id = args.application_id or str(stage_settings(args.stage).get("discord_application_id", ""))
        api = args.api_url.rstrip("/")
        if not app_id or app_id.startswith("<"):
            raise CliError(f"no Discord application id for stage {args.stage}; set it in cdk.json or pass "
                           "--application-id")
    token = _bot_token(args.stage, endpoint, health["bot_token_secret"] if args.stage == "local" else None)
    headers = {"Authorization": f"Bot {token}", "User-Agent": "valine-cli"}
    here = f"{api}/applications/{app_id}" + (f"/guilds/{args.guild}" if args.guild else "")
    other = f"{api}/applications/{app_id}" if args.guild else None
    if other is not None:
        existing = requests.get(f"{other}/commands", headers=headers, timeout=10)
        if existing.ok and existing.json():
            raise CliError("commands are also registered globally; registering per guild too shows each one twice. "
                           "Register globally only, or remove the global ones first")
    else:
        guilds = stage_settings(args.stage).get("guild_ids") or []
        for guild in guilds if args.stage != "local" else health["guild_ids"]:
            existing = requests.get(f"{api}/applications/{app_id}/guilds/{guild}/commands", headers=headers,
                                    timeout=10)
            if existing.ok and existing.json():
                raise CliError(f"commands are registered in guild {guild}; registering globally too shows each one "
                               f"twice. Keep using --guild {guild}, or remove those first")
    response = requests.put(f"{here}/commands", json=command_schema(), headers=headers, timeout=10)
    if not response.ok:
        raise CliError(f"Discord refused the commands: HTTP {response.status_code} {response.text[:300]}")
    names = ", ".join("/" + c["name"] for c in response.json())
    print(f"registered {names} {'in guild ' + args.guild if args.guild else 'globally'} for application {app_id}")
    return 0


def _bot_token(stage: str, endpoint: str | None, secret_id: str | None = None) -> str:
    import os

    if os.environ.get("DISCORD_BOT_TOKEN"):
        return os.environ["DISCORD_BOT_TOKEN"]
    secret_id = secret_id or f"valine/{stage}/discord-bot-token"
    try:
        raw = _aws("secretsmanager", endpoint).get_secret_value(SecretId=secret_id)["SecretString"]
    except Exception as exc:
        raise CliError(f"could not read {secret_id} ({type(exc).__name__}); set DISCORD_BOT_TOKEN or fill the "
                       "secret (docs/runbook.md)") from exc
    value = json.loads(raw)
    if value.get("unset") or not value.get("bot_token"):
        raise CliError(f"{secret_id} is not filled yet: aws secretsmanager put-secret-value --secret-id {secret_id} "
                       "--secret-string '{\"bot_token\":\"...\"}'")
    return str(value["bot_token"])


def cmd_flags(args: argparse.Namespace) -> int:
    from valine.adapters.dynamodb import DynamoFlags
    from valine.ports import Flags

    endpoint, table = stage_endpoint(args)
    if args.op == "get":
        current = DynamoFlags(_aws("dynamodb", endpoint), table, defaults=Flags(False, False)).read()
        print(json.dumps({"stage": args.stage, "DISABLE_UX_UPDATES": current.disable_ux_updates,
                          "USE_LLM_PARSING": current.use_llm_parsing}))
        return 0
    changes = {k: v for k, v in {"disable_ux_updates": args.disable_ux, "use_llm_parsing": args.use_llm}.items()
               if v is not None}
    if not changes:
        raise CliError("nothing to set; pass --disable-ux true|false and/or --use-llm true|false")
    _set_flags(args.stage, endpoint, table, **changes)
    return 0


def _set_flags(stage: str, endpoint: str | None, table: str, **changes: bool) -> None:
    """Flip kill switches, print what changed and who changed it, and log the audit line."""
    from valine.adapters.dynamodb import DynamoFlags
    from valine.ports import Flags

    who = operator()
    before, after = DynamoFlags(_aws("dynamodb", endpoint), table, defaults=Flags(False, False)).set(
        changed_by=who, now=time.time(), **changes)
    for name, attr in (("DISABLE_UX_UPDATES", "disable_ux_updates"), ("USE_LLM_PARSING", "use_llm_parsing")):
        if getattr(before, attr) != getattr(after, attr):
            print(f"{stage}: {name} {str(getattr(before, attr)).lower()} -> "
                  f"{str(getattr(after, attr)).lower()} (by {who}; live within 60 s, no redeploy)")
        elif attr in changes:
            print(f"{stage}: {name} was already {str(getattr(after, attr)).lower()}")
    print(json.dumps({"event": "flags_changed", "stage": stage, "by": who,
                      "after": {"DISABLE_UX_UPDATES": after.disable_ux_updates,
                                "USE_LLM_PARSING": after.use_llm_parsing}}), file=sys.stderr)


# ---- LLM operations --------------------------------------------------------------------------
def cmd_costs(args: argparse.Namespace) -> int:
    from valine.adapters.dynamodb import DynamoBudget

    endpoint, table = stage_endpoint(args)
    day = time.strftime("%Y-%m-%d", time.gmtime())
    today = DynamoBudget(_aws("dynamodb", endpoint), table, stage=args.stage).today(day=day)
    pct = 100 * today["spent"] / args.cap if args.cap else 0.0
    print(f"{args.stage} {day}: spent ${today['spent']:.4f} of ${args.cap:.2f} ({pct:.1f}%), "
          f"{int(today['calls'])} LLM calls, ${max(0.0, today['committed'] - today['spent']):.4f} reserved in flight")
    return 0


def cmd_eval_llm(args: argparse.Namespace) -> int:
    import os

    from valine.adapters.openai_llm import OpenAiChat
    from valine.llm import MAX_OUTPUT_TOKENS, LlmParser, Prices
    from valine.tasks.model import Task, TaskState
    from valine.ux.catalog import default_catalog
    from valine.ux.intent import Clarify, Intent

    llm = stage_settings("dev").get("llm", {})
    prices = Prices(float(llm.get("input_usd_per_million", 0.15)), float(llm.get("output_usd_per_million", 0.60)))
    model = args.model or str(llm.get("model", "gpt-4o-mini"))
    try:
        cases = [json.loads(line) for line in Path(args.cases).read_text().splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read {args.cases}: {exc}") from exc
    emulator = None
    base_url, api_key = args.base_url, os.environ.get("OPENAI_API_KEY", "")
    if args.emulator:
        from valine_cli.local.openai_emulator import OpenAiEmulator

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
    client = OpenAiChat(api_key=api_key, model=model, timeout_seconds=float(llm.get("timeout_seconds", 8)),
                        max_retries=1, base_url=base_url)
    parser = LlmParser(client=client, budget=Unlimited(), prices=prices, daily_cap_usd=1e9, stage="eval",
                       model=model, metrics=tally, clock=time.time,
                       fallback=lambda text, catalog: Clarify("(no fallback in evaluation)", parser="none"))
    catalog = default_catalog()
    correct, rows = 0, []
    try:
        for i, case in enumerate(cases):
            now = time.time()
            task = Task(task_id=f"eval-{i}", requester_id="0", requester_name="eval", requester_roles=("admin",),
                        guild_id="", channel_id="", request=case["request"], state=TaskState.PROPOSED,
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


# ---- rollout -------------------------------------------------------------------------------
def cmd_rollout(args: argparse.Namespace) -> int:
    import datetime as dt

    from infra import approvals
    from valine.ops.cloudwatch import CloudWatchReader
    from valine.ops.criteria import Verdict, evaluate, go
    from valine.rollout import PHASES, UnknownPhase, phase_from_text

    endpoint, table = stage_endpoint(args)
    records = approvals.load(REPO_ROOT / approvals.DEFAULT_PATH)
    if args.rollout_action == "status":
        print(f"Sign-off table ({approvals.DEFAULT_PATH}), stage {args.stage}:")
        print(f"{'phase':<7}{'name':<34}{'approver':<26}{'date':<12}notes")
        for n, phase in PHASES.items():
            rec = approvals.find(records, args.stage, n)
            print(f"{n:<7}{phase.name:<34}{(rec.approver if rec else '—'):<26}"
                  f"{(rec.date.isoformat() if rec else '—'):<12}{rec.notes if rec else ''}")
        print(f"deployed phase: {_deployed_phase(args.stage, endpoint)}")
        from valine.adapters.dynamodb import DynamoFlags
        from valine.ports import Flags

        flags = DynamoFlags(_aws("dynamodb", endpoint), table, defaults=Flags(False, False)).read()
        print(f"flags: DISABLE_UX_UPDATES={str(flags.disable_ux_updates).lower()} "
              f"USE_LLM_PARSING={str(flags.use_llm_parsing).lower()}")
        return 0
    try:
        phase = phase_from_text(args.phase)
    except UnknownPhase as exc:
        raise CliError(str(exc)) from exc
    stage = "local" if args.stage == "local" else args.stage
    nxt = phase.number + 1
    approval = (approvals.find(records, stage, nxt) is not None) if stage == "prod" and nxt in PHASES else None
    results = evaluate(phase, stage=stage, reader=CloudWatchReader(_aws("cloudwatch", endpoint)),
                       now=dt.datetime.now(dt.UTC), approval_for_next=approval, hours=args.hours)
    print(f"Rollout check: stage {stage}, phase {phase.number} ({phase.name})")
    for r in results:
        print(f"  {r.verdict.value:<7}{r.criterion} — {r.measured}")
    manual = sum(r.verdict is Verdict.MANUAL for r in results)
    verdict = "GO" if go(results) else "NO-GO"
    print(f"{verdict}" + (f" (and confirm the {manual} MANUAL items above before proceeding)" if manual else ""))
    return 0 if verdict == "GO" else 1


def _deployed_phase(stage: str, endpoint: str | None) -> str:
    try:
        stacks = _aws("cloudformation", endpoint).describe_stacks(StackName=f"valine-orchestrator-{stage}")["Stacks"]
    except Exception as exc:
        return f"unknown ({type(exc).__name__}: is valine-orchestrator-{stage} deployed?)"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    return outputs.get("Phase", "unknown (no Phase output)")


def cmd_rollback(args: argparse.Namespace) -> int:
    if args.to_phase:
        from valine.rollout import UnknownPhase, phase_from_text

        try:
            phase = phase_from_text(args.to_phase)
        except UnknownPhase as exc:
            raise CliError(str(exc)) from exc
        if args.stage == "local":
            raise CliError("the local stack takes its phase from PHASE; restart it with PHASE=N make local")
        command = ["npx", "cdk", "deploy", "--no-notices", "-c", f"phase={phase.number}", "-c", f"stage={args.stage}",
                   "--require-approval", "never"]
        print(f"{args.stage}: redeploying rollout phase {phase.number} ({phase.name}); CodeDeploy shifts the live "
              f"aliases to it.\n  {' '.join(command)}")
        if args.dry_run:
            return 0
        return subprocess.run(command, cwd=REPO_ROOT).returncode
    endpoint, table = stage_endpoint(args)
    change = {"use_llm_parsing": False} if args.disable_llm else {"disable_ux_updates": True}
    name = "USE_LLM_PARSING=false" if args.disable_llm else "DISABLE_UX_UPDATES=true"
    print(f"{args.stage}: setting {name} in {table} (live within 60 s, no redeploy)")
    if args.dry_run:
        return 0
    _set_flags(args.stage, endpoint, table, **change)
    return 0
