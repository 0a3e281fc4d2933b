"""The pacing of a mailbox's sends: the counts behind the caps and the shared send slot.

Kept in the database, not in a worker's memory, so two workers, a ``worker --once`` run and a
restarted worker all see the same daily count, domain count and next free send time. A send
counts from the moment a worker claims its touch (``touch.claimed_at``), not only once it has
gone out: a claim that another worker has made but not sent yet is part of the count, so two
claimers serialised by the mailbox lock (:mod:`cadenza.agent.send_caps`) never both take the
last place under a cap.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import ColumnElement, String, and_, func, or_, update
from sqlmodel import Session, col, select

from cadenza.states import CLAIMABLE, TouchState
from cadenza.store.models import Enrollment, Mailbox, Touch, among


def sent_at() -> ColumnElement[dt.datetime]:
    """When a delivered touch went out: ``sent_at``, or ``sending_at`` while it is in flight."""
    return func.coalesce(col(Touch.sent_at), col(Touch.sending_at))


#: The reason a touch is held when nobody knows whether it went out (crash recovery, a
#: connection lost after DATA): it may have reached the prospect, so it counts like a send.
UNCONFIRMED = "delivery_unconfirmed"


def delivered_since(since: dt.datetime | ColumnElement[dt.datetime]) -> ColumnElement[bool]:
    """A touch that went out, is in flight, or may have gone out (held as
    ``delivery_unconfirmed``) since ``since``: written so that each part reads a partial
    index (``ix_touch_sent_window``, ``ix_touch_sending_window``,
    ``ix_touch_unconfirmed_window``). Leaving the unconfirmed ones out let a mailbox whose
    worker died after handing a message over send one more than its cap (the fault run)."""
    return or_(and_(col(Touch.state) == TouchState.SENT, col(Touch.sent_at) >= since),
               and_(col(Touch.state) == TouchState.SENDING, col(Touch.sending_at) >= since),
               and_(col(Touch.state) == TouchState.HELD, col(Touch.reason) == UNCONFIRMED,
                    col(Touch.sending_at) >= since))


def counted(since: dt.datetime) -> ColumnElement[bool]:
    """A touch that counts against a cap in the window from ``since``: delivered (or in
    flight) in it, or claimed in it by a worker and not sent yet."""
    return or_(delivered_since(since),
               and_(col(Touch.state).in_(sorted(CLAIMABLE)), col(Touch.claimed_at) >= since))


def sent_last_day(session: Session, now: dt.datetime) -> dict[int, int]:
    """Emails sent, in flight or claimed in the last 24 h per mailbox: the daily cap's count."""
    since = now - dt.timedelta(hours=24)
    rows = session.exec(
        select(Enrollment.mailbox_id, func.count()).select_from(Touch)
        .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
        .where(counted(since), Touch.channel == "email")
        .group_by(col(Enrollment.mailbox_id))).all()
    return {mb: int(n) for mb, n in rows if mb is not None}


def domain_counts(session: Session, keys: set[tuple[int, str]], now: dt.datetime, *,
                  sqlite: bool) -> dict[tuple[int, str], int]:
    """Emails sent, in flight or claimed in the last 24 h per (workspace, recipient domain),
    for the domains of one batch: one grouped query, not one per domain."""
    if not keys:
        return {}
    since = now - dt.timedelta(hours=24)
    address = col(Touch.to_address)
    domain = func.lower(func.split_part(address, "@", 2) if not sqlite
                        else func.substr(address, func.instr(address, "@") + 1), type_=String)
    rows = session.exec(
        select(Touch.workspace_id, domain, func.count()).where(
            among(col(Touch.workspace_id), {w for w, _ in keys}, sqlite=sqlite),
            counted(since), among(domain, {d for _, d in keys}, sqlite=sqlite))
        .group_by(col(Touch.workspace_id), domain)).all()
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
    known = box.next_send_at
    if known is not None and known.tzinfo is None:
        known = known.replace(tzinfo=dt.UTC)
    if known is not None and known > now:
        return known  # taken already (by this batch, or as last read): no round trip
    if box.min_gap_seconds <= 0 and box.jitter_seconds <= 0:
        return None  # no gap to keep: the slot is always free, nothing to write
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
