"""Worker processes sharing one PostgreSQL database: who is alive, and settling the touches
of one that is not.

Each worker registers a :class:`~cadenza.store.models.Worker` row and, in the same
transaction, takes a session advisory lock on its id over a connection of its own, held for
its whole life. PostgreSQL drops a session's locks when the session ends, so when a process
dies (SIGKILL, a lost machine) its lock goes with it, and another worker that can take the
lock knows — without clocks or heartbeats — that the owner is gone. The row is visible only
once the lock is held, so a live worker is never mistaken for a dead one.

A dead worker's claimed touches are settled by a live one: a touch in flight (``sending``) by
the outbox recovery (the Sent folder when it can tell, else held as ``delivery_unconfirmed``;
never resent on a guess), a touch that had not reached SMTP by making its enrollment due again.
A worker that shuts down cleanly releases the touches it claimed and did not start the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import ColumnElement, text, update
from sqlmodel import Session, col, select

from cadenza.agent.outbox import Recovery, recover_in_flight
from cadenza.states import CLAIMABLE, EnrollmentState, TouchState
from cadenza.store import Database
from cadenza.store.models import Enrollment, Touch, Worker

log = logging.getLogger(__name__)

#: The first key of the workers' advisory locks (``pg_advisory_lock(int, int)``); the second
#: is the worker's id.
WORKER_LOCK = 0x0CAD_57
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:space, :id)")


class WorkerLease:
    """This process's registration and its lock (PostgreSQL only; ``id`` is None on SQLite,
    where workers share one machine and recovery at start suffices)."""

    def __init__(self, db: Database, *, clock: Callable[[], dt.datetime]) -> None:
        self._db = db
        self._clock = clock
        self._conn: Any = None
        self.id: int | None = None

    def start(self) -> int | None:
        """Register and take the lock; a no-op on SQLite."""
        if self._db.is_sqlite:
            return None
        import psycopg

        url = self._db.url.replace("postgresql+psycopg://", "postgresql://")
        conn = psycopg.Connection.connect(url, connect_timeout=5)
        # one transaction: the row becomes visible only with its lock already held
        row = conn.execute("INSERT INTO worker (host, pid, started_at, how) "
                           "VALUES (%s, %s, %s, '') RETURNING id",
                           (socket.gethostname(), os.getpid(), self._clock())).fetchone()
        assert row is not None
        conn.execute("SELECT pg_advisory_lock(%s, %s)", (WORKER_LOCK, row[0]))
        conn.commit()
        conn.autocommit = True
        self._conn, self.id = conn, int(row[0])
        log.info("worker %s registered (pid %s)", self.id, os.getpid())
        return self.id

    def renew(self) -> int | None:
        """The lease's id, registering anew when the lock's connection was lost (a PostgreSQL
        restart drops the lock: others may already have settled this worker's touches, so
        the old id is not taken back)."""
        if self._db.is_sqlite:
            return None
        if self.holds():
            return self.id
        # never registered, the last try found the database away, or the lock's connection
        # broke: register again
        self._close_conn()
        try:
            return self.start()
        except Exception as exc:  # the database is still down: try at the next pass
            log.warning("cannot register the worker yet: %s", exc)
            self.id = None
            return None

    def holds(self) -> bool:
        """Whether this worker still holds its lock (always, on SQLite). Asked before each
        touch: after a PostgreSQL restart the lock is gone and another worker may be settling
        this one's claims, so it must not go on acting on them."""
        if self._db.is_sqlite:
            return True
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except Exception as exc:  # the lock's connection broke: the lock went with it
            log.warning("worker %s lost its lock connection: %s", self.id, exc)
            return False

    def close(self) -> None:
        """Say this worker stopped cleanly and let the lock go."""
        if self._conn is None or self.id is None:
            return
        try:
            self._conn.execute("UPDATE worker SET stopped_at = %s, how = 'stopped' "
                               "WHERE id = %s", (self._clock(), self.id))
        except Exception as exc:  # the lock goes with the connection anyway
            log.warning("worker %s could not record its stop: %s", self.id, exc)
        self._close_conn()

    def _close_conn(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception as exc:  # already broken
                log.debug("closing the lock connection: %s", exc)


def dead_workers(session: Session, *, me: int | None, now: dt.datetime) -> list[int]:
    """Workers registered as running whose lock nobody holds: gone. Marked dead (committed),
    so only one live worker settles each."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    dead: list[int] = []
    for worker in session.exec(select(Worker).where(col(Worker.stopped_at).is_(None))
                               .with_for_update(skip_locked=True)):
        if worker.id is None or worker.id == me:
            continue
        if session.execute(_TRY_LOCK, {"space": WORKER_LOCK, "id": worker.id}).scalar():
            worker.stopped_at, worker.how = now, "dead"
            session.add(worker)
            dead.append(worker.id)
    session.commit()
    return dead


def release_touches(session: Session, *, now: dt.datetime,
                    worker_ids: Collection[int] | None = None,
                    touch_ids: Collection[int] | None = None) -> int:
    """Claimed touches that never reached SMTP are due again (their enrollment due now, the
    claim cleared): those of these workers, or these touches. Returns how many."""
    where = [col(Touch.state).in_(sorted(CLAIMABLE))]
    if worker_ids is not None:
        where.append(col(Touch.worker_id).in_(list(worker_ids)))
    if touch_ids is not None:
        where.append(col(Touch.id).in_(list(touch_ids)))
    if worker_ids is None and touch_ids is None:
        raise ValueError("release_touches needs workers or touches")
    n = 0
    for touch in session.exec(select(Touch).where(*where)).all():
        n += session.execute(update(Enrollment).where(
            col(Enrollment.id) == touch.enrollment_id,
            col(Enrollment.state) == EnrollmentState.ACTIVE,
            col(Enrollment.claimed_at).is_not(None), col(Enrollment.next_step) == touch.step,
            col(Enrollment.attempt) == touch.attempt)
            .values(next_due_at=now, claimed_at=None, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
        touch.worker_id, touch.claimed_at, touch.updated_at = None, None, now
        session.add(touch)
    session.commit()
    return n


def settle_dead(session: Session, *, me: int | None, now: dt.datetime,
                in_sent_folder: Callable[[Touch], bool | None] | None) -> list[Recovery]:
    """Find dead workers and settle their touches: in flight by the outbox recovery, not yet
    sent by making them due again."""
    dead = dead_workers(session, me=me, now=now)
    if not dead:
        return []
    in_flight = list(session.exec(select(Touch.id).where(
        col(Touch.worker_id).in_(dead), Touch.state == TouchState.SENDING)))
    decisions = recover_in_flight(session, now=now, older_than=dt.timedelta(0),
                                  in_sent_folder=in_sent_folder,
                                  only=[t for t in in_flight if t is not None])
    released = release_touches(session, worker_ids=dead, now=now)
    log.warning("workers %s are gone: %d touches in flight settled, %d due again",
                dead, len(decisions), released)
    return decisions


def settle_orphans(session: Session, *, touch_ids: Collection[int], worker_id: int | None,
                   now: dt.datetime,
                   in_sent_folder: Callable[[Touch], bool | None] | None) -> list[Recovery]:
    """Touches a live worker claimed and nothing of it runs any more (an outage cut its pass
    short): in flight by the outbox recovery at once, claimed and not started due again.
    ``worker_id``: the lease they were claimed under (None on SQLite, where touches carry no
    worker); touches another worker has since claimed are left alone."""
    mine: list[ColumnElement[bool]] = [col(Touch.id).in_(list(touch_ids))]
    if worker_id is not None:
        mine.append(col(Touch.worker_id) == worker_id)
    in_flight = [t for t in session.exec(select(Touch.id).where(
        *mine, Touch.state == TouchState.SENDING)) if t is not None]
    decisions = recover_in_flight(session, now=now, older_than=dt.timedelta(0),
                                  in_sent_folder=in_sent_folder, only=in_flight)
    claimed = [t for t in session.exec(select(Touch.id).where(
        *mine, col(Touch.state).in_(sorted(CLAIMABLE)), col(Touch.claimed_at).is_not(None)))
        if t is not None]
    released = release_touches(session, touch_ids=claimed, now=now) if claimed else 0
    if decisions or released:
        log.warning("settled this worker's cut-short pass: %d in flight, %d due again",
                    len(decisions), released)
    return decisions
