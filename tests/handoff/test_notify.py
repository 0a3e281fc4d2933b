"""Notifications against real servers: aiosmtpd for email, an HTTP receiver for webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from handoff_world import MONDAY_10, config, handoff, prospect, rep, workspace
from sqlmodel import Session, col, select

from cadenza.handoff.notify import (
    EmailNotifier,
    FanoutNotifier,
    Notice,
    SmtpNotificationMailer,
    build_notice,
)
from cadenza.handoff.routing import route_pending
from cadenza.handoff.webhook import SIGNATURE_HEADER, WebhookNotifier, verify_signature
from cadenza.store import Database
from cadenza.store.models import Event, WebhookDelivery

from support.smtp import SmtpServer

BASE = "https://cadenza.agency.test"


@dataclass
class Receiver:
    """A real HTTP server on loopback that fails the first requests as told."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append({"headers": dict(self.headers), "body": body,
                                   "path": self.path})
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"nope")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # a short poll interval: shutdown() waits for the next poll (0.5 s by default)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/cadenza"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _ticket(s: Session) -> Notice:
    ws = workspace(s)
    rep(s, ws, "rep@agency.test")
    p = prospect(s, ws, first_name="Ada", last_name="Lovelace", company="Analytical",
                 title="CTO")
    h = handoff(s, ws, p, intent="meeting_request", priority=3)
    route_pending(session=s, now=MONDAY_10)
    assert h.id is not None
    return build_notice(session=s, handoff_id=h.id, kind="assigned", now=MONDAY_10)


def test_rep_email_over_real_smtp(sqlite_db: Database, smtp_server: SmtpServer) -> None:
    mailer = SmtpNotificationMailer(host=smtp_server.host, port=smtp_server.port,
                                    security="none")
    notifier = EmailNotifier(mailer=mailer, from_address="cadenza@agency.test",
                             public_base_url=BASE)
    with sqlite_db.session() as s:
        ws = workspace(s)
        rep(s, ws, "rep@agency.test")
        h = handoff(s, ws, prospect(s, ws, first_name="Ada", last_name="Lovelace",
                                    company="Analytical"), intent="meeting_request")
        route_pending(session=s, now=MONDAY_10, notifier=notifier)
        (received,) = smtp_server.sink.messages
        assert received.rcpt_tos == ["rep@agency.test"]
        msg = received.message
        assert msg["Auto-Submitted"] == "auto-generated"
        assert msg["Subject"] == "New handoff: Ada Lovelace (Analytical) (meeting request)"
        text = msg.get_content()
        assert f"{BASE}/tickets/{h.id}" in text
        assert "Why it was routed here:" in text and "round-robin" in text
        assert msg.get_content_type() == "text/plain"
        assert s.exec(select(Event).where(Event.kind == "notification.sent")).one()


def test_email_failure_is_logged_not_raised(sqlite_db: Database) -> None:
    mailer = SmtpNotificationMailer(host="127.0.0.1", port=1, security="none", timeout=2)
    notifier = EmailNotifier(mailer=mailer, from_address="cadenza@agency.test",
                             public_base_url=BASE)
    with sqlite_db.session() as s:
        notice = _ticket(s)
        notifier.notify(notice, session=s)
        event = s.exec(select(Event).where(Event.kind == "notification.failed")).one()
        assert event.data["channel"] == "email"


