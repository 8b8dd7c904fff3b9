"""Configuration parsed once from the environment into a typed value.

The domain never reads ``os.environ``; the composition root (wiring.py) builds this and
passes what each part needs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from valine.core import names
from valine.core.names import LLM_DEFAULTS, RATE_LIMITS, Env
from valine.core.phases import PhaseConfig, Role, phase_from_text

# An agent's kill switch, e.g. DISABLE_UX_UPDATES (each agent names its own in its spec).
_KILL_SWITCH = re.compile(r"^DISABLE_[A-Z][A-Z0-9_]*_UPDATES$")


def _ids(raw: str | None) -> frozenset[str]:
    return frozenset(x.strip() for x in (raw or "").split(",") if x.strip())


def _bool(raw: str | None, default: bool = False) -> bool:
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    stage: str
    phase: PhaseConfig
    table_name: str
    application_id: str
    public_key_hex: str
    guild_ids: frozenset[str]
    admin_role_ids: frozenset[str]
    pm_role_ids: frozenset[str]
    developer_role_ids: frozenset[str]
    conversation_ttl_seconds: int
    audit_retention_days: int
    default_use_llm: bool
    default_disabled: frozenset[str]  # kill switches on at deploy time (DISABLE_UX_UPDATES=true, ...)
    job_queue_url: str = ""
    notice_queue_url: str = ""  # the webhook function's queue of pull-request outcome notices
    github_repository: str = ""
    github_base_branch: str = "main"
    github_secret_arn: str = ""
    github_webhook_secret_arn: str = ""  # {"secret": "..."}: verifies GitHub's webhook deliveries
    openai_secret_arn: str = ""
    job_max_receives: int = 3
    aws_endpoint_url: str | None = None  # the local stack's moto server
    github_api_url: str = "https://api.github.com"
    discord_api_url: str = "https://discord.com/api/v10"
    llm_model: str = LLM_DEFAULTS.model
    llm_input_usd_per_million: float = LLM_DEFAULTS.input_usd_per_million
    llm_output_usd_per_million: float = LLM_DEFAULTS.output_usd_per_million
    llm_timeout_seconds: float = LLM_DEFAULTS.timeout_seconds
    llm_max_retries: int = LLM_DEFAULTS.max_retries
    llm_daily_cap_usd: float = 5.0
    llm_base_url: str | None = None  # an OpenAI-compatible endpoint; None means OpenAI itself
    status_channel_id: str = ""  # the team channel of the daily status (empty: only logged)
    eligible_users: str = ""  # JSON {"admin": 3, "pm": 5, ...}: people by highest role, when Discord cannot say
    bot_token_secret_arn: str = ""  # the status, webhook and relay functions' (they post to channels as the bot)
    probe_url: str = ""  # the public endpoint the probe calls
    region: str = "us-east-1"
    requests_per_hour: int = RATE_LIMITS.requests_per_hour
    prs_per_hour: int = RATE_LIMITS.prs_per_hour
    flags_max_age_seconds: float = 30.0  # kill switches reach every container within this
    github_retry_total_seconds: float = 25.0
    github_read_timeout_seconds: float = 10.0
    version: str = "0.1.0"

    def roles_of(self, role_ids: list[str] | tuple[str, ...]) -> frozenset[Role]:
        """Map a member's Discord role ids to the plan's roles; every guild member is MEMBER."""
        ids = set(role_ids)
        roles = {Role.MEMBER}
        if ids & self.admin_role_ids:
            roles.add(Role.ADMIN)
        if ids & self.pm_role_ids:
            roles.add(Role.PM)
        if ids & self.developer_role_ids:
            roles.add(Role.DEVELOPER)
        return frozenset(roles)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        from valine import __version__

        return cls(
            stage=e.get(Env.STAGE, "dev"),
            phase=phase_from_text(e.get(Env.PHASE, "1")),
            table_name=e.get(Env.TABLE_NAME, names.named("table", "dev")),
            application_id=e.get(Env.DISCORD_APPLICATION_ID, ""),
            public_key_hex=e.get(Env.DISCORD_PUBLIC_KEY, ""),
            guild_ids=_ids(e.get(Env.DISCORD_GUILD_IDS)),
            admin_role_ids=_ids(e.get(Env.ADMIN_ROLE_IDS)),
            pm_role_ids=_ids(e.get(Env.PM_ROLE_IDS)),
            developer_role_ids=_ids(e.get(Env.DEVELOPER_ROLE_IDS)),
            conversation_ttl_seconds=int(e.get(Env.CONVERSATION_TTL_MINUTES, "60")) * 60,
            audit_retention_days=int(e.get(Env.AUDIT_RETENTION_DAYS, "90")),
            default_use_llm=_bool(e.get(Env.USE_LLM_PARSING)),
            default_disabled=frozenset(k for k, v in e.items() if _KILL_SWITCH.match(k) and _bool(v)),
            job_queue_url=e.get(Env.JOB_QUEUE_URL, ""),
            notice_queue_url=e.get(Env.NOTICE_QUEUE_URL, ""),
            github_repository=e.get(Env.GITHUB_REPOSITORY, ""),
            github_base_branch=e.get(Env.GITHUB_BASE_BRANCH, "main"),
            github_secret_arn=e.get(Env.GITHUB_SECRET_ARN, ""),
            github_webhook_secret_arn=e.get(Env.GITHUB_WEBHOOK_SECRET_ARN, ""),
            openai_secret_arn=e.get(Env.OPENAI_SECRET_ARN, ""),
            job_max_receives=int(e.get(Env.JOB_MAX_RECEIVES, "3")),
            aws_endpoint_url=e.get(Env.AWS_ENDPOINT_URL) or None,
            github_api_url=e.get(Env.GITHUB_API_URL, "https://api.github.com").rstrip("/"),
            discord_api_url=e.get(Env.DISCORD_API_URL, "https://discord.com/api/v10").rstrip("/"),
            llm_model=e.get(Env.LLM_MODEL, LLM_DEFAULTS.model),
            llm_input_usd_per_million=float(e.get(Env.LLM_INPUT_USD_PER_MILLION)
                                            or LLM_DEFAULTS.input_usd_per_million),
            llm_output_usd_per_million=float(e.get(Env.LLM_OUTPUT_USD_PER_MILLION)
                                             or LLM_DEFAULTS.output_usd_per_million),
            llm_timeout_seconds=float(e.get(Env.LLM_TIMEOUT_SECONDS) or LLM_DEFAULTS.timeout_seconds),
            llm_max_retries=min(1, int(e.get(Env.LLM_MAX_RETRIES) or LLM_DEFAULTS.max_retries)),
            llm_daily_cap_usd=float(e.get(Env.LLM_DAILY_CAP_USD, "5")),
            llm_base_url=e.get(Env.OPENAI_BASE_URL) or None,
            status_channel_id=e.get(Env.STATUS_CHANNEL_ID, ""),
            eligible_users=e.get(Env.ELIGIBLE_USERS, ""),
            bot_token_secret_arn=e.get(Env.DISCORD_BOT_TOKEN_SECRET_ARN, ""),
            probe_url=e.get(Env.PROBE_URL, ""),
            region=e.get(Env.AWS_REGION) or "us-east-1",
            requests_per_hour=int(e.get(Env.RATE_REQUESTS_PER_HOUR) or RATE_LIMITS.requests_per_hour),
            prs_per_hour=int(e.get(Env.RATE_PRS_PER_HOUR) or RATE_LIMITS.prs_per_hour),
            flags_max_age_seconds=float(e.get(Env.FLAGS_MAX_AGE_SECONDS, "30")),
            github_retry_total_seconds=float(e.get(Env.GITHUB_RETRY_TOTAL_SECONDS, "25")),
            github_read_timeout_seconds=float(e.get(Env.GITHUB_READ_TIMEOUT_SECONDS, "10")),
            version=__version__,
        )
