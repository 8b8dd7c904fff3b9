"""Fuzzing the endpoint: only valid signatures get past 401, nothing answers 5xx, and no
exception escapes the handler (hypothesis drives the inputs)."""

from __future__ import annotations

import base64
import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valine.handlers.interactions import handler

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30)
HEADERS = st.dictionaries(st.sampled_from(["x-signature-ed25519", "X-Signature-Ed25519", "x-signature-timestamp",
                                          "X-SIGNATURE-TIMESTAMP", "content-type", "x-other"]),
                          st.text(max_size=140), max_size=4)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


def call(stack, headers: dict, body: bytes, b64: bool = True) -> dict:
    event = {"headers": headers, "isBase64Encoded": b64,
             "body": base64.b64encode(body).decode() if b64 else body.decode("utf-8", "replace")}
    result = handler(event, None, app=stack.interactions)  # an exception here fails the test
    assert result["statusCode"] < 500, result
    return result


@FUZZ
@given(headers=HEADERS, body=st.binary(max_size=2000))
def test_unsigned_or_badly_signed_requests_get_401(stack, headers, body):
    assert call(stack, headers, body)["statusCode"] == 401


@FUZZ
@given(body=st.binary(max_size=500), signature=st.text(alphabet="0123456789abcdef", min_size=128, max_size=128))
def test_random_signatures_never_pass(stack, client, body, signature):
    headers = {"x-signature-ed25519": signature, "x-signature-timestamp": str(int(time.time()))}
    assert call(stack, headers, body)["statusCode"] == 401


INTERACTION = st.fixed_dictionaries({
    "id": st.one_of(st.text(alphabet="0123456789", min_size=1, max_size=20), st.integers(), st.none()),
    "type": st.one_of(st.sampled_from([1, 2, 3, 4, 5]), st.integers(-5, 300), st.text(max_size=3)),
    "token": st.one_of(st.text(min_size=1, max_size=40), st.none()),
    "application_id": st.text(max_size=20),
    "guild_id": st.one_of(st.just("100000000000000002"), st.text(max_size=20)),
    "member": st.one_of(st.none(), JSON, st.fixed_dictionaries({
        "user": st.one_of(JSON, st.fixed_dictionaries({"id": st.text(max_size=20)})),
        "roles": st.one_of(JSON, st.lists(st.sampled_from(["100000000000000010", "x", ""]), max_size=3))})),
    "data": st.one_of(JSON, st.fixed_dictionaries({
        "name": st.sampled_from(["ux-update", "status", "agents", "tasks", "nope"]),
        "custom_id": st.one_of(st.text(max_size=120), st.sampled_from([
            "ux:confirm:1", "ux:edit:", "ux:cancel:x", "ux:confirm:1:0", "ux:edit:1:x", "ux:confirm:1:99999999999"])),
        "options": st.one_of(JSON, st.lists(st.fixed_dictionaries({"name": JSON, "value": JSON}), max_size=4)),
        "components": JSON})),
})


@FUZZ
@given(interaction=INTERACTION)
def test_validly_signed_random_interactions_never_5xx(stack, client, interaction):
    body = json.dumps(interaction).encode()
    result = call(stack, {k.lower(): v for k, v in client.sign(body).items()}, body)
    assert result["statusCode"] in (200, 400)
    json.loads(result["body"])


def test_oversized_and_deeply_nested_bodies(stack, client):
    deep = b"[" * 100_000 + b"]" * 100_000
    big = json.dumps({"type": 2, "id": "1", "token": "t", "data": {"name": "x" * 1_000_000}}).encode()
    for body in (deep, big, b"{" * 5000):
        result = call(stack, {k.lower(): v for k, v in client.sign(body).items()}, body)
        assert result["statusCode"] in (200, 400)
    assert call(stack, {}, b"", b64=False)["statusCode"] == 401
    event = {"headers": {}, "isBase64Encoded": True, "body": "%%%not base64"}
    assert handler(event, None, app=stack.interactions)["statusCode"] == 400
