"""Names and contracts the stack, the runtime, the local stack and the CLI share.

A resource is named here once; the CDK constructs create it under this name, the
functions find it by it, ``make local`` provisions the same names in moto, and the
operator commands look it up. The time budgets live in ``valine.core.budgets``.
"""

from __future__ import annotations

from dataclasses import dataclass

LIVE_ALIAS = "live"
TTL_ATTRIBUTE = "purge_at"  # DynamoDB TTL purges items by it, late; readers check expires_at themselves

# The functions, by role: (logical kind -> the middle of its function name).
FUNCTIONS = {"interactions": "discord", "worker": "worker", "status": "status", "probe": "probe", "sweep": "sweep",
             "webhook": "github-webhook", "relay": "incident-relay"}
SECRETS = ("github", "discord-bot-token", "openai", "github-webhook")



@dataclass(frozen=True)
class LlmDefaults:
    """LLM settings used when cdk.json's stage says nothing."""

    model: str = "gpt-4o-mini"
    input_usd_per_million: float = 0.15
    output_usd_per_million: float = 0.60
    timeout_seconds: float = 8.0
    max_retries: int = 1


LLM_DEFAULTS = LlmDefaults()


@dataclass(frozen=True)
class RateLimits:
    """Per person and hour, unless cdk.json's stage sets ``rate_limits``."""

    requests_per_hour: int = 20  # /ux-update, /copy-update and Edits (each makes a preview)
    prs_per_hour: int = 10  # Confirms that open a pull request


RATE_LIMITS = RateLimits()


# Each resource a stage has once: what it is -> its name, before "-<stage>".
STAGED = {
    "stack": "valine-orchestrator",  # the CloudFormation stack
    "table": "valine-ux-agent-conversations",  # the conversation table
    "queue": "valine-jobs",  # the job queue
    "dead-letters": "valine-jobs-dlq",  # the job queue's dead-letter queue
    "notices": "valine-notices",  # pull-request outcome notices, which the webhook function posts as the bot
    "failed-events": "valine-failed-events",  # every function's failed asynchronous events (their DLQ)
    "topic": "valine-oncall",  # the on-call SNS topic
}


def named(kind: str, stage: str) -> str:
    """The name of the stage's one resource of ``kind`` (a key of ``STAGED``)."""
    return f"{STAGED[kind]}-{stage}"


def function_name(kind: str, stage: str) -> str:
    """A function's name on a stage (``kind`` a key of ``FUNCTIONS``)."""
    return f"valine-orchestrator-{FUNCTIONS[kind]}-{stage}"


def secret_name(stage: str, key: str) -> str:
    """A Secrets Manager secret's name on a stage."""
    assert key in SECRETS, key
    return f"valine/{stage}/{key}"


def dashboard_name(stage: str) -> str:
    """The CloudWatch dashboard of a stage."""
    return "Valine-UX-Agent-Production" if stage == "prod" else f"Valine-UX-Agent-{stage.title()}"


def dashboard_url(stage: str, region: str) -> str:
    """The console address of a stage's dashboard."""
    return f"https://console.aws.amazon.com/cloudwatch/home?region={region}#dashboards:name={dashboard_name(stage)}"


def alarm_name(stage: str, alarm: str) -> str:
    """An alarm's name on a stage."""
    return f"valine-{stage}-{alarm}"


class Env:
    """The functions' environment variables: set by the stack (or make local), read once by Settings.

    Kill-switch defaults are named by the agents (``valine.agents.KILL_SWITCHES``)."""

    ADMIN_ROLE_IDS = "ADMIN_ROLE_IDS"
    AUDIT_RETENTION_DAYS = "AUDIT_RETENTION_DAYS"
    AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL"
    CONVERSATION_TTL_MINUTES = "CONVERSATION_TTL_MINUTES"
    DEVELOPER_ROLE_IDS = "DEVELOPER_ROLE_IDS"
    DISCORD_API_URL = "DISCORD_API_URL"
    DISCORD_APPLICATION_ID = "DISCORD_APPLICATION_ID"
    DISCORD_BOT_TOKEN_SECRET_ARN = "DISCORD_BOT_TOKEN_SECRET_ARN"
    DISCORD_GUILD_IDS = "DISCORD_GUILD_IDS"
    DISCORD_PUBLIC_KEY = "DISCORD_PUBLIC_KEY"
    ELIGIBLE_USERS = "ELIGIBLE_USERS"
    FLAGS_MAX_AGE_SECONDS = "FLAGS_MAX_AGE_SECONDS"
    GITHUB_API_URL = "GITHUB_API_URL"
    GITHUB_BASE_BRANCH = "GITHUB_BASE_BRANCH"
    GITHUB_READ_TIMEOUT_SECONDS = "GITHUB_READ_TIMEOUT_SECONDS"
    GITHUB_REPOSITORY = "GITHUB_REPOSITORY"
    GITHUB_RETRY_TOTAL_SECONDS = "GITHUB_RETRY_TOTAL_SECONDS"
    GITHUB_SECRET_ARN = "GITHUB_SECRET_ARN"
    GITHUB_WEBHOOK_SECRET_ARN = "GITHUB_WEBHOOK_SECRET_ARN"
    JOB_MAX_RECEIVES = "JOB_MAX_RECEIVES"
    JOB_QUEUE_URL = "JOB_QUEUE_URL"
    NOTICE_QUEUE_URL = "NOTICE_QUEUE_URL"
    LLM_DAILY_CAP_USD = "LLM_DAILY_CAP_USD"
    LLM_INPUT_USD_PER_MILLION = "LLM_INPUT_USD_PER_MILLION"
    LLM_MAX_RETRIES = "LLM_MAX_RETRIES"
    LLM_MODEL = "LLM_MODEL"
    LLM_OUTPUT_USD_PER_MILLION = "LLM_OUTPUT_USD_PER_MILLION"
    LLM_TIMEOUT_SECONDS = "LLM_TIMEOUT_SECONDS"
    OPENAI_BASE_URL = "OPENAI_BASE_URL"
    OPENAI_SECRET_ARN = "OPENAI_SECRET_ARN"
    PHASE = "PHASE"
    PM_ROLE_IDS = "PM_ROLE_IDS"
    AWS_REGION = "AWS_REGION"  # set by Lambda itself
    PROBE_URL = "PROBE_URL"
    RATE_PRS_PER_HOUR = "RATE_PRS_PER_HOUR"
    RATE_REQUESTS_PER_HOUR = "RATE_REQUESTS_PER_HOUR"
    STAGE = "STAGE"
    STATUS_CHANNEL_ID = "STATUS_CHANNEL_ID"
    TABLE_NAME = "TABLE_NAME"
    USE_LLM_PARSING = "USE_LLM_PARSING"
