"""What happens to a prospect's enrollments from outside the cadence: stop, pause, wait, resume.

The one home of these moves: the reply policy, the one-click opt-out, the triage decision and
the send path all call them, so "stopped" means the same everywhere. A stop or a wait ends every
*live* enrollment of the prospect (:data:`cadenza.states.LIVE`) and cancels its unsent touches
(:data:`cadenza.states.UNSENT`, ``held`` included), so nothing goes out after it; a touch already
``sending`` is left to the outbox, whose send-time check and recovery know what happened. An
enrollment paused for an absence resumes when :func:`resume_due_enrollments` sees its
``paused_until`` pass; one *waiting* for a person resumes only by that person's decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlmodel import Session, col, select

from cadenza.playbooks import PlaybookSpec, stored_spec
from cadenza.playbooks.schema import SendWindow
from cadenza.states import LIVE, UNSENT, EnrollmentState, TouchState
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Playbook, Prospect, Touch, inline
from cadenza.timing.send_window import add_days, next_open, zone_for

#: Kept for callers that name the old sets; both are the ones in :mod:`cadenza.states`.
STOPPABLE = LIVE
OOO_DEFAULT_DAYS = 14
OOO_CAP_DAYS = 120
_WEEKDAYS = SendWindow()  # Mon–Fri: the business-day calendar when no playbook says otherwise


def _live(session: Session, prospect_id: int,
          only: Collection[int] | None = None) -> list[Enrollment]:
    query = select(Enrollment).where(Enrollment.prospect_id == prospect_id,
                                     col(Enrollment.state).in_(LIVE))
    if only is not None:
        query = query.where(col(Enrollment.id).in_(list(only)))
    return list(session.exec(query.order_by(col(Enrollment.id))))


def stop_enrollments(session: Session, *, prospect_id: int, reason: str, now: dt.datetime,
                     reply_id: int | None = None, source: str = "",
                     cancelled_out: list[int] | None = None,
                     only: Collection[int] | None = None) -> list[int]:
    """Stop every live enrollment of the prospect (or of ``only`` among them, an operator's
    choice) and cancel its unsent touches; returns the enrollments stopped (and adds the
    cancelled touches to ``cancelled_out`` when given)."""
    stopped: list[int] = []
    for e in _live(session, prospect_id, only):
        previous = e.state
        e.state, e.stop_reason, e.next_due_at, e.paused_until = (
            EnrollmentState.STOPPED, reason, None, None)
        e.updated_at = now
        session.add(e)
        cancelled = cancel_unsent(session, e.id, f"enrollment stopped: {reason}", now)
        if cancelled_out is not None:
            cancelled_out += cancelled
        record_event(session=session, kind="enrollment.stopped", workspace_id=e.workspace_id,
                     subject_type="enrollment", subject_id=e.id, reason=reason,
                     reply_id=reply_id, cancelled_touches=cancelled, previous_state=previous,
                     source=source)
        if e.id is not None:
            stopped.append(e.id)
    return stopped


def wait_for_person(session: Session, *, prospect_id: int, reason: str, now: dt.datetime,
                    reply_id: int | None = None) -> list[int]:
    """Put every live enrollment of the prospect in ``waiting`` until a person decides.

    Unsent touches are cancelled (a draft written before the reply is stale after it); the
    scheduler claims only ``active`` enrollments, so nothing is drafted or sent meanwhile.
    Returns the enrollments it moved (one already waiting is left as it is).
    """
    waiting: list[int] = []
    for e in _live(session, prospect_id):
        if e.state == EnrollmentState.WAITING:
            continue
        previous = e.state
        e.state, e.stop_reason, e.next_due_at, e.paused_until = (
            EnrollmentState.WAITING, reason[:500], None, None)
        e.updated_at = now
        session.add(e)
        cancelled = cancel_unsent(session, e.id, f"waiting for a person: {reason}", now)
        record_event(session=session, kind="enrollment.waiting", workspace_id=e.workspace_id,
                     subject_type="enrollment", subject_id=e.id, reason=reason,
                     reply_id=reply_id, cancelled_touches=cancelled, previous_state=previous)
        if e.id is not None:
            waiting.append(e.id)
    return waiting


def resume_waiting(session: Session, *, prospect_id: int, now: dt.datetime, reason: str,
                   reply_id: int | None = None) -> list[int]:
    """A person said the reply needs nothing: the prospect's waiting enrollments go on."""
    resumed: list[int] = []
    for e in session.exec(select(Enrollment).where(
            Enrollment.prospect_id == prospect_id,
            col(Enrollment.state) == inline(EnrollmentState.WAITING))  # ix_enrollment_waiting
            .order_by(col(Enrollment.id))):
        e.state, e.stop_reason, e.updated_at = EnrollmentState.ACTIVE, "", now
        e.next_due_at = window_opening(session, e, now)
        session.add(e)
        record_event(session=session, kind="enrollment.resumed", workspace_id=e.workspace_id,
                     subject_type="enrollment", subject_id=e.id, reason=reason,
                     reply_id=reply_id, next_due_at=e.next_due_at.isoformat())
        if e.id is not None:
            resumed.append(e.id)
    return resumed


