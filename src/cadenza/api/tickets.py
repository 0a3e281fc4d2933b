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
    FactPublic,
    HandoffAction,
    HandoffPublic,
    ProspectPublic,
    QueueItemPublic,
    ThreadItemPublic,
    TicketPublic,
)
from cadenza.api.views import not_found
from cadenza.handoff.tickets import TRANSITIONS as STATE_MOVES
from cadenza.handoff.tickets import TransitionError, build_ticket
from cadenza.handoff.tickets import transition as move_handoff
from cadenza.store.models import Handoff, Prospect

OPEN_STATES = ("new", "accepted", "contacted")

#: The API's verbs for the handoff module's state machine (its ``TRANSITIONS`` decide).
TARGETS: dict[str, str] = {"accept": "accepted", "contacted": "contacted",
                           "meeting_booked": "meeting_booked", "disqualify": "disqualified",
                           "return": "returned_to_agent"}


def allowed_actions(state: str) -> list[str]:
    """The verbs a ticket in ``state`` accepts, in the order the page shows them."""
    moves = STATE_MOVES.get(state, ())
    return [verb for verb, target in TARGETS.items() if target in moves]


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
          offset: int = 0, now: dt.datetime) -> list[QueueItemPublic]:
    """Open tickets, most urgent first: priority, then the SLA deadline, then age."""
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


def _aware(at: dt.datetime | None) -> dt.datetime:
    """SQLite hands back naive datetimes (stored as UTC); sorting needs them comparable."""
    if at is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def ticket(session: Session, p: Principal, handoff_id: int, *, now: dt.datetime) -> TicketPublic:
    """The whole context of one handoff (built by the handoff module), for the page and API."""
    h = scoped_handoff(session, p, handoff_id)
    t = build_ticket(session=session, handoff_id=handoff_id, now=now)
    prospect = session.get(Prospect, h.prospect_id)
    assert prospect is not None
    return TicketPublic(
        handoff=HandoffPublic.model_validate(h),
        prospect=ProspectPublic.model_validate(prospect),
        facts=[FactPublic.model_validate(f.model_dump()) for f in t.facts],
        thread=[ThreadItemPublic(direction="out" if i.direction == "ours" else "in", at=i.at,
                                 subject=i.subject, text=i.text, channel=i.channel)
                for i in t.thread],
        fields={k: v for k, v in (t.fields or {}).items() if k != "thread_method"},
        summary=t.summary, suggested_reply=t.suggested_reply, next_step=t.next_step,
        route_reason=t.route_reason, sla_text=sla_text(t.sla_due_at, now))


def transition(session: Session, p: Principal, handoff_id: int, action: HandoffAction,
               *, now: dt.datetime) -> HandoffPublic:
    """Move a ticket with the handoff module's state machine; 409 when it refuses."""
    scoped_handoff(session, p, handoff_id)
    try:
        h = move_handoff(session=session, handoff_id=handoff_id, to=TARGETS[action],
                         by=p.actor, now=now,
                         rep_id=None if p.is_operator else p.rep_id)
    except TransitionError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return HandoffPublic.model_validate(h)
