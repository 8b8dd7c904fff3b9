"""The plan's reports from measured evidence: the weekly report (Discord, every Monday) and
the phase summary that the PM approval request attaches (Markdown, ``valine rollout report``).

Evidence is gathered once from the real data paths: CloudWatch (metrics and alarm history), the
tasks table (adoption, pull-request outcomes) and the feedback in the table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from valine.core.names import dashboard_url
from valine.core.phases import PhaseConfig
from valine.core.ports import Feedback
from valine.markup import code_span, discord_text
from valine.metrics import NAMESPACE
from valine.ops.adoption import Adoption
from valine.ops.criteria import (
    NOT_INCIDENTS,
    AlarmHistory,
    Measured,
    MetricsReader,
    PhaseWindow,
    Result,
    Verdict,
    evaluate,
    go,
)

TOTALS = ("Requests", "Previews", "Confirmations", "Cancellations", "ConversationsExpired", "PullRequestsCreated",
          "PullRequestsFailed", "PullRequestsMerged", "PullRequestsRejected", "PullRequestsReopened")


@dataclass(frozen=True)
class Evidence:
    phase: PhaseConfig
    stage: str
    start: dt.datetime
    end: dt.datetime
    results: list[Result]
    totals: dict[str, float]
    feedback: list[Feedback]
    adoption: Adoption | None
    incidents: list[tuple[str, dt.datetime]] | str  # or why the alarm history could not be read
    region: str
    preview_p95_ms: float | None = None  # the plan's "P95 response time < 5 s", request to preview

    @property
    def hours(self) -> int:
        return round((self.end - self.start).total_seconds() / 3600)

    def rejection_rate(self) -> str:
        """Pull requests closed unmerged, of those closed: a closed one reopened later is no rejection."""
        rejected = max(0.0, self.totals.get("PullRequestsRejected", 0.0) - self.totals.get("PullRequestsReopened", 0.0))
        closed = rejected + self.totals.get("PullRequestsMerged", 0.0)
        if not closed:
            return "n/a (none yet)"
        return f"{100.0 * rejected / closed:.0f}% ({rejected:.0f} of {closed:.0f})"

    def rate(self, part: str, whole: str | tuple[str, ...]) -> str:
        wholes = (whole,) if isinstance(whole, str) else whole
        denominator = sum(self.totals.get(w, 0.0) for w in wholes)
        if not denominator:
            return "n/a (none yet)"
        return f"{100.0 * self.totals.get(part, 0.0) / denominator:.0f}% ({self.totals.get(part, 0.0):.0f} of " \
               f"{denominator:.0f})"


def gather(phase: PhaseConfig, *, stage: str, now: dt.datetime, hours: int, reader: MetricsReader,
           alarms: AlarmHistory, feedback: Callable[[float, float], list[Feedback]],
           adoption: Adoption | None, approval_for_next: tuple[bool, str] | None = None,
           region: str = "us-east-1", ran: PhaseWindow | None = None, require_ran: bool = False,
           corrupt: int | str | None = None, baseline: Measured | None = None) -> Evidence:
    start = now - dt.timedelta(hours=hours)
    if ran is not None:
        start = max(start, ran.since)
    given = feedback(start.timestamp(), now.timestamp())
    results = evaluate(phase, stage=stage, reader=reader, now=now, approval_for_next=approval_for_next,
                       hours=hours, alarms=alarms, feedback=given, adoption=adoption, ran=ran,
                       require_ran=require_ran, corrupt=corrupt, baseline=baseline)
    totals = {name: float(sum(reader.stat(NAMESPACE, name, {"Stage": stage}, "Sum", start, now))) for name in TOTALS}
    fired = alarms.fired(stage, start, now)
    incidents = fired if isinstance(fired, str) else [(n, at) for n, at in fired if not n.endswith(NOT_INCIDENTS)]
    p95 = max(reader.stat(NAMESPACE, "PreviewLatency", {"Stage": stage}, "p95", start, now), default=None)
    return Evidence(phase=phase, stage=stage, start=start, end=now, results=results, totals=totals, feedback=given,
                    adoption=adoption, incidents=incidents, region=region, preview_p95_ms=p95)


def _feedback_lines(given: Sequence[Feedback], inert: Callable[[str], str]) -> list[str]:
    """``inert`` renders what a person typed so it cannot become a heading, link, mention or a
    line of its own where it is shown (Discord or GitHub Markdown)."""
    votes = [f for f in given if f.vote]
    if not given:
        return ["none given"]
    by_role = Counter(f.role for f in votes)
    up = sum(f.vote > 0 for f in votes)
    lines = [f"{len(votes)} votes, {100.0 * up / len(votes):.0f}% helpful" if votes else "no votes"]
    lines += [f"{role}: {n} votes, {100.0 * sum(f.vote > 0 for f in votes if f.role == role) / n:.0f}% helpful"
              for role, n in sorted(by_role.items())]
    words = [f for f in sorted(given, key=lambda f: f.at) if f.comment]
    lines += [f"{'👎' if f.vote < 0 else ('👍' if f.vote > 0 else '/feedback')} ({f.role}): {inert(f.comment[:200])}"
              for f in words[-10:]]
    return lines


def _adoption_line(a: Adoption | None) -> str:
    if a is None:
        return "not measured"
    eligible = (f" of {a.eligible.count} eligible ({a.pct(a.unique_30d):.0f}% in 30 days; {a.eligible.source})"
                if a.eligible and a.pct(a.unique_30d) is not None else f"; eligible unknown ({a.why_no_eligible})")
    return f"{a.unique_7d} weekly active, {a.unique_30d} in 30 days{eligible}"


def _incident_lines(e: Evidence) -> list[str]:
    if isinstance(e.incidents, str):
        return [f"alarm history unavailable ({e.incidents}); read the dashboard's alarm widget"]
    return [f"{name} at {at:%Y-%m-%d %H:%M} UTC" for name, at in e.incidents] or ["none"]


def weekly_text(e: Evidence) -> str:
    """The Monday report for the team channel (one Discord message, within 2,000 characters)."""
    mark = {Verdict.PASS: "✅", Verdict.FAIL: "❌", Verdict.MANUAL: "❔", Verdict.NO_DATA: "⬜"}
    lines = [f"**Valine weekly report** — {e.stage}, rollout phase {e.phase.number} ({e.phase.name}), "
             f"{e.start:%Y-%m-%d} to {e.end:%Y-%m-%d}: {'on track' if go(e.results) else 'OFF TRACK'}"]
    lines += [f"{mark[r.verdict]} {r.criterion}: {r.measured}"[:220] for r in e.results]
    lines.append(f"**Adoption**: {_adoption_line(e.adoption)}")
    lines.append(f"**Confirmation rate** (previews confirmed): {e.rate('Confirmations', 'Previews')}")
    lines.append(f"**Rejection rate** (PRs closed unmerged): "
                 f"{e.rejection_rate()}")
    lines.append("**P95 request to preview** (plan: < 5 s): " + ("no previews" if e.preview_p95_ms is None
                                                                  else f"{e.preview_p95_ms:.0f} ms"))
    lines.append("**Feedback**: " + "; ".join(_feedback_lines(e.feedback, discord_text)[:4]))
    lines.append("**Alarms fired**: " + "; ".join(_incident_lines(e)[:5]))
    lines.append(f"Dashboard: {dashboard_url(e.stage, e.region)}")
    text = "\n".join(lines)
    return text if len(text) <= 2000 else text[:1990] + "\n…"


def phase_markdown(e: Evidence, *, approver_hint: str) -> str:
    """The phase summary the PM approval request attaches."""
    out = [f"# Phase {e.phase.number} summary: {e.phase.name} ({e.stage})", "",
           f"Window: {e.start:%Y-%m-%d %H:%M} to {e.end:%Y-%m-%d %H:%M} UTC ({e.hours} h). "
           f"Verdict: **{'GO' if go(e.results) else 'NO-GO'}**. Dashboard: {dashboard_url(e.stage, e.region)}", "",
           "## Criteria", "", "| verdict | criterion | measured |", "|---|---|---|"]
    out += [f"| {r.verdict.value} | {r.criterion} | {r.measured.replace('|', '/')} |" for r in e.results]
    out += ["", "## Metrics", "", "| metric | value |", "|---|---|"]
    out += [f"| {name} | {value:.0f} |" for name, value in e.totals.items()]
    out += [f"| confirmation rate | {e.rate('Confirmations', 'Previews')} |",
            f"| rejection rate | {e.rejection_rate()} |",
            f"| adoption | {_adoption_line(e.adoption)} |",
            f"| P95 request to preview | {'n/a' if e.preview_p95_ms is None else f'{e.preview_p95_ms:.0f} ms'} |"]
    out += ["", "## Feedback", ""] + [f"- {line}" for line in _feedback_lines(e.feedback, code_span)]
    out += ["", "## Incidents (alarms that fired)", ""] + [f"- {line}" for line in _incident_lines(e)]
    out += ["", "## Lessons learned", "",
            "What this phase taught: what went wrong, what surprised the team, what to change before the next "
            "phase. Draft it here with the team; the PM's approval record keeps it (`lessons = \"...\"` in "
            "rollout/approvals.toml), and a prod deploy of the next phase needs it.", "", "- ", ""]
    out += ["## Approval", "", approver_hint, ""]
    return "\n".join(out)
