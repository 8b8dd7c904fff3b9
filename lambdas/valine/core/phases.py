"""The rollout plan as one typed table.

Source: shared/rollout/production-canary-rollout-plan.md. Both sides read this module:
the CDK app (what each phase deploys, alarm thresholds) and the Lambda runtime (who may
use ``/ux-update``, whether GitHub is written, whether the LLM parser may run), so the
two cannot disagree about what a phase means.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """Discord roles the plan talks about, mapped from role ids per stage."""

    ADMIN = "admin"
    PM = "pm"
    DEVELOPER = "developer"
    MEMBER = "member"  # any member of a configured guild without one of the roles above


class LlmMode(StrEnum):
    """Who the LLM parser serves in a phase: nobody, admins, or whoever opts in."""
    OFF = "off"
    ADMINS = "admins"  # phase 5: admins only
    OPT_IN = "opt_in"  # phase 6: any allowed user who asks for it


@dataclass(frozen=True)
class FeedbackTarget:
    """The plan's feedback item as a measured criterion: at least ``min_responses`` 👍/👎 votes
    from people with one of ``roles`` in the window, at least ``min_positive_pct`` of them 👍, and
    no negative trend (the window's second half more than ``max_drop_pts`` points below its first)."""

    label: str  # the plan's words
    roles: frozenset[Role]
    min_responses: int
    min_positive_pct: float
    max_drop_pts: float = 20.0


@dataclass(frozen=True)
class MonitoringTable:
    """The plan's "key metrics to monitor": each target (what a go/no-go check judges) and alert
    threshold (what pages), read by the criteria and the alarms alike."""

    p50_target_ms: int = 2000
    p50_alert_ms: int = 5000
    p95_target_ms: int = 5000
    p95_alert_ms: int = 10000
    expiry_target_pct: float = 5.0
    expiry_alert_pct: float = 20.0
    dynamodb_throttles_alert_per_hour: int = 5


MONITORING = MonitoringTable()

# How far a phase may be from its baseline phase: P95 request to preview up to 20% slower (the
# noise of a week's traffic), the error rate up to 0.1 points higher.
BASELINE_SLOWER_PCT = 20.0
BASELINE_MORE_ERRORS_PTS = 0.1
# What a phase with the LLM on is held to, by the go/no-go check and the LlmFallbacks alarm alike:
# at least MIN_LLM_PARSES parses to judge, and fewer than MAX_LLM_FALLBACK_PCT of them falling back.
MIN_LLM_PARSES = 20
MAX_LLM_FALLBACK_PCT = 10.0
MIN_LLM_FIRST_PREVIEWS = 20  # a day's first LLM previews before the accuracy proxy is judged
# The plan's phase-2 rollback trigger "negative feedback from admins", as a number: more than this
# share of 👎 among at least MIN_FEEDBACK_VOTES votes in a day (the feedback criterion's 80% 👍, inverted).
MAX_NEGATIVE_FEEDBACK_PCT = 20.0
MIN_FEEDBACK_VOTES = 3


@dataclass(frozen=True)
class Criteria:
    """What must hold before leaving a phase (its success + the next phase's go/no-go).

    ``None`` means the plan sets no number for this phase. ``manual`` lists what no
    metric can show (feedback, open bugs); a check lists them, never passes them.
    """

    observation_hours: int
    min_successful_flows: int | None = None
    max_error_rate_pct: float | None = None
    max_avg_duration_ms: int | None = None
    max_p95_duration_ms: int | None = None
    max_prs_created: int | None = None  # phase 1: "No PRs created yet"
    max_daily_llm_cost_usd: float | None = None
    min_llm_accuracy_pct: float | None = None
    feedback: FeedbackTarget | None = None
    min_adoption_pct: float | None = None  # distinct requesters in the window / eligible users
    min_weekly_active: int | None = None  # distinct requesters in the last 7 days
    # "No performance degradation" / "no increase in error rate": against that earlier phase's
    # measured baseline (its own run on the stage), within BASELINE_SLOWER_PCT / BASELINE_MORE_ERRORS_PTS.
    no_slower_than_phase: int | None = None
    no_more_errors_than_phase: int | None = None
    manual: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseConfig:
    """One phase of the rollout plan: who may ask, what it writes, its LLM mode, triggers and criteria."""

    number: int
    name: str
    allowed_roles: frozenset[Role]
    github_writes: bool  # False: dry run, previews only
    llm: LlmMode
    # Rollback trigger on the error rate, in percent; 0.0 means "any error".
    error_rate_rollback_pct: float
    error_rate_target_pct: float
    criteria: Criteria
    # Which agents the phase enables, and for whom (None: every registered agent, for allowed_roles).
    agents: Mapping[str, frozenset[Role]] | None = None
    optional: bool = False
    llm_daily_cap_usd: float = 5.0
    llm_daily_rollback_usd: float = 10.0
    # The plan's "rollback if accuracy < 60%", judged on the accuracy proxy (first LLM previews
    # confirmed unchanged) once a day has at least MIN_LLM_FIRST_PREVIEWS of them.
    llm_accuracy_rollback_pct: float = 60.0
    notes: tuple[str, ...] = field(default=())

    @property
    def dry_run(self) -> bool:
        """True when the phase makes previews only and no pull request."""
        return not self.github_writes

    @property
    def llm_enabled(self) -> bool:
        """True when the phase parses with the LLM for someone."""
        return self.llm is not LlmMode.OFF

    @property
    def requires_llm_checklist(self) -> bool:
        """Phases that switch the LLM on need the plan's phase-5 checklist signed."""
        return self.llm_enabled

    def roles_for(self, agent: str) -> frozenset[Role]:
        """Who may ask ``agent`` in this phase (empty: the phase does not enable it)."""
        if self.agents is None:
            return self.allowed_roles
        return self.agents.get(agent, frozenset())

    def may_use(self, roles: frozenset[Role], agent: str) -> bool:
        """Whether someone with ``roles`` may ask ``agent`` in this phase."""
        return bool(roles & self.roles_for(agent))


_ADMINS = frozenset({Role.ADMIN})
_ADMINS_PMS = frozenset({Role.ADMIN, Role.PM})
_STAFF = frozenset({Role.ADMIN, Role.PM, Role.DEVELOPER})
_EVERYONE = frozenset(Role)

PHASES: dict[int, PhaseConfig] = {
    1: PhaseConfig(
        number=1,
        name="Infrastructure (dry run)",
        allowed_roles=_ADMINS,
        github_writes=False,
        llm=LlmMode.OFF,
        error_rate_rollback_pct=0.0,
        error_rate_target_pct=0.0,
        criteria=Criteria(
            observation_hours=48,
            max_error_rate_pct=0.0,
            max_prs_created=0,
            manual=("All Lambda functions healthy", "Smoke tests with basic commands passed",
                    "No open P0/P1 bugs"),
        ),
    ),
    2: PhaseConfig(
        number=2,
        name="Admin-only canary",
        allowed_roles=_ADMINS,
        github_writes=True,
        llm=LlmMode.OFF,
        error_rate_rollback_pct=1.0,
        error_rate_target_pct=0.0,
        criteria=Criteria(
            observation_hours=72,
            min_successful_flows=5,
            max_error_rate_pct=0.0,  # the plan: "No errors in Lambda logs" (the rollback trigger stays > 1%)
            max_avg_duration_ms=3000,
            max_p95_duration_ms=5000,
            # Also the rollback trigger "Negative feedback from admins": a negative trend is a NO-GO.
            feedback=FeedbackTarget("Positive feedback from admin users", frozenset({Role.ADMIN}),
                                    min_responses=3, min_positive_pct=80.0),
            manual=("No data corruption in DynamoDB",),
        ),
    ),
    3: PhaseConfig(
        number=3,
        name="PM users",
        allowed_roles=_ADMINS_PMS,
        github_writes=True,
        llm=LlmMode.OFF,
        error_rate_rollback_pct=0.5,
        error_rate_target_pct=0.5,
        criteria=Criteria(
            observation_hours=7 * 24,
            min_successful_flows=20,
            max_error_rate_pct=0.5,
            max_p95_duration_ms=5000,
            feedback=FeedbackTarget("Positive feedback from PMs", frozenset({Role.PM}), min_responses=5,
                                    min_positive_pct=75.0),
            no_slower_than_phase=2,  # the plan: "No performance degradation"
        ),
    ),
    4: PhaseConfig(
        number=4,
        name="Developer role",
        allowed_roles=_STAFF,
        github_writes=True,
        llm=LlmMode.OFF,
        error_rate_rollback_pct=0.3,
        error_rate_target_pct=0.3,
        criteria=Criteria(
            observation_hours=7 * 24,
            min_successful_flows=50,
            max_error_rate_pct=0.3,
            max_p95_duration_ms=5000,
            min_adoption_pct=20.0,
        ),
    ),
    5: PhaseConfig(
        number=5,
        name="LLM parsing canary (optional)",
        allowed_roles=_STAFF,
        github_writes=True,
        llm=LlmMode.ADMINS,
        # "No increase in error rate": the phase-4 target is the line not to cross.
        error_rate_rollback_pct=0.3,
        error_rate_target_pct=0.3,
        optional=True,
        criteria=Criteria(
            observation_hours=48,
            max_error_rate_pct=0.3,
            max_daily_llm_cost_usd=5.0,
            min_llm_accuracy_pct=80.0,
            no_more_errors_than_phase=4,  # the plan: "No increase in error rate"
            manual=("LLM parsing accuracy > 80% by manual review (valine eval-llm helps)",
                    "PM aware of ongoing costs"),
        ),
        notes=("Rollback if daily cost > $10 or accuracy < 60%",),
    ),
    6: PhaseConfig(
        number=6,
        name="General availability",
        allowed_roles=_EVERYONE,
        github_writes=True,
        llm=LlmMode.OPT_IN,
        error_rate_rollback_pct=1.0,
        error_rate_target_pct=0.2,
        criteria=Criteria(
            observation_hours=7 * 24,
            max_error_rate_pct=0.2,
            max_p95_duration_ms=10000,
            max_daily_llm_cost_usd=5.0,
            feedback=FeedbackTarget("Sustained positive feedback", _EVERYONE, min_responses=20,
                                    min_positive_pct=75.0),
            min_weekly_active=100,
            manual=("SLA targets defined",),
        ),
    ),
}

VALID_PHASES = tuple(sorted(PHASES))


class UnknownPhase(ValueError):
    """A phase that is not 1 to 6, with a message that names the valid ones."""
    pass


def phase_from_text(raw: object) -> PhaseConfig:
    """Parse a phase as it arrives from ``-c phase=N`` or an environment variable (a string)."""
    valid = ", ".join(str(p) for p in VALID_PHASES)
    text = str(raw).strip() if raw is not None else ""
    if not text.isdigit() or int(text) not in PHASES:
        shown = "nothing" if not text else repr(text)
        raise UnknownPhase(f"phase must be one of {valid}; got {shown} (example: -c phase=2)")
    return PHASES[int(text)]
