"""valine announce --stage S --phase N: the plan's "before each phase" message in the team channel.

It says which phase starts and who may use what, links the dashboard, reminds people how to give
feedback, and lists the known issues from rollout/known-issues.md ("All phases" and the phase's own).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

from valine_cli.aws_stage import REPO_ROOT, CliError, bot_token, local_health, stage_settings

KNOWN_ISSUES = REPO_ROOT / "rollout" / "known-issues.md"


def known_issues(phase: int, text: str) -> list[str]:
    out: list[str] = []
    section = ""
    for line in text.splitlines():
        heading = re.match(r"^##\s+(.+?)\s*$", line)
        if heading:
            section = heading.group(1).strip().lower()
        elif line.startswith("- ") and section in ("all phases", f"phase {phase}"):
            out.append(line[2:].strip())
    return out


def announcement(stage: str, phase_number: int, *, region: str, issues: list[str]) -> str:
    from valine.agents import AGENTS
    from valine.core.names import dashboard_url
    from valine.core.phases import PHASES

    phase = PHASES[phase_number]
    who = []
    for agent in AGENTS:
        roles = sorted(r.value for r in phase.roles_for(agent.name))
        who.append(f"/{agent.command}: {', '.join(roles) if roles else 'not yet'}")
    mode = "dry run: previews only, no pull requests" if phase.dry_run else "Confirm opens a draft pull request"
    llm = {"off": "off", "admins": "admins only (capped daily)", "opt_in": "on request"}[phase.llm.value]
    lines = [f"**Valine rollout, {stage}: phase {phase.number} — {phase.name} starts now.**",
             f"Who may ask: {'; '.join(who)}. Mode: {mode}. LLM parsing: {llm}.",
             f"Dashboard: {dashboard_url(stage, region)}",
             "Feedback: press **Helpful** or **Not helpful** on any finished request (a comment is welcome), or "
             "use `/feedback` any time. The team reads all of it; it decides the next phase.",
             "Known issues: " + ("none" if not issues else "\n" + "\n".join(f"- {i}" for i in issues))]
    return "\n".join(lines)


def cmd_announce(args: argparse.Namespace) -> int:
    from valine.adapters.discord_channel import DiscordChannelHttp
    from valine.core.phases import UnknownPhase, phase_from_text

    try:
        phase = phase_from_text(args.phase)
    except UnknownPhase as exc:
        raise CliError(str(exc)) from exc
    if not KNOWN_ISSUES.exists():
        raise CliError(f"{KNOWN_ISSUES.relative_to(REPO_ROOT)} is missing; it lists the known issues to announce")
    issues = known_issues(phase.number, KNOWN_ISSUES.read_text())
    text = announcement(args.stage, phase.number, region=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
                        issues=issues)
    configured = "" if args.stage == "local" else str(stage_settings(args.stage).get("status_channel_id") or "")
    channel = args.channel or configured
    fix = f"pass --channel or set stages.{args.stage}.status_channel_id in cdk.json"
    if args.dry_run:  # the message needs no channel, stack or token: it is what the PM reviews first
        print(text)
        where = f"would post in channel {channel}" if channel else f"no team channel: {fix}"
        print(f"(dry run: nothing posted; {where})", file=sys.stderr)
        return 0
    if not channel:
        raise CliError(f"no team channel: {fix}")
    if args.stage == "local":
        health = local_health()
        api, endpoint, secret_id = f"{health['discord_url']}/api/v10", health["aws_url"], health["bot_token_secret"]
    else:
        api, endpoint, secret_id = args.api_url.rstrip("/"), None, None
    problem = DiscordChannelHttp(api_url=api, bot_token=bot_token(args.stage, endpoint, secret_id)).post(channel, text)
    if problem:
        raise CliError(f"Discord did not take the announcement ({problem}); check the bot token and that the bot "
                       f"may post in channel {channel}")
    print(f"announced phase {phase.number} in channel {channel}")
    return 0


def add_parsers(sub: Any) -> None:
    a = sub.add_parser("announce", help="post the phase start to the team channel (dashboard, feedback, known issues)")
    a.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    a.add_argument("--phase", required=True)
    a.add_argument("--channel", help="the team channel id (default: stages.<stage>.status_channel_id)")
    a.add_argument("--api-url", default=os.environ.get("DISCORD_API_URL", "https://discord.com/api/v10"))
    a.add_argument("--dry-run", action="store_true", help="print the message, post nothing")
    a.set_defaults(handler=cmd_announce)
