"""Handoff speed: time to route, to accept, to first contact; counts by state; SLA breaches.

Each duration is reported in wall minutes (what the prospect experienced) and in working
minutes (what the SLA measures: the rep's hours, or the workspace's for queue tickets), as
p50/p90 over the tickets that reached that point.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel
from sqlmodel import Session, col, select

from cadenza.handoff.rules import routing_for
from cadenza.store.models import Handoff, Rep, Workspace
from cadenza.timing.working_hours import WorkingHours, working_minutes_between


class Durations(BaseModel):
    """Percentiles of one duration (minutes); ``None`` when no ticket got there yet."""

    count: int = 0
    p50_wall: float | None = None
    p90_wall: float | None = None
    p50_working: float | None = None
    p90_working: float | None = None


class HandoffMetrics(BaseModel):
    since: dt.datetime
    until: dt.datetime
    total: int
    by_state: dict[str, int]
    breaches: int
    escalated: int
    time_to_route: Durations
    time_to_accept: Durations
    time_to_first_contact: Durations


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (no interpolation: every value reported was observed)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n*q/100)
    return round(ordered[int(rank) - 1], 2)


def _durations(wall: list[float], working: list[float]) -> Durations:
    return Durations(count=len(wall), p50_wall=percentile(wall, 50),
                     p90_wall=percentile(wall, 90), p50_working=percentile(working, 50),
                     p90_working=percentile(working, 90))


def handoff_metrics(*, session: Session, workspace_id: int, since: dt.datetime,
                    until: dt.datetime | None = None) -> HandoffMetrics:
    """Metrics over handoffs created in [since, until)."""
    until = until or dt.datetime.now(dt.UTC)
    ws = session.get(Workspace, workspace_id)
    if ws is None:
        raise ValueError(f"no workspace {workspace_id}")
    config = routing_for(ws)
    ws_hours = config.hours()
    reps = {r.id: config.rep_hours(r)
            for r in session.exec(select(Rep).where(Rep.workspace_id == workspace_id))}
    spans: dict[str, tuple[list[float], list[float]]] = {
        k: ([], []) for k in ("route", "accept", "contact")}
    states: Counter[str] = Counter()
    breaches = escalated = total = 0
    query = (select(Handoff).where(Handoff.workspace_id == workspace_id,
                                   col(Handoff.created_at) >= since,
                                   col(Handoff.created_at) < until)
             .execution_options(yield_per=1000))
    for h in session.exec(query):
        total += 1
        states[h.state] += 1
        hours: WorkingHours = reps.get(h.rep_id, ws_hours) if h.rep_id else ws_hours
        for key, start, end, clock in (("route", h.created_at, h.routed_at, ws_hours),
                                       ("accept", h.routed_at, h.accepted_at, hours),
                                       ("contact", h.created_at, h.contacted_at, hours)):
            if start is not None and end is not None:
                spans[key][0].append((end - start).total_seconds() / 60)
                spans[key][1].append(working_minutes_between(start, end, clock))
        if h.sla_due_at is not None and (h.accepted_at or until) > h.sla_due_at \
                and (h.accepted_at is not None or h.state == "new"):
            breaches += 1
        if h.escalated_at is not None:
            escalated += 1
    return HandoffMetrics(since=since, until=until, total=total, by_state=dict(states),
                          breaches=breaches, escalated=escalated,
                          time_to_route=_durations(*spans["route"]),
                          time_to_accept=_durations(*spans["accept"]),
                          time_to_first_contact=_durations(*spans["contact"]))
