"""The expiry sweep: previews nobody answered become expired, each exactly once.

Without it only previews someone clicked after they expired were counted, so abandoned ones
never were. The sweep and a late click race through the same conditional write (state is
still open), so whichever wins counts the preview once; ``ConversationsExpired /
Previews`` is then the plan's TTL expiry rate, which the ExpiryRate alarm watches.
"""

from __future__ import annotations

import logging

from valine.core.ports import Clock, Metrics, TaskStore
from valine.core.task import TaskState

log = logging.getLogger("valine.sweep")
BATCH = 500


def sweep_expired(*, store: TaskStore, clock: Clock, metrics: Metrics, lookback_seconds: int) -> int:
    """Mark every open task past its expiry as expired; returns how many this run marked."""
    now = clock.now()
    marked = 0
    for task in store.expired_open(now=now, created_after=now - lookback_seconds, limit=BATCH):
        expired = task.with_event(now, "expired", state=TaskState.EXPIRED, outcome="nobody answered the preview")
        result = store.transition(expired, expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION), now=now,
                                  check_expiry=False, expect_version=task.version)
        if result.ok:
            marked += 1
            metrics.count("ConversationsExpired", Agent=task.agent)
    log.info("expiry sweep", extra={"marked": marked})
    return marked
