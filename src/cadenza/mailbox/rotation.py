"""Inbox rotation: which of a workspace's mailboxes writes to a new prospect.

A workspace sends from a pool of mailboxes so that no one of them carries the whole volume. A
new enrollment goes to the mailbox in rotation (active, not resting) with the most **room**:
today's cap (after warm-up, :func:`cadenza.mailbox.warmup.daily_cap`) minus its emails of the
last 24 h minus the first touches already given to it and due within a day; ties go to the
lowest id, so the choice is deterministic. Once chosen, the mailbox is the prospect's: every
later touch of the thread comes from it, and a prospect enrolled again later keeps the mailbox
that wrote to it before while that mailbox is in rotation.

Both places that give an enrollment its mailbox use this: enrolling (``cadenza enroll``,
``POST /api/enrollments``, inbound leads) and the scheduler's claim, for an enrollment that
has none yet (one made before the workspace had a mailbox).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from cadenza.mailbox.resting import is_resting, rest_ends
from cadenza.mailbox.warmup import WarmupSchedule, daily_cap, warmup_day, warmup_schedule
from cadenza.states import DELIVERED, EnrollmentState
from cadenza.store.models import Enrollment, Mailbox, Touch, Workspace, among, inline


@dataclass
class MailboxRoom:
    """One mailbox's standing in the rotation at one moment."""

    box: Mailbox
    cap: int
    sent: int
    assigned: int
    warmup_day: int | None
    resting: bool
    rest_ends: dt.datetime | None

    @property
    def room(self) -> int:
        """Sends it can still take today (negative: more is queued for it than it may send)."""
        return self.cap - self.sent - self.assigned

    @property
    def in_rotation(self) -> bool:
        return self.box.active and not self.resting


@dataclass
class Rotation:
    """The mailbox pools of some workspaces, and each prospect's earlier mailbox."""

    rooms: dict[int, list[MailboxRoom]]
    earlier: dict[tuple[int, int], int] = field(default_factory=dict)

    def has_mailboxes(self, workspace_id: int) -> bool:
        """Whether the workspace has any mailbox at all (in rotation or not)."""
        return bool(self.rooms.get(workspace_id))

    def pick(self, workspace_id: int, prospect_id: int | None = None) -> int | None:
        """The mailbox for a new enrollment of this prospect (None: the workspace has none in
        rotation), counted against that mailbox's room at once."""
        pool = [r for r in self.rooms.get(workspace_id, []) if r.in_rotation]
        if not pool:
            return None
        kept = self.earlier.get((workspace_id, prospect_id or 0))
        chosen = next((r for r in pool if r.box.id == kept), None)
        if chosen is None:
            chosen = min(pool, key=lambda r: (-r.room, r.box.id or 0))
        chosen.assigned += 1
        assert chosen.box.id is not None
        if prospect_id is not None:
            self.earlier[(workspace_id, prospect_id)] = chosen.box.id
        return chosen.box.id


def sent_last_day(session: Session, box_ids: Iterable[int], now: dt.datetime) -> dict[int, int]:
    """Emails sent (or in flight) in the last 24 h per mailbox: what counts against a cap."""
    ids = list(box_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Enrollment.mailbox_id, func.count()).select_from(Touch)
        .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
        .where(col(Enrollment.mailbox_id).in_(ids), col(Touch.state).in_(DELIVERED),
               col(Touch.sent_at) >= now - dt.timedelta(hours=24), Touch.channel == "email")
        .group_by(col(Enrollment.mailbox_id))).all()
    return {int(mb): int(n) for mb, n in rows if mb is not None}


