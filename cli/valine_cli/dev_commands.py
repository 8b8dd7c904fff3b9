"""Development commands: version, bench, parse, local."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from valine_cli.aws_stage import CliError


def cmd_version(args: argparse.Namespace) -> int:
    from valine import __version__

    print(__version__)
    return 0

def cmd_bench(args: argparse.Namespace) -> int:
    from valine_cli.bench import main

    return main()

def cmd_parse(args: argparse.Namespace) -> int:
    from valine.agents.ux.intent import Clarify, Intent
    from valine.agents.ux.parser import parse_request
    from valine_local.example_site import example_catalog

    result = parse_request(args.request, example_catalog())
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

def cmd_local(args: argparse.Namespace) -> int:
    import logging

    from valine_local.stack import LocalConfig, LocalStack

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


def add_parsers(sub: Any) -> None:
    sub.add_parser("version", help="print the version").set_defaults(handler=cmd_version)
    sub.add_parser("bench", help="measure cold start, warm latency, preview/PR time, asset sizes (.bench/)"
                   ).set_defaults(handler=cmd_bench)
    sub.add_parser("local", help="run the whole bot locally (moto, Discord and GitHub emulators, worker)"
                   ).set_defaults(handler=cmd_local)
    p = sub.add_parser("parse", help="print how a /ux-update request is understood (no LLM)")
    p.add_argument("request")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.set_defaults(handler=cmd_parse)
