"""Discord's order, over real HTTP: the deferred message exists only once the endpoint's answer has
reached Discord, and the worker may be faster than that. Every outcome must still reach the person."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.integration.conftest import wait_for
from valine.discord.types import DISCORD_EPOCH_MS, InteractionType
from valine_local.faults import parse_faults

THINKING = "Valine is thinking…"


def _original_404s(stack, token: str) -> int:
    return sum(1 for method, path, status in stack.discord.requests
               if method == "PATCH" and token in path and path.endswith("@original") and status == 404)


def test_a_worker_faster_than_discord_waits_for_the_deferred_message(client, stack):
    # GIVEN the endpoint's answer takes a second to reach Discord, and a request the worker answers at once
    stack.discord.answer_delay = 1.0
    try:
        out = client.command("ux-update", "order-early", ["admin"], {"request": "make it nicer"})
    finally:
        stack.discord.answer_delay = 0.0
    # THEN the worker's first edit met Discord's 404 (10008), waited, and the question still arrived
    assert _original_404s(stack, out["token"]) >= 1
    message = client.wait_settled(out["message_id"], 0)
    assert message["content"] != THINKING and "Edit request" in str(message["components"])


def test_an_answer_that_reached_discord_first_is_edited_without_a_404(client, stack):
    # GIVEN the worker is slow (GitHub answers late), so Discord has the deferred message first
    stack.github.faults.set(parse_faults("GET .* -> timeout:0.4 x1; POST /graphql -> timeout:0.4 x1"))
    out = client.command("ux-update", "order-late", ["admin"], {"request": "make the footer navy"})
    message = client.wait_settled(out["message_id"], 0)
    # THEN the preview is there and the worker never met a missing message
    assert "Confirm" in str(message["components"])
    assert _original_404s(stack, out["token"]) == 0


def test_a_deleted_message_gets_the_outcome_as_a_follow_up(client, stack):
    # GIVEN an interaction made long enough ago that its deferred message must exist, whose message
    # was deleted before the (slow) worker answered
    stack.github.faults.set(parse_faults("POST /graphql -> timeout:1 x1; GET .* -> timeout:1 x1"))
    interaction = client._interaction(InteractionType.APPLICATION_COMMAND, "order-gone", ["admin"], {
        "id": "1", "name": "ux-update", "type": 1,
        "options": [{"name": "request", "type": 3, "value": "make the footer teal"}]})
    interaction["id"] = str((int((time.time() - 30) * 1000) - DISCORD_EPOCH_MS) << 22)
    out = client._exchange(interaction, None)
    app = stack.settings.application_id
    deleted = requests.delete(f"{stack.discord.url}/api/v10/webhooks/{app}/{out['token']}/messages/@original",
                              timeout=5)
    assert deleted.status_code == 204
    # THEN the preview arrives as a follow-up message on the same token
    followup = wait_for(lambda: next((m for m in client.messages() if "followup_of" in m
                                      and "Confirm" in str(m.get("components"))
                                      and out["token"] and "footer" in m.get("content", "")), None))
    assert followup, "the outcome never reached the person"


def test_a_hundred_quick_requests_all_end_in_a_visible_answer(client, stack):
    # GIVEN 100 requests sent as fast as the client can, half answered at once (a question), half
    # previews, with the endpoint's answer taking 150 ms to reach Discord (a slow network path)
    stack.discord.answer_delay = 0.15
    requests_ = ["make it nicer" if i % 2 else f"make the footer {['navy', 'teal', 'ivory', 'olive'][i % 4 // 2]}"
                 for i in range(100)]
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            outs = list(pool.map(lambda p: client.command("ux-update", f"quick{p[0] % 10}", ["admin"],
                                                          {"request": p[1]}), enumerate(requests_)))
    finally:
        stack.discord.answer_delay = 0.0
    assert all(o["status"] == 200 and o["response"]["type"] == 5 for o in outs)
    # THEN every one of them shows an answer: a question or a preview, never "thinking" forever
    ids = {o["message_id"] for o in outs}

    def shown() -> list[dict]:
        return [m for m in client.messages() if m["id"] in ids]

    wait_for(lambda: all(m["content"] != THINKING for m in shown()), timeout=60)
    settled = shown()
    stuck = [m["id"] for m in settled if m["content"] == THINKING]
    assert not stuck, f"{len(stuck)} of 100 were left at 'thinking'"
    assert sum("Confirm" in str(m["components"]) for m in settled) == 50
