"""The hand-off to the worker: one SQS message per job."""

from __future__ import annotations

import json
from typing import Any

from valine.core.ports import Job


class SqsJobQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def send(self, job: Job) -> None:
        self._sqs.send_message(QueueUrl=self._url, MessageBody=json.dumps(job.to_json()))
