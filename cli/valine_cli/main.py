"""valine: operator and local-development commands.

  valine local                         run the whole bot on 127.0.0.1:${PORT:-8787}
  valine discord ux-update "..."       send a signed /ux-update to the local endpoint
  valine discord copy-update "..."     send a signed /copy-update
  valine discord confirm               press Confirm on the latest preview
  valine parse "..." [--json]          show how a request is understood
  valine eval-parse --cases FILE       the parser's accuracy per class on labelled requests
  valine eval-site --site DIR          a site's labelled requests through the lifecycle, judged per class
  valine site scan --site DIR          the sections of a site and what can be changed in each
  valine catalog init|check --site DIR propose or validate .valine/catalog.json
  valine register-commands --stage S   register the slash commands
  valine flags get|set --stage S       kill switches (DISABLE_*_UPDATES per agent, USE_LLM_PARSING)
  valine smoke --stage S               phase-1 verification of a deployed stage
  valine oncall test --stage S         paging drill: does an alarm reach on-call?
  valine recover --stage S --phase N   after a deleted stack: adopt the retained data (cdk import)
  valine register-webhook --stage S    GitHub's pull_request webhook to POST /github
  valine github merge|close PR         (local) review a pull request; the webhook is delivered
  valine announce --stage S --phase N  the phase start in the team channel
  valine rollout report|metrics        the phase summary (Markdown); the plan's overall success metrics
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from valine_cli import (
    announce,
    dev_commands,
    discord_commands,
    eval_parse,
    eval_site,
    flag_commands,
    github_commands,
    llm_commands,
    oncall,
    recover,
    rollout_commands,
    site_commands,
    smoke,
)
from valine_cli.aws_stage import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="valine", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for group in (dev_commands, discord_commands, flag_commands, rollout_commands, llm_commands, eval_parse, eval_site,
                  smoke, oncall, recover, github_commands, announce, site_commands):
        group.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Any = args.handler
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except CliError as exc:
        print(f"valine: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, BotoCoreError | ClientError):
            print(f"valine: AWS said: {aws_said(exc)}. Check your AWS credentials and region (AWS_PROFILE, "
                  "AWS_DEFAULT_REGION) or, for --stage local, that `make local` is running.", file=sys.stderr)
            return 2
        if os.environ.get("VALINE_DEBUG"):
            raise
        print(f"valine: {handler.__name__.removeprefix('cmd_')} failed: {type(exc).__name__}: "
              f"{' '.join(str(exc).split())[:300]} (VALINE_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1


def aws_said(exc: Exception) -> str:
    """One readable line for an AWS error: the operation, the code and the message, never a web page."""
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = str(error.get("Code") or "?"), " ".join(str(error.get("Message") or "").split())
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if message.startswith("<") or not message:
            message = f"HTTP {status} without an AWS error message (the endpoint is not AWS, or failed)"
        return f"{exc.operation_name}: {code}: {message[:200]}"
    return " ".join(str(exc).split())[:300]


if __name__ == "__main__":
    sys.exit(main())


