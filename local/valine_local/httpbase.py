"""A small JSON HTTP server base with fault injection, for the emulators and the endpoint."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from valine_local.faults import FaultBook, parse_faults

Route = tuple[str, re.Pattern[str], Callable[..., tuple[int, Any]]]


class Server(ThreadingHTTPServer):
    # The default backlog of 5 resets connections when 20 clicks arrive at once.
    request_queue_size = 128
    daemon_threads = True


class Request:
    def __init__(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes):
        self.method, self.path, self.query, self.headers, self.body = method, path, query, headers, body

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def param(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0]


class JsonServer:
    """Routes ``(METHOD, regex)`` to functions returning ``(status, body)``; body bytes/str are sent raw."""

    def __init__(self, name: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.name = name
        self.routes: list[Route] = []
        self.faults = FaultBook()
        self.requests: list[tuple[str, str, int]] = []
        # What the vendor's published contract says was wrong with a request or a response.
        self.violations: list[str] = []
        self.in_flight = 0  # requests being served (a "timeout:" fault keeps one after the client gave up)
        self._flight = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                with outer._flight:
                    outer.in_flight += 1
                try:
                    outer._serve(self)
                finally:
                    with outer._flight:
                        outer.in_flight -= 1

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self.httpd = Server((host, port), Handler)
        self.httpd.daemon_threads = True
        self.route("POST", r"^/_emulator/faults$", self._set_faults)
        self.route("GET", r"^/_emulator/faults$", lambda req: (200, {"faults": self.faults.describe(),
                                                                        "hits": self.faults.hits}))
        self.route("DELETE", r"^/_emulator/faults$", self._clear_faults)

    @property
    def url(self) -> str:
        port = self.httpd.server_address[1]
        return f"http://127.0.0.1:{port}"

    def route(self, method: str, pattern: str, fn: Callable[..., tuple[int, Any]]) -> None:
        self.routes.append((method, re.compile(pattern), fn))

    def start(self) -> Self:
        threading.Thread(target=self.httpd.serve_forever, name=self.name, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- the vendor's contract (emulators override) ---------------------------------------
    def fault_key(self, req: Request) -> str:
        """What fault paths are matched against (the GitHub emulator adds the GraphQL operation)."""
        return req.path

    def check_request(self, req: Request) -> tuple[int, Any] | None:
        """The answer the real API gives a request its contract refuses, or None."""
        return None

    def check_response(self, req: Request, status: int, out: Any) -> Any:
        """``out`` as the real API would shape it; record what the contract refuses."""
        return out

    def _clear_faults(self, req: Request) -> tuple[int, Any]:
        self.faults.clear()
        return 204, b""

    def _set_faults(self, req: Request) -> tuple[int, Any]:
        spec = (req.json() or {}).get("spec", "")
        try:
            self.faults.add(parse_faults(spec))
        except ValueError as exc:
            return 400, {"message": str(exc)}
        return 200, {"faults": self.faults.describe()}

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("content-length") or 0)
        body = h.rfile.read(length) if length else b""
        req = Request(h.command, parts.path, parse_qs(parts.query), {k.lower(): v for k, v in h.headers.items()},
                      body)
        action: str | None = None
        if not parts.path.startswith("/_emulator"):
            action = self.faults.take(h.command, self.fault_key(req))
            if action == "drop":
                h.close_connection = True
                h.connection.close()
                return
            if action and action.startswith("timeout:"):
                time.sleep(float(action.split(":", 1)[1]))
            elif action == "lost":
                pass  # handled below: the request takes effect, its answer never arrives
            elif action and action.startswith("ratelimited:"):
                reset = time.time() + float(action.split(":", 1)[1])
                self._send(h, 200, {"data": None, "errors": [{"type": "RATE_LIMITED", "message": (
                    "API rate limit already exceeded for installation ID 1.")}]},
                    {"x-ratelimit-remaining": "0", "x-ratelimit-reset": f"{reset:.3f}"})
                self.requests.append((h.command, parts.path, 200))
                return
            elif action:
                code, _, wait = action.partition(":")
                status = int(code)
                headers = {"retry-after": wait} if wait else {}
                if status == 403 and wait:
                    headers["x-ratelimit-remaining"] = "0"
                payload: dict[str, Any] = {"message": f"injected fault {action}"}
                if wait:
                    payload["retry_after"] = float(wait)
                self._send(h, status, payload, headers)
                self.requests.append((h.command, parts.path, status))
                return
        for method, pattern, fn in self.routes:
            m = pattern.match(parts.path)
            if m and method == h.command:
                try:
                    refused = None if parts.path.startswith("/_emulator") else self.check_request(req)
                    code_out, out = refused or fn(req, *m.groups())
                    if not parts.path.startswith("/_emulator"):
                        out = self.check_response(req, code_out, out)
                except Exception as exc:  # an emulator bug must be loud, not a hang
                    code_out, out = 500, {"message": f"emulator error: {exc!r}"}
                    self.violations.append(f"{h.command} {parts.path}: emulator error {exc!r}")
                self.requests.append((h.command, parts.path, code_out))
                if action == "lost":
                    h.close_connection = True
                    h.connection.close()
                    return
                self._send(h, code_out, out)
                return
        self.requests.append((h.command, parts.path, 404))
        self._send(h, 404, {"message": "Not Found"})

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, out: Any, headers: dict[str, str] | None = None) -> None:
        if isinstance(out, bytes | str):
            data = out.encode() if isinstance(out, str) else out
            ctype = "text/plain; charset=utf-8"
        else:
            data = json.dumps(out).encode()
            ctype = "application/json"
        try:
            h.send_response(status)
            h.send_header("content-type", ctype)
            h.send_header("content-length", str(len(data)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
