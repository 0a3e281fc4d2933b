"""The operator's view of the inbox rotation over the API: each mailbox's room, warm-up day and
rest; setting a warm-up schedule and ending it; resting a mailbox and ending a rest.

The same functions as ``cadenza mailbox rotation|warmup|rest|rest-end``; every change is an
event naming the token. Included before the mailbox routes, so ``/api/mailboxes/rotation`` is
not read as a mailbox id.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, status
from sqlmodel import Session

from cadenza.api import views
from cadenza.api.auth import Operator
from cadenza.api.rotation_schemas import MailboxRotation, RestIn, WarmupIn, rotation_row
from cadenza.api.routes_records import ERRORS, NOT_FOUND, DbDep
from cadenza.api.schemas import IdPath, Problem
from cadenza.api.unsubscribe import NowDep
from cadenza.mailbox.resting import end_rest, rest_by_operator
from cadenza.mailbox.rotation import mailbox_rooms
from cadenza.mailbox.warmup import end_warmup, set_warmup, warmup_schedule
from cadenza.store.models import Mailbox, Workspace

router = APIRouter(prefix="/api", responses=ERRORS)


def _rows(s: Session, workspace_id: int, now: dt.datetime,
          only: int | None = None) -> list[MailboxRotation]:
    ws = s.get(Workspace, workspace_id)
    assert ws is not None
    s.flush()
    schedule = warmup_schedule(ws.settings)
    return [rotation_row(room, schedule)
            for room in mailbox_rooms(s, [workspace_id], now).get(workspace_id, [])
            if only is None or room.box.id == only]


@router.get("/mailboxes/rotation", tags=["settings"], response_model=list[MailboxRotation])
def rotation(p: Operator, db: DbDep, now: NowDep) -> list[MailboxRotation]:
    """Each mailbox's place in the rotation now: today's cap after warm-up, its sends of the
    last 24 h, the first touches promised to it, its room, its warm-up day and its rest."""
    with db.session() as s:
        return _rows(s, p.workspace_id, now)


@router.put("/mailboxes/{mailbox_id}/warmup", tags=["settings"],
            response_model=MailboxRotation, responses=NOT_FOUND)
def put_warmup(mailbox_id: IdPath, data: WarmupIn, p: Operator, db: DbDep,
               now: NowDep) -> MailboxRotation:
    """Warm the mailbox up: its cap starts at `start_per_day` on day 0 (`started_at`, default
    now) and grows by `increase_per_day` a day up to its `daily_cap` (numbers left out: the
    workspace's `warmup` policy)."""
    with db.session() as s:
        box = views.scoped(s, Mailbox, mailbox_id, p)
        set_warmup(s, box, started_at=data.started_at or now,
                   start_per_day=data.start_per_day, increase_per_day=data.increase_per_day,
                   by=p.actor)
        return _rows(s, p.workspace_id, now, mailbox_id)[0]


@router.delete("/mailboxes/{mailbox_id}/warmup", tags=["settings"],
               response_model=MailboxRotation, responses=NOT_FOUND)
def delete_warmup(mailbox_id: IdPath, p: Operator, db: DbDep, now: NowDep) -> MailboxRotation:
    """End the mailbox's warm-up: its full `daily_cap` from now on."""
    with db.session() as s:
        box = views.scoped(s, Mailbox, mailbox_id, p)
        end_warmup(s, box, by=p.actor)
        return _rows(s, p.workspace_id, now, mailbox_id)[0]


@router.post("/mailboxes/{mailbox_id}/rest", tags=["settings"],
             response_model=MailboxRotation, responses=NOT_FOUND)
def rest(mailbox_id: IdPath, p: Operator, db: DbDep, now: NowDep,
         data: RestIn | None = None) -> MailboxRotation:
    """Rest the mailbox by hand for `hours` (0: until you end it): no new prospects go to it,
    and its own prospects' touches wait for it (their threads stay on it)."""
    body = data or RestIn()
    with db.session() as s:
        box = views.scoped(s, Mailbox, mailbox_id, p)
        rest_by_operator(s, box, hours=body.hours, reason=body.reason, now=now, by=p.actor)
        return _rows(s, p.workspace_id, now, mailbox_id)[0]


@router.post("/mailboxes/{mailbox_id}/rest/end", tags=["settings"],
             response_model=MailboxRotation, responses={
                 **NOT_FOUND, 409: {"model": Problem, "description": "It is not resting"}})
def end(mailbox_id: IdPath, p: Operator, db: DbDep, now: NowDep) -> MailboxRotation:
    """End the mailbox's rest now: it is back in rotation and its waiting touches go at their
    due time."""
    with db.session() as s:
        box = views.scoped(s, Mailbox, mailbox_id, p)
        if not end_rest(s, box, by=p.actor, now=now):
            raise HTTPException(status.HTTP_409_CONFLICT,
                                f"mailbox {mailbox_id} is not resting")
        return _rows(s, p.workspace_id, now, mailbox_id)[0]
