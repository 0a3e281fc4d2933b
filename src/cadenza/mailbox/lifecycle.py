"""What a reply does to a prospect's enrollments: stop, pause until a date, resume.

Kept apart from the intent policies because the scheduler needs the other half: an enrollment
paused for an out-of-office notice resumes when :func:`resume_due_enrollments` sees its
``paused_until`` pass. A stop cancels the touches drafted or approved but not yet sent, so nothing
goes out after it; a touch already ``sending`` is left to the outbox's recovery, which knows
whether the SMTP call happened.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from cadenza.agent.timing import add_days, next_open, zone_for
from cadenza.playbooks import PlaybookSpec, stored_spec
from cadenza.playbooks.schema import SendWindow
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Playbook, Prospect, Touch

STOPPABLE = ("active", "paused")
UNSENT = ("pending", "drafted", "awaiting_approval", "held", "approved", "deferred")
OOO_DEFAULT_DAYS = 14
OOO_CAP_DAYS = 100
_WEEKDAYS = SendWindow()  # Mon–Fri: the business-day calendar when no playbook says otherwise


def stop_enrollments(session: Session, *, prospect_id: int, reason: str, now: dt.datetime,
                     reply_id: int | None = None) -> list[int]:
    """Stop every active/paused enrollment of the prospect and cancel its unsent touches."""
    stopped: list[int] = []
    for e in session.exec(select(Enrollment).where(Enrollment.prospect_id == prospect_id,
                                                   col(Enrollment.state).in_(STOPPABLE))):
        e.state, e.stop_reason, e.next_due_at, e.paused_until = "stopped", reason, None, None
        e.updated_at = now
        session.add(e)
        cancelled = _cancel_unsent(session, e.id, reason, now)
        record_event(session=session, kind="enrollment.stopped", workspace_id=e.workspace_id,
                     subject_type="enrollment", subject_id=e.id, reason=reason,
                     reply_id=reply_id, cancelled_touches=cancelled)
        if e.id is not None:
            stopped.append(e.id)
    return stopped


def _cancel_unsent(session: Session, enrollment_id: int | None, reason: str,
                   now: dt.datetime) -> list[int]:
    ids: list[int] = []
    for t in session.exec(select(Touch).where(Touch.enrollment_id == enrollment_id,
                                              col(Touch.state).in_(UNSENT))):
        t.state, t.reason, t.updated_at = "cancelled", f"enrollment stopped: {reason}", now
        session.add(t)
        if t.id is not None:
            ids.append(t.id)
    return ids


def business_day_after(day: dt.date, days: int = 1) -> dt.date:
    return add_days(day, days, window=_WEEKDAYS, business_days=True)


def _spec(session: Session, enrollment: Enrollment) -> PlaybookSpec | None:
    row = session.get(Playbook, enrollment.playbook_id)
    try:
        return stored_spec(row.definition) if row else None
    except ValueError:  # a broken stored playbook must not block a reply's processing
        return None


def window_opening(session: Session, enrollment: Enrollment, moment: dt.datetime) -> dt.datetime:
    """The first instant at or after ``moment`` inside the enrollment's send window."""
    spec = _spec(session, enrollment)
    if spec is None:
        return moment
    prospect = session.get(Prospect, enrollment.prospect_id)
    zone = zone_for(spec, prospect.timezone if prospect else None)
    return next_open(moment, window=spec.send_window, business_days=spec.business_days,
                     zone=zone)


def pause_until(return_date: str | None, now: dt.datetime) -> dt.datetime:
    """Return date + 1 business day; 14 days without a date; never beyond 100 days."""
    cap = now + dt.timedelta(days=OOO_CAP_DAYS)
    try:
        day = dt.date.fromisoformat(return_date) if return_date else None
    except ValueError:
        day = None
    if day is None:
        return min(now + dt.timedelta(days=OOO_DEFAULT_DAYS), cap)
    resume = business_day_after(max(day, now.date()))  # a past date: they are back already
    return min(dt.datetime.combine(resume, dt.time(0), dt.UTC), cap)


def resume_due_enrollments(session: Session, now: dt.datetime) -> int:
    """Paused enrollments whose ``paused_until`` has passed go on at the next window opening."""
    n = 0
    for e in session.exec(select(Enrollment).where(Enrollment.state == "paused",
                                                   col(Enrollment.paused_until) <= now)):
        e.state, e.paused_until, e.updated_at = "active", None, now
        e.next_due_at = window_opening(session, e, now)
        session.add(e)
        record_event(session=session, kind="enrollment.resumed", workspace_id=e.workspace_id,
                     subject_type="enrollment", subject_id=e.id, reason="pause ended",
                     next_due_at=e.next_due_at.isoformat())
        n += 1
    return n
