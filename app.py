#!/usr/bin/env python3
"""CDK entry point: ``cdk synth|deploy -c phase=N [-c stage=dev|prod]``.

Reads the context once, validates it (a mistake is one line on stderr, not a traceback),
checks the PM approval gate for prod, and builds the stack. Nothing here calls AWS, git
or the network, so every phase synthesises offline.
"""

from __future__ import annotations

import sys
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra import approvals
from infra.config import ConfigError, target_from_context
from infra.stack import ValineStack, stack_name


def build_app(app: cdk.App) -> ValineStack:
    keys = ("phase", "stage", "stages", "approvals_file")
    context = {k: app.node.try_get_context(k) for k in keys}
    target = target_from_context(context)
    approvals.check_gate(Path(context["approvals_file"] or approvals.DEFAULT_PATH), target.stage.name,
                         target.phase)
    stack = ValineStack(
        app,
        "Valine",
        target=target,
        stack_name=stack_name(target.stage.name),
        description=f"Valine /ux-update agent, stage {target.stage.name}, rollout phase {target.phase.number}",
        tags={"project": "valine", "stage": target.stage.name, "phase": str(target.phase.number)},
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return stack


def main() -> int:
    app = cdk.App()
    try:
        build_app(app)
    except ConfigError as exc:
        print(f"valine: {exc}", file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
