"""Stage settings and the synth-time validation of ``-c phase`` / ``-c stage``.

The phase table itself lives in ``valine.core.phases`` because the Lambda runtime reads it
too. Everything here is parsed once in ``app.py``; constructs receive typed values as
keyword arguments and never look at context themselves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from valine.core.names import LLM_DEFAULTS, RATE_LIMITS
from valine.core.phases import PhaseConfig, UnknownPhase, phase_from_text

STAGES = ("dev", "prod")
_SNOWFLAKE = re.compile(r"^\d{17,20}$")
_HEX_KEY = re.compile(r"^[0-9a-fA-F]{64}$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ConfigError(ValueError):
    """A configuration mistake the operator can fix; its message is one line saying how."""


@dataclass(frozen=True)
class StageConfig:
    name: str
    discord_application_id: str
    discord_public_key: str
    guild_ids: tuple[str, ...]
    admin_role_ids: tuple[str, ...]
    pm_role_ids: tuple[str, ...]
    developer_role_ids: tuple[str, ...]
    github_repository: str
    github_base_branch: str
    oncall_emails: tuple[str, ...]
    oncall_https_urls: tuple[str, ...]
    status_channel_id: str = ""  # the team channel for the daily status message; empty: logs only
    # People by highest role ({"admin": 3, ...}) for adoption, when the bot may not list guild members.
    eligible_users: Mapping[str, int] = field(default_factory=dict, hash=False)
    conversation_ttl_minutes: int = 60
    audit_retention_days: int = 90
    log_retention_days: int = 30
    llm_model: str = LLM_DEFAULTS.model
    llm_input_usd_per_million: float = LLM_DEFAULTS.input_usd_per_million
    llm_output_usd_per_million: float = LLM_DEFAULTS.output_usd_per_million
    llm_timeout_seconds: float = LLM_DEFAULTS.timeout_seconds
    llm_max_retries: int = LLM_DEFAULTS.max_retries
    requests_per_hour: int = RATE_LIMITS.requests_per_hour
    prs_per_hour: int = RATE_LIMITS.prs_per_hour

    @property
    def is_prod(self) -> bool:
        return self.name == "prod"


@dataclass(frozen=True)
class DeployTarget:
    """What one ``cdk synth``/``deploy`` builds: a phase of the plan on a stage."""

    phase: PhaseConfig
    stage: StageConfig


def _ids(stage: str, key: str, value: Any, *, required: bool) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [] if value in (None, "") else [value]
    out = tuple(str(v).strip() for v in items)
    where = f"cdk.json context stages.{stage}.{key}"
    if required and not out:
        raise ConfigError(f"stage {stage}: {key} is missing; set {where} to a list of Discord ids")
    for v in out:
        if not _SNOWFLAKE.match(v):
            raise ConfigError(f"stage {stage}: {key} has {v!r}, not a Discord id (17-20 digits); fix {where}")
    return out


def _text(stage: str, raw: Mapping[str, Any], key: str, pattern: re.Pattern[str], example: str) -> str:
    value = str(raw.get(key) or "").strip()
    where = f"cdk.json context stages.{stage}.{key}"
    if not value or value.startswith("<"):
        raise ConfigError(f"stage {stage}: {key} is not set; put it in {where} (example: {example})")
    if not pattern.match(value):
        raise ConfigError(f"stage {stage}: {key}={value!r} is malformed; fix {where} (example: {example})")
    return value


def stage_from_context(name: str, stages: Mapping[str, Any]) -> StageConfig:
    if name not in STAGES:
        raise ConfigError(f"stage must be one of {', '.join(STAGES)}; got {name!r} (example: -c stage=dev)")
    raw = stages.get(name)
    if not isinstance(raw, Mapping):
        raise ConfigError(f"stage {name}: no settings; add a stages.{name} object to cdk.json context")
    roles = raw.get("role_ids") or {}
    oncall = raw.get("oncall") or {}
    # Every problem at once: a new team fills cdk.json in one pass, not one synth per placeholder.
    problems: list[str] = []

    def take(check: Any, *args: Any, default: Any) -> Any:
        try:
            return check(*args)
        except ConfigError as exc:
            problems.append(str(exc).removeprefix(f"stage {name}: "))
            return default

    emails = tuple(str(e) for e in oncall.get("emails") or [] if not str(e).startswith("<"))
    for e in emails:
        if not _EMAIL.match(e):
            problems.append(f"on-call email {e!r} is malformed; fix stages.{name}.oncall.emails")
    urls = tuple(str(u) for u in oncall.get("https_urls") or [] if not str(u).startswith("<"))
    for u in urls:
        if not u.startswith("https://"):
            problems.append(f"pager url {u!r} must start with https://; fix stages.{name}.oncall")
    llm = raw.get("llm") or {}
    limits = raw.get("rate_limits") or {}
    texts = {key: take(_text, name, raw, key, pattern, example, default="")
             for key, pattern, example in (("discord_application_id", _SNOWFLAKE, "123456789012345678"),
                                           ("discord_public_key", _HEX_KEY, "64 hex characters"),
                                           ("github_repository", _REPO, "my-org/my-site"))}
    ids = {key: take(lambda k=key, v=value, r=required: _ids(name, k, v, required=r), default=())
           for key, value, required in (("guild_ids", raw.get("guild_ids"), True),
                                        ("role_ids.admin", roles.get("admin"), True),
                                        ("role_ids.pm", roles.get("pm"), False),
                                        ("role_ids.developer", roles.get("developer"), False),
                                        ("status_channel_id", raw.get("status_channel_id"), False))}
    try:
        cfg = StageConfig(
            name=name,
            discord_application_id=texts["discord_application_id"],
            discord_public_key=texts["discord_public_key"],
            guild_ids=ids["guild_ids"],
            admin_role_ids=ids["role_ids.admin"],
            pm_role_ids=ids["role_ids.pm"],
            developer_role_ids=ids["role_ids.developer"],
            github_repository=texts["github_repository"],
            github_base_branch=str(raw.get("github_base_branch") or "main"),
            oncall_emails=emails,
            oncall_https_urls=urls,
            status_channel_id=(ids["status_channel_id"] or ("",))[0],
            conversation_ttl_minutes=int(raw.get("conversation_ttl_minutes", 60)),
            audit_retention_days=int(raw.get("audit_retention_days", 90)),
            log_retention_days=int(raw.get("log_retention_days", 30)),
            llm_model=str(llm.get("model", LLM_DEFAULTS.model)),
            llm_input_usd_per_million=float(llm.get("input_usd_per_million",
                                                    LLM_DEFAULTS.input_usd_per_million)),
            llm_output_usd_per_million=float(llm.get("output_usd_per_million",
                                                     LLM_DEFAULTS.output_usd_per_million)),
            llm_timeout_seconds=float(llm.get("timeout_seconds", LLM_DEFAULTS.timeout_seconds)),
            llm_max_retries=int(llm.get("max_retries", LLM_DEFAULTS.max_retries)),
            requests_per_hour=int(limits.get("requests_per_hour", RATE_LIMITS.requests_per_hour)),
            prs_per_hour=int(limits.get("prs_per_hour", RATE_LIMITS.prs_per_hour)),
            eligible_users={str(k): int(v) for k, v in (raw.get("eligible_users") or {}).items()},
        )
    except (TypeError, ValueError) as exc:
        problems.append(f"a number in cdk.json context stages.{name} is malformed ({exc})")
        raise _all(name, problems) from exc
    if cfg.is_prod and not (emails or urls):
        problems.append("no on-call subscription; set stages.prod.oncall.emails or https_urls")
    if not 1 <= cfg.conversation_ttl_minutes <= 24 * 60:
        problems.append("conversation_ttl_minutes must be 1..1440")
    if not (1 <= cfg.requests_per_hour <= 10_000 and 1 <= cfg.prs_per_hour <= 10_000):
        problems.append(f"rate_limits.requests_per_hour and prs_per_hour must be 1..10000 "
                        f"(cdk.json context stages.{name}.rate_limits)")
    if cfg.llm_max_retries not in (0, 1):
        problems.append("llm.max_retries must be 0 or 1")
    if problems:
        raise _all(name, problems)
    return cfg


def _all(stage: str, problems: list[str]) -> ConfigError:
    if len(problems) == 1:
        return ConfigError(f"stage {stage}: {problems[0]}")
    return ConfigError(f"stage {stage}: {len(problems)} settings to fix in cdk.json:\n"
                       + "\n".join(f"  - {p}" for p in problems))


def target_from_context(context: Mapping[str, Any]) -> DeployTarget:
    """Validate ``-c phase`` and ``-c stage`` (both arrive as strings) and the stage settings."""
    stage_name = str(context.get("stage") or "dev").strip()
    raw_phase = context.get("phase")
    if stage_name == "dev" and raw_phase in (None, ""):
        raw_phase = "1"  # dev defaults to the most restrictive phase; prod must say which
    try:
        phase = phase_from_text(raw_phase)
    except UnknownPhase as exc:
        raise ConfigError(str(exc)) from exc
    stages = context.get("stages") or {}
    return DeployTarget(phase=phase, stage=stage_from_context(stage_name, stages))
