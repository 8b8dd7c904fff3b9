"""Ed25519 verification of Discord requests over ``timestamp + raw body``."""

from __future__ import annotations

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

MAX_SKEW_SECONDS = 300


class Verifier:
    """Holds the parsed public key so each request only pays for the verification."""

    def __init__(self, public_key_hex: str) -> None:
        self._key = VerifyKey(bytes.fromhex(public_key_hex))

    def verify(self, signature_hex: str | None, timestamp: str | None, body: bytes, now: float) -> bool:
        if not signature_hex or not timestamp:
            return False
        try:
            signature = bytes.fromhex(signature_hex)
            sent_at = int(timestamp)
        except ValueError:
            return False
        if len(signature) != 64 or abs(now - sent_at) > MAX_SKEW_SECONDS:
            return False  # stale or future-dated requests are replays until proven otherwise
        try:
            self._key.verify(timestamp.encode() + body, signature)
        except (BadSignatureError, ValueError):
            return False
        return True
