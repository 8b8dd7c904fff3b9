"""GIVEN CloudWatch's alarm history (DescribeAlarmHistory, HistoryItemType StateUpdate, in the
shape AWS documents: HistoryData is a JSON string with oldState/newState) WHEN a phase is
checked THEN any alarm that fired in the window is a NO-GO, named with its time."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
from botocore.exceptions import ClientError

from tests.integration.test_rollout_check import by_name
from valine.adapters.cloudwatch import CloudWatchReader
from valine.core.phases import PHASES
from valine.ops.criteria import Verdict, evaluate, go

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
CLOUDWATCH = boto3.client("cloudwatch", region_name="us-east-1")


def item(name: str, state: str, at: dt.datetime) -> dict[str, Any]:
    return {"AlarmName": name, "Timestamp": at, "HistoryItemType": "StateUpdate",
            "HistorySummary": f"Alarm updated from OK to {state}",
            "HistoryData": json.dumps({"version": "1.0", "oldState": {"stateValue": "OK"},
                                       "newState": {"stateValue": state, "stateReason": "Threshold Crossed"}})}


class FakeCloudWatch:
    """describe_alarm_history in two pages; no metrics (every metric reads as no data)."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.pages = [items[:2], items[2:]]
        self.calls: list[dict[str, Any]] = []

    def describe_alarm_history(self, **kwargs: Any) -> dict[str, Any]:
        # Held to the real API's input shape (botocore's service model), as a real call would be.
        allowed = CLOUDWATCH.meta.service_model.operation_model("DescribeAlarmHistory").input_shape.members
        assert set(kwargs) <= set(allowed), set(kwargs) - set(allowed)
        self.calls.append(kwargs)
        page = 1 if kwargs.get("NextToken") else 0
        out: dict[str, Any] = {"AlarmHistoryItems": self.pages[page]}
        if page == 0:
            out["NextToken"] = "t1"
        return out

    def get_metric_data(self, **kwargs: Any) -> dict[str, Any]:
        return {"MetricDataResults": []}


def check(items: list[dict[str, Any]]):
    cw = FakeCloudWatch(items)
    reader = CloudWatchReader(cw)
    return evaluate(PHASES[3], stage="prod", reader=reader, alarms=reader, now=NOW, approval_for_next=None), cw


def test_an_alarm_that_fired_in_the_window_is_a_no_go_named_with_its_time():
    results, cw = check([
        item("valine-prod-OncallDrill", "ALARM", NOW - dt.timedelta(days=2)),  # a drill, not an incident
        item("valine-prod-WorkerErrorRate", "ALARM", NOW - dt.timedelta(days=3, hours=2)),
        item("valine-prod-WorkerErrorRate", "OK", NOW - dt.timedelta(days=3)),
        item("valine-dev-WorkerErrorRate", "ALARM", NOW - dt.timedelta(days=1)),  # another stage's
    ])
    r = by_name(results, "no alarm fired")
    assert r.verdict is Verdict.FAIL and not go(results)
    assert r.measured == "1 fired: valine-prod-WorkerErrorRate at 2026-11-26 10:00 UTC"
    assert cw.calls[0]["HistoryItemType"] == "StateUpdate"
    assert cw.calls[0]["StartDate"] == NOW - dt.timedelta(hours=PHASES[3].criteria.observation_hours)
    assert cw.calls[1]["NextToken"] == "t1"


def test_only_ok_and_drills_is_green():
    results, _ = check([item("valine-prod-OncallDrill", "ALARM", NOW), item("valine-prod-ApiLatencyP99", "OK", NOW)])
    assert by_name(results, "no alarm fired").verdict is Verdict.PASS


def test_an_endpoint_without_alarm_history_is_said_not_passed():
    class NoHistory(FakeCloudWatch):
        def describe_alarm_history(self, **kwargs: Any) -> dict[str, Any]:
            # What moto's server answers for an API it lacks: an HTTP 500, which botocore raises so.
            raise ClientError({"Error": {"Code": "500", "Message": "Internal Server Error"},
                               "ResponseMetadata": {"HTTPStatusCode": 500}}, "DescribeAlarmHistory")

    reader = CloudWatchReader(NoHistory([]))
    results = evaluate(PHASES[3], stage="prod", reader=reader, alarms=reader, now=NOW, approval_for_next=None)
    r = by_name(results, "no alarm fired")
    assert r.verdict is Verdict.MANUAL and "unavailable (ClientError" in r.measured


