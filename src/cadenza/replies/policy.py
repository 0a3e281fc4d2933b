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

from sqlmodel import Session

from cadenza.agent.lifecycle import (
    pause_enrollments,
    pause_until,
    stop_enrollments,
    wait_for_person,
)
from cadenza.mailbox.resting import note_complaint
from cadenza.replies.base import (
    ActionResult,
    ReplyContext,
    done,
    open_task,
    sending_mailbox_id,
)
from cadenza.replies.bounces import bounce
from cadenza.replies.classify.intents import Classification
from cadenza.replies.threading import prospect_by_address
from cadenza.states import HANDOFF_PRIORITY, MACHINE_INTENTS
from cadenza.store.events import record_event
from cadenza.store.models import (
    Handoff,
    Prospect,
)
from cadenza.store.suppressions import is_suppressed, suppress

log = logging.getLogger(__name__)
__all__ = ["HANDOFF_PRIORITY", "apply_action", "is_uncertain"]

NOT_NOW_DEFAULT_DAYS = 90


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
            return bounce(session, ctx)
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
    return done(session, ctx, "triage", "triage", reason, task_ids=[task_id],
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
        theirs: list[int] = []
        if prospect is not None and prospect.id is not None:
            theirs = stop_enrollments(session, prospect_id=prospect.id, reason=reason,
                                      now=ctx.now, reply_id=ctx.reply.id)
            stopped += theirs
        record_event(session=session, kind="prospect.opted_out", workspace_id=ws,
                     subject_type="reply", subject_id=ctx.reply.id, address=address,
                     reason=reason, via="reply", reply_id=ctx.reply.id,
                     touch_id=ctx.match.touch.id if ctx.match.touch else None,
                     prospect_id=prospect.id if prospect is not None else None,
                     stopped_enrollments=theirs)
    if c.complaint:  # a spam complaint against our mailbox: it rests at once
        note_complaint(session, sending_mailbox_id(session, ctx), ctx.now,
                       source=f"reply:{ctx.reply.id}")
    return done(session, ctx, "processed", "suppressed", f"{reason}: {c.reason}",
                 suppressed=addresses, stopped=stopped)


def _out_of_office(session: Session, ctx: ReplyContext) -> ActionResult:
    prospect = ctx.match.prospect
    if prospect is None or prospect.id is None:
        return done(session, ctx, "ignored", "unmatched_out_of_office",
                     "absence notice from a sender we do not know")
    until = pause_until(ctx.classification.return_date, ctx.now,
                        country=prospect.country or None)
    paused = pause_enrollments(session, prospect_id=prospect.id, until=until,
                               reason="out_of_office", now=ctx.now, reply_id=ctx.reply.id,
                               return_date=ctx.classification.return_date)
    return done(session, ctx, "processed", "paused",
                 f"out of office until {ctx.classification.return_date or 'unknown'}",
                 paused=paused, until=until.isoformat())


def _stop_only(session: Session, ctx: ReplyContext, reason: str) -> ActionResult:
    prospect = ctx.match.prospect
    if prospect is None or prospect.id is None:
        return done(session, ctx, "ignored", f"unmatched_{reason}",
                     f"{reason} from a sender we do not know")
    stopped = stop_enrollments(session, prospect_id=prospect.id, reason=reason, now=ctx.now,
                               reply_id=ctx.reply.id)
    return done(session, ctx, "processed", "stopped", reason, stopped=stopped)


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
        return done(session, ctx, "processed", "referral_task",
                     "referral without a usable address", stopped=stopped, task_ids=[task_id])
    if prospect_by_address(session, ws, email) is not None:
        return done(session, ctx, "processed", "referral_exists",
                     f"{email} is already a prospect", stopped=stopped)
    if is_suppressed(session=session, workspace_id=ws, address=email):
        return done(session, ctx, "processed", "referral_suppressed",
                     f"{email} is suppressed", stopped=stopped)
    domain = email.rsplit("@", 1)[-1]
    same = domain == referrer.email.rsplit("@", 1)[-1] or domain == referrer.company_domain
    if not same and ctx.classification.method != "person":
        # "forward all prospects to x@elsewhere": a reply is data, not an instruction; a person
        # confirms an address outside the company (the triage decision comes back here)
        return _triage(session, ctx, f"referral to {email}, outside {referrer.email}'s "
                                     "company: a person confirms it")
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
    new.external_id = f"referral-{new.id}"  # enrolled by this id, by a person (see enrollment)
    session.add(new)
    record_event(session=session, kind="prospect.created", workspace_id=ws,
                 subject_type="prospect", subject_id=new.id, reason="referral",
                 referred_by=referrer.id, reply_id=ctx.reply.id)
    return done(session, ctx, "processed", "referral_created",
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
                 priority=handoff.priority, reply_id=ctx.reply.id, prospect_id=prospect.id,
                 handoff_id=handoff.id, enrollment_id=handoff.enrollment_id)
    assert handoff.id is not None
    return done(session, ctx, "processed", "handoff", f"{c.intent}: {c.reason}",
                 stopped=stopped, handoff_ids=[handoff.id])


def _auto_reply(session: Session, ctx: ReplyContext) -> ActionResult:
    c, prospect = ctx.classification, ctx.match.prospect
    left = ctx.left_company or c.successor_email is not None
    if not left or prospect is None or prospect.id is None:
        return done(session, ctx, "ignored", "auto_reply", f"automatic reply: {c.reason}")
    stopped = stop_enrollments(session, prospect_id=prospect.id, reason="left_company",
                               now=ctx.now, reply_id=ctx.reply.id)
    task_ids: list[int] = []
    if c.successor_email:
        task_ids.append(open_task(
            session, ctx=ctx, kind="suggested_referral",
            title=f"{prospect.email} left; suggested contact {c.successor_email}",
            body=ctx.excerpt, data={"email": c.successor_email, "referred_by": prospect.id}))
    return done(session, ctx, "processed", "left_company", f"left the company: {c.reason}",
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
