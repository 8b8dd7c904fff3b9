"""The interactions endpoint over real HTTP with real Ed25519 keys."""

from __future__ import annotations

import json
import time

import pytest
from nacl.signing import SigningKey

PING = {"id": "1", "application_id": "100000000000000001", "type": 1, "token": "t", "version": 1}


def test_ping_is_answered_with_pong(client):
    response = client.post(PING)
    assert response.status_code == 200
    assert response.json() == {"type": 1}


@pytest.mark.parametrize("tamper", ["other-key", "body", "no-headers", "stale", "future", "not-hex", "short"])
def test_bad_signatures_get_401_without_detail(client, tamper):
    body = json.dumps(PING).encode()
    headers = client.sign(body)
    if tamper == "other-key":
        ts = headers["X-Signature-Timestamp"]
        headers["X-Signature-Ed25519"] = SigningKey.generate().sign(ts.encode() + body).signature.hex()
    elif tamper == "body":
        body = body.replace(b'"type": 1', b'"type": 2')
    elif tamper == "no-headers":
        headers = {"Content-Type": "application/json"}
    elif tamper == "stale":
        headers = client.sign(body, str(int(time.time()) - 301))
    elif tamper == "future":
        headers = client.sign(body, str(int(time.time()) + 301))
    elif tamper == "not-hex":
        headers["X-Signature-Ed25519"] = "zz" * 64
    elif tamper == "short":
        headers["X-Signature-Ed25519"] = headers["X-Signature-Ed25519"][:64]
    response = client.post({}, headers=headers, body=body)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid request signature"}


def test_header_names_in_any_case_are_accepted(client):
    body = json.dumps(PING).encode()
    headers = {k.lower(): v for k, v in client.sign(body).items()}
    assert client.post({}, headers=headers, body=body).json() == {"type": 1}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"type": "1"}', b'{"type": 99, "id": "1"}',
                                  b'{"type": 2, "id": "1", "token": "t"}', b"\xff\xfe", b""])
def test_garbage_gets_4xx_never_5xx(client, body):
    response = client.post({}, headers=client.sign(body), body=body)
    assert 400 <= response.status_code < 500, response.text


def test_replayed_request_is_not_run_twice(client, stack):
    interaction = client._interaction(2, "replayer", ["admin"], {
        "id": "9", "name": "ux-update", "type": 1, "options": [{"name": "request", "type": 3,
                                                                "value": "make the footer red"}]})
    body = json.dumps(interaction).encode()
    headers = client.sign(body)
    first = client.post({}, headers=headers, body=body)
    second = client.post({}, headers=headers, body=body)
    assert first.json()["type"] == 5
    assert second.json()["type"] == 4 and "already have this request" in second.json()["data"]["content"]
    assert second.json()["data"]["flags"] == 64
