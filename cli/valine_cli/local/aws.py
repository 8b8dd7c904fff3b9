"""moto's server over HTTP, with DynamoDB requests serialised.

moto applies a DynamoDB transaction by copying and mutating shared dicts without a lock,
so concurrent transactions on one item lose updates (seen here: 11 settled LLM calls, 6
counted). DynamoDB itself makes each item write and each transaction atomic. Serialising
DynamoDB calls restores that guarantee; SQS long polls and other services stay concurrent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server


class _SerializeDynamoDb:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB_"):
            with self._lock:
                return list(self._app(environ, start_response))
        return self._app(environ, start_response)


class MotoServer(ThreadedMotoServer):
    def _server_entry(self) -> None:
        from moto.moto_server.threaded_moto_server import MotoRequestHandler

        app = _SerializeDynamoDb(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()


def _add_percentiles_to_moto() -> None:
    """CloudWatch answers pNN statistics; moto answers None. Nearest-rank over the raw
    values is what CloudWatch computes for unaggregated data, so the stand-in gains it."""
    import math

    from moto.cloudwatch import models

    original = models.Statistics.get_statistics_for_type
    if getattr(original, "_valine_percentiles", False):
        return

    def get_statistics_for_type(self: Any, stat: str) -> Any:
        if len(stat) > 1 and stat[0] == "p" and stat[1:].replace(".", "", 1).isdigit():
            values = sorted(self.metric_single_values_list)
            if not values:
                return None
            rank = max(1, math.ceil(float(stat[1:]) / 100 * len(values)))
            return values[rank - 1]
        return original(self, stat)

    get_statistics_for_type._valine_percentiles = True  # type: ignore[attr-defined]
    models.Statistics.get_statistics_for_type = get_statistics_for_type  # type: ignore[method-assign]


_add_percentiles_to_moto()
