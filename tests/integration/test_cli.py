"""The operator CLI against the local stack (the same commands the runbook shows)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from valine_cli.main import main as valine

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("request_text", "expected"), [
    ("make the navbar blue", {"section": "navbar", "changes": {"color": "#0000ff"}}),
    ('section:header links:"About:/about"', {"section": "header", "changes": {"links": "About:/about"}}),
    ("make it blue", {"clarify": "Which section should be blue: header, footer, navbar?"}),
    ("section:nope text:x", {"error": "there is no section 'nope'; valid sections: header, footer, navbar, home. "
                                      'Example: section:header text:"Welcome"'}),
])
def test_parse_json_prints_exactly_one_object(capsys, request_text, expected):
    valine(["parse", request_text, "--json"])
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and json.loads(out) == expected


def test_eval_llm_reports_accuracy_and_cost(capsys):
    assert valine(["eval-llm", "--cases", str(ROOT / "evals/llm_cases.jsonl"), "--emulator"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert "correct =" in last and "(plan: > 80%)" in last and "total cost $" in last


def test_register_commands_refuses_global_plus_guild(stack, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    guild = stack.health()["guild_ids"][0]
    assert valine(["register-commands", "--stage", "local", "--guild", guild]) == 0
    assert valine(["register-commands", "--stage", "local", "--guild", guild]) == 0  # idempotent overwrite
    from valine.agents import AGENTS
    from valine.commands import COMMANDS

    # Every registered agent's command, then every registered read-only command, in registry order.
    assert [c["name"] for c in stack.discord.commands[guild]] == [a.command for a in AGENTS] + [
        c.name for c in COMMANDS]
    assert valine(["register-commands", "--stage", "local"]) == 2
    assert "shows each one twice" in capsys.readouterr().err
    assert "global" not in stack.discord.commands


def test_costs_and_flags_read_the_stage(stack, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    assert valine(["costs", "--stage", "local"]) == 0
    assert "spent $0.0000 of $5.00" in capsys.readouterr().out
    assert valine(["flags", "get", "--stage", "local"]) == 0
    shown = json.loads(capsys.readouterr().out)
    from valine.agents import KILL_SWITCHES

    assert {k: v for k, v in shown.items() if k != "sources"} == {
        "stage": "local", "phase": 4, **{k: False for k in KILL_SWITCHES}, "USE_LLM_PARSING": False}
    assert shown["sources"]["USE_LLM_PARSING"] == "default for phase 4 (the local stack)"


def test_flags_show_the_effective_llm_switch_and_rollback_says_what_it_changed(tmp_path_factory, monkeypatch,
                                                                                capsys):
    """Phases 5-6 parse with the LLM by default: `flags get` says true (and why), and a rollback that
    switches it off says so instead of "was already false" (#20)."""
    from tests.integration.conftest import start_stack

    five = start_stack(tmp_path_factory, "5", worker_threads=0)
    try:
        monkeypatch.setenv("PORT", str(five.config.port))
        assert valine(["flags", "get", "--stage", "local"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["USE_LLM_PARSING"] is True and shown["phase"] == 5
        assert shown["sources"]["USE_LLM_PARSING"] == "default for phase 5 (the local stack)"
        assert valine(["rollback", "--stage", "local", "--disable-llm"]) == 0
        out = capsys.readouterr().out
        assert "USE_LLM_PARSING true -> false" in out and "rollback changed USE_LLM_PARSING true -> false" in out
        assert "already" not in out
        assert valine(["flags", "get", "--stage", "local"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["USE_LLM_PARSING"] is False
        assert shown["sources"]["USE_LLM_PARSING"].startswith("set in the table by")
    finally:
        five.stop()


def test_flags_set_needs_something_to_set(stack, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    assert valine(["flags", "set", "--stage", "local"]) == 2
    assert "nothing to set" in capsys.readouterr().err


def test_eval_parse_prints_each_class_and_exits_by_the_goal(capsys):
    assert valine(["eval-parse", "--cases", "evals/parse_cases.jsonl"]) == 0
    out = capsys.readouterr().out
    for cls in ("quoted", "polite", "compound", "link", "replace", "clarify"):
        assert f"\n{cls:<10}" in "\n" + out
    assert out.strip().splitlines()[-1].startswith("all ")


def test_aws_errors_are_one_readable_line_and_moto_prints_no_traceback(stack, monkeypatch, capfd, caplog):
    """#20: `rollout check` printed a raw ClientError ending in "<!" and moto left tracebacks in the
    `make local` terminal. An endpoint that is not AWS, and an API moto lacks, each say one line."""
    import boto3
    from botocore.exceptions import ClientError

    monkeypatch.setenv("PORT", str(stack.config.port))
    # A web server that is not AWS (the GitHub emulator) as the AWS endpoint.
    assert valine(["rollout", "check", "--stage", "local", "--phase", "2", "--endpoint-url", stack.github.url]) == 2
    err = capfd.readouterr().err.strip()
    assert err.startswith("valine: AWS said: ") and len(err.splitlines()) == 1 and "<" not in err, err
    # An API moto does not implement: one warning line, an AWS-shaped error, no traceback anywhere.
    cw = boto3.client("cloudwatch", endpoint_url=stack.aws_url)
    with pytest.raises(ClientError) as refused:
        cw.describe_alarm_history(HistoryItemType="StateUpdate")
    assert refused.value.response["Error"]["Code"] == "InternalFailure"
    printed = capfd.readouterr()
    assert "Traceback" not in printed.err + printed.out
    assert any("could not answer" in r.getMessage() for r in caplog.records)
