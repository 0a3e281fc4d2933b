"""A database that is briefly away, told apart from a mistake, and waited for.

A PostgreSQL restart, a failover or a dropped connection breaks every open connection for
seconds. A long-running process (``cadenza worker``, ``cadenza watch``) should ride that out
— wait, reconnect and go on — rather than exit and leave the work to a supervisor that may not
restart it (``honcho`` stops every process when one exits). A programming error or a bad row
is not an outage: it must still fail loudly. :func:`is_outage` draws that line from the
exception alone; :class:`Backoff` spaces the waits; :func:`wait_for_database` is the start-up
wait of the CLI's long-running commands.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

log = logging.getLogger(__name__)

#: SQLite's transient refusals: another process holds the write lock for longer than the
#: busy timeout. Any other ``sqlite3.OperationalError`` (no such table, a syntax error) is a
#: mistake, not an outage.
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database could not be reached or dropped the connection (try
    again later) rather than that the statement or the data was wrong (fail now)."""
    for link in _chain(exc):
        if isinstance(link, DBAPIError) and link.connection_invalidated:
            return True
        if isinstance(link, OperationalError | InterfaceError):
            if isinstance(link.orig, sqlite3.OperationalError):
                return _sqlite_busy(link.orig)
            return True
        if isinstance(link, sqlite3.OperationalError):
            return _sqlite_busy(link)
        if _is_psycopg_outage(link):
            return True
    return False


def _sqlite_busy(exc: sqlite3.OperationalError) -> bool:
    return any(text in str(exc).lower() for text in _SQLITE_BUSY)


def _is_psycopg_outage(exc: BaseException) -> bool:
    """psycopg's own errors, raised by the checkpointer's pool (not wrapped by SQLAlchemy)."""
    try:
        import psycopg
        from psycopg_pool import PoolTimeout
    except ImportError:  # SQLite-only installs
        return False
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError | PoolTimeout)


@dataclass
class Backoff:
    """Waits that double from ``first`` up to ``most`` seconds; ``reset`` after a success."""

    first: float = 1.0
    most: float = 30.0
    _next: float = 0.0

    def next(self) -> float:
        self._next = min(self.most, self._next * 2) if self._next else self.first
        return self._next

    def reset(self) -> None:
        self._next = 0.0


def wait_for_database(check: Callable[[], None], *, stop: threading.Event,
                      patience: float, backoff: Backoff | None = None) -> None:
    """Call ``check`` until it passes. An outage is waited out (a line on the log each try)
    for up to ``patience`` seconds of waiting, then raised; any other error at once. ``stop``
    ends the wait early, re-raising the last outage."""
    backoff = backoff or Backoff()
    waited = 0.0
    while True:
        try:
            check()
            return
        except Exception as exc:
            if not is_outage(exc) or waited >= patience or stop.is_set():
                raise
            delay = min(backoff.next(), max(0.1, patience - waited))
            log.warning("the database is not reachable (%s); trying again in %.0f s",
                        str(exc).splitlines()[0][:200], delay)
            if stop.wait(delay):
                raise
            waited += delay
