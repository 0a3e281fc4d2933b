"""What every reply policy shares: the reply's context, the result, tasks and the action log.

Kept apart so the policies (:mod:`cadenza.replies.policy`, :mod:`cadenza.replies.bounces`)
write the same records the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from cadenza.replies.classify.intents import Classification
from cadenza.replies.threading import ThreadMatch
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Reply, Task


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


def record_action(session: Session, ctx: ReplyContext, action: str, reason: str,
            **data: Any) -> None:
    record_event(session=session, kind="reply.action", workspace_id=ctx.reply.workspace_id,
                 subject_type="reply", subject_id=ctx.reply.id, action=action, reason=reason,
                 intent=ctx.classification.intent, confidence=ctx.classification.confidence,
                 prospect_id=ctx.match.prospect.id if ctx.match.prospect else None,
                 touch_id=ctx.match.touch.id if ctx.match.touch else None, **data)


def done(session: Session, ctx: ReplyContext, state: str, action: str, reason: str,
         **data: Any) -> ActionResult:
    """Record the action with its reason and data; the result the caller returns."""
    record_action(session, ctx, action, reason, **data)
    return ActionResult(state, action, reason,
                        handoff_ids=list(data.get("handoff_ids", [])),
                        task_ids=list(data.get("task_ids", [])))


def classified(session: Session, reply: Reply, c: Classification, action: str) -> None:
    """``reply.classified``, for webhook subscribers: ids, the intent and the fields read
    from the reply — never its text (:class:`cadenza.event_types.ReplyClassified`)."""
    record_event(session=session, kind="reply.classified", workspace_id=reply.workspace_id,
                 subject_type="reply", subject_id=reply.id, reply_id=reply.id,
                 prospect_id=reply.prospect_id, touch_id=reply.touch_id, intent=c.intent,
                 confidence=c.confidence, classifier=c.method, action=action,
                 thread_method=reply.thread_method, return_date=c.return_date,
                 follow_up_after=c.follow_up_after, referral_email=c.referral_email)


def sending_mailbox_id(session: Session, ctx: ReplyContext) -> int | None:
    """The mailbox that sent what this reply answers (a bounce, a complaint): the matched
    touch's enrollment's, else the mailbox the reply arrived in."""
    touch = ctx.match.touch
    enrollment = session.get(Enrollment, touch.enrollment_id) if touch is not None else None
    if enrollment is not None and enrollment.mailbox_id is not None:
        return enrollment.mailbox_id
    return ctx.reply.mailbox_id
