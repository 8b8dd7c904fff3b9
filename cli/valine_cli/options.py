"""The options the operator commands share, defined once."""

from __future__ import annotations

import argparse
import os

STAGES = ["dev", "prod", "local"]


def stage(p: argparse.ArgumentParser, *, choices: list[str] | None = None, endpoint: bool = True) -> None:
    """``--stage`` and, for commands that talk to AWS, ``--endpoint-url``."""
    allowed = choices or STAGES
    aws_stages = " or ".join(c for c in allowed if c != "local")
    p.add_argument("--stage", required=True, choices=allowed,
                   help=f"{aws_stages} (AWS credentials needed)" + (", or local (the running make local)"
                                                                     if "local" in allowed else ""))
    if endpoint:
        p.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"),
                       help="AWS endpoint (default: AWS, or $AWS_ENDPOINT_URL; --stage local: the local moto server)")
