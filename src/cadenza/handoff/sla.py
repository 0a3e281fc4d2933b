"""The SLA timer: a ticket not accepted in time escalates, then is reassigned, then queued.

Semantics (all durations are *working* minutes of the assignee, or of the workspace for a
queue ticket):

1. Routing sets ``sla_due_at`` = routed_at + ``sla_minutes``.
2. A ``new`` ticket past ``sla_due_at`` with no ``escalated_at`` escalates: ``escalated_at`` is
   set, an event is recorded, and the rep plus the workspace's ``escalation.notify`` addresses
   are told.
3. ``escalation.reassign_after`` working minutes after escalating, a ticket still ``new`` is
   routed again excluding every rep who already had it (a new SLA starts). After
   ``max_reassignments`` reassignments it goes to the fallback queue instead, so a ticket
   never bounces forever; a queue ticket escalates once per routing and is never reassigned.

Run :func:`check_sla` every minute or so (the CLI's ``handoff sla``, or the API process).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from cadenza.handoff.notify import Notifier, build_notice, notify_decision
from cadenza.handoff.routing import ROUTING_KEY, route_handoff
from cadenza.handoff.rules import RoutingConfig, routing_for
from cadenza.store.events import record_event
from cadenza.store.models import Handoff, Rep, Workspace
from cadenza.timing.working_hours import (
    WorkingHours,
    add_working_minutes,
    working_minutes_between,
)

__all__ = ["SlaReport", "add_working_minutes", "check_sla", "hours_for",
           "working_minutes_between"]

log = logging.getLogger(__name__)


@dataclass
class SlaReport:
    """What one SLA pass did (handoff ids)."""

    checked: int = 0
    escalated: list[int] = field(default_factory=list)
    reassigned: list[int] = field(default_factory=list)
    to_fallback: list[int] = field(default_factory=list)


def hours_for(session: Session, handoff: Handoff, config: RoutingConfig) -> WorkingHours:
    """The clock a ticket's SLA runs on: its rep's hours, else the workspace's."""
    rep = session.get(Rep, handoff.rep_id) if handoff.rep_id is not None else None
    return config.rep_hours(rep) if rep is not None else config.hours()


def check_sla(*, session: Session, now: dt.datetime, config: RoutingConfig | None = None,
              notifier: Notifier | None = None, workspace_id: int | None = None) -> SlaReport:
    """Escalate, reassign or queue every overdue ``new`` ticket (see the module docstring).

    ``config`` applies to every ticket checked (pass ``workspace_id`` with it); without it each
    workspace's stored rules are used.
    """
    query = (select(Handoff.id)
             .where(Handoff.state == "new", col(Handoff.sla_due_at).is_not(None),
                    col(Handoff.sla_due_at) <= now)
             .order_by(col(Handoff.sla_due_at), col(Handoff.id))
             .with_for_update(skip_locked=True))
    if workspace_id is not None:
        query = query.where(Handoff.workspace_id == workspace_id)
    report = SlaReport()
    configs: dict[int, RoutingConfig] = {}
    for hid in session.exec(query).all():
        handoff = session.get(Handoff, hid)
        assert handoff is not None and handoff.id is not None
        report.checked += 1
        cfg = config or configs.get(handoff.workspace_id)
        if cfg is None:
            ws = session.get(Workspace, handoff.workspace_id)
            assert ws is not None
            cfg = configs[handoff.workspace_id] = routing_for(ws)
        if handoff.escalated_at is None:
            _escalate(session, handoff, cfg, now, notifier)
            report.escalated.append(handoff.id)
            continue
        if handoff.rep_id is None:
            continue  # a queue ticket escalates once; there is nobody to take it from
        waited = working_minutes_between(handoff.escalated_at, now,
                                         hours_for(session, handoff, cfg))
        if waited < cfg.escalation.reassign_after:
            continue
        if _reassign(session, handoff, cfg, now, notifier):
            report.reassigned.append(handoff.id)
        else:
            report.to_fallback.append(handoff.id)
    return report


