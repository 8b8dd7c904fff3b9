"""valine: operator and local-development commands.

  valine local                         run the whole bot on 127.0.0.1:${PORT:-8787}
  valine discord ux-update "..."       send a signed /ux-update to the local endpoint
  valine discord confirm               press Confirm on the latest preview
  valine parse "..." [--json]          show how a request is understood
  valine register-commands --stage S   register the slash commands
  valine flags get|set --stage S       kill switches (DISABLE_UX_UPDATES, USE_LLM_PARSING)
  valine smoke --stage S               phase-1 verification of a deployed stage
  valine oncall test --stage S         paging drill: does an alarm reach on-call?
  valine recover --stage S --phase N   after a deleted stack: adopt the retained data (cdk import)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from valine.rollout import PHASES
from valine_cli import oncall, recover, smoke

DEFAULT_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8787')}"


def _bool(text: str) -> bool:
    if text.lower() in ("true", "1", "yes", "on"):
        return True
    if text.lower() in ("false", "0", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"{text!r} is not true or false")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="valine", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the version")
    sub.add_parser("bench", help="measure cold start, warm latency, preview/PR time, asset sizes (.bench/)")
    sub.add_parser("local", help="run the whole bot locally (moto, Discord and GitHub emulators, worker)")

    p = sub.add_parser("parse", help="print how a request is understood (no LLM)")
    p.add_argument("request")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")

    d = sub.add_parser("discord", help="play a Discord client against `valine local`")
    d.add_argument("--url", default=DEFAULT_URL, help="the local endpoint (default %(default)s)")
    dsub = d.add_subparsers(dest="action", required=True)

    def who(p: argparse.ArgumentParser) -> None:
        p.add_argument("--user", default="alice", help="user name (default alice)")
        p.add_argument("--role", action="append", default=None,
                       help="admin, pm, developer or member; repeat for several (default admin)")
        p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the worker")

    u = dsub.add_parser("ux-update", help="send /ux-update and show the preview")
    u.add_argument("request", nargs="?", default="")
    u.add_argument("--section")
    u.add_argument("--property")
    u.add_argument("--value")
    u.add_argument("--use-llm", action="store_true")
    who(u)
    for action in ("confirm", "cancel"):
        b = dsub.add_parser(action, help=f"press {action.title()} on a message (default: the latest preview)")
        b.add_argument("--message", help="message id (see `valine discord messages`)")
        who(b)
    e = dsub.add_parser("edit", help="press Edit and submit a new request in the modal")
    e.add_argument("request")
    e.add_argument("--message")
    who(e)
    for name in ("status", "agents", "tasks"):
        who(dsub.add_parser(name, help=f"send /{name}"))
    dsub.add_parser("messages", help="list the messages in the emulated channel")

    r = sub.add_parser("register-commands", help="register the slash commands (bulk overwrite)")
    r.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    r.add_argument("--guild", help="register in one guild (instant) instead of globally")
    r.add_argument("--api-url", default=os.environ.get("DISCORD_API_URL", "https://discord.com/api/v10"))
    r.add_argument("--application-id", help="default: from cdk.json for the stage")

    c = sub.add_parser("costs", help="today's LLM spend against the daily cap")
    c.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    c.add_argument("--cap", type=float, default=PHASES[5].llm_daily_cap_usd,
                   help="the daily cap in USD (default: the phase table's, %(default)s)")
    c.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"))

    ev = sub.add_parser("eval-llm", help="run labelled requests through the LLM parser; report accuracy and cost")
    ev.add_argument("--cases", required=True, help="JSON lines: {request, expect: {section, changes} | {clarify}}")
    ev.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL"),
                    help="OpenAI-compatible endpoint (default: OpenAI; env OPENAI_BASE_URL)")
    ev.add_argument("--model", default=None, help="default: cdk.json dev llm.model")
    ev.add_argument("--emulator", action="store_true",
                    help="use the local OpenAI-compatible emulator (checks the harness offline, not a model)")

    ro = sub.add_parser("rollout", help="go/no-go checks and the sign-off table")
    rsub = ro.add_subparsers(dest="rollout_action", required=True)
    rc = rsub.add_parser("check", help="measure a phase's criteria from CloudWatch; exit 0 only for GO")
    rc.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    rc.add_argument("--phase", required=True)
    rc.add_argument("--hours", type=int, help="observation window (default: the phase's, from the plan)")
    rc.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"))
    rs = rsub.add_parser("status", help="sign-off table, deployed phase and flags")
    rs.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    rs.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"))

    rb = sub.add_parser("rollback", help="the plan's quick rollbacks: kill switches or an earlier phase")
    rb.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    how = rb.add_mutually_exclusive_group(required=True)
    how.add_argument("--disable-llm", action="store_true", help="USE_LLM_PARSING=false (no redeploy)")
    how.add_argument("--disable-ux", action="store_true", help="DISABLE_UX_UPDATES=true (no redeploy)")
    how.add_argument("--to-phase", help="redeploy an earlier phase with the pinned CDK CLI")
    rb.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    rb.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"))

    f = sub.add_parser("flags", help="read or flip the kill switches on the live alias (no redeploy)")
    f.add_argument("op", choices=["get", "set"])
    f.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    f.add_argument("--disable-ux", type=_bool, metavar="true|false")
    f.add_argument("--use-llm", type=_bool, metavar="true|false")
    f.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"),
                   help="AWS endpoint (the local stack's moto server for --stage local)")
    stages = ["dev", "prod", "local"]
    oncall.add_parser(sub, stages)
    smoke.add_parser(sub, stages)
    recover.add_parser(sub, ["dev", "prod"])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from valine_cli import commands

    handler: Any = getattr(args, "handler", None) or getattr(commands, f"cmd_{args.command.replace('-', '_')}")
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except commands.CliError as exc:
        print(f"valine: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, BotoCoreError | ClientError):
            print(f"valine: AWS said: {exc}. Check your AWS credentials and region (AWS_PROFILE, "
                  "AWS_DEFAULT_REGION) or, for --stage local, that `make local` is running.", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())


