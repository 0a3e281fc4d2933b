"""Why nothing is due: the next touch of every playbook step, and what holds it back.

``cadenza status`` said "due now: 0" on a Saturday and nothing more. An operator needs, per
playbook step, how many enrollments wait there, when the first is due, and why not now: a cap
or the gap between sends (the scheduler records each deferral with its reason), the playbook's
send window and business days, or a person (drafts awaiting approval, replies in triage,
enrollments paused for an absence). Read-only, from the database; the caller passes ``now``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from cadenza.playbooks import PlaybookSpec, stored_spec
from cadenza.states import EnrollmentState, TouchState
from cadenza.store.models import Enrollment, Event, Playbook, Touch


@dataclass(frozen=True)
class StepStatus:
    """The active enrollments at one playbook step, the first due time and why not now."""

    playbook: str
    step: int
    channel: str
    enrollments: int
    next_due_at: dt.datetime | None
    why: str

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        data["next_due_at"] = self.next_due_at.isoformat() if self.next_due_at else None
        return data


@dataclass(frozen=True)
class Overview:
    """The steps, plus what waits for a person or for a date."""

    steps: list[StepStatus]
    due_now: int
    awaiting_approval: int
    waiting_for_person: int
    paused: int
    paused_until: dt.datetime | None

    def public(self) -> dict[str, Any]:
        return {"steps": [s.public() for s in self.steps], "due_now": self.due_now,
                "awaiting_approval": self.awaiting_approval,
                "waiting_for_person": self.waiting_for_person, "paused": self.paused,
                "paused_until": self.paused_until.isoformat() if self.paused_until else None}


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def _deferral(session: Session, enrollment_id: int, due: dt.datetime) -> str | None:
    """The reason the scheduler recorded when it put this enrollment off until ``due``."""
    event = session.exec(select(Event).where(Event.kind == "enrollment.deferred",
                                             Event.subject_type == "enrollment",
                                             Event.subject_id == enrollment_id)
                         .order_by(col(Event.id).desc())).first()
    if event is None:
        return None
    until = event.data.get("until")
    if until and _aware(dt.datetime.fromisoformat(str(until))) == due:
        return str(event.data.get("reason") or "deferred")
    return None


def overview(session: Session, workspace_id: int, now: dt.datetime) -> Overview:
    """Every active playbook step of the workspace and why its first touch is not due now."""
    groups = session.exec(
        select(Enrollment.playbook_id, Enrollment.next_step, func.count(),
               # the earliest due time of the unclaimed; none when all are in flight
               func.min(case((col(Enrollment.claimed_at).is_(None),
                              col(Enrollment.next_due_at)))))
        .where(Enrollment.workspace_id == workspace_id,
               Enrollment.state == EnrollmentState.ACTIVE)
        .group_by(col(Enrollment.playbook_id), col(Enrollment.next_step))
        .order_by(col(Enrollment.playbook_id), col(Enrollment.next_step))).all()
    steps: list[StepStatus] = []
    for playbook_id, step_number, count, first_due in groups:
        playbook = session.get(Playbook, playbook_id)
        spec = stored_spec(playbook.definition) if playbook is not None else None
        step = spec.step(step_number) if spec is not None else None
        due = _aware(first_due)
        if due is None:
            why = "being worked on now (claimed by a worker)"
        elif due <= now:
            why = "due now"
        else:
            first = session.exec(select(Enrollment.id).where(
                Enrollment.workspace_id == workspace_id, Enrollment.playbook_id == playbook_id,
                Enrollment.next_step == step_number,
                Enrollment.state == EnrollmentState.ACTIVE,
                Enrollment.next_due_at == first_due)).first()
            why = (_deferral(session, first, due) if first is not None else None) or (
                _schedule(spec) if spec is not None else "scheduled")
        steps.append(StepStatus(playbook.name if playbook else str(playbook_id), step_number,
                                step.channel if step is not None else "?", int(count), due,
                                why))
    waiting = session.exec(select(func.count()).select_from(Enrollment).where(
        Enrollment.workspace_id == workspace_id,
        Enrollment.state == EnrollmentState.WAITING)).one()
    paused, until = session.exec(select(func.count(), func.min(Enrollment.paused_until)).where(
        Enrollment.workspace_id == workspace_id,
        Enrollment.state == EnrollmentState.PAUSED)).one()
    approvals = session.exec(select(func.count()).select_from(Touch).where(
        Touch.workspace_id == workspace_id,
        col(Touch.state).in_((TouchState.AWAITING_APPROVAL, TouchState.HELD)))).one()
    return Overview(steps=steps, due_now=sum(s.enrollments for s in steps if s.why == "due now"),
                    awaiting_approval=int(approvals), waiting_for_person=int(waiting),
                    paused=int(paused), paused_until=_aware(until))


def _schedule(spec: PlaybookSpec) -> str:
    window = spec.send_window
    days = " (public holidays skipped)" if spec.business_days else ""
    zone = ("the prospect's time zone" if spec.timezone_policy == "prospect"
            else spec.default_timezone)
    return (f"the playbook's schedule: step delays, and sends {window.start}–{window.end} "
            f"{'/'.join(window.days)} in {zone}{days}")
