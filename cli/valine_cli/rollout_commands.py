"""Go/no-go: rollout check|status|metrics."""

from __future__ import annotations

import argparse
from typing import Any

from valine_cli import options
from valine_cli.aws_stage import REPO_ROOT, CliError, aws, deployed_phase_text, stage_endpoint


def cmd_rollout(args: argparse.Namespace) -> int:

    from infra import approvals
    from valine.adapters.feedback import DynamoFeedback
    from valine.core.phases import PHASES
    from valine.ops.criteria import Verdict, evaluate, go

    if args.rollout_action == "criteria":
        from valine.ops.criteria import criteria_table

        print(criteria_table())
        return 0
    endpoint, table = stage_endpoint(args)
    records = approvals.load(REPO_ROOT / approvals.DEFAULT_PATH)
    if args.rollout_action == "metrics":
        return overall_metrics(args, endpoint, table)
    if args.rollout_action == "report":
        return phase_report(args, endpoint, table, records)
    if args.rollout_action == "status":
        print(f"Sign-off table ({approvals.DEFAULT_PATH}), stage {args.stage}:")
        print(f"{'phase':<7}{'name':<34}{'approver':<26}{'date':<12}notes")
        for n, phase in PHASES.items():
            rec = approvals.find(records, args.stage, n)
            who = rec.approver if rec else ("skipped (optional)" if approvals.skipped(records, args.stage, n) else "—")
            print(f"{n:<7}{phase.name:<34}{who:<26}"
                  f"{(rec.date.isoformat() if rec else '—'):<12}{rec.notes if rec else ''}")
        print(f"deployed phase: {deployed_phase_text(args.stage, endpoint)}")
        from valine_cli.flag_commands import _flags, _shown, deployed_phase

        shown = _shown(_flags(endpoint, table, deployed_phase(args.stage, endpoint)[0]).read())
        print("flags: " + " ".join(f"{k}={str(v).lower()}" for k, v in shown.items()))
        return 0
    phase, now, window = judged(args)
    needs_adoption = phase.criteria.min_adoption_pct is not None or phase.criteria.min_weekly_active is not None
    inputs, bad = evidence_inputs(args, endpoint, table, phase, records, now, hours=window,
                                  with_adoption=needs_adoption)
    stage = inputs["stage"]
    feedback = DynamoFeedback(aws("dynamodb", endpoint), table, retention_days=0).between(
        now.timestamp() - window * 3600, now.timestamp())
    results = evaluate(phase, now=now, hours=args.hours, feedback=feedback, **inputs)
    print(f"Rollout check: stage {stage}, phase {phase.number} ({phase.name})")
    for r in results:
        print(f"  {r.verdict.value:<8}{r.criterion} — {r.measured}")
    for key, why in ([] if isinstance(bad, str) else bad[:10]):
        print(f"    corrupt: {key}: {why}")
    manual = sum(r.verdict is Verdict.MANUAL for r in results)
    verdict = "GO" if go(results) else "NO-GO"
    print(f"{verdict}" + (f" (and confirm the {manual} MANUAL items above before proceeding)" if manual else ""))
    if args.record:
        print(f"recorded {record_verdict(stage, phase, results, verdict, now)}")
    return 0 if verdict == "GO" else 1


def judged(args: argparse.Namespace) -> tuple[Any, Any, int]:
    """The phase `--phase` names, the moment it is judged at, and the hours judged (`--hours`, else
    the phase's own observation window)."""
    import datetime as dt

    from valine.core.phases import UnknownPhase, phase_from_text

    try:
        phase = phase_from_text(args.phase)
    except UnknownPhase as exc:
        raise CliError(str(exc)) from exc
    return phase, dt.datetime.now(dt.UTC), args.hours or phase.criteria.observation_hours


