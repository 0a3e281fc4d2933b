"""A real webhook receiver for tests: an HTTP server on loopback that checks each request's
signature the way a subscriber would, answers as scripted, or hangs like a dead one."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cadenza.handoff.webhook import verify_signature


@dataclass
class Received:
    """One request as the receiver saw it."""

    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers ``statuses`` in turn (then 200); with ``hang`` set it answers nothing until the
    test ends. ``now`` is the clock the signature's freshness is checked against."""

    secret: str
    now: Callable[[], dt.datetime]
    url: str = ""
    statuses: list[int] = field(default_factory=list)
    hang: bool = False
    requests: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def answered(self) -> list[Received]:
        return [r for r in self.requests if r.status < 300]


@contextmanager
def run_receiver(*, secret: str, now: Callable[[], dt.datetime],
                 statuses: list[int] | None = None, hang: bool = False,
                 tolerance: int = 300) -> Iterator[Receiver]:
    """``tolerance``: how old a signature may be (seconds), as a subscriber would choose."""
    state = Receiver(secret=secret, now=now, statuses=list(statuses or []), hang=hang)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            ok = verify_signature(body, headers.get("x-cadenza-signature", ""), state.secret,
                                  now=state.now().timestamp(), tolerance=tolerance)
            if state.hang:
                state.requests.append(Received(headers, body, ok, 599))
                state.released.wait(30)
                return
            with state.lock:
                status = (state.statuses.pop(0) if state.statuses else 200) if ok else 401
                state.requests.append(Received(headers, body, ok, status))
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "120")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"try later")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/cadenza"
    try:
        yield state
    finally:
        state.released.set()
        server.shutdown()
        server.server_close()
