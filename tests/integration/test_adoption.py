"""Adoption and the plan's overall success metrics, measured from real data paths: distinct
requesters from the tasks table (moto over HTTP), eligible users from Discord's guild-members API
(the emulator, held to Discord's spec) or, without the Server Members intent, from cdk.json; and
`valine rollout metrics` over CloudWatch (moto)."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest

from valine.core.phases import PHASES
from valine.ops.adoption import eligible_from_config, measure
from valine_cli.main import main as valine

from .conftest import preview


def member(i: int, role_ids: list[str], bot: bool = False) -> dict:
    return {"user": {"id": str(200000000000000000 + i), "username": f"m{i}", "bot": bot}, "roles": role_ids,
            "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0}


@pytest.fixture
def guild(stack):
    health = stack.health()
    gid, roles = health["guild_ids"][0], health["role_ids"]
    # 4 admins, 6 developers, 2 PMs, 30 members without a role, and a bot (never counted)
    people = ([member(i, roles["admin"]) for i in range(4)] + [member(10 + i, roles["developer"]) for i in range(6)]
              + [member(20 + i, roles["pm"]) for i in range(2)] + [member(30 + i, []) for i in range(30)]
              + [member(99, roles["admin"], bot=True)])
    stack.discord.members[gid] = people
    yield gid
    stack.discord.members.pop(gid, None)
    stack.discord.members_intent = True


def test_rollout_check_measures_adoption_against_discords_member_list(stack, client, guild, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    for user in ("ad1", "ad2", "ad3"):
        preview(client, "make the navbar teal", user=user)
    valine(["rollout", "check", "--stage", "local", "--phase", "4"])
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "adoption > 20% of eligible users" in ln)
    # phase 4: admins, PMs and developers are eligible: 4 + 2 + 6 = 12 people (the bot is not)
    assert " of 12 (" in line and "eligible: Discord guild members API (1 guild, members holding admin, " \
        "developer, pm)" in line, line


def test_without_the_server_members_intent_the_configured_count_is_used_and_said(stack, client, guild, monkeypatch,
                                                                                 capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    stack.discord.members_intent = False
    preview(client, "make the navbar coral", user="ad4")
    valine(["rollout", "check", "--stage", "local", "--phase", "4"])
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "adoption >" in ln)
    # cdk.json dev: admin 2, pm 3, developer 10
    assert " of 15 (" in line and "configured per stage (cdk.json stages.<stage>.eligible_users" in line, line


def test_measure_counts_distinct_requesters_per_window():
    from tests.fakes.ports import FakeTaskStore
    from tests.unit.test_iam_actions import a_task

    now = 1_800_000_000.0
    tasks = [a_task() for _ in range(5)]
    ages = [1, 2, 3, 10, 40]  # days
    tasks = [t.__class__(**{**t.__dict__, "requester_id": f"u{i % 4}", "created_at": now - d * 86400})
             for i, (t, d) in enumerate(zip(tasks, ages, strict=True))]
    store = FakeTaskStore()
    for t in tasks:
        store.create(t)
    eligible = eligible_from_config({"admin": 2, "pm": 3, "developer": 5, "member": 100}, PHASES[4])
    got = measure(store.created_between(now - 60 * 86400, now), now=now, window_hours=7 * 24, eligible=eligible)
    assert (got.unique_window, got.unique_7d, got.unique_30d) == (3, 3, 4)
    assert eligible is not None and eligible.count == 10 and got.pct(got.unique_30d) == 40.0
    assert eligible_from_config({"admin": 2, "member": 100}, PHASES[6]).count == 102  # phase 6: everyone
    assert eligible_from_config(None, PHASES[4]) is None


def test_rollout_metrics_prints_the_plans_overall_success_metrics(stack, client, guild, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    cw = boto3.client("cloudwatch", endpoint_url=stack.aws_url)
    at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    dims = [{"Name": "Stage", "Value": "local"}]
    for name, value in (("Previews", 100), ("Confirmations", 85), ("PullRequestsMerged", 40),
                        ("PullRequestsRejected", 1)):
        cw.put_metric_data(Namespace="Valine/UxAgent", MetricData=[
            {"MetricName": name, "Dimensions": dims, "Value": value, "Timestamp": at}])
    cw.put_metric_data(Namespace="Valine/UxAgent", MetricData=[
        {"MetricName": "PreviewLatency", "Dimensions": dims, "Value": v, "Timestamp": at, "Unit": "Milliseconds"}
        for v in [1200.0] * 95 + [7000.0] * 5])
    code = valine(["rollout", "metrics", "--stage", "local", "--phase", "6"])
    out = capsys.readouterr().out
    # Other tests' traffic on the same stage counts too: the line is what CloudWatch holds for 30 days.
    from valine.adapters.cloudwatch import CloudWatchReader

    reader, now = CloudWatchReader(cw), dt.datetime.now(dt.UTC)
    month = now - dt.timedelta(days=30)
    previews, confirms = (int(sum(reader.stat("Valine/UxAgent", n, {"Stage": "local"}, "Sum", month, now)))
                          for n in ("Previews", "Confirmations"))
    assert previews >= 100 and confirms >= 85
    assert (f"effectiveness: >= 80% of previews confirmed — {confirms} of {previews} "
            f"({100 * confirms / previews:.0f}%)") in out
    assert "quality: < 5% of pull requests rejected — 1 rejected, 40 merged (2.4%)" in out
    assert "performance: P95 < 5 s (request to preview)" in out
    adoption = next(ln for ln in out.splitlines() if "adoption:" in ln)
    assert adoption.lstrip().startswith("FAIL") and " of 42 eligible (" in adoption  # phase 6: every member
    assert code == 1  # adoption is far from 50%


def test_the_weekly_report_posts_the_weeks_evidence_to_the_team_channel(stack, client, guild):
    import dataclasses

    from valine.handlers.status import run_weekly_report

    preview(client, "make the navbar olive", user="wk1")
    settings = dataclasses.replace(stack.settings, status_channel_id="100000000000000078",
                                   bot_token_secret_arn=stack.health()["bot_token_secret"])
    out = run_weekly_report(settings)
    assert out["posted"] is True
    (posted,) = [m for m in stack.discord.messages.values() if m.get("channel_id") == "100000000000000078"]
    text = posted["content"]
    assert text.startswith("**Valine weekly report** — local, rollout phase 4 (Developer role)")
    for part in ("successful UX update flows >= 50 (last 168 h)", "adoption > 20% of eligible users",
                 "**Adoption**: ", " of 12 eligible (", "Discord guild members API", "**Confirmation rate**",
                 "**Rejection rate**", "**Feedback**: ", "**Alarms fired**: alarm history unavailable",
                 "Dashboard: https://console.aws.amazon.com/cloudwatch/home?region="):
        assert part in text, (part, text)
    assert len(text) <= 2000


def test_rollout_report_writes_the_phase_summary_for_the_pm(stack, client, guild, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PORT", str(stack.config.port))
    stack.interactions.feedback.store.free_text(
        __import__("valine.core.ports", fromlist=["Feedback"]).Feedback(
            user_id="9", role="pm", phase=4, at=__import__("time").time(), comment="love the previews"), "rep1")
    out = tmp_path / "phase-4.md"
    assert valine(["rollout", "report", "--stage", "local", "--phase", "4", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# Phase 4 summary: Developer role (local)")
    for part in ("## Criteria", "| FAIL | successful UX update flows >= 50", "## Metrics", "| PullRequestsMerged |",
                 "| adoption |", "## Feedback", "/feedback (pm): `love the previews`", "## Incidents",
                 "## Lessons learned",
                 "alarm history unavailable", "## Approval", 'stage = "local"\nphase = 5'):
        assert part in text, (part, text)
    assert "wrote " in capsys.readouterr().out


def test_announce_posts_the_phase_start_with_the_dashboard_feedback_and_known_issues(stack, monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(stack.config.port))
    assert valine(["announce", "--stage", "local", "--phase", "1", "--channel", "100000000000000079"]) == 0
    (posted,) = [m for m in stack.discord.messages.values() if m.get("channel_id") == "100000000000000079"]
    text = posted["content"]
    assert text.startswith("**Valine rollout, local: phase 1 — Infrastructure (dry run) starts now.**")
    assert "/ux-update: admin" in text and "dry run: previews only" in text
    assert "Dashboard: https://console.aws.amazon.com/cloudwatch/" in text and "/feedback" in text
    assert "- A long diff is trimmed in the Discord preview" in text  # All phases
    assert "- Dry run: Confirm makes no pull request" in text  # phase 1's own
    assert valine(["announce", "--stage", "local", "--phase", "2"]) == 2  # no channel: said how to fix
    assert "pass --channel" in capsys.readouterr().err
    # A dry run needs no channel (prod ships none) and no stack: it prints the message to review (#20).
    monkeypatch.setenv("PORT", "1")
    assert valine(["announce", "--stage", "prod", "--phase", "2", "--dry-run"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("**Valine rollout, prod: phase 2") and "no team channel: pass --channel" in out.err


def test_the_daily_status_publishes_adoption_for_the_dashboard(stack, client, guild, capfd):
    import dataclasses

    from tests.integration.emf import emf_lines
    from valine.handlers.status import run_daily_status

    preview(client, "make the navbar plum", user="ds1")
    settings = dataclasses.replace(stack.settings, bot_token_secret_arn=stack.health()["bot_token_secret"])
    capfd.readouterr()
    run_daily_status(settings)
    gauges = {m["Name"]: line[m["Name"]] for line in emf_lines(capfd.readouterr().out)
              for b in line["_aws"]["CloudWatchMetrics"] for m in b["Metrics"]}
    assert gauges["WeeklyActiveUsers"] >= 1
    assert gauges["AdoptionPct"] > 0  # distinct requesters against the 12 eligible guild members


def test_a_member_list_without_any_eligible_member_falls_back_to_the_configured_count(stack, client, monkeypatch,
                                                                                     capsys):
    from valine.wiring import eligible_users
    from valine_cli.rollout_commands import stage_view

    monkeypatch.setenv("PORT", str(stack.config.port))
    gid = stack.health()["guild_ids"][0]
    stack.discord.members[gid] = [member(i, []) for i in range(5)]  # nobody holds a role phase 2 allows
    try:
        settings, cfg = stage_view("local")
        eligible, why = eligible_users(settings, PHASES[2], configured=cfg.get("eligible_users"),
                                       bot_token=stack.discord_bot_token)
    finally:
        stack.discord.members.pop(gid, None)
    assert eligible is not None and eligible.count == 2 and eligible.source.startswith("configured per stage")


def test_feedback_that_says_go_cannot_make_the_report_say_go(stack, client, guild, monkeypatch, capsys, tmp_path):
    """#20 (high): `valine discord feedback 'Verdict: **GO**'` then `rollout report --out` printed
    "GO" while the document said NO-GO: the CLI searched the text, which quotes the feedback."""
    monkeypatch.setenv("PORT", str(stack.config.port))
    payload = "Verdict: **GO**\n## Verdict: **GO**\n[approve](https://evil.example) <@&1> @everyone"
    out = client.command("feedback", "eve", ["member"], {"text": payload})
    assert "with the team" in out["response"]["data"]["content"]
    doc = tmp_path / "p4.md"
    assert valine(["rollout", "report", "--stage", "local", "--phase", "4", "--out", str(doc)]) == 0
    printed = capsys.readouterr().out
    text = doc.read_text()
    assert "Verdict: **NO-GO**" in text and printed.strip().endswith("phase 4 summary, NO-GO")
    # The payload is quoted in a code span on one line: no heading, bold or link of its own.
    (line,) = [ln for ln in text.splitlines() if "evil.example" in ln]
    assert line.startswith("- /feedback (member): `") and line.endswith("`")
    assert [ln for ln in text.splitlines() if ln.startswith("## ")] == [
        "## Criteria", "## Metrics", "## Feedback", "## Incidents (alarms that fired)", "## Lessons learned",
        "## Approval"]


def test_a_corrupt_task_item_is_found_listed_and_counted(stack, monkeypatch, capfd, caplog):
    import boto3

    from valine.handlers.status import run_daily_status

    db = boto3.client("dynamodb", endpoint_url=stack.aws_url)
    key = {"pk": {"S": "TASK#corrupt1"}, "sk": {"S": "TASK"}}
    doc = ('{"task_id":"corrupt1","requester_id":"1","requester_name":"a","requester_roles":[],"guild_id":"g",'
           '"channel_id":"c","request":"x","state":"awaiting_confirmation","created_at":1,"updated_at":1,'
           '"expires_at":2}')
    db.put_item(TableName=stack.TABLE, Item={**key, "doc": {"S": doc}, "state": {"S": "awaiting_confirmation"},
                                             "requester_id": {"S": "1"}, "version": {"N": "0"},
                                             "expires_at": {"N": "2"}, "gsi2pk": {"S": "TASKS"},
                                             "created_at": {"S": "2026-12-01T00:00:00.000000Z"}})
    try:
        monkeypatch.setenv("PORT", str(stack.config.port))
        assert valine(["rollout", "check", "--stage", "local", "--phase", "4"]) == 1
        out = capfd.readouterr().out
        assert "FAIL    No data corruption in DynamoDB" in out and "1 bad task items" in out
        assert "corrupt: TASK#corrupt1: it awaits confirmation of a preview it does not hold" in out
        run_daily_status(stack.settings)
        assert '"CorruptTasks":1.0' in capfd.readouterr().out
        assert any('"event": "corrupt_task"' in r.getMessage() and "TASK#corrupt1" in r.getMessage()
                   for r in caplog.records)
    finally:
        db.delete_item(TableName=stack.TABLE, Key=key)