def evidence_inputs(args: argparse.Namespace, endpoint: str | None, table: str, phase: Any, records: Any, now: Any,
                    *, hours: int, with_adoption: bool) -> tuple[dict[str, Any], list[tuple[str, str]] | str]:
    """What `rollout check` and `rollout report` both judge, read once: CloudWatch (metrics and alarm
    history), the next phase's approval (prod), adoption, when the phase ran, the corruption scan and
    the earlier phase's baseline. Returns evaluate()'s keyword arguments and the corrupt items found."""
    from infra import approvals
    from valine.adapters.cloudwatch import CloudWatchReader

    stage = "local" if args.stage == "local" else args.stage
    cloudwatch = CloudWatchReader(aws("cloudwatch", endpoint))
    bad = corrupt_tasks(endpoint, table, now.timestamp())
    inputs = {
        "stage": stage, "reader": cloudwatch, "alarms": cloudwatch,
        "approval_for_next": approvals.next_approval(records, stage, phase) if stage == "prod" else None,
        "adoption": measure_adoption(args.stage, endpoint, table, phase, now.timestamp(), hours)
        if with_adoption else None,
        "ran": phase_ran(endpoint, table, phase.number), "require_ran": True,
        "corrupt": bad if isinstance(bad, str) else len(bad),
        "baseline": baseline(cloudwatch, endpoint, table, stage, phase, now),
    }
    return inputs, bad


def baseline(reader: Any, endpoint: str | None, table: str, stage: str, phase: Any, now: Any) -> Any:
    """The earlier phase's own run, measured: what "no degradation" and "no increase" compare with."""
    from valine.ops.criteria import baseline_of

    earlier = phase.criteria.no_slower_than_phase or phase.criteria.no_more_errors_than_phase
    return None if earlier is None else baseline_of(reader, stage, phase_ran(endpoint, table, earlier), now)


def phase_ran(endpoint: str | None, table: str, phase: int) -> Any:
    """When the phase ran on the stage (recorded by the worker), or None."""
    from valine.adapters.phase_record import DynamoPhaseRecord
    from valine.ops.criteria import PhaseWindow

    found = DynamoPhaseRecord(aws("dynamodb", endpoint), table).ran(phase)
    return None if found is None else PhaseWindow(*found)


def corrupt_tasks(endpoint: str | None, table: str, now: float) -> list[tuple[str, str]] | str:
    """The task items of the audit retention that do not parse or break an invariant (or why unread)."""
    from valine.adapters.dynamodb import DynamoTaskStore, task_from_item
    from valine.ops.integrity import problems

    try:
        items = DynamoTaskStore(aws("dynamodb", endpoint), table, retention_days=90).items_between(now - 90 * 86400,
                                                                                                   now)
    except Exception as exc:  # noqa: BLE001 - said in the criterion's line
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    return problems(items, task_from_item)


def record_verdict(stage: str, phase: Any, results: list[Any], verdict: str, now: Any) -> str:
    """The computed verdict as evidence for the next phase's deploy (infra/approvals.py reads it)."""
    import json

    from infra import approvals

    path = REPO_ROOT / approvals.evidence_path(stage, phase.number)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "stage": stage, "phase": phase.number, "verdict": verdict, "checked_at": now.isoformat(timespec="seconds"),
        "results": [{"verdict": r.verdict.value, "criterion": r.criterion, "measured": r.measured} for r in results],
    }, indent=2, ensure_ascii=False) + "\n")
    return f"{path.relative_to(REPO_ROOT)}: phase {phase.number} {verdict} (commit it with the next approval)"

def stage_view(stage: str) -> tuple[Any, dict[str, Any]]:
    """(Settings with the stage's guilds, roles and Discord API, the stage's cdk.json settings)."""
    from valine.settings import Settings
    from valine_cli.aws_stage import local_health, stage_settings

    if stage == "local":
        health = local_health()
        env = {"DISCORD_GUILD_IDS": ",".join(health["guild_ids"]),
               "ADMIN_ROLE_IDS": ",".join(health["role_ids"]["admin"]),
               "PM_ROLE_IDS": ",".join(health["role_ids"]["pm"]),
               "DEVELOPER_ROLE_IDS": ",".join(health["role_ids"]["developer"]),
               "DISCORD_API_URL": f"{health['discord_url']}/api/v10"}
        return Settings.from_env(env), stage_settings("dev")
    cfg = stage_settings(stage)
    roles = cfg.get("role_ids") or {}
    env = {"DISCORD_GUILD_IDS": ",".join(cfg.get("guild_ids") or []),
           **{f"{r.upper()}_ROLE_IDS": ",".join(roles.get(r) or []) for r in ("admin", "pm", "developer")}}
    return Settings.from_env(env), cfg