def pause_enrollments(session: Session, *, prospect_id: int, until: dt.datetime, reason: str,
                      now: dt.datetime, reply_id: int | None = None,
                      only: Collection[int] | None = None, **data: object) -> list[int]:
    """Pause every live enrollment of the prospect (or of ``only``) until ``until`` (an
    absence notice, an operator).

    An enrollment waiting for a person stays waiting: a pause ends by itself at ``until``,
    and an absence notice that arrives after a person's reply (the human wrote, then their
    mailbox answered the next mail) must not turn "a person decides" into "resume on the
    return date".
    """
    paused: list[int] = []
    for e in _live(session, prospect_id, only):
        if e.state == EnrollmentState.WAITING:
            continue
        e.state, e.paused_until, e.updated_at = EnrollmentState.PAUSED, until, now
        e.stop_reason = reason
        session.add(e)
        record_event(session=session, kind="enrollment.paused", workspace_id=e.workspace_id,
                     subject_type="enrollment", subject_id=e.id, reason=reason,
                     until=until.isoformat(), reply_id=reply_id, **data)
        if e.id is not None:
            paused.append(e.id)
    return paused


def resume_enrollment(session: Session, *, enrollment_id: int, now: dt.datetime,
                      reason: str) -> bool:
    """An operator resumes one paused or waiting enrollment at once (at the next opening of
    its send window); ``False`` when it is in neither state."""
    e = session.get(Enrollment, enrollment_id)
    if e is None or e.state not in (EnrollmentState.PAUSED, EnrollmentState.WAITING):
        return False
    e.state, e.stop_reason, e.paused_until, e.updated_at = (
        EnrollmentState.ACTIVE, "", None, now)
    e.next_due_at = window_opening(session, e, now)
    session.add(e)
    record_event(session=session, kind="enrollment.resumed", workspace_id=e.workspace_id,
                 subject_type="enrollment", subject_id=e.id, reason=reason,
                 next_due_at=e.next_due_at.isoformat())
    return True


def cancel_unsent(session: Session, enrollment_id: int | None, reason: str,
                  now: dt.datetime) -> list[int]:
    """Call off the enrollment's touches not yet handed to the transport."""
    ids: list[int] = []
    for t in session.exec(select(Touch).where(Touch.enrollment_id == enrollment_id,
                                              col(Touch.state).in_(UNSENT))):
        previous = t.state
        t.state, t.reason, t.updated_at = TouchState.CANCELLED, reason[:500], now
        session.add(t)
        record_event(session=session, kind="touch.cancelled", workspace_id=t.workspace_id,
                     subject_type="touch", subject_id=t.id, reason=reason,
                     previous_state=previous)
        if t.id is not None:
            ids.append(t.id)
    return ids


def business_day_after(day: dt.date, days: int = 1, country: str | None = None) -> dt.date:
    return add_days(day, days, window=_WEEKDAYS, business_days=True, country=country)


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
                     zone=zone, country=prospect.country if prospect else None)


def pause_until(return_date: str | None, now: dt.datetime,
                country: str | None = None) -> dt.datetime:
    """Return date + 1 business day (in ``country``); 14 days without a date; never beyond
    120 days."""
    cap = now + dt.timedelta(days=OOO_CAP_DAYS)
    try:
        day = dt.date.fromisoformat(return_date) if return_date else None
    except ValueError:
        day = None
    if day is None:
        return min(now + dt.timedelta(days=OOO_DEFAULT_DAYS), cap)
    resume = business_day_after(max(day, now.date()), country=country)  # past: back already
    return min(dt.datetime.combine(resume, dt.time(0), dt.UTC), cap)


def resume_due_enrollments(session: Session, now: dt.datetime) -> int:
    """Paused enrollments whose ``paused_until`` has passed go on at the next window opening."""
    n = 0
    paused = col(Enrollment.state) == inline(EnrollmentState.PAUSED)  # ix_enrollment_paused
    for e in session.exec(select(Enrollment).where(paused, col(Enrollment.paused_until) <= now)):
        e.state, e.paused_until, e.updated_at = EnrollmentState.ACTIVE, None, now
        e.stop_reason = ""
        e.next_due_at = window_opening(session, e, now)
        session.add(e)
        record_event(session=session, kind="enrollment.resumed", workspace_id=e.workspace_id,
                     subject_type="enrollment", subject_id=e.id, reason="pause ended",
                     next_due_at=e.next_due_at.isoformat())
        n += 1
    return n
