"""The pacing of a mailbox's sends: the counts behind the caps and the shared send slot.

Kept in the database, not in a worker's memory, so two workers, a ``worker --once`` run and a
restarted worker all see the same daily count, domain count and next free send time.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from cadenza.states import DELIVERED
from cadenza.store.models import Enrollment, Mailbox, Touch


def sent_last_day(session: Session, now: dt.datetime) -> dict[int, int]:
    """Emails sent (or in flight) in the last 24 h per mailbox: the daily cap's count."""
    since = now - dt.timedelta(hours=24)
    rows = session.exec(
        select(Enrollment.mailbox_id, func.count()).select_from(Touch)
        .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
        .where(col(Touch.state).in_(DELIVERED), col(Touch.sent_at) >= since,
               Touch.channel == "email").group_by(col(Enrollment.mailbox_id))).all()
    return {mb: int(n) for mb, n in rows if mb is not None}


def domain_counts(session: Session, keys: set[tuple[int, str]], now: dt.datetime, *,
                  sqlite: bool) -> dict[tuple[int, str], int]:
    """Emails sent (or in flight) in the last 24 h per (workspace, recipient domain), for
    the domains of one batch: one grouped query, not one per domain."""
    if not keys:
        return {}
    since = now - dt.timedelta(hours=24)
    address = col(Touch.to_address)
    domain = (func.split_part(address, "@", 2) if not sqlite
              else func.substr(address, func.instr(address, "@") + 1))
    rows = session.exec(
        select(Touch.workspace_id, func.lower(domain), func.count()).where(
            col(Touch.workspace_id).in_({w for w, _ in keys}),
            col(Touch.state).in_(DELIVERED), col(Touch.sent_at) >= since,
            func.lower(domain).in_({d for _, d in keys}))
        .group_by(col(Touch.workspace_id), func.lower(domain))).all()
    counts = dict.fromkeys(keys, 0)
    for workspace_id, name, n in rows:
        if (workspace_id, name) in counts:
            counts[(workspace_id, name)] = int(n)
    return counts


def take_send_slot(session: Session, box: Mailbox, now: dt.datetime, *,
                   jitter: tuple[float, float], rng: random.Random) -> dt.datetime | None:
    """Take the mailbox's next send slot, or say when it is free (``None``: taken).

    The slot lives in the database (``mailbox.next_send_at``), so the gap holds across
    workers and restarts: the conditional update succeeds for one claimer only, and moves
    the slot on by the mailbox's minimum gap plus a random part of its jitter (bounded by
    the scheduler's ``jitter_seconds``, which tests pin to zero).
    """
    low, high = jitter
    wait = rng.uniform(min(low, box.jitter_seconds), min(high, box.jitter_seconds))
    until = now + dt.timedelta(seconds=box.min_gap_seconds + wait)
    taken = session.execute(
        update(Mailbox).where(col(Mailbox.id) == box.id,
                              col(Mailbox.next_send_at).is_(None)
                              | (col(Mailbox.next_send_at) <= now))
        .values(next_send_at=until).execution_options(synchronize_session=False))
    if taken.rowcount == 1:  # type: ignore[attr-defined]
        box.next_send_at = until
        return None
    session.refresh(box, ["next_send_at"])
    free = box.next_send_at
    if free is not None and free.tzinfo is None:
        free = free.replace(tzinfo=dt.UTC)
    return free if free is not None and free > now else now + dt.timedelta(seconds=1)
