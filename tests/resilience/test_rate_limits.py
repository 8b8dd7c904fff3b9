"""A burst of simultaneous requests from one person never gets more than the limit through:
the counter is a conditional update in the same DynamoDB transaction as the task write
(moto over HTTP), so there is no read-then-write window to race."""

from __future__ import annotations

import base64
import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor

import boto3

from valine.handlers.interactions import handler
from valine.wiring import build_interactions
from valine_local.discord_client import user_id


def test_a_burst_from_one_person_gets_exactly_the_limit_through(client, stack):
    limited = build_interactions(dataclasses.replace(stack.settings, requests_per_hour=4))

    def send(i: int) -> dict:
        data = {"id": "1", "name": "copy-update", "type": 1, "options": [
            {"name": "request", "type": 3, "value": f'page:faq find:"Not yet." replace:"Soon {i}."'}]}
        interaction = client._interaction(2, "burst", ["admin"], data)
        body = json.dumps(interaction).encode()
        out = handler({"headers": {k.lower(): v for k, v in client.sign(body).items()},
                       "body": base64.b64encode(body).decode(), "isBase64Encoded": True}, None, app=limited)
        return json.loads(out["body"])

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(send, range(12)))
    started = [a for a in answers if a["type"] == 5]
    refused = [a for a in answers if a["type"] == 4]
    assert len(started) == 4 and len(refused) == 8
    assert all("You have made 4 requests this hour" in a["data"]["content"] for a in refused)
    db = boto3.client("dynamodb", endpoint_url=stack.aws_url)
    quota = db.query(TableName=stack.TABLE, KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": {"S": "QUOTA#" + user_id("burst")}})["Items"]
    assert [int(i["used"]["N"]) for i in quota] == [4]
    # All or nothing: a refused transaction wrote no task either.
    tasks = db.query(TableName=stack.TABLE, IndexName="by-requester", KeyConditionExpression="gsi1pk = :u",
                     ExpressionAttributeValues={":u": {"S": "USER#" + user_id("burst")}})["Items"]
    assert len(tasks) == 4
