"""What every operator command needs: the stage's AWS endpoint and table, AWS clients, and
who is running it. ``--stage local`` reads them from the running local stack."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from valine.core import names

REPO_ROOT = Path(__file__).resolve().parents[2]


class CliError(Exception):
    """A mistake the operator can fix; printed as one line."""


def stage_settings(stage: str) -> dict[str, Any]:
    context = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return dict(context["stages"].get(stage) or {})


def local_health() -> dict[str, Any]:
    import requests

    url = f"http://127.0.0.1:{os.environ.get('PORT', '8787')}/healthz"
    # moto accepts any credentials; these never leave the machine.
    for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        os.environ.setdefault(key, value)
    try:
        return dict(requests.get(url, timeout=3).json())
    except requests.ConnectionError as exc:
        raise CliError(f"--stage local needs the local stack: nothing answers at {url}; run `make local`") from exc


def aws(service: str, endpoint: str | None) -> Any:
    import boto3

    return boto3.client(service, endpoint_url=endpoint)


def operator() -> str:
    try:
        email = subprocess.run(["git", "config", "user.email"], capture_output=True, text=True).stdout.strip()
    except OSError:
        email = ""
    return f"{getpass.getuser()}{f' <{email}>' if email else ''}"


def stage_endpoint(args: argparse.Namespace) -> tuple[str | None, str]:
    """(AWS endpoint, table) for a stage; local reads them from the running stack."""
    if args.stage == "local":
        health = local_health()
        return args.endpoint_url or health["aws_url"], str(health["table"])
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return args.endpoint_url, names.named("table", args.stage)


def resource_suffix(args: argparse.Namespace) -> str:
    """The suffix of the stage's resource names: the stage, or the local stack's own name."""
    return str(local_health()["name"]) if args.stage == "local" else str(args.stage)


def bot_token(stage: str, endpoint: str | None, secret_id: str | None = None) -> str:
    import os

    if os.environ.get("DISCORD_BOT_TOKEN"):
        return os.environ["DISCORD_BOT_TOKEN"]
    secret_id = secret_id or names.secret_name(stage, "discord-bot-token")
    try:
        raw = aws("secretsmanager", endpoint).get_secret_value(SecretId=secret_id)["SecretString"]
    except Exception as exc:
        raise CliError(f"could not read {secret_id} ({type(exc).__name__}); set DISCORD_BOT_TOKEN or fill the "
                       "secret (docs/runbook.md)") from exc
    value = json.loads(raw)
    if value.get("unset") or not value.get("bot_token"):
        raise CliError(f"{secret_id} is not filled yet: aws secretsmanager put-secret-value --secret-id {secret_id} "
                       "--secret-string '{\"bot_token\":\"...\"}'")
    return str(value["bot_token"])


def deployed_phase_text(stage: str, endpoint: str | None) -> str:
    """The stack's Phase output, or why it could not be read."""
    try:
        stacks = aws("cloudformation", endpoint).describe_stacks(StackName=names.named("stack", stage))["Stacks"]
    except Exception as exc:
        return f"unknown ({type(exc).__name__}: is valine-orchestrator-{stage} deployed?)"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    return outputs.get("Phase", "unknown (no Phase output)")


def require_deployed_locally(aws_url: str, name: str, command: str) -> None:
    """`make local` runs the functions in-process: no CloudFormation stack, Lambda aliases or alarms.
    A check of those on it could only fail, so the command says so instead (it runs where a stage is
    laid out in the local moto as `cdk deploy` would leave it, as the tests do)."""
    try:
        aws("cloudformation", aws_url).describe_stacks(StackName=names.named("stack", name))
    except Exception as exc:  # noqa: BLE001 - any answer but the stack means there is none to check
        raise CliError(f"`valine {command} --stage local` checks deployed resources, and the local stack has none "
                       f"(no CloudFormation stack {names.named('stack', name)}: {type(exc).__name__}); it runs the "
                       "functions in-process. Check it with its /healthz (printed by make local) and "
                       "`valine discord ux-update ...`; run this command against --stage dev or prod") from exc