# ---- feedback as a measured criterion ------------------------------------------------------
def _votes(spec: list[tuple[float, int, str]], role: str = "admin"):
    from valine.core.ports import Feedback

    return [Feedback(user_id=str(i), role=role, phase=2, at=at, task_id=str(i), vote=v, comment=c)
            for i, (at, v, c) in enumerate(spec)]


def test_feedback_from_the_phases_people_passes_fails_and_lists_the_complaints():
    from valine.core.phases import PHASES
    from valine.ops.criteria import Verdict, feedback_result

    target = PHASES[2].criteria.feedback
    assert target is not None and target.min_responses == 3
    happy = feedback_result(target, _votes([(10, 1, ""), (20, 1, ""), (30, 1, "")]), 0, 100, "w")
    assert happy.verdict is Verdict.PASS and happy.measured == "3 votes, 100% 👍"
    few = feedback_result(target, _votes([(10, 1, "")]), 0, 100, "w")
    assert few.verdict is Verdict.NO_DATA and "too few responses" in few.measured  # no evidence is no pass
    others = feedback_result(target, _votes([(10, 1, "")] * 5, role="member"), 0, 100, "w")
    assert others.verdict is Verdict.NO_DATA and others.measured.startswith("0 votes")  # only admins count here
    unhappy = feedback_result(target, _votes([(10, 1, ""), (20, -1, "wrong file"), (30, -1, "")]), 0, 100, "w")
    # The comments are counted, never quoted in a verdict's line (the reports quote them, inert).
    assert unhappy.verdict is Verdict.FAIL and "33% 👍" in unhappy.measured and "1 👎 comment " in unhappy.measured
    assert "wrong file" not in unhappy.measured
    assert feedback_result(target, None, 0, 100, "w").verdict is Verdict.MANUAL


def test_a_negative_trend_is_a_no_go_even_when_the_total_looks_fine():
    from valine.core.phases import PHASES
    from valine.ops.criteria import Verdict, feedback_result

    target = PHASES[6].criteria.feedback
    early = [(t, 1, "") for t in range(0, 40, 2)]  # 20 👍 in the first half
    late = [(60, 1, ""), (70, -1, "slow"), (80, -1, "broke the page"), (90, -1, "")]
    result = feedback_result(target, _votes(early + late, role="member"), 0, 100, "w")
    assert "negative trend: 100% 👍 in the first half, 25% in the second" in result.measured
    assert result.verdict is Verdict.FAIL and "2 👎 comments" in result.measured


class _Reader:
    def __init__(self, values: dict[str, float]) -> None:
        self.values = values

    def stat(self, namespace, name, dimensions, stat, start, end, period_seconds=None):
        key = f"{name}:{dimensions.get('Parser', '')}"
        return [self.values[key]] if key in self.values else []


def test_the_phase_5_accuracy_criterion_is_the_proxy_with_a_minimum_sample():
    import datetime as dt

    from valine.core.phases import PHASES
    from valine.ops.criteria import Verdict, evaluate

    def accuracy(values):
        results = evaluate(PHASES[5], stage="s", reader=_Reader(values), now=dt.datetime.now(dt.UTC),
                           approval_for_next=None)
        return next(r for r in results if r.criterion.startswith("LLM parsing accuracy"))

    low = accuracy({"FirstPreviews:llm": 30, "ConfirmedUnchanged:llm": 15})
    assert low.verdict is Verdict.FAIL and low.measured == "50% (15 of 30)"
    good = accuracy({"FirstPreviews:llm": 30, "ConfirmedUnchanged:llm": 27})
    assert good.verdict is Verdict.PASS
    few = accuracy({"FirstPreviews:llm": 12, "ConfirmedUnchanged:llm": 2})
    assert few.verdict is Verdict.NO_DATA and "fewer than the 20" in few.measured


def test_adoption_of_an_unknown_population_is_no_go_in_prod_with_the_fix():
    from valine.ops.adoption import Adoption
    from valine.ops.criteria import Verdict, adoption_result

    one = Adoption(unique_window=1, unique_7d=1, unique_30d=1, eligible=None,
                   why_no_eligible="the bot lacks the Server Members intent")
    prod = adoption_result(20.0, one, "w", prod=True)
    assert prod.verdict is Verdict.FAIL and "Server Members intent" in prod.measured
    assert "eligible_users in cdk.json" in prod.measured
    assert adoption_result(20.0, one, "w").verdict is Verdict.MANUAL  # dev and local: a person judges
