"""Synthesise the stack in-process for a phase and stage, without bundling or AWS."""

from __future__ import annotations

import copy
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

PROD_SETTINGS = {
    "discord_application_id": "200000000000000001",
    "discord_public_key": "ab" * 32,
    "guild_ids": ["200000000000000002"],
    "role_ids": {"admin": ["200000000000000010"], "pm": ["200000000000000011"],
                 "developer": ["200000000000000012"]},
    "github_repository": "acme/site",
    "github_base_branch": "main",
    "oncall": {"emails": ["oncall@acme.test"], "https_urls": ["https://pager.acme.test/hook"]},
}

APPROVALS_ALL = "\n".join(
    f'[[approval]]\nstage = "prod"\nphase = {n}\napprover = "PM {n}"\ndate = 2026-11-0{n}\nnotes = "ok"\n'
    + (f'lessons = "what phase {n - 1} taught"\n' if n > 1 else "")
    + ('checklist = { budget_cap_tested = true, fallback_tested = true, billing_alerts_configured = true }\n'
       if n in (5, 6) else "")
    for n in range(1, 7)
)


def write_approvals(directory: Path, text: str = APPROVALS_ALL, go: tuple[int, ...] = (1, 2, 3, 4, 5, 6)) -> Path:
    """An approvals file, with the recorded GO of each phase in ``go`` beside it (rollout/evidence/)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "approvals.toml"
    path.write_text(text)
    (directory / "evidence").mkdir(exist_ok=True)
    for n in go:
        (directory / "evidence" / f"prod-phase-{n}.json").write_text(
            json.dumps({"stage": "prod", "phase": n, "verdict": "GO", "results": []}))
    return path


def cdk_json_context() -> dict[str, Any]:
    return json.loads((ROOT / "cdk.json").read_text())["context"]


def synth_context(phase: int | str | None, stage: str, *, approvals: Path | None = None,
                 prod: dict[str, Any] | None = None) -> dict[str, Any]:
    ctx = copy.deepcopy(cdk_json_context())
    ctx["stages"]["prod"] = copy.deepcopy(prod if prod is not None else PROD_SETTINGS)
    if phase is not None:
        ctx["phase"] = str(phase)
    ctx["stage"] = stage
    if approvals is not None:
        ctx["approvals_file"] = str(approvals)
    ctx["aws:cdk:bundling-stacks"] = []  # template tests never run pip
    return ctx


@cache
def _approvals_file() -> Path:
    return write_approvals(Path(os.environ.get("PYTEST_TMP_APPROVALS", "/tmp")) / f"valine-approvals-{os.getpid()}")


def build(phase: int, stage: str) -> tuple[cdk.App, Any]:
    from app import build_app

    app = cdk.App(context=synth_context(phase, stage, approvals=_approvals_file()))
    stack = build_app(app)
    return app, stack


@cache
def template(phase: int, stage: str) -> dict[str, Any]:
    _, stack = build(phase, stage)
    return Template.from_stack(stack).to_json()


@pytest.fixture(params=[(p, s) for s in ("dev", "prod") for p in range(1, 7)],
                ids=lambda ps: f"phase{ps[0]}-{ps[1]}")
def phase_stage(request: pytest.FixtureRequest) -> tuple[int, str]:
    return request.param
