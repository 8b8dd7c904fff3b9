"""``valine recover``: redeploy a stage after its stack was deleted, keeping its data.

The conversation table (prod) and the secrets are retained when the stack goes, and their
names are fixed, so a plain ``cdk deploy`` of any version fails with "already exists".
CloudFormation can adopt them instead (resource import): this command finds which of the
stack's retained resources still exist, writes the ``--resource-mapping`` file for
``cdk import``, and prints the two commands that bring the stack back with their data.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from valine_cli import options
from valine_cli.aws_stage import REPO_ROOT, CliError, aws

# Resource types the stack retains, and the identifier CloudFormation imports each by.
IMPORTABLE = {"AWS::DynamoDB::GlobalTable": "TableName", "AWS::SecretsManager::Secret": "Id"}
_NAME = {"AWS::DynamoDB::GlobalTable": "TableName", "AWS::SecretsManager::Secret": "Name"}


def retained(template: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Logical id -> (type, physical name) of every resource the stack leaves behind."""
    out = {}
    for logical, resource in template["Resources"].items():
        if resource.get("DeletionPolicy") != "Retain":
            continue
        kind = resource["Type"]
        if kind not in IMPORTABLE:
            raise CliError(f"{logical} ({kind}) is retained but valine recover cannot adopt that type; "
                           "add it to valine_cli.recover.IMPORTABLE")
        name = resource["Properties"].get(_NAME[kind])
        if not isinstance(name, str):
            raise CliError(f"{logical} ({kind}) is retained without a fixed name; it cannot be found again")
        out[logical] = (kind, name)
    return out


def resource_mapping(template: Mapping[str, Any],
                     lookup: Callable[[str, str], str | None]) -> tuple[dict[str, dict[str, str]], list[str]]:
    """(the mapping for ``cdk import --resource-mapping``, the retained names that are gone).

    ``lookup(type, name)`` returns the identifier CloudFormation needs, or None when the
    resource does not exist (a dev table is deleted with its stack: it is simply created again).
    """
    mapping, gone = {}, []
    for logical, (kind, name) in retained(template).items():
        ident = lookup(kind, name)
        if ident is None:
            gone.append(name)
        else:
            mapping[logical] = {IMPORTABLE[kind]: ident}
    return mapping, gone


def aws_lookup(endpoint: str | None) -> Callable[[str, str], str | None]:
    ddb, sm = aws("dynamodb", endpoint), aws("secretsmanager", endpoint)

    def lookup(kind: str, name: str) -> str | None:
        try:
            if kind == "AWS::DynamoDB::GlobalTable":
                return str(ddb.describe_table(TableName=name)["Table"]["TableName"])
            secret = sm.describe_secret(SecretId=name)
            # A secret scheduled for deletion cannot be imported; restore it first.
            if secret.get("DeletedDate"):
                raise CliError(f"{name} is scheduled for deletion: "
                               f"aws secretsmanager restore-secret --secret-id {name}")
            return str(secret["ARN"])
        except (ddb.exceptions.ResourceNotFoundException, sm.exceptions.ResourceNotFoundException):
            return None
    return lookup


def synth_template(stage: str, phase: str) -> dict[str, Any]:
    """The template ``cdk deploy -c phase=N -c stage=S`` would deploy (synthesised offline, no bundling)."""
    import sys

    import aws_cdk as cdk
    from aws_cdk.assertions import Template

    sys.path.insert(0, str(REPO_ROOT))  # app.py is the CDK entry point, not an installed module
    from app import build_app
    from infra.config import ConfigError

    context = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    context |= {"phase": phase, "stage": stage, "aws:cdk:bundling-stacks": []}
    try:
        stack = build_app(cdk.App(context=context))
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
    return dict(Template.from_stack(stack).to_json())


def cmd_recover(args: argparse.Namespace) -> int:
    if args.stage == "local":
        raise CliError("the local stack is not a CloudFormation stack; restart it with make local")
    mapping, gone = resource_mapping(synth_template(args.stage, args.phase), aws_lookup(args.endpoint_url))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(mapping, indent=2) + "\n")
    print(f"{args.stage}: {len(mapping)} retained resources to adopt, written to {out}:")
    for logical, ident in mapping.items():
        print(f"  {logical}: {next(iter(ident.values()))}")
    for name in gone:
        print(f"  {name}: does not exist any more; the deploy creates it anew")
    ctx = f"-c phase={args.phase} -c stage={args.stage}"
    print("\nThen, with the same version of the code checked out:\n"
          f"  npx cdk import --no-notices {ctx} --resource-mapping {out} --force\n"
          f"  npx cdk deploy --no-notices {ctx}\n"
          f"  .venv/bin/valine smoke --stage {args.stage}")
    return 0


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("recover", help="after a deleted stack: adopt the retained table and secrets (cdk import)")
    options.stage(p, choices=["dev", "prod"])
    p.add_argument("--phase", required=True, help="the phase to bring back (as in cdk deploy -c phase=N)")
    p.add_argument("--out", default="cdk.out/import-mapping.json", help="mapping file (default %(default)s)")
    p.set_defaults(handler=cmd_recover)
