"""GitHub App credentials: an RS256 JWT buys an installation token, refreshed before its hour ends."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from valine.adapters.github import GitHubRest
from valine.adapters.github_auth import AppInstallationTokens, token_provider


@pytest.fixture
def app_key(stack):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    stack.github.app = ("123456", "987", public)
    yield key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    stack.github.app = None


def test_an_app_installation_token_reads_the_repository(stack, app_key):
    provider = token_provider({"app_id": "123456", "installation_id": "987", "private_key": app_key},
                              stack.github.url)
    github = GitHubRest(api_url=stack.github.url, repository=stack.config.repository, token_provider=provider)
    assert github.branch_head("main") == stack.github.repo.rev("main")
    assert github.read_file("src/components/Header.jsx", "main").content.startswith("import React")


def test_the_token_is_refreshed_five_minutes_before_it_expires(stack, app_key, monkeypatch):
    monkeypatch.setattr(stack.github, "installation_token_ttl", 302.0)  # 2 s short of the refresh margin
    tokens = AppInstallationTokens(api_url=stack.github.url, app_id="123456", installation_id="987",
                                   private_key_pem=app_key)
    first = tokens()
    assert tokens() == first and tokens.refreshes == 1  # cached while more than 300 s are left
    time.sleep(2.2)
    second = tokens()
    assert second != first and tokens.refreshes == 2
    github = GitHubRest(api_url=stack.github.url, repository=stack.config.repository, token_provider=tokens)
    assert github.branch_head("main")


def test_a_wrong_key_is_refused(stack, app_key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    tokens = AppInstallationTokens(api_url=stack.github.url, app_id="123456", installation_id="987",
                                   private_key_pem=other)
    with pytest.raises(PermissionError, match="HTTP 401"):
        tokens()
