"""Kill switches and rollbacks: flags get|set, rollback."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any

from valine_cli import options
from valine_cli.aws_stage import REPO_ROOT, CliError, aws, operator, stage_endpoint


def deployed_phase(stage: str, endpoint: str | None) -> tuple[Any, str]:
    """(the stage's deployed PhaseConfig or None, where that was read or why not)."""
    from valine.core.phases import PHASES

    if stage == "local":
        from valine_cli.aws_stage import local_health

        return PHASES[int(local_health()["phase"])], "the local stack"
    from valine_cli.aws_stage import deployed_phase_text

    found = deployed_phase_text(stage, endpoint)
    return (PHASES[int(found)], "the stack's Phase output") if found.isdigit() and int(found) in PHASES else (
        None, found)


def _flags(endpoint: str | None, table: str, phase: Any = None) -> Any:
    """The flags as the functions read them: the table's values over the deployed phase's defaults
    (USE_LLM_PARSING defaults to true in the phases that use the LLM, as the functions' environment)."""
    from valine.adapters.dynamodb import DynamoFlags
    from valine.agents import KILL_SWITCHES
    from valine.core.ports import Flags

    defaults = Flags(use_llm_parsing=bool(phase is not None and phase.llm_enabled))
    return DynamoFlags(aws("dynamodb", endpoint), table, defaults=defaults, kill_switches=KILL_SWITCHES)


def _shown(flags: Any) -> dict[str, bool]:
    from valine.agents import KILL_SWITCHES

    return {**{k: flags.paused(k) for k in KILL_SWITCHES}, "USE_LLM_PARSING": flags.use_llm_parsing}


def _sources(endpoint: str | None, table: str, phase: Any, where: str) -> dict[str, str]:
    """Why each flag has its value: set in the table (by whom, when), or the deployed phase's default."""
    item = aws("dynamodb", endpoint).get_item(TableName=table, Key={"pk": {"S": "FLAGS"},
                                                                   "sk": {"S": "CURRENT"}}).get("Item") or {}
    by = f" by {item['updated_by']['S']} at {item['updated_at']['S']}" if "updated_by" in item else ""
    out = {}
    for name in _shown(_flags(endpoint, table, phase).read()):
        if name.lower() in item:
            out[name] = f"set in the table{by}"
        elif name == "USE_LLM_PARSING":
            out[name] = (f"default for phase {phase.number} ({where})" if phase is not None else
                         f"default false; the deployed phase is unknown ({where}), and phases 5-6 default to true")
        else:
            out[name] = "default (not paused)"
    if phase is not None and not phase.llm_enabled and "use_llm_parsing" in item and item["use_llm_parsing"].get(
            "BOOL"):
        out["USE_LLM_PARSING"] += f"; phase {phase.number} never uses the LLM whatever this says"
    return out


def cmd_flags(args: argparse.Namespace) -> int:
    from valine.agents import AGENTS

    endpoint, table = stage_endpoint(args)
    phase, where = deployed_phase(args.stage, endpoint)
    if args.op == "get":
        shown = _shown(_flags(endpoint, table, phase).read())
        print(json.dumps({"stage": args.stage, "phase": phase.number if phase else None, **shown,
                          "sources": _sources(endpoint, table, phase, where)}))
        return 0
    changes = {a.kill_switch.lower(): getattr(args, f"disable_{a.name}") for a in AGENTS}
    changes["use_llm_parsing"] = args.use_llm
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        names = " ".join(f"--disable-{a.name} true|false" for a in AGENTS)
        raise CliError(f"nothing to set; pass {names} and/or --use-llm true|false")
    _set_flags(args.stage, endpoint, table, phase, **changes)
    return 0


def _set_flags(stage: str, endpoint: str | None, table: str, phase: Any, **changes: bool) -> list[str]:
    """Flip kill switches, print what changed and who changed it, and log the audit line. Returns
    the changes, each as "NAME before -> after"."""
    who = operator()
    before, after = _flags(endpoint, table, phase).set(changed_by=who, now=time.time(), **changes)
    was, now = _shown(before), _shown(after)
    changed = []
    for name in now:
        if was[name] != now[name]:
            changed.append(f"{name} {str(was[name]).lower()} -> {str(now[name]).lower()}")
            print(f"{stage}: {changed[-1]} (by {who}; live within 60 s, no redeploy)")
        elif name.lower() in changes:
            print(f"{stage}: {name} was already {str(now[name]).lower()}; nothing changed")
    print(json.dumps({"event": "flags_changed", "stage": stage, "by": who, "after": now}), file=sys.stderr)
    return changed


def cmd_rollback(args: argparse.Namespace) -> int:
    if args.to_phase:
        from valine.core.phases import UnknownPhase, phase_from_text

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
    from valine.agents import AGENTS

    endpoint, table = stage_endpoint(args)
    if args.disable_llm:
        change, name = {"use_llm_parsing": False}, "USE_LLM_PARSING=false"
    else:
        (agent,) = [a for a in AGENTS if getattr(args, f"disable_{a.name}")]
        change, name = {agent.kill_switch.lower(): True}, f"{agent.kill_switch}=true"
    phase, _ = deployed_phase(args.stage, endpoint)
    current = _shown(_flags(endpoint, table, phase).read())
    key = name.split("=")[0]
    print(f"{args.stage}: setting {name} in {table} (now {str(current[key]).lower()}; live within 60 s, "
          "no redeploy)")
    if args.dry_run:
        print(f"{args.stage}: dry run, nothing changed")
        return 0
    changed = _set_flags(args.stage, endpoint, table, phase, **change)
    print(f"{args.stage}: rollback changed " + ("; ".join(changed) if changed else "nothing (it was already so)"))
    return 0


def _bool(text: str) -> bool:
    if text.lower() in ("true", "1", "yes", "on"):
        return True
    if text.lower() in ("false", "0", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"{text!r} is not true or false")


def add_parsers(sub: Any) -> None:
    from valine.agents import AGENTS

    f = sub.add_parser("flags", help="read or flip the kill switches on the live alias (no redeploy)")
    f.add_argument("op", choices=["get", "set"])
    options.stage(f)
    for agent in AGENTS:
        f.add_argument(f"--disable-{agent.name}", type=_bool, metavar="true|false", dest=f"disable_{agent.name}",
                       help=f"{agent.kill_switch}: pause /{agent.command}")
    f.add_argument("--use-llm", type=_bool, metavar="true|false", help="USE_LLM_PARSING")
    f.set_defaults(handler=cmd_flags)

    rb = sub.add_parser("rollback", help="the plan's quick rollbacks: kill switches or an earlier phase")
    options.stage(rb)
    how = rb.add_mutually_exclusive_group(required=True)
    how.add_argument("--disable-llm", action="store_true", help="USE_LLM_PARSING=false (no redeploy)")
    for agent in AGENTS:
        how.add_argument(f"--disable-{agent.name}", action="store_true", dest=f"disable_{agent.name}",
                         help=f"{agent.kill_switch}=true (no redeploy)")
    how.add_argument("--to-phase", help="redeploy an earlier phase with the pinned CDK CLI")
    rb.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    rb.set_defaults(handler=cmd_rollback)