def measure_adoption(stage: str, endpoint: str | None, table: str, phase: Any, now: float, window_hours: float) -> Any:
    """Distinct requesters from the tasks table; eligible users from Discord, else cdk.json."""
    from valine.adapters.dynamodb import DynamoTaskStore
    from valine.ops.adoption import measure
    from valine.wiring import eligible_users
    from valine_cli.aws_stage import bot_token, local_health

    settings, cfg = stage_view(stage)
    secret_id = local_health()["bot_token_secret"] if stage == "local" else None
    try:
        token: str | None = bot_token(stage, endpoint, secret_id)
    except CliError:
        token = None
    eligible, why = eligible_users(settings, phase, configured=cfg.get("eligible_users"), bot_token=token)
    store = DynamoTaskStore(aws("dynamodb", endpoint), table, retention_days=90)
    tasks = store.created_between(now - max(window_hours * 3600, 30 * 86400), now)
    return measure(tasks, now=now, window_hours=window_hours, eligible=eligible, why_no_eligible=why)


def overall_metrics(args: argparse.Namespace, endpoint: str | None, table: str) -> int:
    """The plan's overall success metrics over the last N days, each PASS or FAIL."""
    import datetime as dt

    from valine.adapters.cloudwatch import CloudWatchReader
    from valine.core.phases import PHASES, phase_from_text
    from valine.metrics import NAMESPACE

    stage = "local" if args.stage == "local" else args.stage
    if args.phase:
        phase = phase_from_text(args.phase)
    else:
        from valine_cli.aws_stage import local_health

        deployed = str(local_health()["phase"]) if args.stage == "local" else deployed_phase_text(args.stage, endpoint)
        phase = PHASES[int(deployed)] if deployed.isdigit() else PHASES[6]
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=args.days)
    reader = CloudWatchReader(aws("cloudwatch", endpoint))

    def total(name: str) -> float:
        return float(sum(reader.stat(NAMESPACE, name, {"Stage": stage}, "Sum", start, now)))

    adoption = measure_adoption(args.stage, endpoint, table, phase, now.timestamp(), args.days * 24)
    rows: list[tuple[bool | None, str, str]] = []
    pct = adoption.pct(adoption.unique_30d)
    rows.append((None if pct is None else pct >= 50.0, f"adoption: >= 50% of eligible users within {args.days} days",
                 f"{adoption.unique_30d} requesters" + (f" of {adoption.eligible.count} eligible ({pct:.0f}%); "
                                                        f"eligible: {adoption.eligible.source}"
                                                        if pct is not None and adoption.eligible else
                                                        f"; eligible unknown ({adoption.why_no_eligible})")))
    previews, confirms = total("Previews"), total("Confirmations")
    rows.append((confirms / previews >= 0.8 if previews else None, "effectiveness: >= 80% of previews confirmed",
                 f"{confirms:.0f} of {previews:.0f}" + (f" ({100 * confirms / previews:.0f}%)" if previews else "")))
    # A pull request closed and reopened later was no rejection.
    merged = total("PullRequestsMerged")
    rejected = max(0.0, total("PullRequestsRejected") - total("PullRequestsReopened"))
    closed = merged + rejected
    rows.append((rejected / closed < 0.05 if closed else None, "quality: < 5% of pull requests rejected",
                 f"{rejected:.0f} rejected, {merged:.0f} merged" + (f" ({100 * rejected / closed:.1f}%)"
                                                                    if closed else "") +
                 " (GitHub's webhook; the plan also asks for a manual review of sample PRs)"))
    p95 = max(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "p95", start, now), default=None)
    rows.append((None if p95 is None else p95 < 5000, "performance: P95 < 5 s (request to preview)",
                 "no previews" if p95 is None else f"{p95:.0f} ms"))
    print(f"Overall success metrics: stage {stage}, last {args.days} days (phase {phase.number} eligibility)")
    for ok, label, measured in rows:
        verdict = "NO DATA" if ok is None else ("PASS" if ok else "FAIL")
        print(f"  {verdict:<8}{label} — {measured}")
    return 0 if all(ok for ok, _, _ in rows) else 1


