"""The composition root: the one place that turns settings into adapters.

Lambda calls these once per container (module-level cache); ``make local`` and the tests
call the ``build_*`` functions with their own settings and stand-ins.
"""

from __future__ import annotations

import logging
from functools import cache

from valine.adapters.aws import client
from valine.adapters.dynamodb import DynamoFlags, DynamoTaskStore
from valine.adapters.sqs import SqsJobQueue
from valine.clock import SystemClock
from valine.discord.signature import Verifier
from valine.interactions import Interactions
from valine.metrics import EmfMetrics
from valine.ports import Flags
from valine.settings import Settings

logging.getLogger().setLevel(logging.INFO)


def default_flags(settings: Settings) -> Flags:
    return Flags(disable_ux_updates=settings.default_disable_ux, use_llm_parsing=settings.default_use_llm)


def build_flags(settings: Settings) -> DynamoFlags:
    db = client("dynamodb", settings.aws_endpoint_url)
    return DynamoFlags(db, settings.table_name, defaults=default_flags(settings))


def build_interactions(settings: Settings) -> Interactions:
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


@cache
def settings() -> Settings:
    return Settings.from_env()


@cache
def interactions_app() -> Interactions:
    return build_interactions(settings())
