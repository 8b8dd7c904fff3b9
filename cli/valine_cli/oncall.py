"""``valine oncall test``: a paging drill against a deployed stage.

It sets the stage's dedicated drill alarm (``valine-<stage>-OncallDrill``, which watches a
metric nothing emits) to ALARM and back to OK, then reads the alarm's history for what
CloudWatch did with the two notifications. CloudWatch records each action it ran as
"Successfully executed action arn:aws:sns:..." or "Failed to execute action ...": the
second is what a topic policy without the CloudWatch allow produces.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

from valine.core import names
from valine_cli import options
from valine_cli.aws_stage import aws, operator, resource_suffix, stage_endpoint

# Subscriptions a person reads: email, SMS, a mobile push application, or HTTPS (PagerDuty, Opsgenie,
# AWS Chatbot's Slack/Teams integration). A Lambda (the incident relay) or a queue is not on-call.
HUMAN_PROTOCOLS = ("email", "email-json", "sms", "https", "application")


@dataclass(frozen=True)
class Subscription:
    protocol: str
    endpoint: str
    confirmed: bool

    @property
    def human(self) -> bool:
        return self.protocol in HUMAN_PROTOCOLS

    def describe(self) -> str:
        kind = "" if self.human else " (not a person: the incident relay or a queue)"
        return f"{self.protocol} {self.endpoint}{kind}" + ("" if self.confirmed else
                                                           " (PENDING CONFIRMATION: gets nothing)")


def paged(subs: list[Subscription]) -> tuple[list[Subscription], str]:
    """The confirmed subscriptions a person reads, and a line saying who is paged and who is not."""
    people = [s for s in subs if s.human and s.confirmed]
    others = [s for s in subs if not s.human and s.confirmed]
    pending = [s for s in subs if s.human and not s.confirmed]
    line = (f"confirmed for people: {[f'{s.protocol} {s.endpoint}' for s in people] or 'none'}"
            + (f"; pending confirmation: {[f'{s.protocol} {s.endpoint}' for s in pending]}" if pending else "")
            + (f"; also (not on-call): {[f'{s.protocol} {s.endpoint}' for s in others]}" if others else ""))
    return people, line


def drill_alarm_name(stage: str) -> str:
    return names.alarm_name(stage, "OncallDrill")


def subscriptions(sns: Any, topic_arn: str) -> list[Subscription]:
    out = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        for sub in page["Subscriptions"]:
            arn = sub.get("SubscriptionArn", "")
            out.append(Subscription(sub["Protocol"], sub["Endpoint"], arn.startswith("arn:")))
    return out


def cmd_oncall(args: argparse.Namespace) -> int:
    endpoint, _ = stage_endpoint(args)
    if args.stage == "local":
        from valine_cli.aws_stage import local_health, require_deployed_locally

        require_deployed_locally(endpoint or local_health()["aws_url"], resource_suffix(args), "oncall test")
    cw, sns = aws("cloudwatch", endpoint), aws("sns", endpoint)
    name = drill_alarm_name(resource_suffix(args))
    found = cw.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    if not found:
        print(f"FAIL   no alarm {name}: is valine-orchestrator-{args.stage} deployed with this version?")
        return 1
    alarm = found[0]
    topics = [a for a in alarm.get("AlarmActions", []) if a.startswith("arn:") and ":sns:" in a]
    if not topics or topics != [a for a in alarm.get("OKActions", []) if ":sns:" in a]:
        print(f"FAIL   {name} does not notify one SNS topic on ALARM and OK (actions: {alarm.get('AlarmActions')})")
        return 1
    topic = topics[0]
    subs = subscriptions(sns, topic)
    who = operator()
    started = dt.datetime.now(dt.UTC)
    for state in ("ALARM", "OK"):
        cw.set_alarm_state(AlarmName=name, StateValue=state,
                           StateReason=f"Paging drill by {who} (valine oncall test), {state}")
        print(f"set {name} to {state} at {dt.datetime.now(dt.UTC):%H:%M:%S} UTC")
        if state == "ALARM":
            time.sleep(args.wait)
    now_state = cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["StateValue"]
    print(f"\nOn-call should have received 2 notifications from {topic}: '{name}' ALARM, then OK, "
          f"both saying 'Paging drill by {who}'. Where:")
    for sub in subs or []:
        print(f"  - {sub.describe()}")
    if not subs:
        print("  - nowhere: the topic has no subscription (set stages.<stage>.oncall in cdk.json and deploy)")
    verdict = _delivery(cw, name, started)
    print(verdict[1])
    people, line = paged(subs)
    print(line)
    if not people:
        print("FAILED: no person is subscribed with a confirmed email, SMS, HTTPS or push subscription; only "
              "the relay (or nothing) got the drill. Confirm the subscription (docs/runbook.md#paging-drill).")
    ok = verdict[0] is True and now_state == "OK" and bool(people)
    print("\nPASS: the drill paged on-call." if ok else "\nNOT PASSED: see above; fix it before relying on alarms.")
    return 0 if ok else 1


def _delivery(cw: Any, name: str, since: dt.datetime) -> tuple[bool | None, str]:
    """What CloudWatch's action history says about the drill's notifications."""
    try:
        until = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
        items = cw.describe_alarm_history(AlarmName=name, HistoryItemType="Action", StartDate=since,
                                          EndDate=until)["AlarmHistoryItems"]
    except Exception as exc:  # moto: "The describe_alarm_history action has not been implemented"
        return None, (f"UNVERIFIED: this AWS endpoint cannot show the alarm's action history ({type(exc).__name__}: "
                      f"{str(exc)[:120]}); ask on-call whether both notifications arrived")
    summaries = [i.get("HistorySummary", "") for i in items]
    failed = [s for s in summaries if s.lower().startswith("failed")]
    if failed:
        return False, "FAILED: CloudWatch could not publish: " + "; ".join(failed[:2]) + \
            " (check the topic policy: docs/runbook.md#paging-drill)"
    done = [s for s in summaries if "successfully executed" in s.lower()]
    if len(done) >= 2:
        return True, f"DELIVERED to SNS: {json.dumps(done[:2])}"
    return None, "UNVERIFIED: CloudWatch has not recorded both actions yet; run again with a longer --wait"


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("oncall", help="paging drill: the drill alarm to ALARM and back; what on-call should get")
    osub = p.add_subparsers(dest="oncall_action", required=True)
    t = osub.add_parser("test", help="set valine-<stage>-OncallDrill to ALARM, then OK, and check delivery")
    options.stage(t)
    t.add_argument("--wait", type=float, default=10.0, help="seconds in ALARM before OK (default %(default)s)")
    t.set_defaults(handler=cmd_oncall)