def _escalate(session: Session, handoff: Handoff, cfg: RoutingConfig, now: dt.datetime,
              notifier: Notifier | None) -> None:
    assert handoff.id is not None
    handoff.escalated_at = now
    session.add(handoff)
    session.flush()
    late = working_minutes_between(handoff.routed_at or handoff.created_at, now,
                                   hours_for(session, handoff, cfg))
    record_event(session=session, kind="handoff.escalated", workspace_id=handoff.workspace_id,
                 subject_type="handoff", subject_id=handoff.id, rep_id=handoff.rep_id,
                 queue=handoff.queue, working_minutes_waited=round(late, 1),
                 sla_due_at=handoff.sla_due_at.isoformat() if handoff.sla_due_at else None)
    # the fact a CRM automates on (cadenza.event_types); the escalation above is what we did
    record_event(session=session, kind="handoff.sla_breached",
                 workspace_id=handoff.workspace_id, subject_type="handoff",
                 subject_id=handoff.id, handoff_id=handoff.id, prospect_id=handoff.prospect_id,
                 rep_id=handoff.rep_id, queue=handoff.queue,
                 working_minutes_waited=round(late, 1),
                 sla_due_at=handoff.sla_due_at.isoformat() if handoff.sla_due_at else None)
    log.info("handoff %s escalated (not accepted by %s)", handoff.id, handoff.sla_due_at)
    if notifier is not None:
        notice = build_notice(session=session, handoff_id=handoff.id, kind="escalated", now=now,
                              extra_recipients=tuple(cfg.escalation.notify))
        notifier.notify(notice, session=session)


def _reassign(session: Session, handoff: Handoff, cfg: RoutingConfig, now: dt.datetime,
              notifier: Notifier | None) -> bool:
    """Route again without the reps who had it; ``False`` when it went to the fallback queue."""
    assert handoff.id is not None and handoff.rep_id is not None
    meta = dict((handoff.fields or {}).get(ROUTING_KEY) or {})
    tried = sorted(set(meta.get("tried", [])) | {handoff.rep_id})
    count = int(meta.get("reassignments", 0))
    previous = handoff.rep_id
    if count >= cfg.escalation.max_reassignments:
        handoff.rep_id = None
        handoff.queue = cfg.fallback_queue
        handoff.route_reason = (f"reassignment cap ({cfg.escalation.max_reassignments}) "
                                f"reached after {len(tried)} rep(s) did not accept; "
                                f"queue {cfg.fallback_queue!r}")
        handoff.routed_at = now
        handoff.escalated_at = None
        handoff.sla_due_at = add_working_minutes(now, cfg.sla_minutes, cfg.hours())
        handoff.fields = {**(handoff.fields or {}),
                          ROUTING_KEY: {"tried": tried, "reassignments": count}}
        session.add(handoff)
        session.flush()
        record_event(session=session, kind="handoff.queued", workspace_id=handoff.workspace_id,
                     subject_type="handoff", subject_id=handoff.id, from_rep_id=previous,
                     queue=handoff.queue, reason=handoff.route_reason)
        if notifier is not None:
            notifier.notify(build_notice(session=session, handoff_id=handoff.id, kind="queued",
                                         now=now,
                                         extra_recipients=tuple(cfg.escalation.notify)),
                            session=session)
        return False
    handoff.fields = {**(handoff.fields or {}),
                      ROUTING_KEY: {"tried": tried, "reassignments": count + 1}}
    session.add(handoff)
    decision = route_handoff(session=session, handoff_id=handoff.id, now=now, config=cfg,
                             exclude=tried)
    record_event(session=session, kind="handoff.reassigned", workspace_id=handoff.workspace_id,
                 subject_type="handoff", subject_id=handoff.id, from_rep_id=previous,
                 to_rep_id=decision.rep_id, queue=decision.queue, reassignment=count + 1)
    if notifier is not None:
        notify_decision(session=session, decision=decision,
                        kind="reassigned" if decision.rep_id is not None else "queued",
                        notifier=notifier, config=cfg)
    return decision.rep_id is not None
