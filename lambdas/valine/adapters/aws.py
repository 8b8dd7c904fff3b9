"""boto3 clients, created once per process and reused across invocations."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Discord allows 3 s for the whole answer: fail fast and let the caller say so.
FAST = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 2, "mode": "standard"})
PATIENT = Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 5, "mode": "adaptive"})


@cache
def client(service: str, endpoint_url: str | None = None, fast: bool = True) -> Any:
    return boto3.client(service, endpoint_url=endpoint_url, config=FAST if fast else PATIENT)
