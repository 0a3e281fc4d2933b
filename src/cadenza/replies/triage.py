"""A person's decision on an uncertain reply, and the clock that keeps it from being forgotten.

The decision is run through :func:`cadenza.replies.policy.apply_action` with the intent the
person chose, so a triaged ``not_now`` opens the same re-engagement task, a triaged ``referral``
creates the same referred prospect and a triaged ``out_of_office`` pauses until the same
date as if the classifier had been sure. Saying it was a machine (an auto-reply, a bounce, an
absence) lets the waiting enrollments go on; every human intent stops them, as the policy does.

The clock: an open triage item follows the workspace's handoff SLA in working hours — overdue,
it escalates: an ``unclear`` ticket in the fallback queue (any rep can take it) announced to the
rules' escalation addresses; from there the ordinary handoff SLA escalates again if nobody
accepts it. The prospect keeps waiting until someone decides.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from cadenza.agent.lifecycle import resume_waiting
from cadenza.handoff.notify import Notifier, build_notice
from cadenza.handoff.rules import RoutingConfig, routing_for
from cadenza.replies.base import ActionResult, ReplyContext, classified
from cadenza.replies.classify.intents import LABELED_INTENTS, Classification
from cadenza.replies.policy import apply_action
from cadenza.replies.threading import ThreadMatch
from cadenza.states import MACHINE_INTENTS, ReplyState
from cadenza.store.events import record_event
from cadenza.store.models import Handoff, Prospect, Reply, Task, Touch, Workspace
from cadenza.timing.working_hours import add_working_minutes

log = logging.getLogger(__name__)

#: What a person may decide a reply is (``unclear`` is not a decision).
DECISIONS: tuple[str, ...] = LABELED_INTENTS
#: Fields a stored reply keeps that the policies read (dates, addresses, bounce kind).
_FIELDS = ("return_date", "follow_up_after", "referral_email", "referral_name", "bounce",
           "language", "successor_email", "policy_block", "original_message_id")


class TriageConflict(ValueError):
    """The reply is not waiting for a decision, or the decision is not one."""


def decide(*, session: Session, reply: Reply, intent: str, by: str, now: dt.datetime,
           note: str = "") -> ActionResult:
    """Apply a person's decision on a reply in triage, in the caller's transaction."""
    if intent not in DECISIONS:
        raise TriageConflict(f"{intent!r} is not a decision; choose one of "
                             + ", ".join(DECISIONS))
    if reply.state != ReplyState.TRIAGE:
        raise TriageConflict(f"reply {reply.id} is not waiting in triage "
                             f"(state {reply.state!r})")
    stored = {k: v for k, v in (reply.fields or {}).items() if k in _FIELDS and v is not None}
    if intent == "bounce":
        stored.setdefault("bounce", "hard")
    classification = Classification.model_validate(
        {**stored, "intent": intent, "confidence": 1.0, "reason": f"decided by {by}",
         "method": "person"})
    touch = session.get(Touch, reply.touch_id) if reply.touch_id else None
    prospect = session.get(Prospect, reply.prospect_id) if reply.prospect_id else None
    match = ThreadMatch(reply.thread_method or "triage", touch, prospect)
    ctx = ReplyContext(reply=reply, match=match, classification=classification, now=now,
                       threshold=0.0, sender=reply.from_address or None,
                       senders=[reply.from_address] if reply.from_address else [],
                       excerpt=reply.text[:1000])
    resumed: list[int] = []
    if intent in MACHINE_INTENTS and prospect is not None and prospect.id is not None \
            and not _other_triage(session, reply):
        # a person says a machine wrote it: the wait ends first, then the machine intent's
        # policy applies (an absence notice pauses; an automatic pause never lifts a wait)
        resumed = resume_waiting(session, prospect_id=prospect.id, now=now,
                                 reason=f"triage: {intent}", reply_id=reply.id)
    result = apply_action(session, ctx)
    reply.intent, reply.confidence, reply.classifier = intent, 1.0, "person"
    reply.state = ReplyState.PROCESSED if result.state == "triage" else result.state
    reply.action = f"triage:{result.action}"
    reply.processed_at = now
    session.add(reply)
    classified(session, reply, classification, reply.action)
    for task in session.exec(select(Task).where(Task.reply_id == reply.id,
                                                Task.kind == "triage", Task.state == "open")):
        task.state, task.done_by, task.done_at = "done", by, now
        session.add(task)
    record_event(session=session, kind="triage.resolved", workspace_id=reply.workspace_id,
                 subject_type="reply", subject_id=reply.id, intent=intent, by=by, note=note,
                 action=result.action, handoff_ids=result.handoff_ids, resumed=resumed)
    session.flush()
    return result


def _other_triage(session: Session, reply: Reply) -> bool:
    """Another reply of the same prospect still waits for a person: keep waiting for it."""
    return session.exec(select(Reply.id).where(
        Reply.prospect_id == reply.prospect_id, Reply.state == ReplyState.TRIAGE,
        col(Reply.id) != reply.id)).first() is not None


# -- the clock --------------------------------------------------------------------------------
@dataclass
class TriageSlaReport:
    """What one pass of the triage clock did (task ids)."""

    checked: int = 0
    escalated: list[int] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)


def check_triage_sla(*, session: Session, now: dt.datetime,
                     workspace_id: int | None = None, config: RoutingConfig | None = None,
                     notifier: Notifier | None = None) -> TriageSlaReport:
    """Escalate overdue triage items: each becomes an ``unclear`` ticket in the fallback queue,
    and the workspace's ``escalation.notify`` addresses are told through ``notifier``."""
    query = select(Task).where(Task.kind == "triage", Task.state == "open").order_by(
        col(Task.created_at), col(Task.id))
    if workspace_id is not None:
        query = query.where(Task.workspace_id == workspace_id)
    report = TriageSlaReport()
    configs: dict[int, RoutingConfig] = {}
    for task in session.exec(query).all():
        assert task.id is not None
        cfg = config or configs.get(task.workspace_id)
        if cfg is None:
            ws = session.get(Workspace, task.workspace_id)
            assert ws is not None
            cfg = configs[task.workspace_id] = routing_for(ws)
        data = dict(task.data or {})
        if data.get("handoff_id"):
            continue  # already in the queue: the handoff SLA has it
        hours = cfg.hours()
        report.checked += 1
        due = add_working_minutes(_aware(task.created_at), cfg.sla_minutes, hours)
        if now < due:
            continue
        # past its SLA: escalate — an ``unclear`` ticket in the fallback queue, where any rep
        # can take it, announced to the rules' escalation addresses; from here the ordinary
        # handoff SLA escalates it again if nobody accepts it
        data["escalated_at"] = now.isoformat()
        data["handoff_id"] = handoff_id = _to_queue(session, task, cfg, now)
        task.data = data
        record_event(session=session, kind="triage.escalated", workspace_id=task.workspace_id,
                     subject_type="task", subject_id=task.id, reply_id=task.reply_id,
                     notify=list(cfg.escalation.notify), due=due.isoformat(),
                     handoff_id=handoff_id)
        log.warning("triage item %s undecided past its SLA (%s): escalated", task.id, due)
        report.escalated.append(task.id)
        if notifier is not None and handoff_id is not None:
            notifier.notify(build_notice(session=session, handoff_id=handoff_id,
                                         kind="escalated", now=now,
                                         extra_recipients=tuple(cfg.escalation.notify)),
                            session=session)
        session.add(task)
        report.queued.append(task.id)
    session.flush()
    return report


