"""Synth-time validation: each operator mistake is one line that says how to fix it."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra import approvals
from infra.config import ConfigError, target_from_context
from tests.infra.conftest import APPROVALS_ALL, PROD_SETTINGS, ROOT, synth_context, write_approvals
from valine.core.phases import PHASES, Role, phase_from_text


@pytest.mark.parametrize("raw", ["0", "7", "two", "", " ", "1.5", "-1", None])
def test_bad_phase_values_name_the_valid_phases(raw):
    ctx = synth_context(None, "prod")
    ctx["phase"] = raw
    with pytest.raises(ConfigError, match=r"phase must be one of 1, 2, 3, 4, 5, 6"):
        target_from_context(ctx)


def test_phase_arrives_as_a_string_and_dev_defaults_to_phase_1():
    assert target_from_context(synth_context("3", "dev")).phase.number == 3
    ctx = synth_context(None, "dev")
    ctx.pop("phase", None)
    assert target_from_context(ctx).phase.number == 1
    ctx.pop("stage")
    assert target_from_context(ctx).stage.name == "dev"  # a missing stage means dev


def test_unknown_stage_is_refused():
    with pytest.raises(ConfigError, match="stage must be one of dev, prod"):
        target_from_context(synth_context("1", "staging"))


def test_shipped_prod_placeholders_are_refused_with_the_key_to_fill():
    ctx = json.loads((ROOT / "cdk.json").read_text())["context"]
    ctx = {**ctx, "phase": "1", "stage": "prod"}
    with pytest.raises(ConfigError, match=r"stages\.prod\.discord_application_id") as refused:
        target_from_context(ctx)
    # Every placeholder in one answer (#20: filling them took 9 synths of 10 s each).
    message = str(refused.value)
    assert message.startswith("stage prod: 8 settings to fix in cdk.json:\n")
    for key in ("discord_application_id", "discord_public_key", "github_repository", "guild_ids", "role_ids.admin",
                "role_ids.pm", "role_ids.developer", "oncall"):
        assert f"stages.prod.{key}" in message, key


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("discord_public_key", "xyz", "discord_public_key='xyz' is malformed"),
        ("guild_ids", [], "guild_ids is missing"),
        ("github_repository", "no-slash", "github_repository='no-slash' is malformed"),
        ("role_ids", {"admin": ["12"]}, "role_ids.admin has '12', not a Discord id"),
        ("oncall", {"emails": [], "https_urls": []}, "no on-call subscription"),
        ("oncall", {"https_urls": ["http://insecure"]}, "must start with https://"),
        ("conversation_ttl_minutes", "soon", "a number in cdk.json context stages.prod is malformed"),
    ],
)
def test_missing_or_malformed_stage_settings(key, value, message):
    prod = copy.deepcopy(PROD_SETTINGS)
    prod[key] = value
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(".", r"\.")):
        target_from_context(synth_context("1", "prod", prod=prod))


def test_phase_table_matches_the_plan():
    assert [sorted(PHASES[n].allowed_roles) for n in (1, 2, 3, 4)] == [
        ["admin"], ["admin"], ["admin", "pm"], ["admin", "developer", "pm"]]
    assert PHASES[6].allowed_roles == frozenset(Role)
    assert [PHASES[n].github_writes for n in range(1, 7)] == [False, True, True, True, True, True]
    assert [PHASES[n].llm.value for n in range(1, 7)] == ["off"] * 4 + ["admins", "opt_in"]
    assert [PHASES[n].error_rate_rollback_pct for n in range(1, 7)] == [0.0, 1.0, 0.5, 0.3, 0.3, 1.0]
    assert PHASES[5].llm_daily_cap_usd == 5.0 and PHASES[5].llm_daily_rollback_usd == 10.0
    assert [PHASES[n].criteria.min_successful_flows for n in (2, 3, 4)] == [5, 20, 50]
    assert phase_from_text(" 4 ").number == 4


def _approvals(tmp_path: Path, text: str, go: tuple[int, ...] = (1, 2, 3, 4, 5, 6)) -> Path:
    return write_approvals(tmp_path, text, go)


def test_prod_needs_an_approval_for_every_required_phase(tmp_path):
    only_first = APPROVALS_ALL.split("[[approval]]")[1]
    path = _approvals(tmp_path, "[[approval]]" + only_first)
    approvals.check_gate(path, "prod", PHASES[1])
    with pytest.raises(ConfigError, match=r"needs a PM approval for phase 2; add an \[\[approval\]\]"):
        approvals.check_gate(path, "prod", PHASES[3])
    approvals.check_gate(tmp_path / "missing.toml", "dev", PHASES[6])  # dev is never gated


def test_phase_6_does_not_need_the_optional_phase_5(tmp_path):
    records = [r for r in APPROVALS_ALL.split("[[approval]]") if r.strip() and "phase = 5" not in r]
    path = _approvals(tmp_path, "".join("[[approval]]" + r for r in records))
    approvals.check_gate(path, "prod", PHASES[6])
    with pytest.raises(ConfigError, match="phase 5"):
        approvals.check_gate(path, "prod", PHASES[5])


def test_llm_phases_need_the_checklist(tmp_path):
    text = APPROVALS_ALL.replace("fallback_tested = true, ", "")
    path = _approvals(tmp_path, text)
    with pytest.raises(ConfigError, match=r"checklist\.fallback_tested = true"):
        approvals.check_gate(path, "prod", PHASES[5])


def test_the_next_phase_needs_the_previous_phases_recorded_go(tmp_path, capsys):
    # Phase 3 needs phase 2's recorded GO, not only the PM's approval (#20).
    path = _approvals(tmp_path, APPROVALS_ALL, go=(1,))
    with pytest.raises(ConfigError, match=r"prod phase 3 needs phase 2 judged GO: run `valine rollout check "
                                          r"--stage prod --phase 2 --record`"):
        approvals.check_gate(path, "prod", PHASES[3])
    approvals.check_gate(path, "prod", PHASES[2])  # phase 1's GO is there
    (tmp_path / "evidence" / "prod-phase-2.json").write_text(
        json.dumps({"stage": "prod", "phase": 2, "verdict": "NO-GO"}))
    with pytest.raises(ConfigError, match="says NO-GO"):
        approvals.check_gate(path, "prod", PHASES[3])
    # An explicit override with a reason lets it go ahead, and every synth says so.
    overridden = APPROVALS_ALL.replace('phase = 3\n', 'phase = 3\noverride = "CloudWatch lost a day; by hand"\n')
    approvals.check_gate(_approvals(tmp_path, overridden, go=(1,)), "prod", PHASES[3])
    assert "WARNING: prod phase 3 deploys without phase 2's recorded GO" in capsys.readouterr().err
    # The lessons learned travel with the approval.
    without = APPROVALS_ALL.replace('lessons = "what phase 2 taught"\n', "")
    with pytest.raises(ConfigError, match="must record the lessons learned in phase 2"):
        approvals.check_gate(_approvals(tmp_path, without), "prod", PHASES[3])


def test_malformed_approvals_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="is not valid TOML"):
        approvals.check_gate(_approvals(tmp_path, "[[approval]\n"), "prod", PHASES[1])
    with pytest.raises(ConfigError, match="needs stage, phase, approver and date"):
        approvals.check_gate(_approvals(tmp_path, '[[approval]]\nstage="prod"\n'), "prod", PHASES[1])


def _run_app(ctx: dict, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(ctx), "CDK_OUTDIR": str(tmp_path / "out"),
           "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    return subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize(
    ("phase", "stage", "expected"),
    [
        ("two", "prod", "valine: phase must be one of 1, 2, 3, 4, 5, 6; got 'two' (example: -c phase=2)"),
        ("", "prod", "valine: phase must be one of 1, 2, 3, 4, 5, 6; got nothing (example: -c phase=2)"),
        ("3", "prod", "valine: prod phase 3 needs a PM approval for phase 1;"),
    ],
)
def test_app_prints_one_line_not_a_traceback(phase, stage, expected, tmp_path):
    ctx = synth_context(phase, stage, approvals=tmp_path / "none.toml")
    result = _run_app(ctx, tmp_path)
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip() and not ln.startswith("b'!!")]
    assert len(lines) == 1 and lines[0].startswith(expected), result.stderr
    assert "Traceback" not in result.stderr
