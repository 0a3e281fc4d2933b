"""Read-only JSON endpoints for the operator: prospects, enrollments, touches, replies, metrics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from cadenza.api import views
from cadenza.api.auth import Operator
from cadenza.api.schemas import (
    EnrollmentDetailPublic,
    EnrollmentPublic,
    IdPath,
    Limit,
    MetricsPublic,
    Offset,
    Problem,
    ProspectDetailPublic,
    ProspectPublic,
    ReplyPublic,
    TouchPublic,
)
from cadenza.api.unsubscribe import NowDep, get_database
from cadenza.store import Database

DbDep = Annotated[Database, Depends(get_database)]
StateFilter = Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")]

ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "No token, or an unknown, expired or revoked one"},
    403: {"model": Problem, "description": "The token's role may not use this endpoint"},
    429: {"model": Problem, "description": "Too many requests with this token in a minute "
                                           "(`Retry-After` says when to try again)"},
}
NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such id in this workspace"}}

router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/prospects", tags=["prospects"], response_model=list[ProspectPublic])
def list_prospects(p: Operator, db: DbDep, limit: Limit = 100,
                   offset: Offset = 0) -> list[ProspectPublic]:
    """Prospects of the workspace, oldest first."""
    with db.session() as s:
        return views.list_prospects(s, p, limit=limit, offset=offset)


@router.get("/prospects/{prospect_id}", tags=["prospects"],
            response_model=ProspectDetailPublic, responses=NOT_FOUND)
def get_prospect(prospect_id: IdPath, p: Operator, db: DbDep) -> ProspectDetailPublic:
    """One prospect with its research facts."""
    with db.session() as s:
        return views.get_prospect(s, p, prospect_id)


@router.get("/enrollments", tags=["enrollments"], response_model=list[EnrollmentPublic])
def list_enrollments(p: Operator, db: DbDep, state: StateFilter = None, limit: Limit = 100,
                     offset: Offset = 0) -> list[EnrollmentPublic]:
    """Enrollments, optionally in one state (active, paused, completed, stopped, failed)."""
    with db.session() as s:
        return views.list_enrollments(s, p, state=state, limit=limit, offset=offset)


@router.get("/enrollments/{enrollment_id}", tags=["enrollments"],
            response_model=EnrollmentDetailPublic, responses=NOT_FOUND)
def get_enrollment(enrollment_id: IdPath, p: Operator, db: DbDep) -> EnrollmentDetailPublic:
    """One enrollment with its touches and replies in order: its timeline."""
    with db.session() as s:
        return views.get_enrollment(s, p, enrollment_id)


@router.get("/touches", tags=["touches"], response_model=list[TouchPublic])
def list_touches(p: Operator, db: DbDep, state: StateFilter = None, limit: Limit = 100,
                 offset: Offset = 0) -> list[TouchPublic]:
    """Touches, optionally in one state (drafted, awaiting_approval, sent, …)."""
    with db.session() as s:
        return views.list_touches(s, p, state=state, limit=limit, offset=offset)


@router.get("/touches/{touch_id}", tags=["touches"], response_model=TouchPublic,
            responses=NOT_FOUND)
def get_touch(touch_id: IdPath, p: Operator, db: DbDep) -> TouchPublic:
    """One touch: its draft, checks, state and why, and when it went out."""
    with db.session() as s:
        return views.get_touch(s, p, touch_id)


@router.get("/replies", tags=["replies"], response_model=list[ReplyPublic])
def list_replies(p: Operator, db: DbDep, intent: StateFilter = None, state: StateFilter = None,
                 limit: Limit = 100, offset: Offset = 0) -> list[ReplyPublic]:
    """Replies, newest first: intent, confidence, extracted fields and the stripped text."""
    with db.session() as s:
        return views.list_replies(s, p, intent=intent, state=state, limit=limit, offset=offset)


@router.get("/replies/{reply_id}", tags=["replies"], response_model=ReplyPublic,
            responses=NOT_FOUND)
def get_reply(reply_id: IdPath, p: Operator, db: DbDep) -> ReplyPublic:
    """One reply: intent, confidence, extracted fields and the stripped text."""
    with db.session() as s:
        return views.get_reply(s, p, reply_id)


@router.get("/metrics", tags=["metrics"], response_model=MetricsPublic)
def get_metrics(p: Operator, db: DbDep, now: NowDep) -> MetricsPublic:
    """Counts by state and intent; the handoff module's timings when it provides them."""
    with db.session() as s:
        return views.metrics(s, p, now=now)
