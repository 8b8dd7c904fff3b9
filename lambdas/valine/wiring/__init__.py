"""The composition root: the one place that turns settings into adapters, for every function
(interactions, worker, GitHub webhook, status, incident relay, sweep, probe).

Lambda calls these once per container (module-level cache); ``make local`` and the tests
call the ``build_*`` functions with their own settings and stand-ins.
"""

from __future__ import annotations

import importlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from valine.adapters.aws import client
from valine.adapters.dynamodb import DynamoFlags, DynamoTaskStore
from valine.adapters.secrets import SecretsCache
from valine.adapters.site_sections import DynamoSiteSections
from valine.adapters.sqs import SqsJobQueue
from valine.agents import AGENTS, KILL_SWITCHES
from valine.core.clock import SystemClock
from valine.core.ports import DiscordWebhooks, Flags, FlagSource, SiteSections
from valine.logs import install as install_correlation_ids
from valine.metrics import EmfMetrics
from valine.settings import Settings

if TYPE_CHECKING:  # the worker's types: the 3-second path never loads them
    from valine.agents.ux.llm import LlmParser
    from valine.core.github import GitHub
    from valine.core.llm import LlmClient
    from valine.interactions import Interactions
    from valine.ops.adoption import Eligible
    from valine.site.source import SiteSource
    from valine.workflow.work import TaskWorker

logging.getLogger().setLevel(logging.INFO)
install_correlation_ids()
log = logging.getLogger("valine.wiring")


def _secrets(settings: Settings) -> SecretsCache:
    return SecretsCache(client("secretsmanager", settings.aws_endpoint_url, fast=False))


def bot_token(settings: Settings, secrets: SecretsCache | None = None) -> str:
    """The Discord bot token (status, relay and webhook post to channels as the bot; nothing else may)."""
    value = (secrets or _secrets(settings)).json(settings.bot_token_secret_arn, required="bot_token",
                                                  example='{"bot_token":"..."}')
    return str(value["bot_token"])


def channel_poster(settings: Settings, secrets: SecretsCache | None = None) -> Callable[..., str]:
    """``post(channel, text, mention=())`` as the bot: "" when posted, else why not."""
    from valine.adapters.discord_channel import DiscordChannelHttp

    return DiscordChannelHttp(api_url=settings.discord_api_url, bot_token=bot_token(settings, secrets)).post


def eligible_users(settings: Settings, phase: Any, *, configured: Any,
                   bot_token: str | None) -> tuple[Eligible | None, str]:
    """Who may use the bot in ``phase``: Discord's member list (with the bot token), else the configured counts."""
    from valine.adapters.discord_members import fetch_members
    from valine.ops.adoption import eligible_population

    token = bot_token

    def members_of(guild: str) -> Any:
        assert token is not None
        return fetch_members(settings.discord_api_url, token, guild)

    return eligible_population(settings, phase, configured=configured, members_of=members_of if token else None)


def default_flags(settings: Settings) -> Flags:
    return Flags(use_llm_parsing=settings.default_use_llm, disabled=settings.default_disabled)


def build_flags(settings: Settings) -> DynamoFlags:
    db = client("dynamodb", settings.aws_endpoint_url)
    return DynamoFlags(db, settings.table_name, defaults=default_flags(settings), kill_switches=KILL_SWITCHES,
                       max_age=settings.flags_max_age_seconds)


def build_interactions(settings: Settings) -> Interactions:
    # Imported here: the worker's package has no PyNaCl, and must not need it.
    from valine.adapters.feedback import DynamoFeedback
    from valine.discord.signature import Verifier
    from valine.interactions import Interactions

    db = client("dynamodb", settings.aws_endpoint_url)
    return Interactions(
        settings=settings,
        verifier=Verifier(settings.public_key_hex),
        store=DynamoTaskStore(db, settings.table_name, retention_days=settings.audit_retention_days),
        queue=SqsJobQueue(client("sqs", settings.aws_endpoint_url), settings.job_queue_url),
        flags=build_flags(settings),
        clock=SystemClock(),
        metrics=EmfMetrics(stage=settings.stage),
        agents=AGENTS,
        feedback=DynamoFeedback(db, settings.table_name, retention_days=settings.audit_retention_days),
        sections=DynamoSiteSections(db, settings.table_name),
    )


@dataclass(frozen=True)
class WorkerDeps:
    """What an agent's ``work.build(deps)`` may use; built once per container."""

    settings: Settings
    github: GitHub
    base_branch: str
    flags: FlagSource
    metrics: EmfMetrics
    llm: Callable[[], LlmParser]  # the LLM parser, built on first use (phases 5 and 6)
    site: SiteSource  # the base branch and its site model, cached by tree
    sections: SiteSections | None = None  # where the site's section names are published (autocomplete, /agents)


