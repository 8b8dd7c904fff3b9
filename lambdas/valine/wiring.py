"""The composition root: the one place that turns settings into adapters.

Lambda calls these once per container (module-level cache); ``make local`` and the tests
call the ``build_*`` functions with their own settings and stand-ins.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from typing import TYPE_CHECKING, Any

from valine.adapters.aws import client
from valine.adapters.dynamodb import DynamoFlags, DynamoTaskStore
from valine.adapters.sqs import SqsJobQueue
from valine.clock import SystemClock
from valine.logs import install as install_correlation_ids
from valine.metrics import EmfMetrics
from valine.ports import Flags
from valine.settings import Settings

if TYPE_CHECKING:
    from valine.interactions import Interactions

logging.getLogger().setLevel(logging.INFO)
install_correlation_ids()


def default_flags(settings: Settings) -> Flags:
    return Flags(disable_ux_updates=settings.default_disable_ux, use_llm_parsing=settings.default_use_llm)


def build_flags(settings: Settings) -> DynamoFlags:
    db = client("dynamodb", settings.aws_endpoint_url)
    return DynamoFlags(db, settings.table_name, defaults=default_flags(settings),
                       max_age=settings.flags_max_age_seconds)


def build_interactions(settings: Settings) -> Interactions:
    # Imported here: the worker's package has no PyNaCl, and must not need it.
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
    )


def build_worker(settings: Settings, *, github: Any = None, discord: Any = None) -> Any:
    """The worker's UxAgent. Heavy imports (requests, tree-sitter) stay out of the interactions path."""
    from valine.adapters.discord_webhooks import DiscordWebhooksHttp
    from valine.adapters.github import GitHubRest
    from valine.adapters.secrets import SecretsCache
    from valine.agent import AgentConfig, UxAgent
    from valine.parsing import CatalogSource, RequestParser

    secrets = SecretsCache(client("secretsmanager", settings.aws_endpoint_url, fast=False))
    db = client("dynamodb", settings.aws_endpoint_url, fast=False)

    from valine.adapters.github_auth import token_provider

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

    from valine.adapters.http import Retrying, RetryPolicy

    policy = RetryPolicy(total_seconds=settings.github_retry_total_seconds,
                         timeout=(3.05, settings.github_read_timeout_seconds))
    github = github or GitHubRest(api_url=settings.github_api_url, repository=settings.github_repository,
                                  token_provider=github_token, retry=Retrying(policy))
    metrics = EmfMetrics(stage=settings.stage)
    return UxAgent(
        config=AgentConfig(phase=settings.phase, repository=settings.github_repository,
                           base_branch=settings.github_base_branch, ttl_seconds=settings.conversation_ttl_seconds),
        store=DynamoTaskStore(db, settings.table_name, retention_days=settings.audit_retention_days),
        github=github,
        discord=discord or DiscordWebhooksHttp(api_url=settings.discord_api_url),
        catalog=CatalogSource(github, settings.github_base_branch),
        parse=RequestParser(settings=settings, flags=build_flags(settings), secrets=secrets, metrics=metrics, db=db),
        clock=SystemClock(),
        metrics=metrics,
    )


@cache
def worker_agent() -> Any:
    return build_worker(settings())


@cache
def settings() -> Settings:
    return Settings.from_env()


@cache
def interactions_app() -> Interactions:
    return build_interactions(settings())
