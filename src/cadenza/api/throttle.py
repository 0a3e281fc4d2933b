"""Guesses at the login form are limited per client, and a form posted from another site is
refused: the token is the only credential, so trying tokens must be slow.

A sliding window per client address (in this process: several API processes each keep their
own window, which still bounds a guesser to a handful of tries a minute per process).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status


class LoginThrottle:
    """At most ``attempts`` failed logins per client in ``window`` seconds."""

    def __init__(self, *, attempts: int = 10, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts, self.window, self.clock = attempts, window, clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str) -> deque[float]:
        now = self.clock()
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(client, None)
        return failures

    def check(self, client: str) -> None:
        """Raise 429 with ``Retry-After`` when ``client`` has used up its tries."""
        failures = self._recent(client)
        if len(failures) >= self.attempts:
            wait = max(1, math.ceil(failures[0] + self.window - self.clock()))
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                "too many failed logins; try again later",
                                headers={"Retry-After": str(wait)})

    def failed(self, client: str) -> None:
        self._recent(client)
        self._failures.setdefault(client, deque()).append(self.clock())


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
