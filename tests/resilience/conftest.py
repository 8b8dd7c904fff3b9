"""The resilience suite shares the integration tests' local stack (see tests/integration/conftest.py)."""

from tests.integration.conftest import _clean_faults, client, stack  # noqa: F401
