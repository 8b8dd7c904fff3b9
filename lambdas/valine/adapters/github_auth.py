"""GitHub credentials: a fine-grained token, or a GitHub App's installation tokens.

An installation token lives one hour; it is refreshed five minutes before it expires, so
a job never starts with a token about to die. The App's JWT (RS256, 9 minutes) is signed
with the private key from Secrets Manager and never leaves the worker.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from valine.core import budgets

REFRESH_MARGIN_SECONDS = 300


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def app_jwt(app_id: str, private_key_pem: str, now: float) -> str:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("a GitHub App private key is an RSA key (PEM)")
    header = _b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    # iat 60 s in the past allows for clock drift, as GitHub's documentation advises; at most 10 minutes.
    payload = _b64url(json.dumps({"iat": int(now) - 60, "exp": int(now) + 540, "iss": str(app_id)}).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{_b64url(signature)}"


class AppInstallationTokens:
    def __init__(self, *, api_url: str, app_id: str, installation_id: str, private_key_pem: str,
                 clock: Callable[[], float] = time.time, session: requests.Session | None = None) -> None:
        self._api = api_url.rstrip("/")
        self._app_id = app_id
        self._installation = installation_id
        self._key = private_key_pem
        self._clock = clock
        self._http = session or requests.Session()
        self._lock = threading.Lock()
        self._token: tuple[str, float] | None = None
        self.refreshes = 0

    def __call__(self) -> str:
        with self._lock:
            now = self._clock()
            if self._token is None or self._token[1] - now <= REFRESH_MARGIN_SECONDS:
                self._token = self._fetch(now)
                self.refreshes += 1
            return self._token[0]

    def _fetch(self, now: float) -> tuple[str, float]:
        response = self._http.post(
            f"{self._api}/app/installations/{self._installation}/access_tokens",
            timeout=(budgets.budget(3.05), budgets.budget(10)),
            headers={"Authorization": f"Bearer {app_jwt(self._app_id, self._key, now)}",
                     "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
                     "User-Agent": "valine-ux-agent"})
        if response.status_code != 201:
            raise PermissionError(f"GitHub refused the App installation token: HTTP {response.status_code}")
        data = response.json()
        expires = dt.datetime.fromisoformat(str(data["expires_at"]).replace("Z", "+00:00")).timestamp()
        return str(data["token"]), expires


def token_provider(secret: dict[str, Any], api_url: str) -> Callable[[], str]:
    """From the secret's JSON: {"token"} or {"app_id", "installation_id", "private_key"}."""
    if secret.get("token"):
        token = str(secret["token"])
        return lambda: token
    return AppInstallationTokens(api_url=api_url, app_id=str(secret["app_id"]),
                                 installation_id=str(secret["installation_id"]),
                                 private_key_pem=str(secret["private_key"]))
