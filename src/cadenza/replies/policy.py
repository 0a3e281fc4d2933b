"""The reply policy: the only place an intent becomes an action.

The watcher calls it for every classified reply, and the triage decision calls it with the
intent a person chose, so a reply means the same thing whichever way it was read. Every action
runs inside the caller's transaction together with the reply's new state, and each change is
written to the event log with the reason, so "why did the cadence stop?" always has an answer.

Two rules hold whatever the classifier says (:func:`_hold_the_line` enforces them after every
policy, so a wrong branch cannot break them):

* a message a person wrote stops every live enrollment of the prospect it came from, matched
  by thread or by the sender's address — only bounces, auto-replies and absence notices leave
  the cadence running;
* uncertain means human: an ``unclear`` intent or a confidence under the threshold puts the
  prospect's enrollments in ``waiting`` and opens a triage item with a clock; the person's
  decision is then run through this same policy.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from cadenza.agent.lifecycle import (
    business_day_after,
    cancel_unsent,
    pause_enrollments,
    pause_until,
    stop_enrollments,
    wait_for_person,
    window_opening,
)
from cadenza.replies.classify.intents import Classification
from cadenza.replies.threading import ThreadMatch, prospect_by_address
from cadenza.states import DELIVERED, HANDOFF_PRIORITY, LIVE, MACHINE_INTENTS, EnrollmentState
from cadenza.store.events import record_event
from cadenza.store.models import (
    Enrollment,
    Handoff,
    Mailbox,
    Prospect,
    Reply,
    Task,
    Touch,
)
from cadenza.store.suppressions import is_suppressed, suppress

log = logging.getLogger(__name__)
__all__ = ["HANDOFF_PRIORITY", "ActionResult", "ReplyContext", "apply_action", "is_uncertain",
           "open_task"]

NOT_NOW_DEFAULT_DAYS = 90
SOFT_BOUNCES_BEFORE_HARD = 3


@dataclass
class ReplyContext:
    """What the policies need to know about one reply."""

    reply: Reply
    match: ThreadMatch
    classification: Classification
    now: dt.datetime
    threshold: float
    sender: str | None = None
    #: Every address the message came from (From, Reply-To): the prospect may write from any.
    senders: Sequence[str] = ()
    bounce_recipients: Sequence[str] = ()
    left_company: bool = False
    excerpt: str = ""


@dataclass
class ActionResult:
    """The reply's final state, the action taken, and what was created for callbacks."""

    state: str  # processed | triage | ignored
    action: str
    reason: str
    handoff_ids: list[int] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)


#: Who may say a message came from a machine: the standards layer (delivery reports, RFC 3834
#: and vendor auto-reply headers, bounce senders) or a person deciding in triage. A text
#: classifier's (or an LLM's) word that a message is automatic is not enough: people write
#: "I'm away until Monday" and legal erasure requests that read like form letters, and a
#: machine intent is the one reading under which the cadence would go on.
MACHINE_WITNESSES = frozenset({"standards", "person"})


def is_uncertain(c: Classification, threshold: float) -> bool:
    """An intent nobody may act on without a person: unclear, below the threshold, or a
    machine intent that only a text classifier vouches for."""
    if c.intent == "unclear" or c.confidence < threshold:
        return True
    return c.intent in MACHINE_INTENTS and c.method not in MACHINE_WITNESSES


def apply_action(session: Session, ctx: ReplyContext) -> ActionResult:
    """Run the one policy that fits the reply's intent, then hold the line; the caller commits."""
    if ctx.match.own:
        return ActionResult("ignored", "own_message", "our own sent copy, not a reply")
    result = _by_intent(session, ctx)
    _hold_the_line(session, ctx, result)
    return result


def _by_intent(session: Session, ctx: ReplyContext) -> ActionResult:
    c = ctx.classification
    if is_uncertain(c, ctx.threshold):
        why = (f"{c.intent} read from the text alone ({c.method or 'classifier'}), with no sign "
               f"of a machine in the message" if c.intent in MACHINE_INTENTS
               and c.confidence >= ctx.threshold else
               f"{c.intent} at {c.confidence:.2f} (threshold {ctx.threshold:.2f})")
        return _triage(session, ctx, f"uncertain: {why}; {c.reason}")
    match c.intent:
        case "unsubscribe":
            return _unsubscribe(session, ctx)
        case "bounce":
            return _bounce(session, ctx)
        case "out_of_office":
            return _out_of_office(session, ctx)
        case "not_now":
            return _not_now(session, ctx)
        case "referral":
            return _referral(session, ctx)
        case "interested" | "meeting_request" | "question":
            return _hand_off(session, ctx)
        case "not_interested":
            return _stop_only(session, ctx, "not_interested")
        case "auto_reply":
            return _auto_reply(session, ctx)
        case _:
            raise ValueError(f"no policy for intent {c.intent!r}")