def phase_report(args: argparse.Namespace, endpoint: str | None, table: str, records: Any) -> int:
    """The phase summary (Markdown) that the PM approval request attaches."""
    from pathlib import Path

    from infra import approvals
    from valine.adapters.feedback import DynamoFeedback
    from valine.core.phases import PHASES
    from valine.ops.criteria import go
    from valine.ops.report import gather, phase_markdown

    phase, now, hours = judged(args)
    inputs, _ = evidence_inputs(args, endpoint, table, phase, records, now, hours=hours, with_adoption=True)
    stage = inputs["stage"]
    feedback = DynamoFeedback(aws("dynamodb", endpoint), table, retention_days=0)
    evidence = gather(phase, now=now, hours=hours, feedback=feedback.between, **inputs)
    nxt = PHASES.get(phase.number + 1)
    hint = (f"When the PM approves phase {nxt.number} ({nxt.name}), add their record to "
            f"`{approvals.DEFAULT_PATH}` in a reviewed commit (docs/rollout.md#pm-approvals):\n\n"
            f"```toml\n[[approval]]\nstage = \"{stage}\"\nphase = {nxt.number}\napprover = \"<name> (PM)\"\n"
            f"date = {now:%Y-%m-%d}\nnotes = \"<what was reviewed>\"\n"
            f"lessons = \"<the lessons learned above>\"\n```\n\n"
            f"A prod deploy of phase {nxt.number} also needs this phase's GO on record: "
            f"`valine rollout check --stage {stage} --phase {phase.number} --record`."
            if nxt else "Phase 6 is the last phase: the report closes the rollout (lessons learned).")
    text = phase_markdown(evidence, approver_hint=hint)
    verdict = "GO" if go(evidence.results) else "NO-GO"  # computed from the results, never read from the text
    if args.out:
        Path(args.out).write_text(text)
        print(f"wrote {args.out}: phase {phase.number} summary, {verdict}")
    else:
        print(text)
    return 0


def add_parsers(sub: Any) -> None:
    ro = sub.add_parser("rollout", help="go/no-go checks and the sign-off table")
    rsub = ro.add_subparsers(dest="rollout_action", required=True)
    rc = rsub.add_parser("check", help="measure a phase's criteria from CloudWatch; exit 0 only for GO")
    options.stage(rc)
    rc.add_argument("--phase", required=True)
    rc.add_argument("--hours", type=int, help="observation window (default: the phase's, from the plan; it never "
                                              "starts before the phase did)")
    rc.add_argument("--record", action="store_true",
                    help="write the computed verdict to rollout/evidence/<stage>-phase-<n>.json: a prod deploy of "
                         "the next phase needs this phase's GO there")
    rs = rsub.add_parser("status", help="sign-off table, deployed phase and flags")
    options.stage(rs)
    rp = rsub.add_parser("report", help="the phase summary (Markdown) for the PM approval request")
    options.stage(rp)
    rp.add_argument("--phase", required=True)
    rp.add_argument("--hours", type=int, help="window (default: the phase's observation window)")
    rp.add_argument("--out", help="write the Markdown to this file (default: print it)")
    rsub.add_parser("criteria", help="every go/no-go criterion: what it reads, the evidence it needs, its phases "
                                     "(the table in docs/rollout.md)")
    rm = rsub.add_parser("metrics", help="the plan's overall success metrics, each PASS or FAIL")
    options.stage(rm)
    rm.add_argument("--days", type=int, default=30, help="window (default %(default)s, as the plan)")
    rm.add_argument("--phase", help="whose roles count as eligible (default: the deployed phase)")
    ro.set_defaults(handler=cmd_rollout)
