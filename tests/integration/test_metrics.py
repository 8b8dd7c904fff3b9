"""EMF lines the running code prints are valid and match what the dashboard and alarms read."""

from __future__ import annotations

from tests.infra.conftest import template
from tests.infra.test_observability import dashboard_body
from valine.metrics import METRICS, NAMESPACE

from .conftest import preview
from .emf import emf_lines


def test_a_conversation_emits_valid_emf_for_the_dashboards_metrics(client, capfd):
    message = preview(client, "make the footer plum", user="emf")
    client.press(message["id"], "confirm", "emf", ["admin"])
    client.wait(message["id"], lambda m: "pull request #" in m["content"])
    cancelled = preview(client, "make the header plum", user="emf2")
    client.press(cancelled["id"], "cancel", "emf2", ["admin"])
    lines = emf_lines(capfd.readouterr().out)
    seen: dict[str, set[tuple[str, ...]]] = {}
    for line in lines:
        (directive,) = line["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == NAMESPACE
        assert isinstance(line["_aws"]["Timestamp"], int)
        for metric in directive["Metrics"]:
            name = metric["Name"]
            assert name in METRICS and metric["Unit"] == METRICS[name].unit, name
            assert isinstance(line[name], int | float)
            for dims in directive["Dimensions"]:
                assert all(d in line for d in dims), (name, dims)  # every dimension has its value
                seen.setdefault(name, set()).add(tuple(sorted(dims)))
    for name in ("Requests", "Previews", "Confirmations", "Cancellations", "PreviewToConfirmation",
                 "PullRequestsCreated", "PreviewLatency", "PullRequestLatency"):
        assert name in seen, name
    # The dashboard reads the Stage series and the per-role / per-section series that were emitted.
    body = dashboard_body(template(4, "dev"))
    assert ("Stage",) in seen["Previews"] and ("Agent", "Section", "Stage") in seen["Previews"]
    assert ("Agent", "Stage") in seen["Previews"]
    assert ("Agent", "Role", "Stage") in seen["Requests"]
    # Sections are the site's own: the widget searches the exact dimension set the worker emitted.
    emitted = ",".join(sorted(("Agent", "Section", "Stage")))
    assert f"SEARCH('{{{NAMESPACE},{emitted}}} MetricName=\\\"Previews\\\" Stage=\\\"dev\\\"'" in body
    assert f'["{NAMESPACE}","Requests","Agent","ux","Role","admin","Stage","dev"' in body
    assert f'["{NAMESPACE}","Previews","Agent","copy","Stage","dev"' in body


def test_tokens_never_reach_the_logs_even_when_discord_fails(client, stack, capfd, caplog):
    from valine_local.faults import parse_faults

    stack.discord.faults.set(parse_faults("PATCH @original -> drop x2"))
    out = client.command("ux-update", "leaky", ["admin"], {"request": "make the footer khaki"})
    message = client.wait_settled(out["message_id"], 0, timeout=30)
    assert "Confirm" in str(message["components"])  # delivered on a retry
    assert len(stack.discord.faults.hits) == 2
    printed = capfd.readouterr()
    text = printed.out + printed.err + "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert out["token"] not in text
    assert stack.github_token not in text and stack.discord_bot_token not in text


def test_log_records_carry_the_interaction_id_as_correlation_id(client, stack, caplog):
    import logging

    caplog.set_level(logging.INFO)
    stack.github.faults.set(__import__("valine_local.faults", fromlist=["x"]).parse_faults(
        "GET /contents/ -> 404 x1"))
    out = client.command("ux-update", "corr", ["admin"], {"request": "make the footer azure"})
    client.wait_settled(out["message_id"], 0)
    ids = {getattr(r, "correlation_id", None) for r in caplog.records if r.name.startswith("valine")}
    assert out["interaction_id"] in ids
