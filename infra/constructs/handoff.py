"""The durable hand-off from the interactions function to the worker (SQS + dead letters), and the
queue where every function's failed asynchronous events go."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from valine.core import budgets, names

WEBHOOK_TIMEOUT_SECONDS = 10
NOTICE_VISIBILITY_SECONDS = 6 * WEBHOOK_TIMEOUT_SECONDS  # AWS: at least six times the consumer's timeout


class JobQueue(Construct):
    """The stage's queues: the job queue and its dead letters, the failed asynchronous events, and
    the webhook's notices. Every one is encrypted at rest (SQS-managed) and refuses plain HTTP."""

    def _queue(self, construct_id: str, **props: Any) -> sqs.Queue:
        return sqs.Queue(self, construct_id, encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
                         **props)

    def _failures(self, construct_id: str, kind: str, stage: str) -> sqs.Queue:
        """A queue where what failed is kept, as long as SQS keeps anything (its depth pages)."""
        return self._queue(construct_id, queue_name=names.named(kind, stage),
                           retention_period=Duration.seconds(budgets.DEAD_LETTER_RETENTION_SECONDS))

    def __init__(self, scope: Construct, construct_id: str, *, stage: str) -> None:
        super().__init__(scope, construct_id)
        self.dead_letters = self._failures("DeadLetters", "dead-letters", stage)
        self.queue = self._queue(
            "Queue",
            queue_name=names.named("queue", stage),
            # 6x the worker timeout (AWS's rule for SQS event sources); all deliveries still fit
            # inside Discord's 15-minute token: the arithmetic is valine.core.budgets.check().
            visibility_timeout=Duration.seconds(budgets.JOB_VISIBILITY_SECONDS),
            retention_period=Duration.seconds(budgets.JOB_RETENTION_SECONDS),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letters,
                                                  max_receive_count=budgets.JOB_MAX_RECEIVES),
        )
        # Events an asynchronous invocation could not handle (the relay's alarm notification, a scheduled
        # status, sweep or probe run) after Lambda's retries: kept, counted and paged about, never dropped.
        self.failed_events = self._failures("FailedEvents", "failed-events", stage)
        # Pull-request outcome notices: the webhook function fills it and consumes it (as the bot), so
        # GitHub's delivery is answered at once and a slow or failing Discord is retried here; after
        # five tries a notice lands with the failed events, which pages.
        self.notices = self._queue(
            "Notices",
            queue_name=names.named("notices", stage),
            visibility_timeout=Duration.seconds(NOTICE_VISIBILITY_SECONDS),
            retention_period=Duration.seconds(budgets.JOB_RETENTION_SECONDS),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.failed_events, max_receive_count=5),
        )
