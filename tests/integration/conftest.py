"""Helpers for tests against the local stack; its fixtures live in tests/conftest.py."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest

from valine_local.discord_client import DiscordClient
from valine_local.stack import LocalConfig, LocalStack

FAST = {"FLAGS_MAX_AGE_SECONDS": "0", "GITHUB_RETRY_TOTAL_SECONDS": "3", "GITHUB_READ_TIMEOUT_SECONDS": "1.5"}


def start_stack(tmp_path_factory: pytest.TempPathFactory, phase: str, **overrides: Any) -> LocalStack:
    settings: dict[str, Any] = {"port": 0, "phase": phase, "state_dir": tmp_path_factory.mktemp(f"local-phase{phase}"),
                                "visibility_timeout": 2, "name": f"test-phase{phase}", "extra_env": dict(FAST),
                                **overrides}
    config = dataclasses.replace(LocalConfig.from_env({}), **settings)
    return LocalStack(config).start()


def preview(client: DiscordClient, request: str, user: str = "alice", roles: list[str] | None = None,
            timeout: float = 20) -> dict[str, Any]:
    """GIVEN a signed /ux-update, wait until the worker has edited the deferred message."""
    out = client.command("ux-update", user, roles or ["admin"], {"request": request})
    assert out["status"] == 200, out
    assert out["response"]["type"] == 5, out["response"]
    return client.wait_settled(out["message_id"], 0, timeout)


def labels(message: dict[str, Any]) -> list[str]:
    return [c.get("label") for row in message.get("components", []) for c in row.get("components", [])]


def wait_for(predicate: Any, timeout: float = 20.0, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def drain(stack: LocalStack, queue_url: str) -> None:
    """Empty a queue by receiving and deleting (SQS allows one PurgeQueue a minute per queue, and
    two tests that each purge the dead-letter queue can run within a minute)."""
    while True:
        out = stack.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = out.get("Messages", [])
        if not messages:
            return
        for m in messages:
            stack.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
