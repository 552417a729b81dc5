"""A local HTTPS server that speaks the Alexa Reminders and Settings APIs, for the skill's tests."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.alexa.pki import make_server_certificate


@dataclass
class ReminderService:
    """What the stub was asked, and how it should answer: ok, 401, 500 or slow."""

    mode: str = "ok"
    time_zone: str = "America/New_York"
    slow_seconds: float = 3.0
    created: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorizations: list[str] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    """Amazon's API takes many calls at once. The standard library's listen backlog of 5 drops
    connections when the skill sends 8 side by side, and the client's retried SYN comes a second
    later, past its 1 s timeout: a test of concurrency would then fail at random."""

    request_queue_size = 128


def _handler(service: ReminderService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, data: Any = None) -> None:
            payload = b"" if data is None else json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _failure(self) -> bool:
            service.authorizations.append(self.headers.get("Authorization", ""))
            if service.mode == "slow":
                time.sleep(service.slow_seconds)
            if service.mode == "401":
                self._answer(401, {"code": "UNAUTHORIZED", "message": "no permission"})
                return True
            if service.mode == "500":
                self._answer(500, {"code": "INTERNAL_SERVER_ERROR", "message": "oops"})
                return True
            return False

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.endswith("/settings/System.timeZone"):
                self._answer(200, service.time_zone)
                return
            if self._failure():
                return
            self._answer(
                200,
                {
                    "totalCount": str(len(service.reminders)),
                    "alerts": list(service.reminders.values()),
                },
            )

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length) or b"{}")
            if self._failure():
                return
            token = f"tok-{len(service.created) + 1}"
            service.created.append(request)
            now = datetime.now().isoformat()
            reminder = {
                "alertToken": token,
                "createdTime": now,
                "updatedTime": now,
                "status": "ON",
                "version": "1",
                "href": f"/v1/alerts/reminders/{token}",
            }
            service.reminders[token] = reminder
            self._answer(201, reminder)

        def do_DELETE(self) -> None:  # noqa: N802
            if self._failure():
                return
            token = self.path.rsplit("/", 1)[-1]
            if token not in service.reminders:
                self._answer(404, {"code": "NOT_FOUND", "message": "no such reminder"})
                return
            del service.reminders[token]
            service.deleted.append(token)
            self._answer(200, {})

    return Handler


@contextmanager
def reminders_api(tmp_path: Path, now: datetime) -> Iterator[tuple[str, str, ReminderService]]:
    """(https URL, CA bundle path, service) of a stub running on 127.0.0.1."""
    ca_pem, cert_pem, key_pem = make_server_certificate(now)
    (tmp_path / "stub-ca.pem").write_bytes(ca_pem)
    (tmp_path / "stub-cert.pem").write_bytes(cert_pem)
    (tmp_path / "stub-key.pem").write_bytes(key_pem)
    service = ReminderService()
    server = _Server(("127.0.0.1", 0), _handler(service))
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "stub-cert.pem", tmp_path / "stub-key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}", str(tmp_path / "stub-ca.pem"), service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
