"""How the criteria judge what records hold rather than metrics: the alarm history, the votes,
adoption, the task items and the approvals (see ``valine.ops.judges`` for the metrics)."""

from __future__ import annotations

from collections.abc import Sequence

from valine.core.phases import PHASES, FeedbackTarget
from valine.core.ports import Feedback
from valine.ops.adoption import Adoption
from valine.ops.evidence import MANUAL_HOW, NOT_INCIDENTS, RECORD_IT, Inputs, Result, Verdict


def alarm_history(i: Inputs) -> Result | None:
    """"All green" means no rollback or paging alarm fired in the window, not just green now."""
    if i.alarms is None:
        return None
    criterion = f"no alarm fired ({i.span})"
    fired = i.alarms.fired(i.stage, i.start, i.end)
    if isinstance(fired, str):
        return Result(Verdict.MANUAL, criterion, f"alarm history unavailable ({fired}); read the dashboard's alarm "
                                                 "widget and the on-call channel for the window")
    incidents = [(name, at) for name, at in fired if not name.endswith(NOT_INCIDENTS)]
    if not incidents:
        return Result(Verdict.PASS, criterion, "none")
    shown = ", ".join(f"{name} at {at:%Y-%m-%d %H:%M} UTC" for name, at in incidents[:5])
    more = f" and {len(incidents) - 5} more" if len(incidents) > 5 else ""
    return Result(Verdict.FAIL, criterion, f"{len(incidents)} fired: {shown}{more}")


def feedback(i: Inputs) -> Result:
    target = i.phase.criteria.feedback
    assert target is not None
    return feedback_result(target, i.feedback, i.start.timestamp(), i.end.timestamp(), i.span)


def feedback_result(target: FeedbackTarget, given: Sequence[Feedback] | None, start: float, end: float,
                    span: str) -> Result:
    roles = {r.value for r in target.roles}
    criterion = (f"{target.label}: >= {target.min_responses} votes from {', '.join(sorted(roles))}, "
                 f">= {target.min_positive_pct:g}% 👍, no negative trend ({span})")
    if given is None:
        return Result(Verdict.MANUAL, criterion, "feedback not read; ask the people involved")
    votes = [f for f in given if f.vote and f.role in roles and start <= f.at <= end]
    up = sum(f.vote > 0 for f in votes)
    pct = 100.0 * up / len(votes) if votes else 0.0
    measured = f"{len(votes)} votes, {pct:.0f}% 👍"
    middle = (start + end) / 2
    first, second = ([f for f in votes if (f.at < middle) is early] for early in (True, False))
    trend = ""
    if len(first) >= 3 and len(second) >= 3:
        before, after = (100.0 * sum(f.vote > 0 for f in half) / len(half) for half in (first, second))
        if before - after > target.max_drop_pts:
            trend = f"; negative trend: {before:.0f}% 👍 in the first half, {after:.0f}% in the second"
    # What people wrote is never part of a verdict's text: the reports quote it, made inert, in
    # their feedback section, and a verdict is computed, never read back from rendered words.
    comments = sum(1 for f in votes if f.vote < 0 and f.comment)
    said = f"; {comments} 👎 comment{'s' if comments != 1 else ''} (see the feedback)" if comments else ""
    if len(votes) < target.min_responses:
        return Result(Verdict.NO_DATA, criterion, f"{measured}: too few responses (ask them to vote 👍/👎 on "
                                                  f"finished tasks or use /feedback){trend}{said}")
    ok = pct >= target.min_positive_pct and not trend
    return Result(Verdict.PASS if ok else Verdict.FAIL, criterion, f"{measured}{trend}{said}")


def adoption(i: Inputs) -> Result:
    need = i.phase.criteria.min_adoption_pct
    assert need is not None
    return adoption_result(need, i.adoption, i.span, prod=i.stage == "prod")


def adoption_result(min_pct: float, adoption: Adoption | None, span: str, *, prod: bool = False) -> Result:
    criterion = f"adoption > {min_pct:g}% of eligible users (distinct requesters, {span})"
    if adoption is None:
        return Result(Verdict.MANUAL, criterion, "adoption not read")
    pct = adoption.pct(adoption.unique_window)
    if pct is None or adoption.eligible is None:
        why = (f"{adoption.unique_window} requesters; eligible users unknown "
               f"({adoption.why_no_eligible or 'none counted'})")
        if prod:  # a share of an unknown population is no evidence: in prod that is NO-GO, with the fix
            return Result(Verdict.FAIL, criterion, why + ": turn on the bot's Server Members intent, or set "
                                                         "eligible_users in cdk.json's prod stage")
        return Result(Verdict.MANUAL, criterion, why)
    return Result(Verdict.PASS if pct > min_pct else Verdict.FAIL, criterion,
                  f"{adoption.unique_window} of {adoption.eligible.count} ({pct:.0f}%); eligible: "
                  f"{adoption.eligible.source}")


def weekly_active(i: Inputs) -> Result:
    need = i.phase.criteria.min_weekly_active
    label = f"weekly active users >= {need} (distinct requesters, last 7 days)"
    if i.adoption is None:
        return Result(Verdict.MANUAL, label, "adoption not read")
    return Result(Verdict.PASS if i.adoption.unique_7d >= (need or 0) else Verdict.FAIL, label,
                  f"{i.adoption.unique_7d}")


CORRUPTION = "No data corruption in DynamoDB"


def corruption(i: Inputs) -> Result | None:
    if i.corrupt is None:
        return None
    label = f"{CORRUPTION} (every task item parses and keeps its invariants)"
    if isinstance(i.corrupt, str):
        return Result(Verdict.NO_DATA, label, f"the tasks could not be read ({i.corrupt})")
    return Result(Verdict.PASS if i.corrupt == 0 else Verdict.FAIL, label,
                  "none" if i.corrupt == 0 else f"{i.corrupt} bad task items (valine rollout check lists their keys)")


def manual(i: Inputs) -> list[Result]:
    """What only a person can answer, each with how to find out."""
    return [Result(Verdict.MANUAL, item, MANUAL_HOW.get(item, RECORD_IT)) for item in i.phase.criteria.manual
            if not (item == CORRUPTION and i.corrupt is not None)]  # measured when the items were read


def next_approval(i: Inputs) -> Result | None:
    nxt = PHASES.get(i.phase.number + 1)
    if nxt is None or i.approval_for_next is None:
        return None
    recorded, found = i.approval_for_next
    which = f"phase {nxt.number}" + (f" (or {nxt.number + 1}, skipping it)" if nxt.optional else "")
    return Result(Verdict.PASS if recorded else Verdict.FAIL,
                  f"PM approval for {which} recorded in rollout/approvals.toml", found)