# -- building blocks ------------------------------------------------------------------------
def open_task(session: Session, *, ctx: ReplyContext, kind: str, title: str,
              body: str = "", data: dict[str, Any] | None = None) -> int:
    """A piece of work for a person, linked to the reply and its prospect."""
    reply = ctx.reply
    prospect = ctx.match.prospect
    task = Task(workspace_id=reply.workspace_id, kind=kind, reply_id=reply.id,
                touch_id=ctx.match.touch.id if ctx.match.touch else None,
                prospect_id=prospect.id if prospect else None, title=title[:200], body=body,
                data=data or {}, created_at=ctx.now)
    session.add(task)
    session.flush()
    record_event(session=session, kind="task.opened", workspace_id=reply.workspace_id,
                 subject_type="task", subject_id=task.id, task_kind=kind, reply_id=reply.id)
    assert task.id is not None
    return task.id


def _record(session: Session, ctx: ReplyContext, action: str, reason: str,
            **data: Any) -> None:
    record_event(session=session, kind="reply.action", workspace_id=ctx.reply.workspace_id,
                 subject_type="reply", subject_id=ctx.reply.id, action=action, reason=reason,
                 intent=ctx.classification.intent, confidence=ctx.classification.confidence,
                 prospect_id=ctx.match.prospect.id if ctx.match.prospect else None,
                 touch_id=ctx.match.touch.id if ctx.match.touch else None, **data)


def _done(session: Session, ctx: ReplyContext, state: str, action: str, reason: str,
          **data: Any) -> ActionResult:
    _record(session, ctx, action, reason, **data)
    return ActionResult(state, action, reason,
                        handoff_ids=list(data.get("handoff_ids", [])),
                        task_ids=list(data.get("task_ids", [])))


# -- the policies ---------------------------------------------------------------------------
def _triage(session: Session, ctx: ReplyContext, reason: str) -> ActionResult:
    """Nobody acts on this reply but a person: its prospect's enrollments wait, a task opens.

    The task carries its own clock (``sla_due_at``, set by :mod:`cadenza.replies.triage`'s
    sweep from the workspace's handoff SLA), so an undecided reply escalates like a ticket.
    """
    waiting: list[int] = []
    for prospect in _prospects(session, ctx):
        assert prospect.id is not None
        waiting += wait_for_person(session, prospect_id=prospect.id, reason=reason,
                                   now=ctx.now, reply_id=ctx.reply.id)
    task_id = open_task(session, ctx=ctx, kind="triage",
                        title=f"Triage reply from {ctx.sender or 'unknown sender'}",
                        body=ctx.excerpt, data={"reason": reason,
                                                "intent": ctx.classification.intent,
                                                "confidence": ctx.classification.confidence,
                                                "waiting": waiting})
    return _done(session, ctx, "triage", "triage", reason, task_ids=[task_id],
                 waiting=waiting)


def _unsubscribe(session: Session, ctx: ReplyContext) -> ActionResult:
    c, ws = ctx.classification, ctx.reply.workspace_id
    reason = "complaint" if c.complaint else "unsubscribe"
    addresses: list[str] = []
    if ctx.match.prospect is not None:
        addresses.append(ctx.match.prospect.email)
    if not c.complaint and ctx.sender and ctx.sender not in addresses:
        addresses.append(ctx.sender)  # they may write from another address: honour both
    if c.complaint:
        addresses += [a for a in ctx.bounce_recipients if a not in addresses]
    if not addresses:
        return _triage(session, ctx, f"{reason} without an address to suppress")
    stopped: list[int] = []
    for address in addresses:
        suppress(session=session, workspace_id=ws, value=address, reason=reason,
                 source=f"reply:{ctx.reply.id}")
        prospect = prospect_by_address(session, ws, address)
        if prospect is not None and prospect.id is not None:
            stopped += stop_enrollments(session, prospect_id=prospect.id, reason=reason,
                                        now=ctx.now, reply_id=ctx.reply.id)
    return _done(session, ctx, "processed", "suppressed", f"{reason}: {c.reason}",
                 suppressed=addresses, stopped=stopped)


