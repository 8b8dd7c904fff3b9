"""What CloudWatch does with the EMF lines a function prints, done against CloudWatch on moto."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any


def emf_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith('{"_aws"')]


def publish(cw: Any, lines: list[dict[str, Any]], *, stage: str | None = None) -> int:
    """Put each line's metrics with each of its dimension sets, as CloudWatch Logs does for EMF.

    ``stage`` replaces the Stage dimension value, so a test can read its own points under a
    stage no other test writes to. Returns the number of data points put.
    """
    points = 0
    for line in lines:
        directive = line["_aws"]
        at = dt.datetime.fromtimestamp(directive["Timestamp"] / 1000, dt.UTC)
        values = {**line, **({"Stage": stage} if stage else {})}
        for block in directive["CloudWatchMetrics"]:
            for metric in block["Metrics"]:
                for dims in block["Dimensions"]:
                    cw.put_metric_data(Namespace=block["Namespace"], MetricData=[{
                        "MetricName": metric["Name"], "Value": float(line[metric["Name"]]), "Timestamp": at,
                        "Unit": metric["Unit"], "Dimensions": [{"Name": d, "Value": str(values[d])} for d in dims]}])
                    points += 1
    return points
