"""The bounce policies: a hard bounce suppresses, a soft one retries the step as a new
attempt (three at most), a 5.7.x policy block takes our mailbox out of rotation, and a spike
of hard bounces rests the mailbox that sent them (:mod:`cadenza.mailbox.resting`)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlmodel import Session, col, select

from cadenza.agent.lifecycle import (
    business_day_after,
    cancel_unsent,
    stop_enrollments,
    window_opening,
)
from cadenza.mailbox.resting import note_hard_bounce
from cadenza.replies.base import (
    ActionResult,
    ReplyContext,
    done,
    open_task,
    sending_mailbox_id,
)
from cadenza.replies.threading import prospect_by_address
from cadenza.states import DELIVERED, LIVE, EnrollmentState
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Mailbox, Prospect, Touch
from cadenza.store.suppressions import suppress

log = logging.getLogger(__name__)
SOFT_BOUNCES_BEFORE_HARD = 3


def bounce(session: Session, ctx: ReplyContext) -> ActionResult:
    c, ws = ctx.classification, ctx.reply.workspace_id
    if c.policy_block:
        return _policy_block(session, ctx)
    prospect = ctx.match.prospect
    if prospect is None:
        for address in ctx.bounce_recipients:
            prospect = prospect_by_address(session, ws, address)
            if prospect is not None:
                break
    if prospect is None or prospect.id is None:
        return done(session, ctx, "ignored", "unmatched_bounce",
                     "bounce for an address we do not know")
    if c.bounce == "soft":
        count = int((prospect.extra or {}).get("soft_bounces", 0)) + 1
        prospect.extra = {**(prospect.extra or {}), "soft_bounces": count}
        session.add(prospect)
        if count < SOFT_BOUNCES_BEFORE_HARD:
            return _soft_bounce(session, ctx, prospect, count)
        reason = f"{count} soft bounces for {prospect.email}: the last attempt failed"
    else:
        reason = f"hard bounce: {c.reason}"
    prospect.email_status, prospect.updated_at = "bounced", ctx.now
    session.add(prospect)
    suppress(session=session, workspace_id=ws, value=prospect.email, reason="hard_bounce",
             source=f"reply:{ctx.reply.id}")
    why = "hard_bounce" if c.bounce != "soft" else "soft_bounce_limit"
    stopped = stop_enrollments(session, prospect_id=prospect.id, reason=why,
                               now=ctx.now, reply_id=ctx.reply.id)
    note_hard_bounce(session, sending_mailbox_id(session, ctx), ctx.now,
                     source=f"reply:{ctx.reply.id}")  # a spike rests the mailbox
    return done(session, ctx, "processed", "hard_bounce", reason, stopped=stopped,
                 address=prospect.email)


def _soft_bounce(session: Session, ctx: ReplyContext, prospect: Prospect,
                 count: int) -> ActionResult:
    """A temporary failure: the same step is delivered again as a new attempt.

    The bounced touch stays ``sent`` (it was sent; the record of it must not be lost). The
    enrollment goes back to that step with the next attempt number, so the scheduler creates a
    new touch row (unique on enrollment, step and attempt) with its own Message-ID; touches of
    later steps not sent yet are called off until the retry has gone.
    """
    touch = ctx.match.touch
    enrollment = session.get(Enrollment, touch.enrollment_id) if touch else None
    if touch is None or enrollment is None or enrollment.state not in LIVE:
        return done(session, ctx, "processed", "soft_bounce_noted",
                     f"soft bounce {count} for {prospect.email}; no touch to retry",
                     soft_bounces=count)
    later = session.exec(select(Touch.id).where(Touch.enrollment_id == enrollment.id,
                                                Touch.step > touch.step,
                                                col(Touch.state).in_(DELIVERED))).first()
    if later is not None:  # a later step already went out: that one tells, not this retry
        return done(session, ctx, "processed", "soft_bounce_noted",
                     f"soft bounce {count} for {prospect.email}; a later step was sent since",
                     soft_bounces=count)
    retry_day = business_day_after(ctx.now.date(), country=prospect.country or None)
    retry_at = dt.datetime.combine(retry_day, ctx.now.timetz())
    cancel_unsent(session, enrollment.id, f"soft bounce: step {touch.step} retried", ctx.now)
    touch.reason, touch.updated_at = f"soft bounce {count}: {ctx.classification.reason}"[:500], \
        ctx.now
    session.add(touch)
    enrollment.next_step, enrollment.attempt = touch.step, touch.attempt + 1
    if enrollment.state == EnrollmentState.ACTIVE:
        enrollment.next_due_at = window_opening(session, enrollment, retry_at)
    enrollment.updated_at = ctx.now
    session.add(enrollment)
    record_event(session=session, kind="touch.soft_bounced", workspace_id=touch.workspace_id,
                 subject_type="touch", subject_id=touch.id, reason="soft bounce",
                 retry_at=retry_at.isoformat(), attempt=enrollment.attempt,
                 soft_bounces=count)
    return done(session, ctx, "processed", "soft_bounce_retry",
                 f"soft bounce {count}/{SOFT_BOUNCES_BEFORE_HARD}: step {touch.step} "
                 f"again as attempt {enrollment.attempt}", soft_bounces=count)


def _policy_block(session: Session, ctx: ReplyContext) -> ActionResult:
    mailbox = session.get(Mailbox, ctx.reply.mailbox_id) if ctx.reply.mailbox_id else None
    ours = mailbox.email if mailbox else "our mailbox"
    reason = f"5.7.x policy block against {ours}: {ctx.classification.reason}"
    record_event(session=session, kind="alert", workspace_id=ctx.reply.workspace_id,
                 subject_type="mailbox", subject_id=ctx.reply.mailbox_id,
                 alert="deliverability", reason=reason, reply_id=ctx.reply.id)
    task_id = open_task(session, ctx=ctx, kind="deliverability_alert",
                        title=f"Deliverability: mail from {ours} was refused by policy",
                        body=ctx.excerpt, data={"mailbox_id": ctx.reply.mailbox_id,
                                                "recipients": list(ctx.bounce_recipients)})
    if mailbox is not None and mailbox.active:
        mailbox.active = False  # nothing more goes out from it until an operator clears this
        session.add(mailbox)
        record_event(session=session, kind="mailbox.disabled", workspace_id=mailbox.workspace_id,
                     subject_type="mailbox", subject_id=mailbox.id, reason=reason,
                     task_id=task_id)
    log.warning("deliverability alert for %s (reply %s)", ours, ctx.reply.id)
    return done(session, ctx, "processed", "deliverability_alert", reason, task_ids=[task_id])
