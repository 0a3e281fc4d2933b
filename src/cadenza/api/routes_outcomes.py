"""Outcomes over the API: a rep or an operator reports one; a booking tool's signed callback
records a meeting without a person."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import col, select

from cadenza.api.auth import AnyCaller, Operator
from cadenza.api.routes_records import ERRORS, NOT_FOUND, DbDep
from cadenza.api.schemas import Limit, Offset, Problem
from cadenza.api.unsubscribe import NowDep, get_settings
from cadenza.errors import InputError, NotFoundError
from cadenza.handoff.bookings import Booking, verify_booking
from cadenza.handoff.outcome_import import parse_when
from cadenza.handoff.outcomes import Recorded, record_outcome
from cadenza.store.models import Workspace
from cadenza.store.results import Outcome

router = APIRouter(prefix="/api", responses=ERRORS)
Kind = Literal["meeting_booked", "opportunity", "disqualified"]


class _Who(BaseModel):
    """Who: a handoff id, a prospect id or an email (a rep names their own ticket)."""

    model_config = ConfigDict(extra="forbid")

    handoff_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    prospect_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    email: str | None = Field(default=None, max_length=320)


class MeetingIn(_Who):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"outcome": "meeting_booked", "handoff_id": 12, "meeting_at": "2026-12-10T15:00:00Z"}]})

    outcome: Literal["meeting_booked"]
    meeting_at: dt.datetime | dt.date


class OpportunityIn(_Who):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"outcome": "opportunity", "email": "dana@kestrel.example", "amount": 24000,
         "currency": "EUR"}]})

    outcome: Literal["opportunity"]
    amount: float = Field(ge=0, lt=1e15)
    currency: str = Field(default="", max_length=3)


class DisqualifiedIn(_Who):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"outcome": "disqualified", "handoff_id": 12, "reason": "no budget this year"}]})

    outcome: Literal["disqualified"]
    reason: str = Field(min_length=1, max_length=500, pattern=r"\S")


OutcomeIn = Annotated[MeetingIn | OpportunityIn | DisqualifiedIn,
                      Field(discriminator="outcome")]


class OutcomePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    prospect_id: int
    kind: str
    handoff_id: int | None
    touch_id: int | None
    meeting_at: dt.datetime | None
    amount: float | None
    currency: str
    reason: str
    source: str
    recorded_by: str
    recorded_at: dt.datetime
    updated_at: dt.datetime
    ticket_state: str | None = None


def invalid(exc: InputError, where: str = "body") -> RequestValidationError:
    """A refused value as FastAPI's own 422 body (the schema every 422 is documented with)."""
    return RequestValidationError([{"loc": (where, exc.field or "body"), "msg": exc.detail,
                                    "type": "value_error", "input": None}])


def _public(done: Recorded) -> OutcomePublic:
    return OutcomePublic.model_validate(done.outcome).model_copy(
        update={"ticket_state": done.ticket_state})


def _instant(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


@router.post("/outcomes", tags=["outcomes"], response_model=OutcomePublic,
             status_code=status.HTTP_201_CREATED, responses=NOT_FOUND)
def report_outcome(data: OutcomeIn, p: AnyCaller, db: DbDep, now: NowDep) -> OutcomePublic:
    """Report a meeting booked, an opportunity or a disqualification. A rep reports on their
    own tickets (by ``handoff_id``); the ticket moves with it (a meeting walks a new ticket
    through accepted and contacted). Reporting the same kind again updates it."""
    if not p.is_operator and data.handoff_id is None:
        raise invalid(InputError("a rep names the ticket", field="handoff_id"))
    try:
        with db.session() as s:
            done = record_outcome(
                s, workspace_id=p.workspace_id, kind=data.outcome,
                source="rep" if not p.is_operator else "api", by=p.actor, now=now,
                handoff_id=data.handoff_id, prospect_id=data.prospect_id, email=data.email,
                meeting_at=_instant(getattr(data, "meeting_at", None)),
                amount=getattr(data, "amount", None), currency=getattr(data, "currency", ""),
                reason=getattr(data, "reason", ""),
                rep_id=None if p.is_operator else p.rep_id)
            return _public(done)
    except NotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    except InputError as exc:
        raise invalid(exc) from None


@router.get("/outcomes", tags=["outcomes"], response_model=list[OutcomePublic])
def list_outcomes(p: Operator, db: DbDep, limit: Limit = 100, offset: Offset = 0,
                  kind: Annotated[Kind | None, Query()] = None) -> list[OutcomePublic]:
    """Outcomes of the workspace, newest first."""
    with db.session() as s:
        stmt = select(Outcome).where(Outcome.workspace_id == p.workspace_id)
        if kind is not None:
            stmt = stmt.where(Outcome.kind == kind)
        rows = s.exec(stmt.order_by(col(Outcome.updated_at).desc(), col(Outcome.id).desc())
                      .offset(offset).limit(limit)).all()
        return [OutcomePublic.model_validate(r) for r in rows]


UNSIGNED: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "Missing, wrong or stale signature"}}


@router.post("/bookings", tags=["outcomes"], response_model=OutcomePublic,
             status_code=status.HTTP_201_CREATED, responses={**NOT_FOUND, **UNSIGNED},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": Booking.model_json_schema()}}}})
async def booking_callback(request: Request, db: DbDep, now: NowDep,
                           signature: Annotated[str, Header(
                               alias="X-Cadenza-Signature", max_length=300)] = "",
                           ) -> OutcomePublic:
    """A booking tool's signed callback (no token: the signature is the credential; README
    "Outcomes"): records the meeting and moves a ticket that was contacted."""
    body = await request.body()
    if len(body) > 16_000:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "body too large")
    try:
        booking = Booking.model_validate(json.loads(body))
    except (ValueError, ValidationError):
        raise invalid(InputError("a JSON object with workspace, email or handoff_id, and "
                                 "start")) from None
    settings = get_settings(request)
    with db.session() as s:
        ws = s.exec(select(Workspace).where(Workspace.slug == booking.workspace)).first()
        # an unknown workspace answers as a bad signature: nothing to learn by probing
        if ws is None or ws.id is None or not verify_booking(
                body, signature, signing_key=settings.signing_key(),
                workspace_slug=booking.workspace, now=now.timestamp()):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "bad or stale signature")
        try:
            done = record_outcome(
                s, workspace_id=ws.id, kind="meeting_booked", source="booking",
                by="booking page", now=now, handoff_id=booking.handoff_id,
                email=booking.email, meeting_at=parse_when(booking.start, field_name="start"),
                external_ref=booking.booking_id, reason=booking.title)
        except NotFoundError as exc:
            raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
        except InputError as exc:
            raise invalid(exc) from None
        return _public(done)
