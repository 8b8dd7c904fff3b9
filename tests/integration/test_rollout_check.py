"""`valine rollout check`: the plan's criteria measured from CloudWatch (moto over HTTP)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import time

import boto3
import pytest

from valine.adapters.cloudwatch import CloudWatchReader
from valine.core.phases import PHASES
from valine.core.ports import Feedback
from valine.metrics import NAMESPACE
from valine.ops.criteria import Verdict, alias_dimensions, evaluate, function_names, go
from valine_cli.main import main as valine

_n = itertools.count()


def seed(cw, stage: str, *, invocations=2000, errors=0, durations=(400.0,) * 95 + (900.0,) * 5, flows=60,
         llm_daily=(1.0, 2.0), hours_ago=1, handled=0):
    at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
    for kind, fn in function_names(stage).items():
        dims = [{"Name": k, "Value": v} for k, v in alias_dimensions(fn).items()]
        cw.put_metric_data(Namespace="AWS/Lambda", MetricData=[
            {"MetricName": "Invocations", "Dimensions": dims, "Value": invocations / 2, "Timestamp": at},
            {"MetricName": "Errors", "Dimensions": dims, "Value": errors / 2, "Timestamp": at}])
        cw.put_metric_data(Namespace="AWS/Lambda", MetricData=[
            {"MetricName": "Duration", "Dimensions": dims, "Value": d, "Timestamp": at, "Unit": "Milliseconds"}
            for d in durations])
        if handled:
            cw.put_metric_data(Namespace=NAMESPACE, MetricData=[
                {"MetricName": "HandledFailures", "Value": handled / 2, "Timestamp": at,
                 "Dimensions": [{"Name": "Function", "Value": kind}, {"Name": "Stage", "Value": stage}]}])
    stage_dim = [{"Name": "Stage", "Value": stage}]
    cw.put_metric_data(Namespace=NAMESPACE, MetricData=[
        {"MetricName": "PullRequestsCreated", "Dimensions": stage_dim, "Value": flows, "Timestamp": at}])
    for i, cost in enumerate(llm_daily):
        cw.put_metric_data(Namespace=NAMESPACE, MetricData=[
            {"MetricName": "LlmCostUsd", "Dimensions": stage_dim, "Value": cost,
             "Timestamp": at - dt.timedelta(days=i)}])


@pytest.fixture
def cw(stack):
    return boto3.client("cloudwatch", endpoint_url=stack.aws_url)


def check(cw, stage, phase, approval=None, now=None):
    found = None if approval is None else (approval, "recorded" if approval else "missing")
    return evaluate(PHASES[phase], stage=stage, reader=CloudWatchReader(cw), now=now or dt.datetime.now(dt.UTC),
                    approval_for_next=found)


def by_name(results, fragment):
    (r,) = [r for r in results if fragment in r.criterion]
    return r


@pytest.mark.parametrize("phase", [2, 3, 4, 5, 6])
def test_a_healthy_phase_is_go(cw, phase):
    stage = f"ok{next(_n)}"
    seed(cw, stage)
    results = check(cw, stage, phase, approval=True)
    assert go(results), [r for r in results if r.verdict is Verdict.FAIL]
    assert any(r.verdict is Verdict.MANUAL for r in results)  # listed, never passed silently


@pytest.mark.parametrize(("phase", "seed_args", "criterion", "measured"), [
    (1, {"errors": 1, "flows": 0}, "no errors", "0.05% (1 of 2000"),
    (1, {"handled": 2, "flows": 0}, "no errors", "0.10% (2 of 2000 invocations: 0 Lambda errors + 2 handled"),
    (2, {"handled": 30}, "error rate < 1.0%", "1.50%"),
    (1, {"flows": 1}, "pull requests created <= 0", "1"),
    (2, {"flows": 4}, "successful UX update flows >= 5", "4"),
    (2, {"errors": 40}, "error rate < 1.0%", "2.00%"),
    (2, {"durations": (3500.0,) * 100}, "average response time < 3 s", "3500 ms"),
    (2, {"durations": (400.0,) * 90 + (6000.0,) * 10}, "P95 response time < 5 s", "6000 ms"),
    (3, {"flows": 19}, "successful UX update flows >= 20", "19"),
    (3, {"errors": 12}, "error rate < 0.5%", "0.60%"),
    (4, {"flows": 49}, "successful UX update flows >= 50", "49"),
    (4, {"errors": 8}, "error rate < 0.3%", "0.40%"),
    (5, {"llm_daily": (1.0, 6.5)}, "daily LLM cost <= $5", "$6.50 on the worst day"),
    (6, {"durations": (400.0,) * 90 + (12000.0,) * 10}, "P95 response time < 10 s", "12000 ms"),
    (6, {"errors": 6}, "error rate < 0.2%", "0.30%"),
])
def test_each_criterion_can_fail(cw, phase, seed_args, criterion, measured):
    stage = f"bad{next(_n)}"
    seed(cw, stage, **seed_args)
    results = check(cw, stage, phase, approval=True)
    r = by_name(results, criterion)
    assert r.verdict is Verdict.FAIL and measured in r.measured, r
    assert not go(results)


def test_a_missing_next_approval_is_no_go(cw):
    stage = f"appr{next(_n)}"
    seed(cw, stage)
    results = check(cw, stage, 2, approval=False)
    assert by_name(results, "PM approval for phase 3").verdict is Verdict.FAIL and not go(results)


def test_data_outside_the_window_does_not_count(cw):
    stage = f"old{next(_n)}"
    seed(cw, stage, flows=10, hours_ago=100)  # phase 2 looks at 72 h
    assert by_name(check(cw, stage, 2), "flows >= 5").measured == "0"


def test_the_cli_prints_each_criterion_and_exits_by_verdict(stack, cw, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    seed(cw, "local", flows=3)
    assert valine(["rollout", "check", "--stage", "local", "--phase", "2"]) == 1
    out = capsys.readouterr().out
    assert "FAIL   successful UX update flows >= 5 (last 72 h) — 3" in out and out.strip().endswith(
        "NO-GO (and confirm the 2 MANUAL items above before proceeding)")
    # moto has no alarm history: the check says so rather than passing it.
    assert "MANUAL no alarm fired (last 72 h) — alarm history unavailable (" in out
    # The plan's "positive feedback from admin users", measured from the table.
    assert "FAIL   Positive feedback from admin users: >= 3 votes from admin" in out and "too few responses" in out
    seed(cw, "local", flows=10)
    now = time.time()
    for user in ("a1", "a2", "a3"):  # admins' 👍 on finished tasks, as the Discord buttons record them
        stack.interactions.feedback.store.vote(Feedback(user_id=user, role="admin", phase=2, at=now - 60,
                                                         task_id=f"9{len(user)}{user[-1]}", agent="ux", vote=1))
    assert valine(["rollout", "check", "--stage", "local", "--phase", "2"]) == 0
    assert "\nGO" in capsys.readouterr().out
    assert valine(["rollout", "check", "--stage", "local", "--phase", "seven"]) == 2


def test_rollout_status_and_rollback(stack, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    assert valine(["rollout", "status", "--stage", "local"]) == 0
    out = capsys.readouterr().out
    assert "Sign-off table" in out and "deployed phase: unknown" in out and "DISABLE_UX_UPDATES=false" in out
    assert valine(["rollback", "--stage", "prod", "--to-phase", "2", "--dry-run"]) == 0
    assert "npx cdk deploy --no-notices -c phase=2 -c stage=prod" in capsys.readouterr().out
    try:
        assert valine(["rollback", "--stage", "local", "--disable-ux"]) == 0
        assert "DISABLE_UX_UPDATES=true" in capsys.readouterr().out
        assert valine(["flags", "get", "--stage", "local"]) == 0
        assert '"DISABLE_UX_UPDATES": true' in capsys.readouterr().out
    finally:
        valine(["flags", "set", "--stage", "local", "--disable-ux", "false"])


def test_the_daily_status_posts_the_last_24_hours_to_the_team_channel(stack, cw, capfd):
    from valine.handlers.status import run_daily_status

    seed(cw, stack.settings.stage, flows=7, errors=0)
    settings = dataclasses.replace(stack.settings, status_channel_id="100000000000000077",
                                   bot_token_secret_arn=stack.health()["bot_token_secret"])
    out = run_daily_status(settings)
    assert out["posted"] is True
    posted = [m for m in stack.discord.messages.values() if m.get("channel_id") == "100000000000000077"]
    assert len(posted) == 1
    text = posted[0]["content"]
    assert text.startswith("**Valine daily status** — local, rollout phase 4") and "last 24 h" in text
    # Phase 4's target as a day's share, 50 flows over 7 days: 8 (other tests seed the same stage too).
    flows = re.search(r"(✅|❌) successful UX update flows >= 8 \(last 24 h\): (\d+)", text)
    assert flows and int(flows.group(2)) >= 7, text
    assert (flows.group(1) == "✅") is (int(flows.group(2)) >= 8)
    assert "50 flows over 7 days is 8 a day" in text
    assert "Dashboard: https://console.aws.amazon.com/cloudwatch/home?region=" in text
    assert "#dashboards:name=Valine-UX-Agent-Local" in text
    assert "valine rollout check --stage local --phase 4" in text
    printed = capfd.readouterr().out
    assert '"TableItemCount"' in printed and '"WeeklyActiveUsers"' in printed  # the dashboard's gauges


def test_a_dynamodb_outage_is_counted_as_errors_and_makes_the_check_no_go(stack, client, cw, capfd):
    from tests.integration.emf import emf_lines, publish
    from valine_local.faults import parse_faults

    # GIVEN the task store refuses every write: each /ux-update is answered with an apology (200)
    capfd.readouterr()
    stack.moto.faults.set(parse_faults("DDB (PutItem|TransactWriteItems) -> 500"))
    try:
        answers = [client.command("ux-update", f"outage{i}", ["admin"], {"request": "make the footer teal"})
                   for i in range(4)]
    finally:
        stack.moto.faults.clear()
    assert all(a["status"] == 200 and "Something went wrong" in a["response"]["data"]["content"] for a in answers)
    # WHEN CloudWatch ingests what the function printed (EMF), and Lambda's own metrics say
    # what Lambda saw: 4 invocations of the live alias, no Lambda errors
    stage = f"outage{next(_n)}"
    lines = [ln for ln in emf_lines(capfd.readouterr().out) if "HandledFailures" in ln]
    assert len(lines) == 4 and {ln["Function"] for ln in lines} == {"interactions"}
    publish(cw, lines, stage=stage)
    seed(cw, stage, invocations=8, errors=0, flows=6)
    # THEN the error rate includes the handled failures, crosses phase 2's 1% and the check says NO-GO
    # (read a little ahead: the points are seconds old, and the stand-in ends its window at the minute)
    results = check(cw, stage, 2, approval=True, now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2))
    rate = by_name(results, "error rate < 1.0%")
    assert rate.verdict is Verdict.FAIL and "4 handled failures" in rate.measured, rate
    assert rate.measured.startswith("50.00%")
    assert not go(results)
    assert [r.criterion for r in results if r.verdict is Verdict.FAIL] == [rate.criterion]


def test_a_status_that_could_not_be_posted_is_a_handled_failure(stack, capfd):
    import dataclasses as dc

    from valine.handlers.status import run_daily_status

    settings = dc.replace(stack.settings, status_channel_id="100000000000000077")
    out = run_daily_status(settings, post=lambda channel, text: "HTTP 403")
    assert out["posted"] is False
    printed = capfd.readouterr().out
    assert '"HandledFailures":1' in printed and '"Function":"status"' in printed


def test_skipping_the_optional_phase_5_is_not_a_missing_approval(tmp_path):
    from infra import approvals

    path = tmp_path / "approvals.toml"
    rows = [f'[[approval]]\nstage = "prod"\nphase = {n}\napprover = "PM"\ndate = 2026-11-0{n}\n' for n in (1, 2, 3, 4)]
    path.write_text("".join(rows))
    records = approvals.load(path)
    assert approvals.next_approval(records, "prod", PHASES[4]) == (
        False, "missing: phase 5, or phase 6 to skip the optional phase 5")
    checklist = "checklist = { budget_cap_tested = true, fallback_tested = true, billing_alerts_configured = true }"
    path.write_text("".join(rows) + '[[approval]]\nstage = "prod"\nphase = 6\napprover = "PM"\ndate = 2026-11-09\n'
                    + checklist + "\n")
    records = approvals.load(path)
    found = approvals.next_approval(records, "prod", PHASES[4])
    assert found == (True, "phase 5 skipped (optional); phase 6 recorded")
    assert approvals.skipped(records, "prod", 5) and not approvals.skipped(records, "prod", 4)
    approvals.check_gate(path, "prod", PHASES[6])  # 6 deploys without a phase-5 record
