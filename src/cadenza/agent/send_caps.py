"""The caps across worker processes: the locks that make count-and-take atomic, and the last
check at send time.

Counting the sends of the last 24 h and then claiming a touch are two statements; two workers
doing both at once would both read the same count and both pass. So on PostgreSQL a claim
first locks the rows the count is about — the batch's mailboxes (``SELECT … FOR UPDATE``)
and one transaction-scoped advisory lock per (workspace, recipient domain) — and holds them
until its touches are committed, claimed in the rows the next claimer counts. The order is
fixed (mailboxes by id, then domains by key) in every transaction that takes them, so two
claimers cannot deadlock (two claimers of one workspace queue on its mailboxes before they
reach its domains).

The claim-time caps assume each claimed touch goes out soon. A touch can still reach SMTP
later than planned (a slow draft, a person approving it days on), so the send itself checks
once more, under the same locks: the mailbox's daily cap and minimum gap and the domain's cap,
over what has really gone out (or is in flight). A send that would break one is refused and
put off until the cap allows it — never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, and_, bindparam, func, select, text
from sqlmodel import Session, col

from cadenza.agent.pacing import delivered_since, sent_at
from cadenza.mailbox.warmup import WarmupSchedule, daily_cap
from cadenza.states import CLAIMABLE
from cadenza.store.models import Enrollment, Mailbox, Touch

#: The first key of the domain locks (``pg_advisory_xact_lock(int, int)``); the second is a
#: hash of the workspace and domain. A collision only makes two domains wait for each other.
DOMAIN_LOCK = 0x0CAD_D0
#: One statement for a batch's domains, taken in key order.
_LOCK_DOMAINS = text("SELECT count(pg_advisory_xact_lock(:space, hashtext(k))) FROM "
                     "(SELECT unnest(CAST(:keys AS text[])) AS k ORDER BY 1) AS wanted")


#: The statements of the check at send time, built once (it runs before every send): the
#: touch's state, the mailbox's count, first and last send in the window, and the domain's
#: count and first send (the domain as each dialect cuts it from the address).
_STATE = select(col(Touch.state)).where(col(Touch.id) == bindparam("touch_id"))
_DELIVERED = and_(delivered_since(bindparam("since")), col(Touch.channel) == "email")
_MAILBOX_WINDOW = (select(func.count(), func.min(sent_at()), func.max(sent_at()))
                   .select_from(Touch)
                   .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
                   .where(col(Enrollment.mailbox_id) == bindparam("mailbox_id"), _DELIVERED))


def _domain_window(sqlite: bool) -> Select[int, dt.datetime]:
    address = col(Touch.to_address)
    to_domain = (func.lower(func.substr(address, func.instr(address, "@") + 1))
                 if sqlite else func.lower(func.split_part(address, "@", 2)))
    return select(func.count(), func.min(sent_at())).where(
        col(Touch.workspace_id) == bindparam("workspace_id"),
        to_domain == bindparam("domain"), _DELIVERED)


_DOMAIN_WINDOW = {True: _domain_window(True), False: _domain_window(False)}


def domain_of(address: str) -> str:
    """The recipient domain an address counts under (lower case; "" without an ``@``)."""
    return address.rsplit("@", 1)[-1].strip().lower() if "@" in address else ""


def lock_mailboxes(session: Session, ids: Iterable[int], *, sqlite: bool) -> None:
    """Lock these mailbox rows for the transaction, in id order (PostgreSQL; SQLite has one
    writer at a time already)."""
    wanted = sorted(set(ids))
    if sqlite or not wanted:
        return
    session.execute(select(col(Mailbox.id)).where(col(Mailbox.id).in_(wanted))
                    .order_by(col(Mailbox.id)).with_for_update())


def lock_domains(session: Session, keys: Iterable[tuple[int, str]], *, sqlite: bool) -> None:
    """Take the (workspace, domain) advisory locks for the transaction, in key order."""
    wanted = sorted({f"{workspace_id}/{domain}" for workspace_id, domain in keys if domain})
    if sqlite or not wanted:
        return
    session.execute(_LOCK_DOMAINS, {"space": DOMAIN_LOCK, "keys": wanted})


@dataclass(frozen=True)
class Refusal:
    """Why a send must wait, and until when."""

    reason: str
    until: dt.datetime


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _window_end(first: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When the oldest send in the window leaves it, freeing a place under the cap."""
    return (_aware(first) if first is not None else now) + dt.timedelta(hours=24)


def send_time_refusal(session: Session, *, touch_id: int, mailbox: Mailbox, workspace_id: int,
                      address: str, domain_cap: int, now: dt.datetime,
                      sqlite: bool, warmup: WarmupSchedule | None = None) -> Refusal | None:
    """Lock the mailbox and the recipient's domain, then say whether sending this touch now
    would break the mailbox's daily cap (the day's, after the ``warmup`` ramp) or minimum gap
    or the domain's daily cap.

    Counts what has gone out or is in flight (``sending``) in the last 24 h. Call it in the
    transaction that claims the touch for sending, so the locks hold until the claim is
    committed and counted; the caller rolls back on a refusal. A touch that is not claimable
    any more (another worker has it) is not this check's business: ``None``.
    """
    conn = session.connection()
    state = conn.execute(_STATE, {"touch_id": touch_id}).first()
    if state is None or state[0] not in CLAIMABLE or mailbox.id is None:
        return None
    domain = domain_of(address)
    lock_mailboxes(session, [mailbox.id], sqlite=sqlite)
    lock_domains(session, [(workspace_id, domain)], sqlite=sqlite)
    since = now - dt.timedelta(hours=24)
    n, first, last = conn.execute(_MAILBOX_WINDOW,
                                  {"mailbox_id": mailbox.id, "since": since}).one()
    if n >= daily_cap(mailbox, now, warmup):
        return Refusal(f"mailbox {mailbox.email} daily cap (at send time)",
                       _window_end(first, now))
    gap = dt.timedelta(seconds=mailbox.min_gap_seconds)
    if last is not None and now < _aware(last) + gap:
        return Refusal(f"mailbox {mailbox.email} minimum gap between sends (at send time)",
                       _aware(last) + gap)
    if not domain:
        return None
    n, first = conn.execute(_DOMAIN_WINDOW[sqlite], {"workspace_id": workspace_id,
                                                     "domain": domain, "since": since}).one()
    if n >= domain_cap:
        return Refusal(f"domain {domain} daily cap (at send time)", _window_end(first, now))
    return None
