"""Read models for the API and the pages, always scoped to the caller's workspace.

Every look-up by id goes through :func:`scoped`, which answers 404 for a row of another workspace
exactly as for a row that does not exist, so ids never leak across workspaces.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from fastapi import HTTPException, status
from sqlmodel import Session, col, func, select

from cadenza.api.auth import Principal
from cadenza.api.schemas import (
    ApprovalPublic,
    EnrollmentDetailPublic,
    EnrollmentPublic,
    FactPublic,
    MetricsPublic,
    ProspectDetailPublic,
    ProspectPublic,
    ReplyPublic,
    TaskPublic,
    TouchPublic,
    TriageItemPublic,
)
from cadenza.states import TouchState
from cadenza.store.models import (
    Enrollment,
    Fact,
    Handoff,
    Mailbox,
    Prospect,
    Rep,
    Reply,
    Task,
    Touch,
)

Row = TypeVar("Row", Prospect, Enrollment, Touch, Reply, Task, Handoff, Rep, Mailbox)

WAITING_STATES = (TouchState.AWAITING_APPROVAL, TouchState.HELD)
PERSON_TASKS = ("linkedin_connect", "linkedin_message", "call", "manual")


def not_found(what: str = "not found") -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, what)


def scoped(session: Session, model: type[Row], row_id: int, principal: Principal) -> Row:
    """The row if it belongs to the caller's workspace; 404 otherwise (no existence leak)."""
    row = session.get(model, row_id)
    if row is None or row.workspace_id != principal.workspace_id:
        raise not_found(f"{model.__name__.lower()} {row_id} not found")
    return row


def facts_of(session: Session, prospect_id: int) -> list[FactPublic]:
    rows = session.exec(select(Fact).where(Fact.prospect_id == prospect_id)
                        .order_by(col(Fact.id))).all()
    return [FactPublic.model_validate(f) for f in rows]


def list_prospects(session: Session, p: Principal, *, limit: int, offset: int,
                   ) -> list[ProspectPublic]:
    rows = session.exec(select(Prospect).where(Prospect.workspace_id == p.workspace_id)
                        .order_by(col(Prospect.id)).offset(offset).limit(limit)).all()
    return [ProspectPublic.model_validate(r) for r in rows]


def get_prospect(session: Session, p: Principal, prospect_id: int) -> ProspectDetailPublic:
    row = scoped(session, Prospect, prospect_id, p)
    base = ProspectPublic.model_validate(row).model_dump()
    return ProspectDetailPublic.model_validate({**base, "facts": facts_of(session, row.id or 0)})


def list_enrollments(session: Session, p: Principal, *, state: str | None, limit: int,
                     offset: int) -> list[EnrollmentPublic]:
    stmt = select(Enrollment).where(Enrollment.workspace_id == p.workspace_id)
    if state:
        stmt = stmt.where(Enrollment.state == state)
    rows = session.exec(stmt.order_by(col(Enrollment.id)).offset(offset).limit(limit)).all()
    return [EnrollmentPublic.model_validate(r) for r in rows]


def get_enrollment(session: Session, p: Principal, enrollment_id: int) -> EnrollmentDetailPublic:
    """One enrollment with its touches and the replies threaded to them, oldest first."""
    row = scoped(session, Enrollment, enrollment_id, p)
    touches = session.exec(select(Touch).where(Touch.enrollment_id == row.id)
                           .order_by(col(Touch.step))).all()
    touch_ids = [t.id for t in touches]
    replies = session.exec(select(Reply).where(
        Reply.workspace_id == p.workspace_id,
        col(Reply.touch_id).in_(touch_ids) | (col(Reply.prospect_id) == row.prospect_id))
        .order_by(col(Reply.received_at), col(Reply.id))).all()
    return EnrollmentDetailPublic.model_validate({
        **EnrollmentPublic.model_validate(row).model_dump(),
        "touches": [TouchPublic.model_validate(t) for t in touches],
        "replies": [ReplyPublic.model_validate(r) for r in replies]})


def list_touches(session: Session, p: Principal, *, state: str | None, limit: int,
                 offset: int) -> list[TouchPublic]:
    stmt = select(Touch).where(Touch.workspace_id == p.workspace_id)
    if state:
        stmt = stmt.where(Touch.state == state)
    rows = session.exec(stmt.order_by(col(Touch.id)).offset(offset).limit(limit)).all()
    return [TouchPublic.model_validate(r) for r in rows]


