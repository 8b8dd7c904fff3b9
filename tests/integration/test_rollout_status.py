"""The rollout's everyday commands against the local stack: the sign-off status and a rollback,
the daily status in the team channel, and what an outage or an unposted status counts as."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from tests.integration.rollout_seed import _n, by_name, check, seed
from valine.core.phases import PHASES
from valine.ops.criteria import Verdict, go
from valine_cli.main import main as valine


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
    # THEN the error rate includes the handled failures, breaks phase 2's "no errors" and the check says NO-GO
    # (read a little ahead: the points are seconds old, and the stand-in ends its window at the minute)
    results = check(cw, stage, 2, approval=True, now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2))
    rate = by_name(results, "no errors")
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
    from tests.infra.conftest import write_approvals

    path = write_approvals(tmp_path, "")
    rows = [f'[[approval]]\nstage = "prod"\nphase = {n}\napprover = "PM"\ndate = 2026-11-0{n}\nlessons = "x"\n'
            for n in (1, 2, 3, 4)]
    path.write_text("".join(rows))
    records = approvals.load(path)
    assert approvals.next_approval(records, "prod", PHASES[4]) == (
        False, "missing: phase 5, or phase 6 to skip the optional phase 5")
    checklist = "checklist = { budget_cap_tested = true, fallback_tested = true, billing_alerts_configured = true }"
    path.write_text("".join(rows) + '[[approval]]\nstage = "prod"\nphase = 6\napprover = "PM"\ndate = 2026-11-09\n'
                    + 'lessons = "x"\n' + checklist + "\n")
    records = approvals.load(path)
    found = approvals.next_approval(records, "prod", PHASES[4])
    assert found == (True, "phase 5 skipped (optional); phase 6 recorded")
    assert approvals.skipped(records, "prod", 5) and not approvals.skipped(records, "prod", 4)
    approvals.check_gate(path, "prod", PHASES[6])  # 6 deploys without a phase-5 record


# ---- evidence or no GO (#20) ----------------------------------------------------------------