def _bounce(session: Session, ctx: ReplyContext) -> ActionResult:
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
        return _done(session, ctx, "ignored", "unmatched_bounce",
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
    return _done(session, ctx, "processed", "hard_bounce", reason, stopped=stopped,
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
        return _done(session, ctx, "processed", "soft_bounce_noted",
                     f"soft bounce {count} for {prospect.email}; no touch to retry",
                     soft_bounces=count)
    later = session.exec(select(Touch.id).where(Touch.enrollment_id == enrollment.id,
                                                Touch.step > touch.step,
                                                col(Touch.state).in_(DELIVERED))).first()
    if later is not None:  # a later step already went out: that one tells, not this retry
        return _done(session, ctx, "processed", "soft_bounce_noted",
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
    return _done(session, ctx, "processed", "soft_bounce_retry",
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
    return _done(session, ctx, "processed", "deliverability_alert", reason, task_ids=[task_id])


def _out_of_office(session: Session, ctx: ReplyContext) -> ActionResult:
    prospect = ctx.match.prospect
    if prospect is None or prospect.id is None:
        return _done(session, ctx, "ignored", "unmatched_out_of_office",
                     "absence notice from a sender we do not know")
    until = pause_until(ctx.classification.return_date, ctx.now,
                        country=prospect.country or None)
    paused = pause_enrollments(session, prospect_id=prospect.id, until=until,
                               reason="out_of_office", now=ctx.now, reply_id=ctx.reply.id,
                               return_date=ctx.classification.return_date)
    return _done(session, ctx, "processed", "paused",
                 f"out of office until {ctx.classification.return_date or 'unknown'}",
                 paused=paused, until=until.isoformat())


def _stop_only(session: Session, ctx: ReplyContext, reason: str) -> ActionResult:
    prospect = ctx.match.prospect
    if prospect is None or prospect.id is None:
        return _done(session, ctx, "ignored", f"unmatched_{reason}",
                     f"{reason} from a sender we do not know")
    stopped = stop_enrollments(session, prospect_id=prospect.id, reason=reason, now=ctx.now,
                               reply_id=ctx.reply.id)
    return _done(session, ctx, "processed", "stopped", reason, stopped=stopped)


def _not_now(session: Session, ctx: ReplyContext) -> ActionResult:
    if ctx.match.prospect is None:
        return _stop_only(session, ctx, "not_now")
    after = ctx.classification.follow_up_after or (
        ctx.now + dt.timedelta(days=NOT_NOW_DEFAULT_DAYS)).date().isoformat()
    result = _stop_only(session, ctx, "not_now")
    task_id = open_task(session, ctx=ctx, kind="re_engage",
                        title=f"Re-engage {ctx.match.prospect.email} after {after}",
                        body=ctx.excerpt, data={"after": after})
    record_event(session=session, kind="reengage.scheduled",
                 workspace_id=ctx.reply.workspace_id, subject_type="task", subject_id=task_id,
                 after=after, reply_id=ctx.reply.id)
    result.task_ids.append(task_id)
    return result


def _referral(session: Session, ctx: ReplyContext) -> ActionResult:
    referrer, ws = ctx.match.prospect, ctx.reply.workspace_id
    email = (ctx.classification.referral_email or "").strip().lower()
    if referrer is None or referrer.id is None:
        return _triage(session, ctx, "referral from a sender we do not know")
    stopped = stop_enrollments(session, prospect_id=referrer.id, reason="referral",
                               now=ctx.now, reply_id=ctx.reply.id)
    if not email or "@" not in email or email == referrer.email:
        task_id = open_task(session, ctx=ctx, kind="suggested_referral",
                            title=f"{referrer.email} referred someone without an address",
                            body=ctx.excerpt,
                            data={"name": ctx.classification.referral_name})
        return _done(session, ctx, "processed", "referral_task",
                     "referral without a usable address", stopped=stopped, task_ids=[task_id])
    if prospect_by_address(session, ws, email) is not None:
        return _done(session, ctx, "processed", "referral_exists",
                     f"{email} is already a prospect", stopped=stopped)
    if is_suppressed(session=session, workspace_id=ws, address=email):
        return _done(session, ctx, "processed", "referral_suppressed",
                     f"{email} is suppressed", stopped=stopped)
    domain = email.rsplit("@", 1)[-1]
    same = domain == referrer.email.rsplit("@", 1)[-1] or domain == referrer.company_domain
    name = (ctx.classification.referral_name or "").split()
    new = Prospect(workspace_id=ws, email=email, source="referral",
                   first_name=name[0] if name else "",
                   last_name=" ".join(name[1:]) if len(name) > 1 else "",
                   company=referrer.company if same else "",
                   company_domain=referrer.company_domain if same else "",
                   industry=referrer.industry if same else "",
                   country=referrer.country if same else "",
                   language=referrer.language if same else "",
                   owner_rep_id=referrer.owner_rep_id if same else None,
                   extra={"referred_by": referrer.id, "reply_id": ctx.reply.id},
                   created_at=ctx.now, updated_at=ctx.now)
    session.add(new)
    session.flush()
    record_event(session=session, kind="prospect.created", workspace_id=ws,
                 subject_type="prospect", subject_id=new.id, reason="referral",
                 referred_by=referrer.id, reply_id=ctx.reply.id)
    return _done(session, ctx, "processed", "referral_created",
                 f"referred to {email}", stopped=stopped, new_prospect_id=new.id)


def _hand_off(session: Session, ctx: ReplyContext) -> ActionResult:
    prospect, c = ctx.match.prospect, ctx.classification
    if prospect is None or prospect.id is None:
        return _triage(session, ctx, f"{c.intent} from a sender we do not know")
    touch = ctx.match.touch
    stopped = stop_enrollments(session, prospect_id=prospect.id, reason=c.intent,
                               now=ctx.now, reply_id=ctx.reply.id)
    fields = {k: v for k, v in c.model_dump().items()
              if v not in (None, False, "") and k not in ("intent", "confidence")}
    fields["thread_method"] = ctx.match.method
    handoff = Handoff(workspace_id=ctx.reply.workspace_id, prospect_id=prospect.id,
                      enrollment_id=touch.enrollment_id if touch else
                      (stopped[0] if stopped else None),
                      reply_id=ctx.reply.id, intent=c.intent, confidence=c.confidence,
                      fields=fields, priority=HANDOFF_PRIORITY[c.intent],
                      summary=ctx.excerpt[:500], created_at=ctx.now)
    session.add(handoff)
    session.flush()
    record_event(session=session, kind="handoff.created", workspace_id=ctx.reply.workspace_id,
                 subject_type="handoff", subject_id=handoff.id, intent=c.intent,
                 priority=handoff.priority, reply_id=ctx.reply.id, prospect_id=prospect.id)
    assert handoff.id is not None
    return _done(session, ctx, "processed", "handoff", f"{c.intent}: {c.reason}",
                 stopped=stopped, handoff_ids=[handoff.id])


def _auto_reply(session: Session, ctx: ReplyContext) -> ActionResult:
    c, prospect = ctx.classification, ctx.match.prospect
    left = ctx.left_company or c.successor_email is not None
    if not left or prospect is None or prospect.id is None:
        return _done(session, ctx, "ignored", "auto_reply", f"automatic reply: {c.reason}")
    stopped = stop_enrollments(session, prospect_id=prospect.id, reason="left_company",
                               now=ctx.now, reply_id=ctx.reply.id)
    task_ids: list[int] = []
    if c.successor_email:
        task_ids.append(open_task(
            session, ctx=ctx, kind="suggested_referral",
            title=f"{prospect.email} left; suggested contact {c.successor_email}",
            body=ctx.excerpt, data={"email": c.successor_email, "referred_by": prospect.id}))
    return _done(session, ctx, "processed", "left_company", f"left the company: {c.reason}",
                 stopped=stopped, task_ids=task_ids)


# -- the invariant ----------------------------------------------------------------------------
def _prospects(session: Session, ctx: ReplyContext) -> list[Prospect]:
    """Who the message came from: the thread's prospect and any prospect with a sender's
    address (a new message, a phone, another client: no thread, but the same person)."""
    found: dict[int, Prospect] = {}
    if ctx.match.prospect is not None and ctx.match.prospect.id is not None:
        found[ctx.match.prospect.id] = ctx.match.prospect
    senders = list(ctx.senders) or ([ctx.sender] if ctx.sender else [])
    for address in senders:
        prospect = prospect_by_address(session, ctx.reply.workspace_id, address)
        if prospect is not None and prospect.id is not None:
            found.setdefault(prospect.id, prospect)
    return list(found.values())


def _hold_the_line(session: Session, ctx: ReplyContext, result: ActionResult) -> None:
    """After any policy: a person's message leaves no enrollment of theirs running.

    A certain human intent stops what the policy left live; an uncertain one leaves it waiting
    for the triage decision. Machine intents (bounce, auto-reply, absence) are the policies'
    own business. Runs in the same transaction as the policy, before anything is committed,
    so no scheduler pass can claim a touch in between.
    """
    c = ctx.classification
    uncertain = is_uncertain(c, ctx.threshold)
    if not uncertain and c.intent in MACHINE_INTENTS:
        return
    reason = f"human reply ({c.intent})"
    for prospect in _prospects(session, ctx):
        assert prospect.id is not None
        if uncertain:
            moved = wait_for_person(session, prospect_id=prospect.id, reason=reason,
                                    now=ctx.now, reply_id=ctx.reply.id)
        else:
            moved = stop_enrollments(session, prospect_id=prospect.id, reason=reason,
                                     now=ctx.now, reply_id=ctx.reply.id, source="reply guard")
        if moved:
            record_event(session=session, kind="reply.guard", workspace_id=ctx.reply.workspace_id,
                         subject_type="reply", subject_id=ctx.reply.id, prospect_id=prospect.id,
                         enrollments=moved, reason=reason,
                         action="waiting" if uncertain else "stopped")
