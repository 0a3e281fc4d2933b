"""JSON endpoints where people act: approvals, person tasks, triage, handoffs, reps, tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from cadenza.api import actions, tickets, views
from cadenza.api.approvals import Action, ApprovalConflict, ApprovalService
from cadenza.api.auth import AnyCaller, Operator, Principal
from cadenza.api.routes_records import ERRORS, NOT_FOUND, DbDep, StateFilter
from cadenza.api.schemas import (
    ApprovalEditIn,
    ApprovalPublic,
    ApprovalRejectIn,
    ApprovalResultPublic,
    HandoffAction,
    HandoffPublic,
    IdPath,
    Limit,
    Offset,
    Problem,
    QueueItemPublic,
    RepCreate,
    RepPublic,
    RepUpdate,
    TaskPublic,
    TicketPublic,
    TokenCreate,
    TokenCreatedPublic,
    TokenPublic,
    TriageItemPublic,
    TriageResolveIn,
    TriageResultPublic,
    WhoAmIPublic,
)
from cadenza.api.unsubscribe import NowDep
from cadenza.handoff.notify import Notifier
from cadenza.store import Database
from cadenza.store.models import Touch

CONFLICT: dict[int | str, dict[str, object]] = {
    **NOT_FOUND, 409: {"model": Problem, "description": "Not allowed in the current state"}}

router = APIRouter(prefix="/api", responses=ERRORS)


def get_approvals(request: Request) -> ApprovalService:
    service = getattr(request.app.state, "approvals", None)
    if not isinstance(service, ApprovalService):
        raise RuntimeError("app.state.approvals must be an ApprovalService")
    return service


ApprovalsDep = Annotated[ApprovalService, Depends(get_approvals)]


def get_notifier(request: Request) -> Notifier | None:
    """The app's handoff notifier (``create_app`` builds one; a bare app has none)."""
    notifier: Notifier | None = getattr(request.app.state, "notifier", None)
    return notifier


NotifierDep = Annotated[Notifier | None, Depends(get_notifier)]


@router.get("/me", tags=["auth"], response_model=WhoAmIPublic)
def who_am_i(p: AnyCaller) -> WhoAmIPublic:
    """The workspace, role and rep the token stands for."""
    return WhoAmIPublic(workspace_id=p.workspace_id, role=p.role, rep_id=p.rep_id, name=p.name)


# -- approvals ---------------------------------------------------------------------------------

@router.get("/approvals", tags=["approvals"], response_model=list[ApprovalPublic])
def list_approvals(p: Operator, db: DbDep, limit: Limit = 100,
                   offset: Offset = 0) -> list[ApprovalPublic]:
    """Drafts waiting for a person (``awaiting_approval``) or held by a failed check."""
    with db.session() as s:
        return views.list_approvals(s, p, limit=limit, offset=offset)


def decide(db: Database, service: ApprovalService, p: Principal, touch_id: int, action: Action,
           *, subject: str | None = None, body: str | None = None,
           note: str = "") -> ApprovalResultPublic:
    """Shared by the JSON endpoints and the approvals page."""
    with db.session() as s:
        touch = views.scoped(s, Touch, touch_id, p)
        if touch.state not in views.WAITING_STATES:
            raise HTTPException(status.HTTP_409_CONFLICT,
                                f"touch {touch_id} is {touch.state}, not waiting for approval")
    try:
        result = service.decide(touch_id, action, by=p.actor, subject=subject, body=body,
                                note=note)
    except ApprovalConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return ApprovalResultPublic(touch_id=touch_id, outcome=result.outcome, reason=result.reason,
                                state=result.state)


@router.post("/approvals/{touch_id}/approve", tags=["approvals"],
             response_model=ApprovalResultPublic, responses=CONFLICT)
def approve(touch_id: IdPath, p: Operator, db: DbDep,
            service: ApprovalsDep) -> ApprovalResultPublic:
    """Approve the draft as it is; an email is delivered before this returns."""
    return decide(db, service, p, touch_id, "approve")


@router.post("/approvals/{touch_id}/edit", tags=["approvals"],
             response_model=ApprovalResultPublic, responses=CONFLICT)
def edit(touch_id: IdPath, data: ApprovalEditIn, p: Operator, db: DbDep,
         service: ApprovalsDep) -> ApprovalResultPublic:
    """Replace the draft's text; it is checked again, then delivered (or held if it fails)."""
    return decide(db, service, p, touch_id, "edit", subject=data.subject, body=data.body)


@router.post("/approvals/{touch_id}/reject", tags=["approvals"],
             response_model=ApprovalResultPublic, responses=CONFLICT)
def reject(touch_id: IdPath, p: Operator, db: DbDep, service: ApprovalsDep,
           data: ApprovalRejectIn | None = None) -> ApprovalResultPublic:
    """Reject the draft: nothing is sent and the cadence moves to its next step."""
    return decide(db, service, p, touch_id, "reject", note=data.note if data else "")


# -- person tasks and triage -------------------------------------------------------------------

@router.get("/tasks", tags=["tasks"], response_model=list[TaskPublic])
def list_tasks(p: Operator, db: DbDep, limit: Limit = 100,
               offset: Offset = 0) -> list[TaskPublic]:
    """Open LinkedIn, call and manual steps: Cadenza drafts them, a person does them."""
    with db.session() as s:
        return views.list_person_tasks(s, p, limit=limit, offset=offset)


@router.post("/tasks/{task_id}/done", tags=["tasks"], response_model=TaskPublic,
             responses=CONFLICT)