def get_touch(session: Session, p: Principal, touch_id: int) -> TouchPublic:
    return TouchPublic.model_validate(scoped(session, Touch, touch_id, p))


def approval_of(session: Session, touch: Touch) -> ApprovalPublic:
    prospect = session.get(Prospect, touch.prospect_id)
    assert prospect is not None
    facts = facts_of(session, touch.prospect_id)
    used = set(touch.fact_ids or [])
    failures = [f.strip() for f in touch.reason.split(";") if f.strip()] \
        if touch.state == "held" else []
    return ApprovalPublic(kind="held" if touch.state == "held" else "approval",
                          touch=TouchPublic.model_validate(touch),
                          prospect=ProspectPublic.model_validate(prospect),
                          facts_used=[f for f in facts if f.key in used], failures=failures)


def list_approvals(session: Session, p: Principal, *, limit: int, offset: int,
                   ) -> list[ApprovalPublic]:
    rows = session.exec(select(Touch).where(Touch.workspace_id == p.workspace_id,
                                            col(Touch.state).in_(WAITING_STATES))
                        .order_by(col(Touch.created_at), col(Touch.id))
                        .offset(offset).limit(limit)).all()
    return [approval_of(session, t) for t in rows]


def list_person_tasks(session: Session, p: Principal, *, limit: int, offset: int,
                      ) -> list[TaskPublic]:
    rows = session.exec(select(Task).where(Task.workspace_id == p.workspace_id,
                                           col(Task.kind).in_(PERSON_TASKS),
                                           Task.state == "open")
                        .order_by(col(Task.created_at), col(Task.id))
                        .offset(offset).limit(limit)).all()
    return [TaskPublic.model_validate(t) for t in rows]


def list_replies(session: Session, p: Principal, *, intent: str | None, state: str | None,
                 limit: int, offset: int) -> list[ReplyPublic]:
    stmt = select(Reply).where(Reply.workspace_id == p.workspace_id)
    if intent:
        stmt = stmt.where(Reply.intent == intent)
    if state:
        stmt = stmt.where(Reply.state == state)
    rows = session.exec(stmt.order_by(col(Reply.id).desc()).offset(offset).limit(limit)).all()
    return [ReplyPublic.model_validate(r) for r in rows]


def get_reply(session: Session, p: Principal, reply_id: int) -> ReplyPublic:
    return ReplyPublic.model_validate(scoped(session, Reply, reply_id, p))


def list_triage(session: Session, p: Principal, *, limit: int, offset: int,
                ) -> list[TriageItemPublic]:
    replies = session.exec(select(Reply).where(Reply.workspace_id == p.workspace_id,
                                               Reply.state == "triage")
                           .order_by(col(Reply.received_at), col(Reply.id))
                           .offset(offset).limit(limit)).all()
    ids = [r.id for r in replies]
    tasks: dict[int | None, Task] = {}
    if ids:
        for t in session.exec(select(Task).where(col(Task.reply_id).in_(ids),
                                                 Task.kind == "triage")):
            if t.state == "open" or t.reply_id not in tasks:
                tasks[t.reply_id] = t
    return [TriageItemPublic(reply=ReplyPublic.model_validate(r),
                             task=TaskPublic.model_validate(tasks[r.id])
                             if r.id in tasks else None) for r in replies]


def _counts(session: Session, column: Any, model: Any, workspace_id: int) -> dict[str, int]:
    rows = session.exec(select(column, func.count()).select_from(model)
                        .where(model.workspace_id == workspace_id).group_by(column)).all()
    return {str(k or ""): int(n) for k, n in rows}


def metrics(session: Session, p: Principal, *, now: dt.datetime, days: int = 30) -> MetricsPublic:
    """Counts by state, plus the handoff timings (route, accept, first contact) of the last
    ``days`` days."""
    from cadenza.handoff.metrics import handoff_metrics

    ws = p.workspace_id
    timings = handoff_metrics(session=session, workspace_id=ws,
                              since=now - dt.timedelta(days=days), until=now)
    return MetricsPublic(
        enrollments_by_state=_counts(session, Enrollment.state, Enrollment, ws),
        touches_by_state=_counts(session, Touch.state, Touch, ws),
        replies_by_intent=_counts(session, Reply.intent, Reply, ws),
        handoffs_by_state=_counts(session, Handoff.state, Handoff, ws),
        handoff=timings.model_dump(mode="json"))
