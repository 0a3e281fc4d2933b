"""Unsubscribe tokens never reach a log line (#12 item 14): the app served by a real uvicorn
with its access log on, every record captured — uvicorn's and ours."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from api_world import settings_for

from cadenza.api import create_app
from cadenza.api.redaction import RedactUnsubscribeTokens, redact
from cadenza.mailbox.unsubscribe import make_token, unsubscribe_url
from cadenza.store import Database
from cadenza.store.models import Prospect, Workspace

from support.dovecot import free_port

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
ADDRESS = "jordan.lee@prospect.io"


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def served(sqlite_db: Database, tmp_path: Path) -> Iterator[tuple[str, Captured, bytes]]:
    """The whole app on uvicorn (access log at INFO), and a handler on every logger that
    writes request lines and on the root logger, where our own lines go."""
    settings = settings_for(sqlite_db, tmp_path)
    app = create_app(settings, sqlite_db, clock=lambda: NOW)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info",
                                           lifespan="on"))  # its logging set-up runs here
    captured = Captured()
    loggers = [logging.getLogger(n) for n in ("uvicorn.access", "uvicorn.error", "")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(captured)
    logging.getLogger().setLevel(logging.DEBUG)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", captured, settings.signing_key()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(captured)
            lg.setLevel(level)


def _v1(key: bytes, workspace_id: int) -> str:
    """A link as mail sent before v2 carries it: the address inside, base64-encoded."""
    payload = f"1:{workspace_id}::{ADDRESS}".encode()
    tag = hmac.new(key, b"cadenza-unsubscribe:" + payload, hashlib.sha256).digest()[:16]
    return ".".join(base64.urlsafe_b64encode(x).rstrip(b"=").decode() for x in (payload, tag))


def test_no_log_line_holds_an_unsubscribe_token(served: tuple[str, Captured, bytes],
                                                sqlite_db: Database) -> None:
    base, captured, key = served
    with sqlite_db.session() as s:
        ws = Workspace(slug="acme", name="Acme")
        s.add(ws)
        s.flush()
        jordan = Prospect(workspace_id=ws.id, email=ADDRESS)
        s.add(jordan)
        s.flush()
        tokens = [make_token(key=key, prospect_id=jordan.id or 0), _v1(key, ws.id or 0)]
    for token in tokens:
        link = unsubscribe_url(base, token)
        assert httpx.get(link).status_code == 200
        assert httpx.get(link + "?utm_source=x").status_code == 200
        assert httpx.post(link, content=b"List-Unsubscribe=One-Click").status_code == 200
    assert httpx.get(f"{base}/u/not-a-token").status_code == 404
    # Everything the server side logged (the test's own HTTP client logs its requests too,
    # with the URL it was given: that is this test talking, not the service).
    lines = [r.getMessage() for r in captured.records
             if not r.name.startswith(("httpx", "httpcore"))]
    access = [line for line in lines if '"GET /u/' in line or '"POST /u/' in line]
    assert len(access) == 7, lines  # the access log ran, once per request
    assert all("/u/…" in line for line in access)
    assert any("/u/…?utm_source=x" in line for line in access)  # only the token goes
    assert any("opt-out in workspace" in line for line in lines)  # and our own lines ran
    secrets = [*tokens, *(part for t in tokens for part in t.split(".") if len(part) > 8),
               "not-a-token", ADDRESS]
    for line in lines:
        for secret in secrets:
            assert secret not in line, line


def test_redaction_rewrites_only_the_token_segment() -> None:
    assert redact("GET /u/2.1.0.abc HTTP/1.1") == "GET /u/… HTTP/1.1"
    assert redact('"POST /u/MTox.tag?x=1 HTTP/1.1" 200') == '"POST /u/…?x=1 HTTP/1.1" 200'
    assert redact("/u/a and /u/b") == "/u/… and /u/…"
    for untouched in ("/queue", "/unsubscribe", "/api/tokens", "u/abc", "/u/"):
        assert redact(untouched) == untouched
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/u/secret", "1.1", 200), None)
    assert RedactUnsubscribeTokens().filter(record)
    assert record.getMessage() == '127.0.0.1:5 - "GET /u/… HTTP/1.1" 200'