def task_done(task_id: IdPath, p: Operator, db: DbDep, now: NowDep) -> TaskPublic:
    """Mark the step done: the task closes and its touch becomes ``done``."""
    with db.session() as s:
        return actions.task_done(s, p, task_id, now=now)


@router.get("/triage", tags=["triage"], response_model=list[TriageItemPublic])
def list_triage(p: Operator, db: DbDep, limit: Limit = 100,
                offset: Offset = 0) -> list[TriageItemPublic]:
    """Replies the classifier was not sure about, with their triage task."""
    with db.session() as s:
        return views.list_triage(s, p, limit=limit, offset=offset)


@router.post("/triage/{reply_id}/resolve", tags=["triage"], response_model=TriageResultPublic,
             responses=CONFLICT)
def resolve_triage(reply_id: IdPath, data: TriageResolveIn, p: Operator,
                   db: DbDep, now: NowDep, notifier: NotifierDep) -> TriageResultPublic:
    """Decide the reply's intent; positive intents become a handoff, routed and its rep told
    at once."""
    with db.session() as s:
        return actions.resolve_triage(s, p, reply_id, data, now=now, notifier=notifier)


# -- handoffs ----------------------------------------------------------------------------------

@router.get("/queue", tags=["handoffs"], response_model=list[QueueItemPublic])
def get_queue(p: AnyCaller, db: DbDep, now: NowDep,
              rep_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
              limit: Annotated[int, Query(ge=1, le=200)] = 50,
              offset: Offset = 0) -> list[QueueItemPublic]:
    """Open tickets by priority, then SLA: a rep's own; an operator's whole workspace
    (or one rep's with ``rep_id``)."""
    with db.session() as s:
        return tickets.queue(s, p, rep_id=rep_id, limit=limit, offset=offset, now=now)


@router.get("/handoffs", tags=["handoffs"], response_model=list[HandoffPublic])
def list_handoffs(p: AnyCaller, db: DbDep, state: StateFilter = None, limit: Limit = 100,
                  offset: Offset = 0) -> list[HandoffPublic]:
    """Handoffs, newest first: all of the workspace for an operator, a rep's own for a rep."""
    with db.session() as s:
        return tickets.list_handoffs(s, p, state=state, limit=limit, offset=offset)


@router.get("/handoffs/{handoff_id}", tags=["handoffs"], response_model=TicketPublic,
            responses=NOT_FOUND)
def get_ticket(handoff_id: IdPath, p: AnyCaller, db: DbDep, now: NowDep) -> TicketPublic:
    """The ticket: prospect, facts, thread, intent and fields, summary, suggested reply."""
    with db.session() as s:
        return tickets.ticket(s, p, handoff_id, now=now)


@router.post("/handoffs/{handoff_id}/{action}", tags=["handoffs"], response_model=HandoffPublic,
             responses=CONFLICT)
def move_ticket(handoff_id: IdPath, action: HandoffAction, p: AnyCaller,
                db: DbDep, now: NowDep) -> HandoffPublic:
    """Move the ticket: accept, contacted, meeting_booked, disqualify, or return to the agent."""
    with db.session() as s:
        return tickets.transition(s, p, handoff_id, action, now=now)


# -- reps and tokens ---------------------------------------------------------------------------

@router.get("/reps", tags=["reps"], response_model=list[RepPublic])
def list_reps(p: Operator, db: DbDep) -> list[RepPublic]:
    """The workspace's reps: availability, capacity, weight, languages and territories."""
    with db.session() as s:
        return actions.list_reps(s, p)


@router.post("/reps", tags=["reps"], response_model=RepPublic,
             status_code=status.HTTP_201_CREATED, responses=CONFLICT)
def create_rep(data: RepCreate, p: Operator, db: DbDep) -> RepPublic:
    """Add a rep who can receive handoffs (an email the workspace has is a 409)."""
    with db.session() as s:
        return actions.create_rep(s, p, data)


@router.patch("/reps/{rep_id}", tags=["reps"], response_model=RepPublic, responses=NOT_FOUND)
def update_rep(rep_id: IdPath, data: RepUpdate, p: Operator, db: DbDep, now: NowDep) -> RepPublic:
    """Mark a rep away or back, change their capacity or weight, or deactivate them
    (``active: false`` also revokes every token of theirs)."""
    with db.session() as s:
        return actions.update_rep(s, p, rep_id, data, now=now)


@router.get("/tokens", tags=["auth"], response_model=list[TokenPublic])
def list_tokens(p: Operator, db: DbDep) -> list[TokenPublic]:
    """The workspace's tokens, revoked ones included: never their secret."""
    with db.session() as s:
        return actions.list_workspace_tokens(s, p)


@router.post("/tokens", tags=["auth"], response_model=TokenCreatedPublic,
             status_code=status.HTTP_201_CREATED, responses=CONFLICT)
def create_token(data: TokenCreate, p: Operator, db: DbDep, now: NowDep) -> TokenCreatedPublic:
    """Create a token (a rep's, usually; not for a deactivated rep), optionally expiring
    ``expires_in_days`` after now; the clear token is in this response only."""
    with db.session() as s:
        return actions.new_token(s, p, data, now=now)


@router.post("/tokens/{token_id}/revoke", tags=["auth"], response_model=TokenPublic,
             responses=NOT_FOUND)
def revoke_token(token_id: IdPath, p: Operator, db: DbDep, now: NowDep) -> TokenPublic:
    """Revoke a token at once, with the web sessions opened with it (idempotent)."""
    with db.session() as s:
        return actions.revoke(s, p, token_id, now=now)
