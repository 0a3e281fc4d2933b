"""Builders for handoff tests: a workspace with reps, prospects and handoffs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from cadenza.handoff.rules import RoutingConfig, save_routing
from cadenza.store.models import Handoff, Prospect, Rep, Workspace

#: Monday 30 Nov 2026, 10:00 UTC (11:00 in Berlin, 05:00 in New York).
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)

_counter = {"n": 0}


def workspace(session: Session, slug: str = "acme-agency",
              routing: dict[str, Any] | None = None) -> Workspace:
    ws = Workspace(slug=slug, name=slug)
    session.add(ws)
    session.flush()
    assert ws.id is not None
    if routing is not None:
        save_routing(session=session, workspace_id=ws.id, config=routing, now=MONDAY_10)
        session.refresh(ws)
    return ws


def rep(session: Session, ws: Workspace, email: str, **kw: Any) -> Rep:
    kw.setdefault("name", email.split("@")[0].title())
    kw.setdefault("timezone", "UTC")
    kw.setdefault("working_hours", {"mon-sun": "00:00-24:00"})
    r = Rep(workspace_id=ws.id, email=email, **kw)
    session.add(r)
    session.flush()
    return r


def prospect(session: Session, ws: Workspace, **kw: Any) -> Prospect:
    _counter["n"] += 1
    kw.setdefault("email", f"p{_counter['n']}@{kw.get('company_domain') or 'example.org'}")
    kw.setdefault("first_name", "Pat")
    kw.setdefault("last_name", f"Smith{_counter['n']}")
    p = Prospect(workspace_id=ws.id, **kw)
    session.add(p)
    session.flush()
    return p


def handoff(session: Session, ws: Workspace, p: Prospect, **kw: Any) -> Handoff:
    kw.setdefault("intent", "interested")
    kw.setdefault("priority", 2)
    kw.setdefault("confidence", 0.9)
    kw.setdefault("created_at", MONDAY_10)
    h = Handoff(workspace_id=ws.id, prospect_id=p.id, **kw)
    session.add(h)
    session.flush()
    return h


def config(**kw: Any) -> RoutingConfig:
    return RoutingConfig.model_validate(kw)
