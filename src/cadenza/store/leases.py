"""Mailbox leases with fencing tokens, and the heartbeats of the processes that hold them.

Many ``cadenza watch`` processes (on several machines sharing one PostgreSQL, or one machine's
SQLite) share the mailboxes: each mailbox is watched by the holder of its lease. A lease
expires unless its holder renews it, so when a holder dies another process takes the mailbox
over after at most one lease period.

Expiry alone cannot stop a holder that was paused (a long GC, SIGSTOP, a VM migration) and
wakes up believing it still holds the lease. So every acquisition increments the mailbox's
``token``, and every write a watcher makes on the mailbox's behalf — advancing a folder cursor,
acting on a reply — first runs :func:`fence` in the same transaction: an ``UPDATE`` that matches
only while the lease still carries the writer's token. A stale holder's write matches nothing
and is rolled back. The ``UPDATE`` also locks the lease row (PostgreSQL) or the database
(SQLite) until the commit, so a takeover waits for a write already under way instead of
slipping in between the check and the commit.

Times come from the caller's clock. Across machines the clocks only decide *when* a takeover
happens (keep them within a fraction of the lease period, as NTP does); whether a write is
allowed is decided by the token alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cadenza.store.lease_tables import MailboxLease, WatchProcess


@dataclass(frozen=True)
class Lease:
    """A lease as its holder knows it: the mailbox, who holds it, and the fencing token."""

    mailbox_id: int
    holder: str
    token: int


def acquire(session: Session, *, mailbox_id: int, holder: str, now: dt.datetime,
            seconds: float) -> Lease | None:
    """Take the mailbox if its lease is released or expired; the new lease, else None.

    The caller must not already hold it: taking it again issues a new token, which fences out
    the caller's own earlier writes.
    """
    expires = now + dt.timedelta(seconds=seconds)
    taken = session.execute(
        update(MailboxLease)
        .where(col(MailboxLease.mailbox_id) == mailbox_id,
               or_(col(MailboxLease.holder) == "", col(MailboxLease.expires_at) < now))
        .values(holder=holder, token=col(MailboxLease.token) + 1, expires_at=expires,
                acquired_at=now)
        .returning(col(MailboxLease.token))).first()
    if taken is not None:
        return Lease(mailbox_id, holder, int(taken[0]))
    if session.get(MailboxLease, mailbox_id) is not None:
        return None  # held by someone else
    try:
        with session.begin_nested():
            session.add(MailboxLease(mailbox_id=mailbox_id, holder=holder, token=1,
                                     expires_at=expires, acquired_at=now))
    except IntegrityError:  # another process created it first: theirs
        return None
    return Lease(mailbox_id, holder, 1)


def renew(session: Session, *, lease: Lease, now: dt.datetime, seconds: float) -> bool:
    """Extend the lease; False when its token is no longer current (it was taken over)."""
    result = session.execute(
        update(MailboxLease)
        .where(col(MailboxLease.mailbox_id) == lease.mailbox_id,
               col(MailboxLease.holder) == lease.holder, col(MailboxLease.token) == lease.token)
        .values(expires_at=now + dt.timedelta(seconds=seconds)))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release(session: Session, *, lease: Lease, now: dt.datetime) -> bool:
    """Give the mailbox up at once (the token stays, so the next holder's is higher)."""
    result = session.execute(
        update(MailboxLease)
        .where(col(MailboxLease.mailbox_id) == lease.mailbox_id,
               col(MailboxLease.holder) == lease.holder, col(MailboxLease.token) == lease.token)
        .values(holder="", expires_at=now))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def fence(session: Session, lease: Lease) -> bool:
    """True while ``lease`` is the mailbox's current lease, locking it until the caller's
    transaction ends; a write made after a False must be rolled back."""
    result = session.execute(
        update(MailboxLease)
        .where(col(MailboxLease.mailbox_id) == lease.mailbox_id,
               col(MailboxLease.holder) == lease.holder, col(MailboxLease.token) == lease.token)
        .values(token=col(MailboxLease.token)))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def leases(session: Session) -> list[MailboxLease]:
    """Every mailbox's lease row, by mailbox."""
    return list(session.exec(select(MailboxLease).order_by(col(MailboxLease.mailbox_id))).all())


def heartbeat(session: Session, *, process_id: str, host: str, pid: int, now: dt.datetime,
              seconds: float) -> None:
    """Say this process is alive for ``seconds`` more; forget processes gone for an hour."""
    expires = now + dt.timedelta(seconds=seconds)
    result = session.execute(update(WatchProcess).where(col(WatchProcess.id) == process_id)
                             .values(expires_at=expires))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.add(WatchProcess(id=process_id, host=host, pid=pid, started_at=now,
                                 expires_at=expires))
    session.execute(delete(WatchProcess).where(
        col(WatchProcess.expires_at) < now - dt.timedelta(hours=1)))


def forget_process(session: Session, *, process_id: str) -> None:
    """Remove a process that is shutting down, so the others rebalance at once."""
    session.execute(delete(WatchProcess).where(col(WatchProcess.id) == process_id))


def live_processes(session: Session, *, now: dt.datetime) -> list[str]:
    """The processes whose heartbeat has not expired, oldest first (their rank in this list
    decides who takes the remainder of an uneven split)."""
    rows = session.exec(select(WatchProcess.id).where(col(WatchProcess.expires_at) >= now)
                        .order_by(col(WatchProcess.started_at), col(WatchProcess.id))).all()
    return list(rows)


def fair_share(mailboxes: int, processes: Sequence[str], process_id: str) -> int:
    """How many of ``mailboxes`` the process should hold: an even split, the first
    ``mailboxes % len(processes)`` processes one more; 0 for a process not (yet) listed."""
    if process_id not in processes:
        return 0
    base, extra = divmod(mailboxes, len(processes))
    return base + (1 if processes.index(process_id) < extra else 0)