def test_webhook_signed_and_retried_on_5xx(sqlite_db: Database, receiver: Receiver,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", "s3cret")
    receiver.statuses = [500, 503]
    sleeps: list[float] = []
    hook = WebhookNotifier(url=receiver.url, secret_ref="env:HOOK_SECRET",
                           public_base_url=BASE, backoff=0.01, sleep=sleeps.append)
    with sqlite_db.session() as s:
        notice = _ticket(s)
        assert hook.deliver(notice, session=s) is True
        assert len(receiver.requests) == 3
        assert sleeps == [0.01, 0.02]
        last = receiver.requests[-1]
        header = last["headers"][SIGNATURE_HEADER]
        # verified independently of the sender's code
        parts = dict(p.split("=", 1) for p in header.split(","))
        mac = hmac.new(b"s3cret", parts["t"].encode() + b"." + last["body"], hashlib.sha256)
        assert hmac.compare_digest(mac.hexdigest(), parts["v1"])
        assert verify_signature(last["body"], header, "s3cret")
        assert not verify_signature(last["body"] + b" ", header, "s3cret")
        assert not verify_signature(last["body"], header, "wrong")
        payload = json.loads(last["body"])
        assert payload["event"] == "handoff.assigned"
        assert payload["url"] == f"{BASE}/tickets/{notice.handoff_id}"
        assert payload["rep_email"] == "rep@agency.test"
        rows = s.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all()
        assert [(r.attempt, r.status_code, r.ok) for r in rows] == \
            [(1, 500, False), (2, 503, False), (3, 200, True)]
        assert rows[0].error.startswith("HTTP 500")


def test_webhook_4xx_not_retried_but_429_is(sqlite_db: Database, receiver: Receiver) -> None:
    hook = WebhookNotifier(url=receiver.url, public_base_url=BASE, sleep=lambda _: None)
    with sqlite_db.session() as s:
        notice = _ticket(s)
        receiver.statuses = [400]
        assert hook.deliver(notice, session=s) is False
        assert len(receiver.requests) == 1
        assert SIGNATURE_HEADER not in receiver.requests[0]["headers"]  # no secret configured
        receiver.statuses = [429, 200]
        assert hook.deliver(notice, session=s) is True
        assert len(receiver.requests) == 3
        failed = s.exec(select(Event).where(Event.kind == "notification.failed")).all()
        assert len(failed) == 1


def test_webhook_connection_refused_retries_then_gives_up(sqlite_db: Database) -> None:
    sleeps: list[float] = []
    hook = WebhookNotifier(url="http://127.0.0.1:1/hook", public_base_url=BASE,
                           max_attempts=3, backoff=1.0, max_backoff=1.5, sleep=sleeps.append)
    with sqlite_db.session() as s:
        notice = _ticket(s)
        assert hook.deliver(notice, session=s) is False
        assert sleeps == [1.0, 1.5]
        rows = s.exec(select(WebhookDelivery)).all()
        assert [r.status_code for r in rows] == [None, None, None]
        assert all(r.error.startswith("connection failed") for r in rows)


def test_slack_shape_escapes_prospect_text(sqlite_db: Database, receiver: Receiver) -> None:
    hook = WebhookNotifier(url=receiver.url, public_base_url=BASE, slack=True)
    email = EmailNotifier(mailer=_NullMailer(), from_address="c@agency.test",
                          public_base_url=BASE)
    with sqlite_db.session() as s:
        ws = workspace(s)
        rep(s, ws, "rep@agency.test")
        handoff(s, ws, prospect(s, ws, first_name="<!channel>", company="A&B"))
        route_pending(session=s, now=MONDAY_10, notifier=FanoutNotifier(email, hook),
                      workspace_id=ws.id)
        body = json.loads(receiver.requests[0]["body"])
        assert set(body) == {"text", "blocks"}
        section = body["blocks"][0]["text"]["text"]
        assert "&lt;!channel&gt;" in section and "A&amp;B" in section
        assert "<!channel>" not in section


class _NullMailer:
    def send(self, message: Any, *, envelope_from: str, recipients: list[str]) -> None:
        pass


def test_routing_config_is_not_needed_for_notice(sqlite_db: Database) -> None:
    with sqlite_db.session() as s:
        notice = _ticket(s)
        assert notice.recipients == ("rep@agency.test",)
        assert notice.summary.startswith("Ada Lovelace (CTO, Analytical) — meeting request")
        assert config().sla_minutes == 15
