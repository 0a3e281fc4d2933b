"""Resting a mailbox: a bounce or complaint spike takes it out of rotation for a while.

A mailbox whose recent mail bounces hard, or draws a spam complaint, is being judged by the
providers right now; sending on from it burns its reputation and the workspace's domain. It is
*rested*: it gets no new enrollments, and its own prospects' touches wait for it (a thread is
never moved to another mailbox mid-way, so a prospect never hears from two senders). The rest
ends at ``rested_until`` by itself, or when an operator ends it (``cadenza mailbox rest-end``,
``POST /api/mailboxes/{id}/rest/end``); with ``rest_hours: 0`` only an operator ends it.

The thresholds are the workspace's ``resting`` policy. The alert goes where the product's other
deliverability alerts go (a refused login, a 5.7.x policy block): an ``alert`` event and a
``deliverability_alert`` task for a person, plus the public ``mailbox.rested`` event that
webhook subscribers receive.
"""

from __future__ import annotations

import datetime as dt
import logging

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from cadenza.states import DELIVERED, LIVE, TouchState
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Mailbox, Prospect, Task, Touch, Workspace

log = logging.getLogger(__name__)


class RestPolicy(BaseModel):
    """When a mailbox is rested, and for how long (the workspace's ``resting`` policy)."""

    model_config = ConfigDict(extra="forbid")

    #: Rest when hard bounces reach this share of the mailbox's sends in the window …
    bounce_rate: float = Field(default=0.05, gt=0.0, le=1.0)
    #: … once it has made at least this many sends there (fewer say too little).
    min_sends: int = Field(default=20, ge=1, le=100_000)
    window_hours: int = Field(default=24, ge=1, le=24 * 30)
    #: Any spam complaint (an RFC 5965 feedback report) rests the mailbox at once.
    rest_on_complaint: bool = True
    #: How long a rest lasts; 0: until an operator ends it.
    rest_hours: int = Field(default=48, ge=0, le=24 * 365)


def rest_policy(workspace: Workspace | None) -> RestPolicy:
    """The workspace's thresholds (defaults for what it does not set)."""
    raw = (workspace.settings or {}).get("resting") if workspace is not None else None
    return RestPolicy.model_validate(raw or {})


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def is_resting(box: Mailbox, now: dt.datetime) -> bool:
    """Whether the mailbox rests at ``now`` (a rest past its end is over)."""
    if not box.rest_reason:
        return False
    return box.rested_until is None or _aware(box.rested_until) > now


def rest_ends(box: Mailbox, now: dt.datetime) -> dt.datetime | None:
    """When its current rest ends by itself (None: not resting, or only an operator ends it)."""
    return _aware(box.rested_until) if is_resting(box, now) and box.rested_until else None


def bounce_rate(session: Session, box_id: int, now: dt.datetime,
                policy: RestPolicy) -> tuple[int, int]:
    """(hard bounces, sends) of the mailbox in the policy's window: its emails sent (or
    refused by the recipient's server at once), and how many of their addresses bounced."""
    since = now - dt.timedelta(hours=policy.window_hours)
    refused = and_(col(Touch.state) == TouchState.FAILED, col(Touch.reason).like("smtp:%"),
                   col(Touch.updated_at) >= since, col(Prospect.email_status) == "bounced")
    sent = and_(col(Touch.state).in_(DELIVERED), col(Touch.sent_at) >= since)
    bounced = func.sum(case((col(Prospect.email_status) == "bounced", 1), else_=0))
    row = session.exec(
        select(func.count(), bounced).select_from(Touch)
        .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
        .join(Prospect, col(Prospect.id) == Touch.prospect_id)
        .where(col(Enrollment.mailbox_id) == box_id, col(Touch.channel) == "email",
               or_(sent, refused))).one()
    return int(row[1] or 0), int(row[0] or 0)


def waiting_enrollments(session: Session, box_id: int) -> int:
    """The mailbox's running enrollments: the prospects whose touches wait while it rests."""
    return int(session.exec(select(func.count()).select_from(Enrollment).where(
        col(Enrollment.mailbox_id) == box_id, col(Enrollment.state).in_(LIVE))).one())


def waiting_ids(session: Session, box_id: int, limit: int = 200) -> list[int]:
    """The first ``limit`` of those enrollments' ids, for the alert a person reads."""
    return [int(i) for i in session.exec(select(Enrollment.id).where(
        col(Enrollment.mailbox_id) == box_id, col(Enrollment.state).in_(LIVE))
        .order_by(col(Enrollment.id)).limit(limit)) if i is not None]


