"""Handoffs as the API and pages show them: the rep's queue, one ticket, its state changes.

A rep sees only the handoffs assigned to them: another rep's ticket answers 404, the same answer
as a ticket that does not exist, so a rep cannot probe which ids are taken. Operators see every
handoff of their workspace.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import HTTPException, status
from sqlalchemy import case
from sqlmodel import Session, col, select

from cadenza.api.auth import Principal
from cadenza.api.schemas import (
    HandoffAction,
    HandoffPublic,
    ProspectPublic,
    QueueItemPublic,
    ThreadItemPublic,
    TicketPublic,
)
from cadenza.api.views import facts_of, not_found
from cadenza.store.events import record_event
from cadenza.store.models import Handoff, Prospect, Reply, Touch, utcnow

OPEN_STATES = ("new", "accepted", "contacted")
SHOWN_TOUCH_STATES = ("sent", "done")  # a task_open step has not happened yet
NEXT_STEPS = {"meeting_request": "Confirm the proposed time or send your calendar link today.",
              "interested": "Reply with a short answer and propose two times for a call.",
              "question": "Answer the question directly, then offer a short call."}

#: The ticket's state machine: action -> (states it may start from, the state it ends in).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("new",), "accepted"),
    "contacted": (("new", "accepted"), "contacted"),
    "meeting_booked": (("accepted", "contacted"), "meeting_booked"),
    "disqualify": (OPEN_STATES, "disqualified"),
    "return": (OPEN_STATES, "returned_to_agent"),
}


def sla_text(due: dt.datetime | None, now: dt.datetime) -> str:
    """A countdown a person reads at a glance: ``due in 12 min`` / ``overdue by 1 h 5 min``."""
    if due is None:
        return "no SLA"
    seconds = int((_aware(due) - now).total_seconds())
    minutes = abs(seconds) // 60
    span = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    return f"due in {span}" if seconds >= 0 else f"overdue by {span}"


def _visible(stmt: Any, p: Principal) -> Any:
    stmt = stmt.where(Handoff.workspace_id == p.workspace_id)
    if not p.is_operator:
        stmt = stmt.where(Handoff.rep_id == p.rep_id)
    return stmt


def scoped_handoff(session: Session, p: Principal, handoff_id: int) -> Handoff:
    """The handoff if the caller may see it; 404 for another workspace's or another rep's."""
    row = session.get(Handoff, handoff_id)
    if row is None or row.workspace_id != p.workspace_id or (
            not p.is_operator and row.rep_id != p.rep_id):
        raise not_found(f"handoff {handoff_id} not found")
    return row


def queue(session: Session, p: Principal, *, rep_id: int | None = None, limit: int = 50,
          offset: int = 0, now: dt.datetime | None = None) -> list[QueueItemPublic]:
    """Open tickets, most urgent first: priority, then the SLA deadline, then age."""
    now = now or utcnow()
    stmt = _visible(select(Handoff, Prospect)
                    .join(Prospect, col(Prospect.id) == Handoff.prospect_id), p)
    if p.is_operator and rep_id is not None:
        stmt = stmt.where(Handoff.rep_id == rep_id)
    stmt = stmt.where(col(Handoff.state).in_(OPEN_STATES)).order_by(
        col(Handoff.priority).desc(), case((col(Handoff.sla_due_at).is_(None), 1), else_=0),
        col(Handoff.sla_due_at), col(Handoff.id)).offset(offset).limit(limit)
    items = []
    for h, who in session.exec(stmt).all():
        data = HandoffPublic.model_validate(h).model_dump()
        items.append(QueueItemPublic(**data, prospect_name=" ".join(
            x for x in (who.first_name, who.last_name) if x) or who.email, company=who.company,
            sla_text=sla_text(h.sla_due_at, now)))
    return items


def list_handoffs(session: Session, p: Principal, *, state: str | None, limit: int,
                  offset: int) -> list[HandoffPublic]:
    stmt = _visible(select(Handoff), p)
    if state:
        stmt = stmt.where(Handoff.state == state)
    rows = session.exec(stmt.order_by(col(Handoff.id).desc()).offset(offset).limit(limit)).all()
    return [HandoffPublic.model_validate(h) for h in rows]


def _thread(session: Session, handoff: Handoff) -> list[ThreadItemPublic]:
    """Our touches and their replies for this prospect, in the order they happened."""
    touches = session.exec(select(Touch).where(Touch.prospect_id == handoff.prospect_id,
                                               Touch.workspace_id == handoff.workspace_id,
                                               col(Touch.state).in_(SHOWN_TOUCH_STATES))).all()
    replies = session.exec(select(Reply).where(Reply.prospect_id == handoff.prospect_id,
                                               Reply.workspace_id == handoff.workspace_id)).all()
    items = [ThreadItemPublic(direction="out", at=t.sent_at or t.updated_at, subject=t.subject,
                              text=t.body, channel=t.channel) for t in touches]
    items += [ThreadItemPublic(direction="in", at=r.sent_at or r.received_at, subject=r.subject,
                               text=r.text, channel="email") for r in replies]
    return sorted(items, key=lambda i: _aware(i.at))


def _aware(at: dt.datetime | None) -> dt.datetime:
    """SQLite hands back naive datetimes (stored as UTC); sorting needs them comparable."""
    if at is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def ticket(session: Session, p: Principal, handoff_id: int,
           now: dt.datetime | None = None) -> TicketPublic:
    """The whole context of one handoff, for the ticket page and ``GET /api/handoffs/{id}``."""
    h = scoped_handoff(session, p, handoff_id)
    prospect = session.get(Prospect, h.prospect_id)
    assert prospect is not None
    return TicketPublic(
        handoff=HandoffPublic.model_validate(h),
        prospect=ProspectPublic.model_validate(prospect),
        facts=facts_of(session, h.prospect_id), thread=_thread(session, h),
        fields={k: v for k, v in (h.fields or {}).items() if k != "thread_method"},
        summary=h.summary, suggested_reply=h.suggested_reply,
        next_step=NEXT_STEPS.get(h.intent, "Read the thread and decide the next step."),
        route_reason=h.route_reason, sla_text=sla_text(h.sla_due_at, now or utcnow()))


def transition(session: Session, p: Principal, handoff_id: int, action: HandoffAction,
               now: dt.datetime | None = None) -> HandoffPublic:
    """Move a ticket along its state machine; 409 when the move is not allowed from here."""
    h = scoped_handoff(session, p, handoff_id)
    now = now or utcnow()
    sources, target = TRANSITIONS[action]
    if h.state not in sources:
        raise HTTPException(status.HTTP_409_CONFLICT,
                            f"cannot {action.replace('_', ' ')} a ticket in state {h.state!r}")
    before = h.state
    h.state = target
    if target == "accepted" or (target == "contacted" and h.accepted_at is None):
        h.accepted_at = h.accepted_at or now
    if target == "contacted":
        h.contacted_at = now
    if target in ("meeting_booked", "disqualified", "returned_to_agent"):
        h.closed_at = now
    session.add(h)
    record_event(session=session, kind=f"handoff.{target}", workspace_id=h.workspace_id,
                 subject_type="handoff", subject_id=h.id, by=p.actor, previous=before)
    session.flush()
    return HandoffPublic.model_validate(h)
