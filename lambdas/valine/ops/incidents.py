"""The plan's "immediate notification of any incidents": a CloudWatch alarm's SNS notification
as a message in the team channel, with its severity and the runbook section to follow."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from valine.core.ports import Metrics
from valine.discord.types import PROJECT_URL
from valine.markup import code_span, discord_text

log = logging.getLogger("valine.relay")

_DESCRIPTION = re.compile(r"^\[(?P<severity>P\d)\]\s*(?P<what>.*?)\.?\s*Runbook:\s*(?P<runbook>\S+)\s*$")


def incident_text(message: Mapping[str, Any], *, drill_suffix: str = "OncallDrill") -> str | None:
    """The channel message for one alarm notification, or None for a notification that is not
    an alarm's (SNS's own subscription messages, for example)."""
    name = str(message.get("AlarmName") or "")
    state = str(message.get("NewStateValue") or "")
    if not name or state not in ("ALARM", "OK", "INSUFFICIENT_DATA"):
        return None
    m = _DESCRIPTION.match(str(message.get("AlarmDescription") or ""))
    severity, what, runbook = (m.group("severity"), m.group("what"), m.group("runbook")) if m else ("P?", "", "")
    # Only the project's own runbook pages become links; anything else in a description is text.
    link = f"{PROJECT_URL}/blob/main/{runbook}" if re.fullmatch(r"docs/[\w./#-]+", runbook) else discord_text(runbook)
    reason = discord_text(str(message.get("NewStateReason") or ""))[:600]
    drill = name.endswith(drill_suffix)
    if state == "ALARM":
        head = ("🔔 **Paging drill**" if drill else f"🚨 **{severity} incident**") + f" — {code_span(name)} is in ALARM"
    elif state == "OK":
        head = f"✅ **Resolved ({severity})** — {code_span(name)} is OK again"
    else:
        head = f"⚠️ **{severity}** — {code_span(name)} has insufficient data (its metric stopped arriving)"
    lines = [head + (f": {discord_text(what)}" if what else ""), f"Why: {reason}" if reason else ""]
    if runbook and state != "OK":
        lines.append(f"Runbook: {link}")
    when = str(message.get("StateChangeTime") or "")
    if when:
        lines.append(f"At {discord_text(when)}")
    return "\n".join(line for line in lines if line)


def notifications(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The alarm notifications in an SNS-to-Lambda event."""
    out = []
    for record in event.get("Records") or []:
        try:
            body = json.loads(((record or {}).get("Sns") or {}).get("Message") or "")
        except ValueError:
            continue
        if isinstance(body, dict):
            out.append(body)
    return out


def relay(event: Mapping[str, Any], *, channel: str, post: Callable[[], Callable[[str, str], str]],
          metrics: Metrics) -> dict[str, Any]:
    """Post each alarm notification of an SNS event to the team channel. ``post`` builds the
    channel poster (it reads the bot token) only when there is something to post."""
    texts = [t for t in (incident_text(n) for n in notifications(event)) if t]
    if not texts:
        return {"posted": 0}
    if not channel:
        log.info(json.dumps({"event": "incident_relay", "posted": 0, "why": "no team channel", "texts": texts}))
        return {"posted": 0}
    send = post()
    posted = 0
    for text in texts:
        problem = send(channel, text)
        if problem:
            # SNS retries a failed Lambda delivery; a handled failure is counted and logged instead,
            # because on-call already has the page: the channel message is the courtesy copy.
            metrics.count("HandledFailures", Function="relay")
            log.warning(json.dumps({"event": "incident_relay", "problem": problem}))
        else:
            posted += 1
    return {"posted": posted}
