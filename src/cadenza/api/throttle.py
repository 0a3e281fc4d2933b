"""Request limits: failed logins per client, requests per API token; and the login form's
same-site check.

The token is the only credential, so trying tokens at the login form must be slow (10 failures
a minute per client address), and one token — a runaway script, a leaked copy — must not be
able to take the service from everyone else (``CADENZA_API_REQUESTS_PER_MINUTE`` per token,
600 by default). Both are a sliding window on the app's clock (``create_app(clock=…)``), so
tests drive them with the clock they pin, kept in this process: several API processes each
keep their own window, which still bounds a caller to a small multiple of the limit.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import deque
from collections.abc import Callable, Hashable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status

MINUTE = dt.timedelta(minutes=1)


class RateLimit:
    """At most ``limit`` events per key in any ``window``, as ``clock`` tells the time.

    Thread-safe (sync endpoints and dependencies run on a thread pool). Keys nobody used for
    a window are dropped once a window, so memory follows the active keys only.
    """

    def __init__(self, *, limit: int, clock: Callable[[], dt.datetime],
                 window: dt.timedelta = MINUTE) -> None:
        if limit < 1:
            raise ValueError("a rate limit allows at least one event per window")
        self.limit, self.clock = limit, clock
        self.window = window.total_seconds()
        self._events: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = -math.inf

    def _recent(self, key: Hashable, now: float) -> deque[float]:
        if now >= self._next_sweep:  # forget keys idle for a whole window
            self._events = {k: q for k, q in self._events.items()
                            if q and q[-1] > now - self.window}
            self._next_sweep = now + self.window
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def _refuse(self, events: deque[float], now: float, detail: str) -> None:
        if len(events) >= self.limit:
            # Clamped: a wall clock stepped back must not ask for a wait beyond one window.
            wait = min(self.window, max(1.0, events[0] + self.window - now))
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                f"{detail}; try again in {math.ceil(wait)} s",
                                headers={"Retry-After": str(math.ceil(wait))})

    def check(self, key: Hashable, detail: str) -> None:
        """Raise 429 with ``Retry-After`` when ``key`` has used up its events."""
        now = self.clock().timestamp()
        with self._lock:
            self._refuse(self._recent(key, now), now, detail)

    def record(self, key: Hashable) -> None:
        """Count one event for ``key`` (a failed login, say)."""
        now = self.clock().timestamp()
        with self._lock:
            self._recent(key, now).append(now)

    def take(self, key: Hashable, detail: str) -> None:
        """Check and count in one step: 429 when ``key`` is over its limit, else one more."""
        now = self.clock().timestamp()
        with self._lock:
            events = self._recent(key, now)
            self._refuse(events, now, detail)
            events.append(now)


def same_origin(request: Request, public_base_url: str) -> bool:
    """Whether a form post comes from this site: a browser's ``Sec-Fetch-Site`` says so when it
    sends one (our pages send no referrer, so their ``Origin`` is ``null``); else an ``Origin``
    naming another site is refused, and a client that sends neither (curl, old browsers) is let
    through — it cannot be riding someone's cookie."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return True
    allowed = {_origin(public_base_url), _origin(str(request.base_url))}
    return _origin(origin) in allowed


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
