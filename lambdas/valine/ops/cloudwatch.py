"""MetricsReader on CloudWatch GetMetricData."""

from __future__ import annotations

import datetime as dt
from typing import Any


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
