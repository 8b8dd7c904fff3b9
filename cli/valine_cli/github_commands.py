"""GitHub set-up and, for the local stack, GitHub's side of a review.

  valine register-webhook --stage S    point the repository's pull_request webhook at POST /github
  valine github merge|close PR         (local) merge or close a pull request in the GitHub emulator,
                                       which delivers the signed webhook as GitHub does
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from valine.core import names
from valine_cli.aws_stage import CliError, aws, local_health, stage_settings

API_VERSION = "2022-11-28"


def _github_token(endpoint: str | None, secret_id: str) -> str:
    if os.environ.get("GITHUB_TOKEN"):
        return os.environ["GITHUB_TOKEN"]
    try:
        value = json.loads(aws("secretsmanager", endpoint).get_secret_value(SecretId=secret_id)["SecretString"])
    except Exception as exc:
        raise CliError(f"could not read {secret_id} ({type(exc).__name__}); set GITHUB_TOKEN to a token that may "
                       "manage the repository's webhooks (fine-grained: Webhooks read and write)") from exc
    if not value.get("token"):
        raise CliError(f"{secret_id} holds no token (a GitHub App's installation token cannot manage webhooks "
                       "unless the App may): set GITHUB_TOKEN to a token with Webhooks read and write")
    return str(value["token"])


def _webhook_secret(endpoint: str | None, secret_id: str) -> str:
    try:
        value = json.loads(aws("secretsmanager", endpoint).get_secret_value(SecretId=secret_id)["SecretString"])
    except Exception as exc:
        raise CliError(f"could not read {secret_id} ({type(exc).__name__}); it is made by `cdk deploy`") from exc
    if not value.get("secret"):
        raise CliError(f"{secret_id} has no \"secret\"; redeploy or put-secret-value '{{\"secret\":\"...\"}}'")
    return str(value["secret"])


def _target(args: argparse.Namespace) -> dict[str, Any]:
    """Where the webhook goes and what it needs, for the stage."""
    if args.stage == "local":
        health = local_health()
        return {"api": health["github_url"], "repository": health["repository"], "aws": health["aws_url"],
                "url": args.url or health["github_webhook_url"], "secret_id": health["github_webhook_secret"],
                "token_id": names.secret_name(health["name"], "github")}
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    stage = stage_settings(args.stage)
    repository = str(stage.get("github_repository", ""))
    if not repository or repository.startswith("<"):
        raise CliError(f"no github_repository for stage {args.stage} in cdk.json")
    url = args.url
    if not url:
        stacks = aws("cloudformation", None).describe_stacks(StackName=names.named("stack", args.stage))["Stacks"]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
        url = outputs.get("GitHubWebhookUrl")
        if not url:
            raise CliError(f"{names.named('stack', args.stage)} has no GitHubWebhookUrl output; deploy first or "
                           "pass --url")
    return {"api": args.api_url.rstrip("/"), "repository": repository, "aws": None, "url": url,
            "secret_id": names.secret_name(args.stage, "github-webhook"),
            "token_id": names.secret_name(args.stage, "github")}


def cmd_register_webhook(args: argparse.Namespace) -> int:
    import requests

    t = _target(args)
    config = {"url": t["url"], "content_type": "json", "insecure_ssl": "0",
              "secret": _webhook_secret(t["aws"], t["secret_id"])}
    hook: dict[str, Any] = {"name": "web", "active": True, "events": ["pull_request"], "config": config}
    if args.dry_run:
        shown = {**hook, "config": {**config, "secret": f"<{t['secret_id']}>"}}
        print(f"would register on {t['repository']}: {json.dumps(shown)}")
        return 0
    headers = {"Authorization": f"Bearer {_github_token(t['aws'], t['token_id'])}",
               "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION,
               "User-Agent": "valine-cli"}
    base = f"{t['api']}/repos/{t['repository']}/hooks"
    listed = requests.get(base, headers=headers, timeout=15)
    if not listed.ok:
        raise CliError(f"GitHub answered {listed.status_code} listing {t['repository']}'s webhooks: "
                       f"{listed.text[:200]} (the token needs Webhooks read and write)")
    same = [h for h in listed.json() if (h.get("config") or {}).get("url") == t["url"]]
    if same:
        # "Update a repository webhook" takes config, events, add/remove_events and active: no name.
        update = {k: v for k, v in hook.items() if k != "name"}
        answer = requests.patch(f"{base}/{same[0]['id']}", headers=headers, json=update, timeout=15)
        verb = "updated"
    else:
        answer = requests.post(base, headers=headers, json=hook, timeout=15)
        verb = "created"
    if not answer.ok:
        raise CliError(f"GitHub answered {answer.status_code}: {answer.text[:300]}")
    print(f"{verb} webhook {answer.json().get('id')} on {t['repository']}: pull_request events to {t['url']}, "
          f"signed with the secret in {t['secret_id']}")
    return 0


def cmd_github(args: argparse.Namespace) -> int:
    import requests

    health = local_health()
    answer = requests.post(f"{health['github_url']}/_emulator/pulls/{args.pr}/{args.action}",
                           json={"by": args.by}, timeout=30)
    if not answer.ok:
        raise CliError(f"the GitHub emulator answered {answer.status_code}: {answer.json().get('message')}")
    out = answer.json()
    pr = out["pull_request"]
    print(f"pull request #{pr['number']} {'merged' if args.action == 'merge' else 'closed'} by {args.by}")
    for d in out["deliveries"]:
        print(f"  pull_request webhook {d['id']} -> HTTP {d['status']}")
    return 0 if all(d["status"] in (200, 202) for d in out["deliveries"]) else 1


def add_parsers(sub: Any) -> None:
    r = sub.add_parser("register-webhook", help="point the repository's pull_request webhook at POST /github")
    r.add_argument("--stage", required=True, choices=["dev", "prod", "local"])
    r.add_argument("--url", help="the webhook URL (default: the stack's GitHubWebhookUrl output)")
    r.add_argument("--api-url", default=os.environ.get("GITHUB_API_URL", "https://api.github.com"),
                   help="GitHub's REST API (GitHub Enterprise Server: https://HOST/api/v3)")
    r.add_argument("--dry-run", action="store_true", help="print the hook, do not register it")
    r.set_defaults(handler=cmd_register_webhook)
    g = sub.add_parser("github", help="(local) merge or close a pull request in the GitHub emulator")
    g.add_argument("action", choices=["merge", "close"])
    g.add_argument("pr", type=int, help="the pull request number")
    g.add_argument("--by", default="reviewer", help="the GitHub login that merges or closes it")
    g.set_defaults(handler=cmd_github)
