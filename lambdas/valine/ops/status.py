"""The scheduled status function: every day the last 24 hours' key metrics, every Monday the
weekly report, both to the team channel. It decides and writes text; the composition root
(``valine.wiring.support.build_status``) gives it CloudWatch, the tables and the channel."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from valine.core.phases import PhaseConfig
from valine.core.ports import Feedback, Metrics, TaskStore
from valine.ops.adoption import Adoption, Eligible, measure
from valine.ops.criteria import AlarmHistory, MetricsReader
from valine.ops.daily import daily_report
from valine.ops.report import gather, weekly_text

log = logging.getLogger("valine.status")
DAY = 86400


@dataclass(frozen=True)
class StatusReports:
    """What the daily status and the weekly report read, and where they post.

    ``post(channel, text)`` returns "" when posted, else why not; None when nothing can post.
    ``eligible()`` says who may use the bot in this phase (or why that is unknown)."""

    phase: PhaseConfig
    stage: str
    region: str
    channel: str
    reader: MetricsReader
    alarms: AlarmHistory
    tasks: TaskStore
    feedback: Callable[[float, float], list[Feedback]]
    eligible: Callable[[], tuple[Eligible | None, str]]
    table_items: Callable[[], int]
    metrics: Metrics
    post: Callable[[str, str], str] | None
    # The task items as stored, created in a window, and the store's reader of one: the integrity check.
    task_items: Callable[[float, float], list[dict[str, Any]]] | None = None
    parse_item: Callable[[dict[str, Any]], Any] | None = None

    def adoption(self, now: dt.datetime) -> Adoption:
        eligible, why = self.eligible()
        tasks = self.tasks.created_between(now.timestamp() - 30 * DAY, now.timestamp())
        return measure(tasks, now=now.timestamp(), window_hours=7 * 24, eligible=eligible, why_no_eligible=why)

    def daily(self, now: dt.datetime | None = None) -> dict[str, Any]:
        now = now or dt.datetime.now(dt.UTC)
        text = daily_report(phase=self.phase, stage=self.stage, now=now, region=self.region, reader=self.reader)
        # DynamoDB has no item-count metric; DescribeTable's (refreshed about every 6 hours) feeds the dashboard.
        self.metrics.count("TableItemCount", float(self.table_items()))
        self._publish_adoption(now)
        bad = self._check_integrity(now)
        if bad:
            text += (f"\n❌ {len(bad)} task items in the table are corrupt (the CorruptTasks alarm pages): "
                     + "; ".join(f"{key}: {why}" for key, why in bad[:3]))
        return self._send("daily_status", text)

    def _check_integrity(self, now: dt.datetime) -> list[tuple[str, str]]:
        """Every task item of the audit retention parses and keeps its invariants; the bad ones are
        counted (CorruptTasks, alarmed) and logged with their keys."""
        from valine.ops.integrity import problems

        if self.task_items is None or self.parse_item is None:
            return []
        try:
            bad = problems(self.task_items(now.timestamp() - 90 * DAY, now.timestamp()), self.parse_item)
        except Exception:  # the count stays missing (the alarm treats that as no breach); the log says why
            log.exception("the integrity check could not read the tasks")
            return []
        self.metrics.count("CorruptTasks", float(len(bad)))
        for key, why in bad:
            log.error(json.dumps({"event": "corrupt_task", "key": key, "problem": why}))
        return bad

    def weekly(self, now: dt.datetime | None = None) -> dict[str, Any]:
        """The plan's weekly report: the phase's criteria over 7 days with measured values, adoption,
        confirmation and rejection rates, feedback and the alarms that fired."""
        now = now or dt.datetime.now(dt.UTC)
        evidence = gather(self.phase, stage=self.stage, now=now, hours=7 * 24, reader=self.reader,
                          alarms=self.alarms, feedback=self.feedback, adoption=self.adoption(now),
                          region=self.region)
        return self._send("weekly_report", weekly_text(evidence))

    def _publish_adoption(self, now: dt.datetime) -> None:
        """The dashboard's adoption: distinct requesters in 30 days against the eligible users, daily."""
        try:
            adoption = self.adoption(now)
        except Exception:  # the daily status still goes out; the gauge waits for tomorrow
            log.exception("adoption not measured")
            return
        self.metrics.count("WeeklyActiveUsers", float(adoption.unique_7d))
        pct = adoption.pct(adoption.unique_30d)
        if pct is not None:
            self.metrics.percent("AdoptionPct", pct)

    def _send(self, event: str, text: str) -> dict[str, Any]:
        if self.post is None or not self.channel:
            log.info(json.dumps({"event": event, "posted": False, "text": text}))
            return {"posted": False, "text": text}
        problem = self.post(self.channel, text)
        if problem:
            # Lambda sees a successful invocation; the StatusErrors alarm reads this instead.
            self.metrics.count("HandledFailures", Function="status")
        log.info(json.dumps({"event": event, "posted": not problem, "problem": problem}))
        return {"posted": not problem, "text": text}
