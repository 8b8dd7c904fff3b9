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
    if args.site:
        return _parse_on_site(args)
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

def _parse_on_site(args: argparse.Namespace) -> int:
    """The request against a folder's site model: the diff the preview would show, or the question."""
    from valine.agents.ux.understand import Proposal, understand
    from valine.site.diff import unified_diff
    from valine.site.writing import WriteError, apply, problems, tidy_imports
    from valine_cli.site_commands import load_site

    files, model = load_site(args.site)
    result = understand(args.request, model)
    if not isinstance(result, Proposal):
        kind = "cannot do" if result.outcome == "unsupported" else "question"
        if args.json:
            print(json.dumps({"outcome": result.outcome, "text": result.text,
                              "choices": [c.label for c in result.choices]}, ensure_ascii=False))
        else:
            print(f"{kind}: {result.text}")
        return 1
    try:
        new = apply(files, result.splices)
    except WriteError as exc:
        print(f"error: {exc}")
        return 1
    new = {path: tidy_imports(path, files[path], text)[0] for path, text in new.items()}
    found = [p for path, text in new.items() for p in problems(path, files[path], text)]
    if args.json:
        print(json.dumps({"outcome": "edit", "summary": result.summary, "files": sorted(new), "notes": result.notes,
                          "problems": found}, ensure_ascii=False))
    else:
        print(result.summary)
        for note in result.notes:
            print(f"note: {note}")
        for problem in found:
            print(f"would not propose: {problem}")
        for path in sorted(new):
            print(unified_diff(files[path], new[path], path))
    return 1 if found else 0


def cmd_local(args: argparse.Namespace) -> int:
    import dataclasses
    import logging
    from pathlib import Path

    from valine_local.stack import LocalConfig, LocalStack

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    config = LocalConfig.from_env()
    if args.site:
        site = Path(args.site).expanduser().resolve()
        if not site.is_dir():
            raise CliError(f"{site} is not a folder; give the path of your site's checkout (a git repository or a "
                           "plain folder)")
        config = dataclasses.replace(config, site=site)
    try:
        stack = LocalStack(config).start()
    except OSError as exc:
        raise CliError(f"could not start the local stack ({exc}); is port {LocalConfig.from_env().port} in use? "
                       "Set PORT=...") from exc
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    h = stack.health()
    from valine_local.config import REPO_ROOT

    try_first = ('.venv/bin/valine discord ux-update "make the navbar blue" --user alice --role admin'
                 if config.site == REPO_ROOT / "example-site" else
                 f'.venv/bin/valine site scan --site {config.site}     (what there is to change)\n'
                 '  .venv/bin/valine discord ux-update \'change "Old words" to "New words"\' --user alice --role admin')
    dev_note = " (development key; valine discord signs with it)" if h["dev_signing_key"] else ""
    print(f"""Valine is running locally (stage {h['stage']}, rollout phase {h['phase']}: {h['phase_name']}).

  interactions endpoint  {stack.url}/discord   (health: {stack.url}/healthz)
  Discord API emulator   {h['discord_url']}
  GitHub API emulator    {h['github_url']}   repository {h['repository']} (git: {h['state_dir']}/site.git)
  site served            {config.site}
  AWS (moto server)      {h['aws_url']}   table {h['table']}
  LLM endpoint           {h['llm_url'] or 'none (phases 1-4 parse with rules)'}
  public key             {h['public_key']}{dev_note}

Try, in another terminal:
  {try_first}
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
    p = sub.add_parser("local", help="run the whole bot locally (moto, Discord and GitHub emulators, worker)")
    p.add_argument("--site", help="the site the GitHub emulator serves: a git checkout (its HEAD) or a folder "
                                  "(default: example-site/, or $SITE)")
    p.set_defaults(handler=cmd_local)
    p = sub.add_parser("parse", help="print how a /ux-update request is understood (no LLM)")
    p.add_argument("request")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--site", help="read the request against this folder's site model and print the preview's diff "
                                  "(without it: the example site's catalog rules)")
    p.set_defaults(handler=cmd_parse)
