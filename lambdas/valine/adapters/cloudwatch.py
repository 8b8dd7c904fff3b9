"""MetricsReader on CloudWatch GetMetricData."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from valine.core.names import alarm_name


class CloudWatchReader:
    def __init__(self, client: Any) -> None:
        self._cw = client

    def stat(self, namespace: str, name: str, dimensions: dict[str, str], stat: str, start: dt.datetime,
             end: dt.datetime, period_seconds: int | None = None) -> list[float]:
        period = period_seconds or max(60, int((end - start).total_seconds()) // 60 * 60)
        response = self._cw.get_metric_data(
            MetricDataQueries=[{"Id": "m", "ReturnData": True, "MetricStat": {
                "Metric": {"Namespace": namespace, "MetricName": name,
                           # Sorted: CloudWatch ignores the order, moto (the local stand-in) does not.
                           "Dimensions": [{"Name": k, "Value": v} for k, v in sorted(dimensions.items())]},
                "Period": period, "Stat": stat}}],
            StartTime=start, EndTime=end)
        values: list[float] = []
        for result in response.get("MetricDataResults", []):
            values.extend(float(v) for v in result.get("Values", []) if v is not None)
        return values

    def fired(self, stage: str, start: dt.datetime, end: dt.datetime) -> list[tuple[str, dt.datetime]] | str:
        """State changes to ALARM of the stage's alarms (``valine-<stage>-*``) in the window."""
        out: list[tuple[str, dt.datetime]] = []
        prefix = alarm_name(stage, "")
        # DescribeAlarmHistory takes one alarm name or none (no prefix): read the account's, keep the stage's.
        kwargs: dict[str, Any] = {"HistoryItemType": "StateUpdate", "StartDate": start, "EndDate": end,
                                  "ScanBy": "TimestampAscending"}
        try:
            while True:
                page = self._cw.describe_alarm_history(**kwargs)
                for item in page.get("AlarmHistoryItems", []):
                    data = json.loads(item.get("HistoryData") or "{}")
                    if str(item.get("AlarmName", "")).startswith(prefix) and \
                            (data.get("newState") or {}).get("stateValue") == "ALARM":
                        out.append((str(item["AlarmName"]), item["Timestamp"]))
                if not page.get("NextToken"):
                    return out
                kwargs["NextToken"] = page["NextToken"]
        except Exception as exc:  # e.g. moto: not implemented; AWS: no cloudwatch:DescribeAlarmHistory
            return f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}"
