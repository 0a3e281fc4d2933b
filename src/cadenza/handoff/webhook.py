"""The outgoing webhook: signed JSON (or Slack-shaped) POSTs, retried, every attempt logged.

Signature, modelled on Stripe's: ``X-Cadenza-Signature: t=<unix seconds>,v1=<hex>`` where
``hex = HMAC-SHA256(secret, f"{t}.{body}")``. The timestamp is inside the MAC so a receiver can
refuse replays older than a few minutes (:func:`verify_signature` does). The secret is a
reference (``env:NAME`` / ``file:/path``) resolved at send time, never stored.

Retries: connection errors, timeouts, 5xx and 429 are retried with exponential backoff
(``Retry-After`` honoured up to the cap); any other 4xx is the receiver saying no and is not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
from sqlmodel import Session

from cadenza.errors import CadenzaError
from cadenza.handoff.notify import Notice
from cadenza.secrets import resolve_secret
from cadenza.store.events import record_event
from cadenza.store.models import WebhookDelivery, utcnow

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Cadenza-Signature"
EVENT_HEADER = "X-Cadenza-Event"


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(body: bytes, header: str, secret: str, *, now: float | None = None,
                     tolerance: int = 300) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = sign(body, secret, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def slack_body(notice: Notice, public_base_url: str) -> dict[str, Any]:
    """A Slack incoming-webhook message (``text`` fallback plus ``blocks``)."""
    url = notice.url(public_base_url)
    return {
        "text": f"{notice.title()} — {url}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn",
                                         "text": f"*{_mrkdwn(notice.title())}*\n"
                                                 f"{_mrkdwn(notice.summary)}"}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text":
                f"priority {notice.priority} · {notice.rep_email or 'queue ' + notice.queue}"}]},
            {"type": "actions", "elements": [{"type": "button", "url": url,
                                              "text": {"type": "plain_text",
                                                       "text": "Open ticket"}}]},
        ],
    }


def _mrkdwn(text: str) -> str:
    """Escape Slack's control characters: prospect text must not become a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class WebhookNotifier:
    """POSTs each notice to one URL; see the module docstring for signing and retries."""

    def __init__(self, *, url: str, secret_ref: str = "", public_base_url: str,
                 slack: bool = False, max_attempts: int = 4, backoff: float = 0.5,
                 max_backoff: float = 8.0, timeout: float = 5.0,
                 client: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.url, self.secret_ref, self.slack = url, secret_ref, slack
        self.public_base_url = public_base_url
        self.max_attempts, self.backoff, self.max_backoff = max_attempts, backoff, max_backoff
        self.client = client or httpx.Client(timeout=timeout)
        self.sleep = sleep

    def close(self) -> None:
        self.client.close()

    def body(self, notice: Notice) -> bytes:
        data = (slack_body(notice, self.public_base_url) if self.slack
                else notice.payload(self.public_base_url))
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()

    def notify(self, notice: Notice, *, session: Session) -> None:
        self.deliver(notice, session=session)

    def deliver(self, notice: Notice, *, session: Session) -> bool:
        """Send with retries; ``True`` when the receiver answered 2xx. Logs every attempt."""
        event = f"handoff.{notice.kind}"
        body = self.body(notice)
        try:
            secret = resolve_secret(self.secret_ref)
        except CadenzaError as exc:
            self._log(session, notice, event, 1, None, False, str(exc), 0.0)
            return False
        for attempt in range(1, self.max_attempts + 1):
            headers = {"Content-Type": "application/json", EVENT_HEADER: event,
                       "User-Agent": "cadenza-webhook/1"}
            if secret:
                headers[SIGNATURE_HEADER] = sign(body, secret, int(time.time()))
            started = time.perf_counter()
            status: int | None = None
            error = ""
            retry_after: float | None = None
            try:
                response = self.client.post(self.url, content=body, headers=headers)
                status = response.status_code
                if not response.is_success:
                    error = f"HTTP {status}: {response.text[:200]}"
                    retry_after = _retry_after(response.headers.get("Retry-After"))
            except httpx.TimeoutException as exc:
                error = f"timeout: {type(exc).__name__}"
            except httpx.TransportError as exc:
                error = f"connection failed: {exc or type(exc).__name__}"
            ms = (time.perf_counter() - started) * 1000
            ok = status is not None and 200 <= status < 300
            self._log(session, notice, event, attempt, status, ok, error, ms)
            if ok:
                return True
            retryable = status is None or status >= 500 or status == 429
            if not retryable or attempt == self.max_attempts:
                break
            delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
            self.sleep(min(self.max_backoff, retry_after) if retry_after is not None else delay)
        record_event(session=session, kind="notification.failed",
                     workspace_id=notice.workspace_id, subject_type="handoff",
                     subject_id=notice.handoff_id, channel="webhook", url=self.url,
                     notice=notice.kind)
        log.warning("webhook %s for handoff %s gave up", self.url, notice.handoff_id)
        return False

    def _log(self, session: Session, notice: Notice, event: str, attempt: int,
             status: int | None, ok: bool, error: str, ms: float) -> None:
        session.add(WebhookDelivery(workspace_id=notice.workspace_id,
                                    handoff_id=notice.handoff_id, url=self.url, event=event,
                                    status_code=status, attempt=attempt, ok=ok,
                                    error=error[:500], duration_ms=round(ms, 2),
                                    created_at=utcnow()))
        session.flush()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
