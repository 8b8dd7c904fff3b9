"""moto's server over HTTP, with DynamoDB requests serialised.

moto applies a DynamoDB transaction by copying and mutating shared dicts without a lock,
so concurrent transactions on one item lose updates (seen here: 11 settled LLM calls, 6
counted). DynamoDB itself makes each item write and each transaction atomic. Serialising
DynamoDB calls restores that guarantee; SQS long polls and other services stay concurrent.
"""

from __future__ import annotations

import copy
import io
import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

from valine_local.faults import FaultBook

log = logging.getLogger("valine.local.aws")

_DDB_ERRORS = {
    "throttle": ("400 Bad Request", "ProvisionedThroughputExceededException",
                 "The level of configured provisioned throughput for the table was exceeded."),
    "conditional": ("400 Bad Request", "ConditionalCheckFailedException", "The conditional request failed"),
}


def _partition_key(raw: bytes) -> str:
    """The pk of the item a request writes; for a transaction, of its first item (the task)."""
    try:
        body = json.loads(raw or b"{}")
        if body.get("TransactItems"):
            (first,) = body["TransactItems"][0].values()
            body = first
        item = body.get("Item") or body.get("Key") or {}
        return str(item.get("pk", {}).get("S", ""))
    except (ValueError, AttributeError, TypeError):
        return ""


class _SerializeDynamoDb:
    def __init__(self, app: Callable[..., Iterable[bytes]], faults: FaultBook) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._faults = faults

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            return self._answer(environ, start_response)
        except Exception as exc:  # noqa: BLE001 - moto's gaps become one log line and an AWS-shaped 500
            # Without this werkzeug prints moto's traceback into the `make local` terminal and answers
            # with an HTML page, which boto shows as "<!doctype html>...".
            what = str(environ.get("HTTP_X_AMZ_TARGET") or environ.get("PATH_INFO") or "?")
            log.warning("the local AWS stand-in (moto) could not answer %s: %s: %s", what, type(exc).__name__,
                        str(exc)[:200])
            body = json.dumps({"__type": "InternalFailure",
                               "message": f"moto could not answer this ({type(exc).__name__})"}).encode()
            start_response("500 Internal Server Error", [("Content-Type", "application/x-amz-json-1.0"),
                                                        ("Content-Length", str(len(body)))])
            return [body]

    def _answer(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if target.startswith("DynamoDB_"):
            # Faults match "<Operation> <pk>", so a test can aim at one item: "DDB PutItem.TASK#42 -> ...".
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(raw)
            action = self._faults.take("DDB", f"{target.split('.', 1)[-1]} {_partition_key(raw)}")
            if action:
                status, kind, message = _DDB_ERRORS.get(action, (f"{action} Error", "InternalServerError",
                                                                 "injected fault"))
                error: dict[str, object] = {"__type": f"com.amazonaws.dynamodb.v20120810#{kind}", "message": message}
                if action == "conditional" and target.endswith("TransactWriteItems"):
                    # DynamoDB refuses a transaction as a whole and says which item's condition failed.
                    count = len(json.loads(raw or b"{}").get("TransactItems") or [None])
                    error = {"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                             "message": "Transaction cancelled, please refer cancellation reasons for specific "
                                        "reasons [ConditionalCheckFailed" + ", None" * (count - 1) + "]",
                             "CancellationReasons": [{"Code": "ConditionalCheckFailed"}]
                             + [{"Code": "None"}] * (count - 1)}
                body = json.dumps(error).encode()
                start_response(status, [("Content-Type", "application/x-amz-json-1.0"),
                                        ("Content-Length", str(len(body)))])
                return [body]
            with self._lock:
                return list(self._app(environ, start_response))
        return self._app(environ, start_response)


class MotoServer(ThreadedMotoServer):
    """moto's server with DynamoDB serialised and DynamoDB faults injectable (``faults``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.faults = FaultBook()

    def _server_entry(self) -> None:
        from moto.moto_server.threaded_moto_server import MotoRequestHandler

        def backend(service: str) -> Any:
            flask_app = create_backend_app(service)  # type: ignore[arg-type]
            # moto's failures reach _SerializeDynamoDb (one log line, a JSON 500), not Flask's
            # traceback-and-HTML-page handler.
            flask_app.config["PROPAGATE_EXCEPTIONS"] = True
            return flask_app

        app = _SerializeDynamoDb(DomainDispatcherApplication(backend), self.faults)
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


def _item_level_transaction_rollback() -> None:
    """moto backs up every table a transaction touches with a deep copy, so a two-item
    transaction costs time in proportion to the whole table (a 2,000-task table: tens of ms,
    growing). DynamoDB's cost does not grow with the table. Here the DynamoDB calls are already
    serialised (``_SerializeDynamoDb``), so a transaction is rolled back by restoring just the
    items it touched; the semantics (all or nothing, which condition failed) are moto's own."""
    from moto.dynamodb import models

    original = models.DynamoDBBackend.transact_write_items
    if getattr(original, "_valine_item_rollback", False):
        return

    class _NoTableCopy:
        @staticmethod
        def deepcopy(value: Any, *args: Any) -> Any:
            return value if isinstance(value, models.Table) else copy.deepcopy(value, *args)

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        for entry in transact_items:
            ((kind, op),) = entry.items()
            table = self.get_table(op["TableName"])
            if kind == "Put":
                key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = op["Item"][table.range_key_attr]
            else:
                key = op["Key"]
            current = self.get_item(op["TableName"], key)
            saved.append((op["TableName"], key, current.to_json()["Attributes"] if current else None))
        models.copy = _NoTableCopy  # type: ignore[assignment]
        try:
            original(self, transact_items)
        except Exception:
            for table_name, key, attrs in saved:
                if attrs is None:
                    self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, attrs)
            raise
        finally:
            models.copy = copy

    transact_write_items._valine_item_rollback = True  # type: ignore[attr-defined]
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


_item_level_transaction_rollback()
