"""Outcomes back from reps: a meeting booked (with its date), an opportunity (with its amount),
a disqualification (with its reason) — from the ticket, the API, a CRM export, a calendar
invite or a booking page. The metrics and the A/B tests count them.

One prospect has at most one outcome of each kind (:func:`cadenza.store.results.upsert_outcome`
updates it). Recording one also moves the prospect's ticket where the outcome says it stands:
a person's "meeting booked" on a ticket still ``new`` or ``accepted`` walks it through
``accepted`` and ``contacted`` (booking a meeting is contacting the prospect), each move an
event naming who. A machine's report (calendar invite, booking page) moves a ticket only by the
one step the state machine allows, so it never invents that a rep accepted or called anyone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session, col, select

from cadenza.errors import InputError, NotFoundError
from cadenza.handoff.tickets import TRANSITIONS, transition
from cadenza.store.events import record_event
from cadenza.store.models import Handoff, Prospect
from cadenza.store.results import OUTCOME_KINDS, Outcome, upsert_outcome

Kind = Literal["meeting_booked", "opportunity", "disqualified"]
Source = Literal["rep", "api", "import", "ics", "booking"]
#: Sources where a person reported the outcome (they may walk the ticket).
PERSON_SOURCES = frozenset({"rep", "api", "import"})
#: The ticket state each outcome means, and the moves a person's report walks through.
TARGET = {"meeting_booked": "meeting_booked", "disqualified": "disqualified"}
WALK = {"new": ("accepted", "contacted"), "accepted": ("contacted",), "contacted": ()}


@dataclass(frozen=True)
class Recorded:
    outcome: Outcome
    new: bool
    handoff_id: int | None
    ticket_state: str | None


def find_prospect(session: Session, *, workspace_id: int, handoff_id: int | None = None,
                  prospect_id: int | None = None, email: str | None = None,
                  ) -> tuple[Prospect, Handoff | None]:
    """The prospect an outcome is about, by handoff id, prospect id or email (in that order),
    and the ticket it moves (the given one, else the prospect's newest)."""
    handoff = None
    if handoff_id is not None:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.workspace_id != workspace_id:
            raise NotFoundError(f"no handoff {handoff_id} in this workspace")
        prospect_id = handoff.prospect_id
    prospect = None
    if prospect_id is not None:
        prospect = session.get(Prospect, prospect_id)
    elif email:
        prospect = session.exec(select(Prospect).where(
            Prospect.workspace_id == workspace_id,
            Prospect.email == email.strip().lower())).first()
    else:  # nobody named is nobody found (the API's 404, the importer's rejected row)
        raise NotFoundError("no prospect named: give a handoff id, a prospect id or an email")
    if prospect is None or prospect.workspace_id != workspace_id or prospect.id is None:
        raise NotFoundError(f"no prospect {email or prospect_id} in this workspace")
    if handoff is None:
        handoff = session.exec(select(Handoff).where(Handoff.prospect_id == prospect.id)
                               .order_by(col(Handoff.created_at).desc(),
                                         col(Handoff.id).desc())).first()
    return prospect, handoff


def record_outcome(session: Session, *, workspace_id: int, kind: str, source: Source, by: str,
                   now: dt.datetime, handoff_id: int | None = None,
                   prospect_id: int | None = None, email: str | None = None,
                   meeting_at: dt.datetime | None = None, amount: float | None = None,
                   currency: str = "", reason: str = "", external_ref: str = "",
                   rep_id: int | None = None) -> Recorded:
    """Record an outcome and move the ticket (see the module docstring). ``rep_id``: the rep
    acting, who may only report on their own tickets."""
    if kind not in OUTCOME_KINDS:
        raise InputError(f"outcome must be one of {', '.join(OUTCOME_KINDS)}", field="outcome")
    if amount is not None and not 0 <= amount < 1e15:
        raise InputError("amount must be a positive number", field="amount")
    if kind == "meeting_booked" and meeting_at is None:
        raise InputError("a meeting needs its date", field="meeting_at")
    if kind == "opportunity" and amount is None:
        raise InputError("an opportunity needs its amount", field="amount")
    if kind == "disqualified" and not reason.strip():
        raise InputError("a disqualification needs its reason", field="reason")
    if meeting_at is not None:
        meeting_at = meeting_at.astimezone(dt.UTC)
    prospect, handoff = find_prospect(session, workspace_id=workspace_id,
                                      handoff_id=handoff_id, prospect_id=prospect_id,
                                      email=email)
    if rep_id is not None and (handoff is None or handoff.rep_id != rep_id):
        raise NotFoundError("no such ticket of yours")
    row, new = upsert_outcome(
        session, workspace_id=workspace_id, prospect_id=prospect.id or 0, kind=kind, now=now,
        source=source, by=by, handoff_id=handoff.id if handoff else None,
        reply_id=handoff.reply_id if handoff else None, meeting_at=meeting_at, amount=amount,
        currency=currency.strip().upper()[:3], reason=reason.strip()[:500],
        external_ref=external_ref[:200])
    record_event(session=session, kind="outcome.recorded", workspace_id=workspace_id,
                 subject_type="outcome", subject_id=row.id, outcome=kind, source=source, by=by,
                 prospect_id=prospect.id, handoff_id=handoff.id if handoff else None,
                 meeting_at=meeting_at.isoformat() if meeting_at else None, amount=amount,
                 new=new)
    state = _move_ticket(session, handoff, kind, source, by, now, reason) if handoff else None
    return Recorded(row, new, handoff.id if handoff else None, state)


def _move_ticket(session: Session, handoff: Handoff, kind: str, source: str, by: str,
                 now: dt.datetime, note: str) -> str:
    target = TARGET.get(kind)
    if target is None or handoff.id is None:
        return handoff.state
    moves: tuple[str, ...] = ()
    if target in TRANSITIONS.get(handoff.state, ()):
        moves = (target,)
    elif source in PERSON_SOURCES and target == "meeting_booked" and handoff.state in WALK:
        moves = (*WALK[handoff.state], target)
    for to in moves:
        transition(session=session, handoff_id=handoff.id, to=to, by=by, now=now,
                   note=note if to == target else f"on the way to {target}")
    return handoff.state
