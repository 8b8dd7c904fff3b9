"""The resilience suite uses the shared local stack from tests/conftest.py."""