def assigned_first_touches(session: Session, box_ids: Iterable[int],
                           now: dt.datetime) -> dict[int, int]:
    """Running enrollments per mailbox whose first touch is still to go within a day: room
    already promised."""
    ids = list(box_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Enrollment.mailbox_id, func.count()).where(
            # the partial index's predicate written out, not bound (ix_enrollment_assigned)
            col(Enrollment.mailbox_id).in_(ids),
            col(Enrollment.state) == inline(EnrollmentState.ACTIVE),
            col(Enrollment.next_step) == inline(1),
            col(Enrollment.attempt) == inline(1),
            col(Enrollment.next_due_at).is_not(None), col(Enrollment.claimed_at).is_(None),
            col(Enrollment.next_due_at) < now + dt.timedelta(hours=24))
        .group_by(col(Enrollment.mailbox_id))).all()
    return {int(mb): int(n) for mb, n in rows if mb is not None}


def earlier_mailboxes(session: Session, workspace_ids: Iterable[int],
                      prospect_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """The mailbox of each prospect's latest enrollment that had one."""
    ids = list(prospect_ids)
    if not ids:
        return {}
    sqlite = session.get_bind().dialect.name == "sqlite"
    rows = session.exec(
        select(Enrollment.workspace_id, Enrollment.prospect_id, Enrollment.mailbox_id).where(
            among(col(Enrollment.workspace_id), workspace_ids, sqlite=sqlite),
            among(col(Enrollment.prospect_id), ids, sqlite=sqlite),
            col(Enrollment.mailbox_id).is_not(None))
        .order_by(col(Enrollment.id))).all()
    return {(ws, pid): int(mb) for ws, pid, mb in rows if mb is not None}


def mailbox_rooms(session: Session, workspace_ids: Iterable[int], now: dt.datetime, *,
                  mailboxes: Mapping[int | None, Mailbox] | None = None,
                  sent: Mapping[int, int] | None = None,
                  schedules: Mapping[int, WarmupSchedule] | None = None
                  ) -> dict[int, list[MailboxRoom]]:
    """Each workspace's mailboxes with their room, warm-up day and rest (by id). The
    scheduler passes what it has already read; anything left out is read here."""
    wanted = set(workspace_ids)
    boxes = ([b for b in mailboxes.values() if b.workspace_id in wanted]
             if mailboxes is not None else
             list(session.exec(select(Mailbox).where(col(Mailbox.workspace_id).in_(wanted)))))
    ids = [b.id for b in boxes if b.id is not None]
    counts = dict(sent) if sent is not None else sent_last_day(session, ids, now)
    promised = assigned_first_touches(session, ids, now)
    if schedules is None:
        schedules = {ws.id: warmup_schedule(ws.settings) for ws in session.exec(
            select(Workspace).where(col(Workspace.id).in_(wanted))) if ws.id is not None}
    rooms: dict[int, list[MailboxRoom]] = {}
    for box in sorted(boxes, key=lambda b: b.id or 0):
        if box.id is None:
            continue
        rooms.setdefault(box.workspace_id, []).append(MailboxRoom(
            box=box, cap=daily_cap(box, now, schedules.get(box.workspace_id)),
            sent=counts.get(box.id, 0), assigned=promised.get(box.id, 0),
            warmup_day=warmup_day(box, now), resting=is_resting(box, now),
            rest_ends=rest_ends(box, now)))
    return rooms


def load_rotation(session: Session, workspace_ids: Iterable[int], now: dt.datetime, *,
                  prospect_ids: Iterable[int] = (),
                  mailboxes: Mapping[int | None, Mailbox] | None = None,
                  sent: Mapping[int, int] | None = None,
                  schedules: Mapping[int, WarmupSchedule] | None = None) -> Rotation:
    """The rotation of these workspaces at ``now``, knowing these prospects' earlier
    mailboxes."""
    rooms = mailbox_rooms(session, set(workspace_ids), now, mailboxes=mailboxes, sent=sent,
                          schedules=schedules)
    # a workspace without mailboxes has no earlier ones to keep: no query for it
    return Rotation(rooms=rooms, earlier=earlier_mailboxes(session, rooms, prospect_ids)
                    if rooms else {})
