"""CloudWatch metrics as Embedded Metric Format log lines (no API call on the hot path).

One JSON line per data point, printed to stdout, which Lambda ships to CloudWatch Logs and
CloudWatch turns into metrics. The names here are the ones the dashboard and alarms use
(infra/constructs/observability.py reads ``NAMESPACE`` and the metric names from here).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from typing import IO, Any

# The seven functions; every one has an error alarm (infra.constructs.observability).
FUNCTIONS = ("interactions", "worker", "webhook", "relay", "status", "sweep", "probe")
NAMESPACE = "Valine/UxAgent"


@dataclass(frozen=True)
class MetricSpec:
    unit: str
    dimensions: tuple[str, ...] = ()  # beyond Stage, which every point carries
    values: tuple[str, ...] = ()  # the known values of that dimension, for the dashboard


ROLES = ("admin", "pm", "developer", "member")


# Every custom metric the code emits. The dashboard and the alarms are built from this
# table, and the emitter refuses names and dimensions that are not in it. ``values`` lists
# the known values of the dimension that is not Agent.
METRICS: dict[str, MetricSpec] = {
    "Requests": MetricSpec("Count", ("Agent", "Role"), ROLES),
    "Refused": MetricSpec("Count", ("Agent", "Role"), ROLES),
    "Previews": MetricSpec("Count", ("Agent", "Section")),  # Section: the site's own, not known at synth
    "PreviewLatency": MetricSpec("Milliseconds", ("Agent",)),
    "Confirmations": MetricSpec("Count", ("Agent",)),
    "Cancellations": MetricSpec("Count", ("Agent",)),
    "ConversationsExpired": MetricSpec("Count", ("Agent",)),
    "PreviewToConfirmation": MetricSpec("Milliseconds", ("Agent",)),
    "PullRequestsCreated": MetricSpec("Count", ("Agent", "Section")),
    "PullRequestsFailed": MetricSpec("Count", ("Agent",)),
    "PullRequestLatency": MetricSpec("Milliseconds", ("Agent",)),
    # GitHub's webhook: what reviewers did with the bot's pull requests (the plan's "< 5% rejected").
    "PullRequestsMerged": MetricSpec("Count", ("Agent",)),
    "PullRequestsRejected": MetricSpec("Count", ("Agent",)),
    # A closed pull request reopened: one rejection taken back (rejection rate = (Rejected - Reopened) / closed).
    "PullRequestsReopened": MetricSpec("Count", ("Agent",)),
    "ParseOutcome": MetricSpec("Count", ("Agent", "Outcome"), ("clarify", "invalid", "unsupported")),
    "LlmParses": MetricSpec("Count", ("Outcome",), ("ok", "fallback")),
    # The LLM's accuracy proxy: of the requests never edited, how many first previews were confirmed
    # unchanged, by the parser that made them (llm, or rules: the structured and rule parsers).
    "FirstPreviews": MetricSpec("Count", ("Parser",), ("llm", "rules")),
    "ConfirmedUnchanged": MetricSpec("Count", ("Parser",), ("llm", "rules")),
    "LlmCostUsd": MetricSpec("None"),
    "JobsFailed": MetricSpec("Count", ("Kind",), ("preview", "create_pr")),
    # A per-person limit refused a request or a Confirm: a refusal, not an error.
    "RateLimited": MetricSpec("Count", ("Kind",), ("request", "pr")),
    # A failure the code handled (the user got an apology or a failure message, a job attempt
    # failed, a pull request could not be made): Lambda counts these invocations as
    # successes, so the error-rate alarms add this metric to AWS/Lambda Errors.
    "HandledFailures": MetricSpec("Count", ("Function",), FUNCTIONS),
    # The synthetic probe of the public endpoint (P0: "Discord bot unresponsive").
    "EndpointProbeFailures": MetricSpec("Count"),
    "EndpointProbeLatency": MetricSpec("Milliseconds"),
    # One per synthetic job the probe enqueues and the worker completes: none for minutes is a P0.
    "Heartbeats": MetricSpec("Count"),
    # Never emitted: `valine oncall test` sets the drill alarm's state by hand.
    "OncallDrill": MetricSpec("Count"),
    "MessagesGone": MetricSpec("Count"),
    # 👍 / 👎 on finished tasks, comments, and /feedback text (the votes themselves are in the table);
    # refused: a vote on a task that is not finished, not this agent's, or does not exist.
    "Feedback": MetricSpec("Count", ("Kind",), ("up", "down", "comment", "text", "refused")),
    "ColdStarts": MetricSpec("Count", ("Function",), ("interactions", "worker")),
    "TableItemCount": MetricSpec("Count"),
    # Task items that do not parse or break an invariant (the daily status's integrity check).
    "CorruptTasks": MetricSpec("Count"),
    # Published by the daily status from the tasks table: the plan's adoption goal on the dashboard.
    "AdoptionPct": MetricSpec("Percent"),
    "WeeklyActiveUsers": MetricSpec("Count"),
}


class EmfMetrics:
    def __init__(self, *, stage: str, stream: IO[str] | None = None, clock: Any = time.time) -> None:
        self._stage = stage
        self._stream = stream
        self._clock = clock

    def _emit(self, name: str, value: float, unit: str, dimensions: dict[str, str]) -> None:
        spec = METRICS.get(name)
        if spec is None or spec.unit != unit or set(dimensions) - set(spec.dimensions):
            raise ValueError(f"metric {name} {unit} {sorted(dimensions)} is not declared in valine.metrics.METRICS")
        dims = {"Stage": self._stage, **{k: str(v) for k, v in dimensions.items()}}
        # Publish the stage-only series too, so dashboards and alarms can sum without knowing
        # every role or section, and the per-agent series, so each agent has its own line.
        dim_sets = [["Stage"]]
        if "Agent" in dims and len(dims) > 2:
            dim_sets.append(["Agent", "Stage"])
        if len(dims) > 1:
            dim_sets.append(sorted(dims))
        line = {
            "_aws": {
                "Timestamp": int(self._clock() * 1000),
                "CloudWatchMetrics": [{"Namespace": NAMESPACE, "Dimensions": dim_sets,
                                       "Metrics": [{"Name": name, "Unit": unit}]}],
            },
            name: value,
            **dims,
        }
        stream = self._stream or sys.stdout
        stream.write(json.dumps(line, separators=(",", ":")) + "\n")
        stream.flush()

    def count(self, name: str, value: float = 1, **dimensions: str) -> None:
        self._emit(name, value, "Count", dimensions)

    def percent(self, name: str, value: float, **dimensions: str) -> None:
        self._emit(name, round(value, 2), "Percent", dimensions)

    def timing(self, name: str, milliseconds: float, **dimensions: str) -> None:
        self._emit(name, round(milliseconds, 3), "Milliseconds", dimensions)

    def money(self, name: str, usd: float, **dimensions: str) -> None:
        self._emit(name, usd, "None", dimensions)


def parser_family(parser: str | None) -> str:
    """The Parser dimension: ``llm`` for the LLM parser, ``rules`` for the others."""
    return "llm" if (parser or "").startswith("llm") else "rules"

