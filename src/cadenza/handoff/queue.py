"""A rep's queue (or a named fallback queue): open tickets, most urgent first.

One query over the ``(rep_id, state)`` index joined to the prospect, paged with
``limit``/``offset``; it is what ``cadenza queue`` and the rep's queue page list.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlmodel import Session, col, select

from cadenza.handoff.routing import OPEN_STATES
from cadenza.store.models import Handoff, Prospect


class QueueItem(BaseModel):
    """One line of a queue."""

    id: int
    state: str
    priority: int
    intent: str
    confidence: float
    prospect_name: str
    company: str
    rep_id: int | None
    queue: str
    created_at: dt.datetime
    sla_due_at: dt.datetime | None
    sla_breached: bool
    escalated: bool


def list_queue(*, session: Session, workspace_id: int, rep_id: int | None = None,
               queue: str | None = None, states: tuple[str, ...] = OPEN_STATES,
               now: dt.datetime | None = None, limit: int = 50,
               offset: int = 0) -> list[QueueItem]:
    """Open tickets of ``rep_id``, or of the queue named ``queue`` (unassigned tickets).

    Order: priority (meeting_request first), then the SLA deadline, then age.
    """
    if (rep_id is None) == (queue is None):
        raise ValueError("name exactly one of rep_id or queue")
    now = now or dt.datetime.now(dt.UTC)
    query = (select(Handoff, Prospect)
             .join(Prospect, col(Prospect.id) == col(Handoff.prospect_id))
             .where(Handoff.workspace_id == workspace_id, col(Handoff.state).in_(states)))
    if rep_id is not None:
        query = query.where(Handoff.rep_id == rep_id)
    else:
        query = query.where(col(Handoff.rep_id).is_(None), Handoff.queue == queue)
    query = query.order_by(col(Handoff.priority).desc(), col(Handoff.sla_due_at),
                           col(Handoff.created_at), col(Handoff.id)).limit(limit).offset(offset)
    items = []
    for h, p in session.exec(query).all():
        assert h.id is not None
        items.append(QueueItem(
            id=h.id, state=h.state, priority=h.priority, intent=h.intent,
            confidence=h.confidence,
            prospect_name=" ".join(x for x in (p.first_name, p.last_name) if x) or p.email,
            company=p.company, rep_id=h.rep_id, queue=h.queue, created_at=h.created_at,
            sla_due_at=h.sla_due_at,
            sla_breached=h.sla_due_at is not None and h.accepted_at is None
            and now > h.sla_due_at,
            escalated=h.escalated_at is not None))
    return items
