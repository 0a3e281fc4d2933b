"""The event webhooks' outbox: queueing a delivery per event and subscription, claiming the
due ones, recording each attempt, and replays.

A delivery row is ``pending`` until it is ``delivered`` or ``failed``. ``next_attempt_at`` is
when it is due (empty: at once); a deliverer that claims a row moves it to the end of its
claim, so a deliverer that dies mid-request leaves the row due again when the claim runs out
(the receiver may then see the event twice: deliveries are at least once, and the event id
tells a duplicate). On PostgreSQL deliverers claim with ``FOR UPDATE SKIP LOCKED``; on any
database the claim is a conditional update only one of them wins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, func, insert, or_, update
from sqlmodel import Session, col, select

from cadenza.store.models import Event, utcnow
from cadenza.store.webhook_tables import WebhookDelivery, WebhookSubscription

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"

_SUBSCRIBED = (select(col(WebhookSubscription.id), col(WebhookSubscription.url),
                      col(WebhookSubscription.event_types))
               .where(col(WebhookSubscription.workspace_id) == bindparam("workspace_id"),
                      col(WebhookSubscription.active).is_(True),
                      col(WebhookSubscription.removed_at).is_(None)))
_QUEUE = insert(WebhookDelivery)


def wants(event_types: list[str] | None, kind: str) -> bool:
    """Whether a subscription's filter takes ``kind`` (an empty filter takes every type)."""
    return not event_types or kind in event_types


def queue_deliveries(*, session: Session, event_id: int, kind: str, workspace_id: int,
                     subscription_id: int | None = None, replay: int = 0) -> int:
    """Queue the event for every active subscription of the workspace that wants it (or for
    the one given) in the caller's transaction; returns how many."""
    conn = session.connection()
    rows = [{"workspace_id": workspace_id, "subscription_id": sid, "event_id": event_id,
             "replay": replay, "state": PENDING, "url": url, "event": kind, "attempt": 0,
             "ok": False, "error": "", "duration_ms": 0.0, "created_at": utcnow()}
            for sid, url, types in conn.execute(_SUBSCRIBED, {"workspace_id": workspace_id})
            if (subscription_id is None and wants(types, kind)) or sid == subscription_id]
    if rows:
        conn.execute(_QUEUE, rows)
    return len(rows)


@dataclass(frozen=True)
class Claimed:
    """A delivery a deliverer holds until ``until``: what it needs to make the request."""

    id: int
    subscription_id: int
    event_id: int
    workspace_id: int
    kind: str
    url: str
    secret_ref: str
    attempt: int


def _due(now: dt.datetime) -> list[ColumnElement[bool]]:
    return [col(WebhookDelivery.state) == PENDING,
            or_(col(WebhookDelivery.next_attempt_at).is_(None),
                col(WebhookDelivery.next_attempt_at) <= now)]


def claim_due(*, session: Session, now: dt.datetime, until: dt.datetime, per_subscription: int,
              skip_locked: bool, only: list[int] | None = None) -> list[Claimed]:
    """Claim up to ``per_subscription`` due deliveries of every active subscription (oldest
    first) until ``until``, and commit: one subscription with a backlog cannot crowd out the
    others. ``only``: just these delivery ids, active subscription or not (a test delivery,
    made at once)."""
    live: list[ColumnElement[bool]] = [col(WebhookSubscription.removed_at).is_(None)]
    if only is None:  # a switched-off subscription keeps its deliveries for later
        live.append(col(WebhookSubscription.active).is_(True))
    subs = {s.id: s for s in session.exec(select(WebhookSubscription).where(
        *live, col(WebhookSubscription.id).in_(
            select(col(WebhookDelivery.subscription_id)).where(*_due(now)).distinct())))}
    claimed: list[Claimed] = []
    for sid in sorted(i for i in subs if i is not None):
        stmt = (select(col(WebhookDelivery.id)).where(
            col(WebhookDelivery.subscription_id) == sid, *_due(now))
            .order_by(col(WebhookDelivery.id)).limit(per_subscription))
        if only is not None:
            stmt = stmt.where(col(WebhookDelivery.id).in_(only))
        if skip_locked:
            stmt = stmt.with_for_update(skip_locked=True)
        ids = list(session.execute(stmt).scalars())
        if not ids:
            continue
        won = session.execute(
            update(WebhookDelivery).where(col(WebhookDelivery.id).in_(ids), *_due(now))
            .values(next_attempt_at=until)
            .returning(col(WebhookDelivery.id), col(WebhookDelivery.event_id),
                       col(WebhookDelivery.workspace_id), col(WebhookDelivery.event),
                       col(WebhookDelivery.attempt))
            .execution_options(synchronize_session=False)).all()
        sub = subs[sid]
        claimed += [Claimed(id=i, subscription_id=sid, event_id=e or 0, workspace_id=w, kind=k,
                            url=sub.url, secret_ref=sub.secret_ref, attempt=a)
                    for i, e, w, k, a in sorted(won)]
    session.commit()
    return claimed


def record_attempt(*, session: Session, delivery_id: int, ok: bool, status_code: int | None,
                   error: str, duration_ms: float, now: dt.datetime,
                   retry_at: dt.datetime | None) -> str:
    """Write one attempt's result: delivered, due again at ``retry_at``, or (no ``retry_at``)
    failed for good with its error kept. Returns the new state."""
    state = DELIVERED if ok else (PENDING if retry_at is not None else FAILED)
    session.execute(update(WebhookDelivery).where(
        col(WebhookDelivery.id) == delivery_id, col(WebhookDelivery.state) == PENDING).values(
        state=state, ok=ok, status_code=status_code, error=error[:500],
        duration_ms=round(duration_ms, 2), attempt=col(WebhookDelivery.attempt) + 1,
        next_attempt_at=retry_at if state == PENDING else None,
        delivered_at=now if ok else None).execution_options(synchronize_session=False))
    return state


def release(*, session: Session, delivery_ids: list[int], until: dt.datetime) -> None:
    """Give claimed deliveries back without an attempt, due at ``until`` (their receiver just
    failed another one: no point waiting for it again in this pass)."""
    if delivery_ids:
        session.execute(update(WebhookDelivery).where(
            col(WebhookDelivery.id).in_(delivery_ids), col(WebhookDelivery.state) == PENDING)
            .values(next_attempt_at=until).execution_options(synchronize_session=False))


def cancel_pending(*, session: Session, subscription_id: int, why: str) -> int:
    """Fail every pending delivery of a subscription (it was removed)."""
    result = session.execute(update(WebhookDelivery).where(
        col(WebhookDelivery.subscription_id) == subscription_id,
        col(WebhookDelivery.state) == PENDING).values(
        state=FAILED, error=why, next_attempt_at=None)
        .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def next_replay(session: Session, subscription_id: int, event_id: int) -> int:
    """The replay number of a new delivery of this event to this subscription (0: the first)."""
    last = session.execute(select(func.max(col(WebhookDelivery.replay))).where(
        col(WebhookDelivery.subscription_id) == subscription_id,
        col(WebhookDelivery.event_id) == event_id)).scalar()
    return 0 if last is None else int(last) + 1


def events_since(session: Session, workspace_id: int, since: dt.datetime,
                 kinds: frozenset[str]) -> list[tuple[int, str]]:
    """The (id, kind) of the workspace's events of ``kinds`` logged at or after ``since``."""
    return [(int(i), str(k)) for i, k in session.execute(
        select(col(Event.id), col(Event.kind)).where(
            col(Event.workspace_id) == workspace_id, col(Event.at) >= since,
            col(Event.kind).in_(sorted(kinds))).order_by(col(Event.id)))]
