"""Reps compared: what each did with the handoffs they were given in the period.

A rep's row counts handoffs *created* in ``[since, until)`` (the rep's week of work, not the
prospects' cohort), and every rate in it is over those handoffs: meetings booked, opportunities
and disqualifications reported for the handed-off prospects, and how fast the rep accepted and
made first contact. The queue (tickets no rep took) is a row of its own.
"""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from cadenza.handoff.metrics import percentile
from cadenza.metrics.model import MetricsQuery, MetricsRow, MetricsTable
from cadenza.store.models import Enrollment, Handoff, Playbook, Rep
from cadenza.store.results import Outcome


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rep_table(session: Session, q: MetricsQuery) -> MetricsTable:
    """One row per rep (and one for the queue), plus the total."""
    names = {r.id: f"{r.name} <{r.email}>" for r in session.exec(
        select(Rep).where(Rep.workspace_id == q.workspace_id))}
    stmt = (select(Handoff).where(Handoff.workspace_id == q.workspace_id,
                                  col(Handoff.created_at) >= q.since,
                                  col(Handoff.created_at) < q.until))
    if q.playbook is not None:
        stmt = (stmt.join(Enrollment, col(Enrollment.id) == Handoff.enrollment_id)
                .join(Playbook, col(Playbook.id) == Enrollment.playbook_id)
                .where(Playbook.name == q.playbook))
    handoffs = list(session.exec(stmt))
    outcomes: dict[tuple[int, str], Outcome] = {}
    prospect_ids = sorted({h.prospect_id for h in handoffs})
    for start in range(0, len(prospect_ids), 5000):
        for o in session.exec(select(Outcome).where(
                Outcome.workspace_id == q.workspace_id,
                col(Outcome.prospect_id).in_(prospect_ids[start:start + 5000]))):
            outcomes[(o.prospect_id, o.kind)] = o
    by_rep: dict[str, list[Handoff]] = defaultdict(list)
    for h in handoffs:
        by_rep[names.get(h.rep_id, "(queue)") if h.rep_id else "(queue)"].append(h)
    rows = [_row(key, group, outcomes) for key, group in sorted(by_rep.items())]
    return MetricsTable(by="rep", since=q.since, until=q.until, playbook=q.playbook, rows=rows,
                        total=_row("total", handoffs, outcomes))


def _row(key: str, handoffs: list[Handoff],
         outcomes: dict[tuple[int, str], Outcome]) -> MetricsRow:
    n = len(handoffs)
    kinds = [{k for k in ("meeting_booked", "opportunity", "disqualified")
              if (h.prospect_id, k) in outcomes} for h in handoffs]
    meetings = sum("meeting_booked" in k for k in kinds)
    opportunities = sum("opportunity" in k for k in kinds)
    pipeline = sum(outcomes[(h.prospect_id, "opportunity")].amount or 0.0
                   for h in {h.prospect_id: h for h in handoffs}.values()
                   if (h.prospect_id, "opportunity") in outcomes)
    accept = [(h.accepted_at - (h.routed_at or h.created_at)).total_seconds() / 60
              for h in handoffs if h.accepted_at is not None]
    contact = [(h.contacted_at - h.accepted_at).total_seconds() / 60
               for h in handoffs if h.contacted_at is not None and h.accepted_at is not None]
    return MetricsRow(
        key=key, handoffs=n, meetings=meetings, meeting_rate=_rate(meetings, n),
        opportunities=opportunities, opportunity_rate=_rate(opportunities, n),
        pipeline=round(pipeline, 2), disqualified=sum("disqualified" in k for k in kinds),
        handoff_to_accept_minutes_p50=percentile(accept, 50),
        accept_to_contact_minutes_p50=percentile(contact, 50))
