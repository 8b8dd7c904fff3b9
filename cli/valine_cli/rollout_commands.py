"""Go/no-go: rollout check|status."""

from __future__ import annotations

import argparse
from typing import Any

from valine import names
from valine_cli import options
from valine_cli.aws_stage import REPO_ROOT, CliError, aws, stage_endpoint


def cmd_rollout(args: argparse.Namespace) -> int:
    import datetime as dt

    from infra import approvals
    from valine.adapters.feedback import DynamoFeedback
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
            who = rec.approver if rec else ("skipped (optional)" if approvals.skipped(records, args.stage, n) else "—")
            print(f"{n:<7}{phase.name:<34}{who:<26}"
                  f"{(rec.date.isoformat() if rec else '—'):<12}{rec.notes if rec else ''}")
        print(f"deployed phase: {_deployed_phase(args.stage, endpoint)}")
        from valine_cli.flag_commands import _flags, _shown

        shown = _shown(_flags(endpoint, table).read())
        print("flags: " + " ".join(f"{k}={str(v).lower()}" for k, v in shown.items()))
        return 0
    try:
        phase = phase_from_text(args.phase)
    except UnknownPhase as exc:
        raise CliError(str(exc)) from exc
    stage = "local" if args.stage == "local" else args.stage
    approval = approvals.next_approval(records, stage, phase) if stage == "prod" else None
    cloudwatch = CloudWatchReader(aws("cloudwatch", endpoint))
    now = dt.datetime.now(dt.UTC)
    window = args.hours or phase.criteria.observation_hours
    feedback = DynamoFeedback(aws("dynamodb", endpoint), table, retention_days=0).between(
        now.timestamp() - window * 3600, now.timestamp())
    results = evaluate(phase, stage=stage, reader=cloudwatch, alarms=cloudwatch, now=now,
                       approval_for_next=approval, hours=args.hours, feedback=feedback)
    print(f"Rollout check: stage {stage}, phase {phase.number} ({phase.name})")
    for r in results:
        print(f"  {r.verdict.value:<7}{r.criterion} — {r.measured}")
    manual = sum(r.verdict is Verdict.MANUAL for r in results)
    verdict = "GO" if go(results) else "NO-GO"
    print(f"{verdict}" + (f" (and confirm the {manual} MANUAL items above before proceeding)" if manual else ""))
    return 0 if verdict == "GO" else 1

def _deployed_phase(stage: str, endpoint: str | None) -> str:
    try:
        stacks = aws("cloudformation", endpoint).describe_stacks(StackName=names.stack_name(stage))["Stacks"]
    except Exception as exc:
        return f"unknown ({type(exc).__name__}: is valine-orchestrator-{stage} deployed?)"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    return outputs.get("Phase", "unknown (no Phase output)")


def add_parsers(sub: Any) -> None:
    ro = sub.add_parser("rollout", help="go/no-go checks and the sign-off table")
    rsub = ro.add_subparsers(dest="rollout_action", required=True)
    rc = rsub.add_parser("check", help="measure a phase's criteria from CloudWatch; exit 0 only for GO")
    options.stage(rc)
    rc.add_argument("--phase", required=True)
    rc.add_argument("--hours", type=int, help="observation window (default: the phase's, from the plan)")
    rs = rsub.add_parser("status", help="sign-off table, deployed phase and flags")
    options.stage(rs)
    ro.set_defaults(handler=cmd_rollout)
