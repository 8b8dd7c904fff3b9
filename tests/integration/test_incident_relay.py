"""Incidents reach the team channel: the on-call topic's alarm notification (the JSON CloudWatch
publishes to SNS) through the relay function to a Discord channel message (the emulator, held to
Discord's spec), with the severity and the runbook section."""

from __future__ import annotations

import dataclasses
import json

from valine.handlers.relay import relay


def sns_event(*messages: dict) -> dict:
    return {"Records": [{"EventSource": "aws:sns", "Sns": {"Type": "Notification", "Message": json.dumps(m),
                                                           "TopicArn": "arn:aws:sns:us-east-1:1:valine-oncall-x"}}
                        for m in messages]}


def alarm(name: str, state: str, description: str = "[P1] worker error rate over the rollback trigger. "
          "Runbook: docs/runbook.md#high-error-rate-p1") -> dict:
    return {"AlarmName": name, "AlarmDescription": description, "AWSAccountId": "123456789012",
            "NewStateValue": state, "NewStateReason": "Threshold Crossed: 1 datapoint [2.5 (29/11/26 03:40:00)] "
            "was greater than the threshold (1.0).", "StateChangeTime": "2026-11-29T03:41:00.000+0000",
            "Region": "US East (N. Virginia)", "OldStateValue": "OK" if state == "ALARM" else "ALARM",
            "Trigger": {"MetricName": "Errors", "Namespace": "AWS/Lambda"}}


def test_an_alarm_and_its_recovery_are_posted_with_severity_and_runbook(stack):
    channel = "100000000000000080"
    settings = dataclasses.replace(stack.settings, status_channel_id=channel,
                                   bot_token_secret_arn=stack.health()["bot_token_secret"])
    out = relay(sns_event(alarm("valine-local-WorkerErrorRate", "ALARM"),
                          alarm("valine-local-WorkerErrorRate", "OK")), settings)
    assert out == {"posted": 2}
    posted = [m["content"] for m in stack.discord.messages.values() if m.get("channel_id") == channel]
    assert posted[0].startswith("🚨 **P1 incident** — `valine-local-WorkerErrorRate` is in ALARM: worker error rate")
    assert "Runbook: https://github.com/valine-orchestrator/valine/blob/main/docs/runbook.md#high-error-rate-p1" \
        in posted[0] and "Why: Threshold Crossed" in posted[0]
    assert posted[1].startswith("✅ **Resolved (P1)** — `valine-local-WorkerErrorRate` is OK again")


def test_the_drill_is_labelled_and_other_messages_are_ignored(stack):
    channel = "100000000000000081"
    settings = dataclasses.replace(stack.settings, status_channel_id=channel,
                                   bot_token_secret_arn=stack.health()["bot_token_secret"])
    drill = alarm("valine-local-OncallDrill", "ALARM", "[P3] paging drill. Runbook: docs/runbook.md#paging-drill-p3")
    confirmation = {"Type": "SubscriptionConfirmation", "Message": "You have chosen to subscribe"}
    assert relay(sns_event(drill, confirmation), settings) == {"posted": 1}
    (text,) = [m["content"] for m in stack.discord.messages.values() if m.get("channel_id") == channel]
    assert text.startswith("🔔 **Paging drill** — `valine-local-OncallDrill` is in ALARM")


def test_a_channel_post_that_fails_is_a_handled_failure(stack, capfd):
    settings = dataclasses.replace(stack.settings, status_channel_id="100000000000000082")
    assert relay(sns_event(alarm("valine-local-DeadLetters", "ALARM")), settings,
                 post=lambda channel, text: "HTTP 403") == {"posted": 0}
    assert '"Function":"relay"' in capfd.readouterr().out
