"""Discord: a signed client for the local endpoint, and slash command registration."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from valine.discord.types import user_agent
from valine_cli.aws_stage import CliError, bot_token, local_health, stage_settings


def _client(args: argparse.Namespace) -> Any:
    import requests

    from valine_local.discord_client import DiscordClient

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
    raise CliError(f"no message has a {action.title()} button; run `valine discord ux-update ...` (or copy-update) "
                   "first")

def _show(client: Any, out: dict[str, Any], timeout: float, edits_before: int = 0) -> int:
    from valine_local.discord_client import render

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
    from valine_local.discord_client import render

    client = _client(args)
    if args.action == "messages":
        for message in client.messages():
            print(render(message), end="\n\n")
        return 0
    roles = _roles(args)
    from valine.agents import BY_COMMAND

    agent = BY_COMMAND.get(args.action)
    if agent is not None:
        options = {"request": args.request} if args.request else {}
        for option in agent.options():
            name = str(option["name"])
            value = getattr(args, name, None) if name != "request" else None
            if value is True:
                options[name] = "true"
            elif value:
                options[name] = str(value)
        return _show(client, client.command(agent.command, args.user, roles, options), args.timeout)
    if args.action in ("status", "agents", "tasks"):
        return _show(client, client.command(args.action, args.user, roles), args.timeout)
    if args.action == "feedback":
        return _show(client, client.command("feedback", args.user, roles, {"text": args.text}), args.timeout)
    if args.action == "vote":  # Helpful / Not helpful on a finished task (Not helpful: then the comment modal)
        message_id = args.message or _latest_with(client, args.choice)
        out = client.press(message_id, args.choice, args.user, roles)
        if args.choice == "down" and out["response"].get("type") == 9:
            out = client.submit_modal(message_id, out["response"]["data"]["custom_id"], {"comment": args.comment},
                                      args.user, roles)
        return _show(client, out, args.timeout)
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
    token = bot_token(args.stage, endpoint, health["bot_token_secret"] if args.stage == "local" else None)
    headers = {"Authorization": f"Bot {token}", "User-Agent": user_agent()}
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


DEFAULT_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8787')}"


def add_parsers(sub: Any) -> None:
    from valine.agents import AGENTS

    d = sub.add_parser("discord", help="play a Discord client against `valine local`")
    d.add_argument("--url", default=DEFAULT_URL, help="the local endpoint (default %(default)s)")
    dsub = d.add_subparsers(dest="action", required=True)

    def who(p: argparse.ArgumentParser) -> None:
        p.add_argument("--user", default="alice", help="user name (default alice)")
        p.add_argument("--role", action="append", default=None,
                       help="admin, pm, developer or member; repeat for several (default admin)")
        p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the worker")

    for agent in AGENTS:  # one subcommand per agent, with its own typed options
        u = dsub.add_parser(agent.command, help=f"send /{agent.command} and show the preview")
        u.add_argument("request", nargs="?", default="")
        for option in agent.options():
            if option["name"] == "request":
                continue
            flag = "--" + str(option["name"]).replace("_", "-")
            if option.get("type") == 5:
                u.add_argument(flag, action="store_true", help=str(option.get("description", "")))
            else:
                u.add_argument(flag, help=str(option.get("description", "")))
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
    f = dsub.add_parser("feedback", help="send /feedback with free text")
    f.add_argument("text")
    who(f)
    v = dsub.add_parser("vote", help="press Helpful (up) or Not helpful (down) on a finished task")
    v.add_argument("choice", choices=["up", "down"])
    v.add_argument("--comment", default="", help="with down: the optional comment in the modal")
    v.add_argument("--message", help="message id (default: the latest finished task)")
    who(v)
    dsub.add_parser("messages", help="list the messages in the emulated channel")
    d.set_defaults(handler=cmd_discord)

    r = sub.add_parser("register-commands", help="register the slash commands (bulk overwrite)")
    r.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    r.add_argument("--guild", help="register in one guild (instant) instead of globally")
    r.add_argument("--api-url", default=os.environ.get("DISCORD_API_URL", "https://discord.com/api/v10"))
    r.add_argument("--application-id", help="default: from cdk.json for the stage")
    r.set_defaults(handler=cmd_register_commands)
