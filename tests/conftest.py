"""Fixtures shared by the integration and resilience tests: one local stack per session
(moto over HTTP, the emulators, the endpoint and the worker), started on first use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.integration.conftest import start_stack
from valine_local.discord_client import DiscordClient
from valine_local.stack import LocalStack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    s = start_stack(tmp_path_factory, "4")
    yield s
    s.stop()


@pytest.fixture(autouse=True)
def _clean_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "stack" in request.fixturenames:
        s = request.getfixturevalue("stack")
        s.github.faults.clear()
        s.discord.faults.clear()
        s.moto.faults.clear()
        s.github.draft_supported = True
        s.github.graphql_enabled = True
        s.github.graphql_missing = set()
        s.agent.github.try_graphql_again()
        violations = [*s.github.violations, *s.discord.violations]
        s.github.violations.clear()
        s.discord.violations.clear()
        assert not violations, "the emulators saw requests or answers their vendor's contract refuses:\n" + \
            "\n".join(violations)


@pytest.fixture
def client(stack: LocalStack) -> DiscordClient:
    return DiscordClient(stack.url, health=stack.health(), signing_key=stack.signing_key)


@pytest.fixture
def cw(stack: LocalStack) -> Any:
    """A CloudWatch client on the local stack's moto (the rollout-check tests read and seed it)."""
    return boto3.client("cloudwatch", endpoint_url=stack.aws_url)