def rest_mailbox(session: Session, box: Mailbox, *, reason: str, now: dt.datetime,
                 policy: RestPolicy, source: str) -> bool:
    """Rest the mailbox and raise the alert (the caller commits). False when it already
    rests: one spike, one alert."""
    if is_resting(box, now):
        return False
    until = now + dt.timedelta(hours=policy.rest_hours) if policy.rest_hours else None
    box.rest_reason, box.rested_at, box.rested_until = reason[:500], now, until
    session.add(box)
    waiting = waiting_enrollments(session, box.id or 0)
    ends = f"until {until.isoformat()}" if until else "until an operator ends the rest"
    body = (f"{reason}. Rested {ends}: no new prospects go to {box.email}, and its "
            f"{waiting} running enrollment(s) wait for it (their threads stay on it). "
            f"End it early: cadenza mailbox rest-end {box.id}")
    task = Task(workspace_id=box.workspace_id, kind="deliverability_alert",
                title=f"Deliverability: {box.email} is resting", body=body,
                data={"mailbox_id": box.id, "reason": reason, "source": source,
                      "rested_until": until.isoformat() if until else None,
                      "waiting_enrollments": waiting,
                      "waiting_enrollment_ids": waiting_ids(session, box.id or 0)},
                created_at=now)
    session.add(task)
    session.flush()
    record_event(session=session, kind="alert", workspace_id=box.workspace_id,
                 subject_type="mailbox", subject_id=box.id, alert="deliverability",
                 reason=reason, task_id=task.id)
    record_event(session=session, kind="mailbox.rested", workspace_id=box.workspace_id,
                 subject_type="mailbox", subject_id=box.id, mailbox_id=box.id,
                 mailbox=box.email, reason=reason, source=source, rested_at=now.isoformat(),
                 rested_until=until.isoformat() if until else None,
                 waiting_enrollments=waiting, task_id=task.id)
    log.warning("mailbox %s rested (%s)", box.email, reason)
    return True


def rest_by_operator(session: Session, box: Mailbox, *, hours: int, reason: str,
                     now: dt.datetime, by: str) -> None:
    """An operator rests the mailbox for ``hours`` (0: until they end it); the caller
    commits. A rest already on is replaced."""
    until = now + dt.timedelta(hours=hours) if hours else None
    box.rest_reason, box.rested_at, box.rested_until = (reason or "operator")[:500], now, until
    session.add(box)
    record_event(session=session, kind="mailbox.rested", workspace_id=box.workspace_id,
                 subject_type="mailbox", subject_id=box.id, mailbox_id=box.id,
                 mailbox=box.email, reason=box.rest_reason, source=by,
                 rested_at=now.isoformat(), rested_until=until.isoformat() if until else None,
                 waiting_enrollments=waiting_enrollments(session, box.id or 0))


def end_rest(session: Session, box: Mailbox, *, by: str, now: dt.datetime) -> bool:
    """Put a rested mailbox back in rotation (the caller commits); False when it was not
    resting. Its waiting touches go at their next due time."""
    was = is_resting(box, now)
    box.rest_reason, box.rested_at, box.rested_until = "", None, None
    session.add(box)
    if was:
        record_event(session=session, kind="mailbox.rest_ended", workspace_id=box.workspace_id,
                     subject_type="mailbox", subject_id=box.id, by=by, at=now.isoformat())
    return was


def note_hard_bounce(session: Session, mailbox_id: int | None, now: dt.datetime, *,
                     source: str) -> bool:
    """After a hard bounce from this mailbox: rest it when its bounce rate crossed the
    workspace's threshold. True when this rested it."""
    box = session.get(Mailbox, mailbox_id) if mailbox_id else None
    if box is None or box.id is None or is_resting(box, now):
        return False
    policy = rest_policy(session.get(Workspace, box.workspace_id))
    session.flush()  # the bounce just recorded counts
    bounces, sends = bounce_rate(session, box.id, now, policy)
    if sends < policy.min_sends or bounces < policy.bounce_rate * sends:
        return False
    reason = (f"hard bounce spike: {bounces} of its last {sends} sends in "
              f"{policy.window_hours} h bounced ({bounces / sends:.0%}, threshold "
              f"{policy.bounce_rate:.0%})")
    return rest_mailbox(session, box, reason=reason, now=now, policy=policy, source=source)


def note_complaint(session: Session, mailbox_id: int | None, now: dt.datetime, *,
                   source: str) -> bool:
    """After a spam complaint about mail from this mailbox: rest it at once when the
    workspace says so. True when this rested it."""
    box = session.get(Mailbox, mailbox_id) if mailbox_id else None
    if box is None or box.id is None:
        return False
    policy = rest_policy(session.get(Workspace, box.workspace_id))
    if not policy.rest_on_complaint:
        return False
    return rest_mailbox(session, box, reason="spam complaint (feedback report)", now=now,
                        policy=policy, source=source)