def _to_queue(session: Session, task: Task, cfg: RoutingConfig, now: dt.datetime) -> int | None:
    """An ``unclear`` ticket in the fallback queue for the undecided reply's prospect."""
    reply = session.get(Reply, task.reply_id) if task.reply_id else None
    prospect_id = task.prospect_id or (reply.prospect_id if reply else None)
    if prospect_id is None:
        record_event(session=session, kind="triage.unqueued", workspace_id=task.workspace_id,
                     subject_type="task", subject_id=task.id,
                     reason="no prospect to hand off; it stays in triage")
        return None
    handoff = Handoff(workspace_id=task.workspace_id, prospect_id=prospect_id,
                      reply_id=task.reply_id, intent="unclear", confidence=0.0, priority=1,
                      queue=cfg.fallback_queue, routed_at=now,
                      route_reason=f"triage undecided past its SLA; queue {cfg.fallback_queue!r}",
                      sla_due_at=add_working_minutes(now, cfg.sla_minutes, cfg.hours()),
                      summary=(reply.text if reply else task.body)[:500],
                      fields={"triage_task_id": task.id}, created_at=now)
    session.add(handoff)
    session.flush()
    record_event(session=session, kind="triage.queued", workspace_id=task.workspace_id,
                 subject_type="task", subject_id=task.id, handoff_id=handoff.id,
                 queue=cfg.fallback_queue)
    record_event(session=session, kind="handoff.created", workspace_id=task.workspace_id,
                 subject_type="handoff", subject_id=handoff.id, handoff_id=handoff.id,
                 prospect_id=prospect_id, intent=handoff.intent, priority=handoff.priority,
                 reply_id=task.reply_id, reason="triage undecided past its SLA")
    return handoff.id


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for aware columns; they were written as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