def _record_phase(db: Any, settings: Settings) -> None:
    """The phase's start on this stage, for the go/no-go check's window (once per phase change)."""
    from valine.adapters.phase_record import DynamoPhaseRecord

    try:
        DynamoPhaseRecord(db, settings.table_name).started(settings.phase.number, time.time())
    except Exception:  # the worker works without it; rollout check then says NO DATA and why
        log.exception("could not record the phase's start")


def build_worker(settings: Settings, *, github: GitHub | None = None,
                 discord: DiscordWebhooks | None = None) -> TaskWorker:
    """The worker: the shared lifecycle with every registered agent's work. Heavy imports
    (requests, tree-sitter, openai) stay out of the interactions path."""
    from valine.adapters.discord_webhooks import DiscordWebhooksHttp
    from valine.adapters.github_auth import token_provider
    from valine.adapters.github_client import GitHubClient
    from valine.adapters.http import Retrying, RetryPolicy
    from valine.workflow.work import TaskWorker, WorkConfig

    secrets = _secrets(settings)
    db = client("dynamodb", settings.aws_endpoint_url, fast=False)
    providers: dict[str, Any] = {}

    def github_token() -> str:
        # Re-read through the cache so a rotated secret is picked up; keep one provider per value.
        value = secrets.json(settings.github_secret_arn, required=("token", "app_id"),
                             example='{"token":"github_pat_..."} or {"app_id":..,"installation_id":..,'
                                     '"private_key":"-----BEGIN RSA PRIVATE KEY-----..."}')
        key = json.dumps(value, sort_keys=True)
        if key not in providers:
            providers.clear()
            providers[key] = token_provider(value, settings.github_api_url)
        return str(providers[key]())

    policy = RetryPolicy(total_seconds=settings.github_retry_total_seconds,
                         timeout=(3.05, settings.github_read_timeout_seconds))
    github = github or GitHubClient(api_url=settings.github_api_url, repository=settings.github_repository,
                                    token_provider=github_token, retry=Retrying(policy))
    metrics = EmfMetrics(stage=settings.stage)
    _record_phase(db, settings)
    from valine.site.source import SiteSource

    site = SiteSource(github, settings.github_base_branch)
    deps = WorkerDeps(settings=settings, github=github, base_branch=settings.github_base_branch,
                      flags=build_flags(settings), metrics=metrics,
                      llm=lambda: build_llm(settings, secrets=secrets, metrics=metrics, db=db), site=site,
                      sections=DynamoSiteSections(db, settings.table_name))
    return TaskWorker(
        config=WorkConfig(phase=settings.phase, repository=settings.github_repository,
                          base_branch=settings.github_base_branch, ttl_seconds=settings.conversation_ttl_seconds),
        agents={a.name: importlib.import_module(a.work).build(deps) for a in AGENTS},
        store=DynamoTaskStore(db, settings.table_name, retention_days=settings.audit_retention_days),
        github=github,
        discord=discord or DiscordWebhooksHttp(api_url=settings.discord_api_url),
        clock=SystemClock(),
        metrics=metrics,
        site=site,
    )


def build_llm(settings: Settings, *, secrets: SecretsCache, metrics: EmfMetrics, db: Any,
              client: LlmClient | None = None) -> LlmParser:
    """The LLM parser: the OpenAI client (key from Secrets Manager) and the shared DynamoDB budget."""
    import time

    from valine.adapters.budget import DynamoBudget
    from valine.adapters.openai_llm import OpenAiChat
    from valine.agents.ux.llm import LlmParser, Prices
    from valine.agents.ux.parser import parse_request

    s = settings
    if client is None:
        key = secrets.json(s.openai_secret_arn, required="api_key", example='{"api_key":"sk-..."}')
        client = OpenAiChat(api_key=str(key["api_key"]), model=s.llm_model, timeout_seconds=s.llm_timeout_seconds,
                            max_retries=s.llm_max_retries, base_url=s.llm_base_url)
    return LlmParser(client=client, budget=DynamoBudget(db, s.table_name, stage=s.stage),
                     prices=Prices(s.llm_input_usd_per_million, s.llm_output_usd_per_million),
                     daily_cap_usd=s.llm_daily_cap_usd, stage=s.stage, model=s.llm_model, metrics=metrics,
                     clock=time.time, fallback=parse_request)


@cache
def task_worker() -> TaskWorker:
    return build_worker(settings())


@cache
def settings() -> Settings:
    return Settings.from_env()


@cache
def interactions_app() -> Interactions:
    return build_interactions(settings())
