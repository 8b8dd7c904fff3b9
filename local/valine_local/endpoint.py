"""The local HTTP API: ``POST /discord`` and ``POST /github`` fed to their Lambda handlers as API
Gateway HTTP API events (payload 2.0, base64 body), and ``GET /healthz``."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from valine.handlers.github_webhook import handler as github_handler
from valine.handlers.interactions import handler as interactions_handler
from valine_local.httpbase import Server


def serve_endpoint(port: int, *, health: Callable[[], dict[str, Any]], app: Callable[[], Any],
                   webhooks: Callable[[], Any]) -> Server:
    """Start serving on 127.0.0.1:``port`` (0: any free port) in a daemon thread."""

    class Endpoint(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path.split("?")[0] == "/healthz":
                self._send(200, json.dumps(health()).encode())
            else:
                self._send(404, b'{"error":"not found"}')

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            if path not in ("/discord", "/github"):
                self._send(404, b'{"error":"not found"}')
                return
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            event = {"version": "2.0", "routeKey": f"POST {path}", "rawPath": path,
                     "headers": {k.lower(): v for k, v in self.headers.items()},
                     "body": base64.b64encode(body).decode(), "isBase64Encoded": True,
                     "requestContext": {"http": {"method": "POST", "path": path}}}
            if path == "/github":
                result = github_handler(event, None, app=webhooks())
            else:
                result = interactions_handler(event, None, app=app())
            self._send(result["statusCode"], result["body"].encode(),
                       result["headers"].get("content-type", "application/json"))

    server = Server(("127.0.0.1", port), Endpoint)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="endpoint", daemon=True).start()
    return server
