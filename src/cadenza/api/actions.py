"""The API's writes that are not approvals or ticket moves: tasks, triage, reps, tokens.

Each runs inside the caller's one session, so a failure anywhere rolls the whole change back and
a bad payload never half-writes. Every change is recorded as an event with who made it.
"""

from __future__ import annotations

import datetime as dt
import logging

from fastapi import HTTPException, status
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cadenza.api.auth import Principal
from cadenza.api.schemas import (
    RepCreate,
    RepPublic,
    RepTokenCreate,
    RepUpdate,
    TaskPublic,
    TokenCreate,
    TokenCreatedPublic,
    TokenPublic,
    TriageResolveIn,
    TriageResultPublic,
)
from cadenza.api.views import PERSON_TASKS, not_found, scoped
from cadenza.errors import CadenzaError, InputError
from cadenza.handoff.notify import Notifier
from cadenza.handoff.routing import route_pending
from cadenza.replies.triage import TriageConflict, decide
from cadenza.store.events import record_event
from cadenza.store.models import Rep, Reply, Task, Touch
from cadenza.store.tokens import issue_token, list_tokens, revoke_rep_tokens, revoke_token

log = logging.getLogger(__name__)

def conflict(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, detail)


def task_done(session: Session, p: Principal, task_id: int, *, now: dt.datetime) -> TaskPublic:
    """A person did the LinkedIn/call/manual step: the task and its touch become ``done``."""
    task = scoped(session, Task, task_id, p)
    if task.kind not in PERSON_TASKS:
        raise conflict(f"task {task_id} is a {task.kind} task, not a person's step")
    if task.state != "open":
        raise conflict(f"task {task_id} is already {task.state}")
    task.state, task.done_by, task.done_at = "done", p.actor, now
    session.add(task)
    if task.touch_id is not None:
        session.execute(update(Touch).where(col(Touch.id) == task.touch_id,
                                            col(Touch.state) == "task_open")
                        .values(state="done", updated_at=now))
    record_event(session=session, kind="task.done", workspace_id=p.workspace_id,
                 subject_type="task", subject_id=task.id, by=p.actor, touch_id=task.touch_id,
                 task_kind=task.kind)
    session.flush()
    return TaskPublic.model_validate(task)


def resolve_triage(session: Session, p: Principal, reply_id: int, decision: TriageResolveIn,
                   *, now: dt.datetime, notifier: Notifier | None) -> TriageResultPublic:
    """A person decides an uncertain reply's intent; the reply policy applies it, exactly as
    the watcher would have for that intent (:func:`cadenza.replies.triage.decide`), and a
    handoff it creates is routed and its rep told at once, as the watcher's are."""
    reply = scoped(session, Reply, reply_id, p)
    try:
        result = decide(session=session, reply=reply, intent=decision.intent, by=p.actor,
                        now=now, note=decision.note)
    except TriageConflict as exc:
        raise conflict(str(exc)) from None
    for handoff_id in result.handoff_ids:
        _route(session, handoff_id, now, notifier)
    return TriageResultPublic(reply_id=reply_id, intent=decision.intent,
                              handoff_id=result.handoff_ids[0] if result.handoff_ids else None)


def _route(session: Session, handoff_id: int, now: dt.datetime,
           notifier: Notifier | None) -> None:
    """Route the new handoff to a rep now and queue the rep's notice (sent after the commit);
    if routing fails (a bad rules file, say) the ticket stays unrouted for the handoff
    module's ``route_pending`` sweep rather than being lost."""
    try:
        with session.begin_nested():
            route_pending(session=session, now=now, handoff_ids=[handoff_id],
                          notifier=notifier)
    except CadenzaError:
        log.exception("routing handoff %s from triage failed; left for the next sweep",
                      handoff_id)


def list_reps(session: Session, p: Principal) -> list[RepPublic]:
    rows = session.exec(select(Rep).where(Rep.workspace_id == p.workspace_id)
                        .order_by(col(Rep.id))).all()
    return [RepPublic.model_validate(r) for r in rows]


def create_rep(session: Session, p: Principal, data: RepCreate) -> RepPublic:
    email = data.email.strip().lower()
    exists = session.exec(select(Rep.id).where(Rep.workspace_id == p.workspace_id,
                                               Rep.email == email)).first()
    if exists is not None:
        raise conflict(f"a rep with email {email} already exists in this workspace")
    rep = Rep(workspace_id=p.workspace_id, name=data.name, email=email, timezone=data.timezone,
              languages=[x.lower() for x in data.languages], territories=data.territories,
              capacity=data.capacity, weight=data.weight)
    session.add(rep)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create with the same email
        raise conflict(f"a rep with email {email} already exists in this workspace") from exc
    record_event(session=session, kind="rep.created", workspace_id=p.workspace_id,
                 subject_type="rep", subject_id=rep.id, by=p.actor)
    return RepPublic.model_validate(rep)


def update_rep(session: Session, p: Principal, rep_id: int, data: RepUpdate, *,
               now: dt.datetime) -> RepPublic:
    """Change a rep; deactivating one also revokes their tokens (a deactivated rep's token
    is refused anyway; revoking it means reactivating the rep does not revive it)."""
    rep = scoped(session, Rep, rep_id, p)
    changes = data.model_dump(exclude_none=True)
    for key, value in changes.items():
        setattr(rep, key, value)
    session.add(rep)
    record_event(session=session, kind="rep.updated", workspace_id=p.workspace_id,
                 subject_type="rep", subject_id=rep.id, by=p.actor, changes=changes)
    if changes.get("active") is False:
        revoke_rep_tokens(session=session, rep_id=rep_id, now=now, by=p.actor)
    session.flush()
    return RepPublic.model_validate(rep)


def new_token(session: Session, p: Principal, data: TokenCreate, *,
              now: dt.datetime) -> TokenCreatedPublic:
    rep_id = data.rep_id if isinstance(data, RepTokenCreate) else None
    if rep_id is not None:
        rep = scoped(session, Rep, rep_id, p)  # another workspace's rep: 404, like any other id
        if not rep.active:
            raise conflict(f"rep {rep_id} is deactivated: reactivate them before giving them "
                           "a token")
    expires_at = (now + dt.timedelta(days=data.expires_in_days)
                  if data.expires_in_days is not None else None)
    try:
        issued = issue_token(session=session, workspace_id=p.workspace_id, role=data.role,
                             rep_id=rep_id, name=data.name, expires_at=expires_at)
    except InputError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    return TokenCreatedPublic(token=issued.token, **TokenPublic.model_validate(
        issued.row).model_dump())


def list_workspace_tokens(session: Session, p: Principal) -> list[TokenPublic]:
    return [TokenPublic.model_validate(row)
            for row in list_tokens(session=session, workspace_id=p.workspace_id)]


def revoke(session: Session, p: Principal, token_id: int, *, now: dt.datetime) -> TokenPublic:
    """Revoke a token of the caller's workspace (another workspace's id is a 404); revoking
    one already revoked answers its state unchanged."""
    row = revoke_token(session=session, token_id=token_id, now=now, by=p.actor,
                       workspace_id=p.workspace_id)
    if row is None:
        raise not_found(f"token {token_id} not found")
    return TokenPublic.model_validate(row)
