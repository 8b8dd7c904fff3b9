"""``valine smoke --stage S``: the plan's phase-1 verification as one command.

"Verify all Lambda functions deployed, confirm DynamoDB tables created, test the Discord
webhook endpoint responds, run smoke tests": each check prints PASS, FAIL or UNSUPPORTED
(the AWS endpoint, e.g. moto, does not implement the API: not a pass), and the command
exits 0 only when every check passed. Nothing here writes to AWS or Discord.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from valine.core import names
from valine.discord.types import user_agent
from valine_cli import options
from valine_cli.aws_stage import CliError, aws, bot_token, local_health, require_deployed_locally, stage_settings

FUNCTIONS = tuple(names.FUNCTIONS)
# The alarms without which on-call is blind; tests/infra checks each is in every template.
REQUIRED_ALARMS = ("InteractionsErrorRate", "WorkerErrorRate", "InteractionsTimeouts", "WorkerTimeouts",
                   "ApiServerErrors", "EndpointProbe", "DeadLetters", "OncallDrill")
SECRETS = {"github": ("token", "app_id"), "discord-bot-token": ("bot_token",), "openai": ("api_key",),
           "github-webhook": ("secret",)}
assert set(SECRETS) == set(names.SECRETS)
MAX_PROBE_MS = 1000.0


class Status(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNSUPPORTED = "UNSUPPORTED"


@dataclass(frozen=True)
class Check:
    status: Status
    what: str
    detail: str


@dataclass(frozen=True)
class Target:
    """Where the stage's pieces are: names follow the stack's, local ones come from /healthz."""

    stage: str
    name: str  # the suffix of every resource name (the stage, or the local stack's name)
    aws_endpoint: str | None
    table: str
    discord_api: str
    application_id: str
    guild_ids: tuple[str, ...]
    endpoint_url: str | None = None  # None: the stack's InteractionsEndpoint output

    def secret(self, key: str) -> str:
        return names.secret_name(self.name, key)


def _unsupported(exc: Exception) -> bool:
    text = str(exc).lower()
    return "not been implemented" in text or "not yet implemented" in text or "notimplemented" in text


def _guard(what: str, fn: Callable[[], Check]) -> Check:
    try:
        return fn()
    except Exception as exc:
        if _unsupported(exc):
            return Check(Status.UNSUPPORTED, what, f"this AWS endpoint does not implement the call "
                                                   f"({str(exc)[:100]}); not verified")
        return Check(Status.FAIL, what, f"{type(exc).__name__}: {str(exc)[:160]}")


def run_checks(t: Target, *, token: Callable[[], str], command_schema: list[dict[str, Any]],
               http: Any) -> Iterator[Check]:
    cfn, lam, ddb = aws("cloudformation", t.aws_endpoint), aws("lambda", t.aws_endpoint), aws("dynamodb",
                                                                                                 t.aws_endpoint)
    sm, cw, sns = aws("secretsmanager", t.aws_endpoint), aws("cloudwatch", t.aws_endpoint), aws("sns", t.aws_endpoint)
    outputs: dict[str, str] = {}

    def stack() -> Check:
        found = cfn.describe_stacks(StackName=names.named("stack", t.name))["Stacks"][0]
        outputs.update({o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])})
        missing = {"InteractionsEndpoint", "Phase"} - set(outputs)
        status = found["StackStatus"]
        ok = not missing and status.endswith("_COMPLETE") and "ROLLBACK" not in status
        return Check(Status.PASS if ok else Status.FAIL, "stack outputs",
                     f"{status}; phase {outputs.get('Phase', '?')}; endpoint {outputs.get('InteractionsEndpoint', '?')}"
                     + (f"; missing {sorted(missing)}" if missing else ""))
    yield _guard("stack outputs", stack)

    for fn in FUNCTIONS:
        name = names.function_name(fn, t.name)

        def alias(name: str = name) -> Check:
            live = lam.get_alias(FunctionName=name, Name="live")
            return Check(Status.PASS, f"function {name}", f"live -> version {live['FunctionVersion']}")
        yield _guard(f"function {name}", alias)

    def table() -> Check:
        ttl = ddb.describe_time_to_live(TableName=t.table)["TimeToLiveDescription"]
        pitr = ddb.describe_continuous_backups(TableName=t.table)["ContinuousBackupsDescription"]
        pitr_on = pitr.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"
        ttl_on = ttl.get("TimeToLiveStatus") == "ENABLED" and ttl.get("AttributeName") == "purge_at"
        return Check(Status.PASS if ttl_on and pitr_on else Status.FAIL, f"table {t.table}",
                     f"TTL {ttl.get('TimeToLiveStatus')} on {ttl.get('AttributeName')}, point-in-time recovery "
                     f"{'ENABLED' if pitr_on else 'OFF'}")
    yield _guard(f"table {t.table}", table)

    phase = outputs.get("Phase", "")
    for key, required in SECRETS.items():
        if key == "openai" and not (phase.isdigit() and int(phase) >= 5):
            continue

        def secret(key: str = key, required: tuple[str, ...] = required) -> Check:
            value = json.loads(sm.get_secret_value(SecretId=t.secret(key))["SecretString"])
            filled = not value.get("unset") and any(value.get(k) for k in required)
            return Check(Status.PASS if filled else Status.FAIL, f"secret {t.secret(key)}",
                         "filled" if filled else f"still a placeholder: fill it (docs/runbook.md), needs "
                                                 f"{' or '.join(required)}")
        yield _guard(f"secret {t.secret(key)}", secret)

    def endpoint() -> Check:
        url = t.endpoint_url or outputs.get("InteractionsEndpoint")
        if not url:
            return Check(Status.FAIL, "endpoint refuses a bad signature", "no endpoint URL (stack output missing)")
        body = b'{"type":1}'
        started = time.monotonic()
        response = http.post(url, data=body, timeout=5, headers={
            "content-type": "application/json", "x-signature-ed25519": "00" * 64,
            "x-signature-timestamp": str(int(time.time()))})
        ms = (time.monotonic() - started) * 1000
        ok = response.status_code == 401 and ms <= MAX_PROBE_MS
        return Check(Status.PASS if ok else Status.FAIL, "endpoint refuses a bad signature",
                     f"HTTP {response.status_code} in {ms:.0f} ms from {url} (expected 401 within "
                     f"{MAX_PROBE_MS:.0f} ms)")
    yield _guard("endpoint refuses a bad signature", endpoint)

    def commands() -> Check:
        headers = {"Authorization": f"Bot {token()}", "User-Agent": user_agent()}
        where = [f"/applications/{t.application_id}/commands"] + [
            f"/applications/{t.application_id}/guilds/{g}/commands" for g in t.guild_ids]
        registered: dict[str, list[dict[str, Any]]] = {}
        for path in where:
            response = http.get(f"{t.discord_api}{path}", headers=headers, timeout=10)
            if response.status_code != 200:
                return Check(Status.FAIL, "slash commands", f"Discord answered {response.status_code} for {path}")
            if response.json():
                registered[path] = response.json()
        if len(registered) != 1:
            return Check(Status.FAIL, "slash commands",
                         "not registered" if not registered else f"registered in {len(registered)} places (each "
                         "command shows twice): keep one (valine register-commands)")
        ((path, found),) = registered.items()
        want, got = _shape(command_schema), _shape(found)
        ok = want == got
        detail = f"{', '.join('/' + n for n in sorted(got))} at {path}"
        if not ok:
            changed = sorted(k for k in want if k in got and want[k] != got[k])
            detail += (f"; differs from the code's schema: missing {sorted(set(want) - set(got))}, extra "
                       f"{sorted(set(got) - set(want))}, changed {changed}; run valine register-commands")
        return Check(Status.PASS if ok else Status.FAIL, "slash commands", detail)
    yield _guard("slash commands", commands)

    def alarms() -> Check:
        found = {}
        for page in cw.get_paginator("describe_alarms").paginate(AlarmNamePrefix=names.alarm_name(t.name, "")):
            for alarm in page["MetricAlarms"] + page.get("CompositeAlarms", []):
                found[alarm["AlarmName"].removeprefix(names.alarm_name(t.name, ""))] = alarm
        missing = [a for a in REQUIRED_ALARMS if a not in found]
        silent = sorted(n for n, a in found.items() if not a.get("AlarmActions"))
        firing = sorted(n for n, a in found.items() if a.get("StateValue") == "ALARM")
        ok = not missing and not silent and not firing
        return Check(Status.PASS if ok else Status.FAIL, "alarms",
                     f"{len(found)} alarms" + (f"; missing {missing}" if missing else "")
                     + (f"; without actions {silent}" if silent else "") + (f"; IN ALARM {firing}" if firing else ""))
    yield _guard("alarms", alarms)

    def oncall() -> Check:
        topic = names.named("topic", t.name)
        arns = [x["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for x in page["Topics"]
                if x["TopicArn"].rsplit(":", 1)[-1] == topic]
        if not arns:
            return Check(Status.FAIL, "on-call topic", f"no topic {topic}")
        from valine_cli.oncall import paged, subscriptions

        people, line = paged(subscriptions(sns, arns[0]))
        return Check(Status.PASS if people else Status.FAIL, "on-call topic", line)
    yield _guard("on-call topic", oncall)


def _shape(commands: list[dict[str, Any]]) -> dict[str, Any]:
    """What Discord shows of a command, without the ids and versions it adds."""
    def option(o: dict[str, Any]) -> tuple[Any, ...]:
        return (o["name"], o.get("type"), bool(o.get("required", False)),
                tuple(sorted(c["value"] for c in o.get("choices") or [])))
    return {c["name"]: (c.get("description"), tuple(option(o) for o in c.get("options") or []))
            for c in commands}


def target_for(args: argparse.Namespace) -> Target:
    if args.stage == "local":
        health = local_health()
        require_deployed_locally(args.endpoint_url or health["aws_url"], str(health["name"]), "smoke")
        return Target(stage="local", name=str(health["name"]), aws_endpoint=args.endpoint_url or health["aws_url"],
                      table=str(health["table"]), discord_api=f"{health['discord_url']}/api/v10",
                      application_id=str(health["application_id"]), guild_ids=tuple(health["guild_ids"]),
                      endpoint_url=args.url or f"{health['endpoint_url']}")
    settings = stage_settings(args.stage)
    app_id = str(settings.get("discord_application_id", ""))
    if not app_id or app_id.startswith("<"):
        raise CliError(f"no Discord application id for stage {args.stage} in cdk.json")
    guilds = tuple(str(g) for g in settings.get("guild_ids") or [] if not str(g).startswith("<"))
    return Target(stage=args.stage, name=args.stage, aws_endpoint=args.endpoint_url,
                  table=names.named("table", args.stage), discord_api=args.discord_api_url.rstrip("/"),
                  application_id=app_id, guild_ids=guilds, endpoint_url=args.url)


def cmd_smoke(args: argparse.Namespace) -> int:
    import requests

    from valine.discord.commands import command_schema

    target = target_for(args)
    print(f"Smoke test: stage {args.stage} ({target.name})")
    results = []
    for check in run_checks(target, token=lambda: bot_token(target.name, target.aws_endpoint,
                                                                  target.secret("discord-bot-token")),
                            command_schema=command_schema(), http=requests):
        results.append(check)
        print(f"  {check.status.value:<12}{check.what} — {check.detail}")
    failed = [c for c in results if c.status is not Status.PASS]
    print("ALL PASSED" if not failed else f"{len(failed)} of {len(results)} checks did not pass")
    return 0 if not failed else 1


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("smoke", help="phase-1 verification of a deployed stage; exit 0 only when all pass")
    options.stage(p)
    p.add_argument("--url", help="the interactions endpoint (default: the stack's InteractionsEndpoint output)")
    p.add_argument("--discord-api-url", default="https://discord.com/api/v10")
    p.set_defaults(handler=cmd_smoke)
