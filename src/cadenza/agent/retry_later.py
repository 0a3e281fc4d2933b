"""A touch that fails for a reason that passes is put off and tried again, not failed for good.

A mail server answering 4xx (greylisting, "try again later", a rate limit), an LLM endpoint
that is down, a database restarting: the graph's node retries spend seconds, and such outages
last minutes to hours. Failing the enrollment for good after those seconds — as happened to 58
enrollments in the fault run after a short run of 451s and a PostgreSQL restart — loses
prospects to a hiccup. Instead the touch keeps its state, the worker's claim is given up, and
the enrollment is due again after a growing wait (:data:`SCHEDULE`, about a day in all, as mail
servers keep retrying a 4xx for days), at the next moment the send window allows. Only when the
schedule is spent does the touch fail, with the last reason and how long it was tried.

What is *not* retried: a permanent refusal (5xx), a delivery whose outcome is unknown (the
outbox settles it; a blind retry could send twice), a touch already in flight (``sending``:
its worker's recovery settles it), anything not an outage (a bug, bad data) — those fail now,
visibly. Every put-off writes ``touch.retry_later`` (the try, why, until when); the count of
those events is the try number, so nothing new is stored.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from cadenza.errors import DeliveryError, LLMError
from cadenza.playbooks import stored_spec
from cadenza.states import CLAIMABLE, EnrollmentState, TouchState
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Event, Playbook, Prospect, Touch
from cadenza.store.outage import is_outage
from cadenza.timing.send_window import next_open, zone_for

log = logging.getLogger(__name__)

#: The default waits before each new try: 5 min, 15 min, 1 h, 3 h, 6 h, 12 h (about 22 h in
#: all); ``CADENZA_RETRY_MINUTES`` sets others.
SCHEDULE: tuple[dt.timedelta, ...] = tuple(dt.timedelta(minutes=m)
                                           for m in (5, 15, 60, 180, 360, 720))
EVENT = "touch.retry_later"


def is_transient(exc: BaseException) -> bool:
    """Whether the failure passes by itself: a server's 4xx, a lost connection, a timeout,
    the LLM endpoint or the database briefly away."""
    if isinstance(exc, DeliveryError):
        from cadenza.mailbox.send import DeliveryUncertain

        return not exc.permanent and not isinstance(exc, DeliveryUncertain)
    return isinstance(exc, LLMError | ConnectionError | TimeoutError) or is_outage(exc)


def tries_so_far(session: Session, touch_id: int) -> int:
    """How many times this touch was put off already."""
    return int(session.exec(select(func.count()).select_from(Event).where(
        Event.kind == EVENT, Event.subject_type == "touch",
        Event.subject_id == touch_id)).one())


def put_off(session: Session, *, touch_id: int, reason: str, now: dt.datetime,
            schedule: tuple[dt.timedelta, ...] = SCHEDULE) -> tuple[str, dt.datetime | None]:
    """Put the touch off after a transient failure (committed). Returns ``("retry_later",
    until)``; ``("in_flight", None)`` when the touch is being sent (its worker or recovery
    settles it); ``(state, None)`` when it is no longer claimable (settled, or called off
    meanwhile: nothing to do); ``("spent", None)`` when the schedule is used up and the caller
    should fail it."""
    touch = session.get(Touch, touch_id)
    if touch is None:
        return "spent", None
    if touch.state == TouchState.SENDING:
        return "in_flight", None
    if touch.state not in CLAIMABLE:
        return touch.state, None
    tries = tries_so_far(session, touch_id)
    if tries >= len(schedule):
        return "spent", None
    enrollment = session.get(Enrollment, touch.enrollment_id)
    if enrollment is None or enrollment.state != EnrollmentState.ACTIVE:
        return touch.state, None
    until = _in_window(session, enrollment, now + schedule[tries])
    due_again(session, touch_id=touch_id, enrollment_id=touch.enrollment_id, at=until, now=now,
              reason=reason[:500], updated_at=now)
    record_event(session=session, kind=EVENT, workspace_id=touch.workspace_id,
                 subject_type="touch", subject_id=touch_id, attempt=tries + 1,
                 reason=reason[:500], until=until.isoformat(),
                 enrollment_id=enrollment.id)
    session.commit()
    log.warning("touch %s: try %d failed (%s); trying again at %s", touch_id, tries + 1,
                reason, until.isoformat())
    return "retry_later", until


def due_again(session: Session, *, touch_id: int, enrollment_id: int, at: dt.datetime,
              now: dt.datetime, **touch: object) -> None:
    """Not now, nothing lost: the touch keeps its state and gives up its worker's claim (it
    no longer counts against the caps until claimed again; ``touch``: other columns to set),
    and its enrollment, if still active, is due again ``at``. Not committed."""
    session.execute(update(Touch).where(col(Touch.id) == touch_id)
                    .values(worker_id=None, claimed_at=None, **touch))
    session.execute(update(Enrollment).where(col(Enrollment.id) == enrollment_id,
                                             col(Enrollment.state) == EnrollmentState.ACTIVE)
                    .values(next_due_at=at, claimed_at=None, updated_at=now))


def gave_up(reason: str, schedule: tuple[dt.timedelta, ...] = SCHEDULE) -> str:
    """The reason a touch fails with once the schedule is spent."""
    total = sum(schedule, dt.timedelta())
    over = (f"{total.total_seconds() / 3600:.0f} h" if total >= dt.timedelta(hours=2)
            else f"{total.total_seconds() / 60:.0f} min")
    return f"gave up after {len(schedule) + 1} tries over {over}: {reason}"


def _in_window(session: Session, enrollment: Enrollment, moment: dt.datetime) -> dt.datetime:
    """The first moment from ``moment`` that the playbook's send window allows."""
    playbook = session.get(Playbook, enrollment.playbook_id)
    if playbook is None:
        return moment
    spec = stored_spec(playbook.definition)
    prospect = session.get(Prospect, enrollment.prospect_id)
    zone = zone_for(spec, prospect.timezone if prospect else None)
    return next_open(moment, window=spec.send_window, business_days=spec.business_days,
                     zone=zone, country=prospect.country if prospect else None)
