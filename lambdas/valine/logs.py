"""A correlation id on every log record: the interaction id (interactions) or the task id
(worker). Lambda's JSON log format writes extra record attributes as fields, so each line
carries ``correlation_id`` and CloudWatch Logs Insights can follow one request across both
functions."""

from __future__ import annotations

import contextvars
import logging
from typing import Any

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")
_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    factory = logging.getLogRecordFactory()

    def with_correlation(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record.correlation_id = correlation_id.get()
        return record

    logging.setLogRecordFactory(with_correlation)
    _installed = True
