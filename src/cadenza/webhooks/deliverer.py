"""The deliverer behind ``cadenza webhooks deliver`` and ``cadenza run``: it sends the queued
event deliveries, signed, and retries the ones a receiver could not take.

Nothing here runs inside anyone's transaction: a pass claims due deliveries (committed), makes
each request with no transaction open, and writes each result in a short transaction of its own.

Signing is the handoff webhook's (:func:`cadenza.handoff.webhook.sign`): ``X-Cadenza-Signature:
t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`` with the subscription's secret,
resolved from its reference at send time. Network errors, timeouts, 5xx and 429 are retried
with exponential backoff and jitter (``Retry-After`` honoured up to the cap), other answers are
final; after ``max_attempts`` a delivery is ``failed`` with the last error kept.

A dead receiver costs one request per pass, not one per delivery: its other claimed
deliveries are given back, due when the failed one is. Receivers are served in parallel
threads, so a receiver that hangs until the timeout holds up nobody else.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from cadenza.errors import CadenzaError
from cadenza.handoff.webhook import EVENT_HEADER, SIGNATURE_HEADER, sign
from cadenza.secrets import resolve_secret
from cadenza.store import Database
from cadenza.store.events import record_event
from cadenza.store.models import utcnow
from cadenza.store.webhooks import FAILED, Claimed, claim_due, record_attempt, release
from cadenza.webhooks.payload import event_body

log = logging.getLogger(__name__)

EVENT_ID_HEADER = "X-Cadenza-Event-Id"
DELIVERY_HEADER = "X-Cadenza-Delivery"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long a delivery is tried: about 21 hours by default."""

    max_attempts: int = 10
    base_seconds: float = 30.0
    max_seconds: float = 4 * 3600.0
    #: Each wait is stretched by up to this fraction, at random, so receivers that came back
    #: are not hit by every delivery at the same second.
    jitter: float = 0.25

    def delay(self, attempts: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds before the next try, after ``attempts`` failed ones."""
        if retry_after is not None:
            return min(self.max_seconds, retry_after)
        base = min(self.max_seconds, self.base_seconds * 2 ** (attempts - 1))
        return float(base * (1 + rng.uniform(0, self.jitter)))


@dataclass(frozen=True)
class Attempt:
    """One request and what became of its delivery."""

    delivery_id: int
    subscription_id: int
    event_id: int
    kind: str
    state: str  # delivered | pending (retried later) | failed
    status_code: int | None
    error: str
    duration_ms: float


@dataclass
class PassReport:
    """What one pass did."""

    attempts: list[Attempt] = field(default_factory=list)
    released: int = 0

    def count(self, state: str) -> int:
        return sum(1 for a in self.attempts if a.state == state)


class Deliverer:
    """Sends due event deliveries; see the module docstring."""

    def __init__(self, db: Database, *, clock: Callable[[], dt.datetime] = utcnow,
                 client: httpx.Client | None = None, timeout: float = 10.0,
                 retry: RetryPolicy | None = None, per_subscription: int = 20,
                 workers: int = 8, claim_seconds: float = 300.0,
                 rng: random.Random | None = None) -> None:
        self.db = db
        self.clock = clock
        self.client = client or httpx.Client(timeout=timeout, follow_redirects=False)
        self.retry = retry or RetryPolicy()
        self.per_subscription = per_subscription
        self.workers = workers
        self.claim = dt.timedelta(seconds=max(claim_seconds, timeout * 2))
        self.rng = rng or random.Random()
        self._rng_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def run_once(self, *, only: list[int] | None = None, final: bool = False) -> PassReport:
        """One pass over what is due (or just the deliveries ``only``). ``final``: no retry
        (a test delivery answers at once, whatever happens)."""
        now = self.clock()
        with self.db.session() as s:
            claimed = claim_due(session=s, now=now, until=now + self.claim,
                                per_subscription=self.per_subscription,
                                skip_locked=not self.db.is_sqlite, only=only)
        groups: dict[int, list[Claimed]] = defaultdict(list)
        for item in claimed:
            groups[item.subscription_id].append(item)
        report = PassReport()
        if len(groups) <= 1:
            for items in groups.values():
                self._serve(items, final, report)
            return report
        with ThreadPoolExecutor(max_workers=min(self.workers, len(groups)),
                                thread_name_prefix="webhook") as pool:
            for future in [pool.submit(self._serve, items, final, report)
                           for items in groups.values()]:
                future.result()
        return report

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 1.0) -> None:
        """Pass after pass until ``stop`` is set; an idle pass waits ``poll_seconds``."""
        while not stop.is_set():
            try:
                report = self.run_once()
            except Exception:  # a database hiccup must not end the loop
                log.exception("webhook delivery pass failed; trying again")
                report = PassReport()
            if not report.attempts:
                stop.wait(poll_seconds)

    # -- one receiver -----------------------------------------------------------------------
    def _serve(self, items: list[Claimed], final: bool, report: PassReport) -> None:
        """One subscription's claimed deliveries, in order; on a failure that says the
        receiver is unreachable or busy, the rest are given back for later."""
        try:
            secret: str | None = resolve_secret(items[0].secret_ref)
            problem = ""
        except CadenzaError as exc:
            secret, problem = None, str(exc)
        for i, item in enumerate(items):
            attempt, busy = self._one(item, secret, problem, final)
            report.attempts.append(attempt)
            if busy and attempt.state != "delivered" and i + 1 < len(items):
                rest = [x.id for x in items[i + 1:]]
                until = self.clock() + dt.timedelta(seconds=self.retry.base_seconds)
                with self.db.session() as s:
                    release(session=s, delivery_ids=rest, until=until)
                report.released += len(rest)
                return

    def _one(self, item: Claimed, secret: str | None, problem: str,
             final: bool) -> tuple[Attempt, bool]:
        """One attempt: the request (or why none was made) and its result, written."""
        started = time.perf_counter()
        status: int | None = None
        retry_after: float | None = None
        if secret is None:  # retried: the operator may yet set the variable or the file
            error, busy, retryable = f"secret: {problem}", True, True
        else:
            body = self._body(item)
            if isinstance(body, str):  # the event cannot be shown: no retry changes that
                error, busy, retryable = body, False, False
            else:
                status, error, busy, retry_after = self._post(item, body, secret)
                retryable = status is None or status >= 500 or status == 429
        ms = (time.perf_counter() - started) * 1000
        ok = status is not None and 200 <= status < 300
        now = self.clock()
        retry_at: dt.datetime | None = None
        if not ok and retryable and not final and item.attempt + 1 < self.retry.max_attempts:
            with self._rng_lock:
                wait = self.retry.delay(item.attempt + 1, self.rng, retry_after)
            retry_at = now + dt.timedelta(seconds=wait)
        with self.db.session() as s:
            state = record_attempt(session=s, delivery_id=item.id, ok=ok, status_code=status,
                                   error=error, duration_ms=ms, now=now, retry_at=retry_at)
            if state == FAILED:
                record_event(session=s, kind="webhook.failed", workspace_id=item.workspace_id,
                             subject_type="webhookdelivery", subject_id=item.id,
                             subscription_id=item.subscription_id, event_id=item.event_id,
                             attempts=item.attempt + 1, error=error[:500])
        if not ok:
            log.warning("webhook %s delivery %s (event %s): %s -> %s", item.url, item.id,
                        item.event_id, error, state)
        return Attempt(item.id, item.subscription_id, item.event_id, item.kind, state, status,
                       error, round(ms, 2)), busy

    def _body(self, item: Claimed) -> bytes | str:
        """The event's signed bytes, or why it cannot be built."""
        try:
            with self.db.session() as s:
                return event_body(s, item.event_id)
        except Exception as exc:
            log.exception("event %s cannot be delivered", item.event_id)
            return f"cannot build the event body: {exc}"[:500]

    def _post(self, item: Claimed, body: bytes,
              secret: str) -> tuple[int | None, str, bool, float | None]:
        """POST the body, signed now: (status, error, receiver busy or gone, Retry-After)."""
        headers = {"Content-Type": "application/json", "User-Agent": "cadenza-webhook/1",
                   EVENT_HEADER: item.kind, EVENT_ID_HEADER: str(item.event_id),
                   DELIVERY_HEADER: str(item.id),
                   SIGNATURE_HEADER: sign(body, secret, int(self.clock().timestamp()))}
        try:
            response = self.client.post(item.url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            return None, f"timeout: {type(exc).__name__}", True, None
        except httpx.TransportError as exc:  # refused, reset, DNS, TLS
            return None, f"connection failed: {exc or type(exc).__name__}", True, None
        except httpx.InvalidURL as exc:
            return None, f"invalid URL: {exc}", False, None
        if response.is_success:
            return response.status_code, "", False, None
        return (response.status_code, f"HTTP {response.status_code}: {response.text[:200]}",
                response.status_code == 429, _seconds(response.headers.get("Retry-After")))


def _seconds(value: str | None) -> float | None:
    """``Retry-After`` in seconds (an HTTP date falls back to our own backoff)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
