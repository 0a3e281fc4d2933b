"""Benchmark: one routing decision with 50 reps and 10,000 open tickets (target p95 < 5 ms).

The baseline in the same run is a primary-key read of one handoff, so a slow machine or a
busy disk shows up in both numbers instead of being blamed on routing.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select

from cadenza.handoff.routing import route_handoff
from cadenza.handoff.rules import RoutingConfig
from cadenza.store.database import Database
from cadenza.store.models import Handoff, Prospect, Rep, Workspace

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def _pct(values: list[float], q: int) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))], 3)


def bench_routing(*, database_url: str | None = None, reps: int = 50, open_tickets: int = 10_000,
                  decisions: int = 300, seed: int = 7) -> dict[str, Any]:
    """Seed a workspace, route ``decisions`` new handoffs, return p50/p95 in ms.

    ``database_url`` defaults to a fresh SQLite file; pass a PostgreSQL URL of an empty,
    disposable database to measure there.
    """
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            db.migrate()
            return _run(db, reps, open_tickets, decisions, random.Random(seed))
        finally:
            db.dispose()


def _run(db: Database, n_reps: int, n_open: int, n_decisions: int,
         rng: random.Random) -> dict[str, Any]:
    countries = ["DE", "AT", "FR", "GB", "US", "ES", "SE", "NL", "IT", "PL"]
    with db.session() as s:
        ws = Workspace(slug=f"bench-{rng.randrange(10**9)}", name="bench")
        s.add(ws)
        s.flush()
        assert ws.id is not None
        wid = ws.id
        for i in range(n_reps):
            s.add(Rep(workspace_id=wid, name=f"Rep {i}", email=f"rep{i}@bench.test",
                      territories=[countries[i % len(countries)]] if i % 3 else [],
                      languages=["en", "de"] if i % 2 else ["en"],
                      working_hours={"daily": "00:00-24:00"}, capacity=10_000,
                      weight=1.0 + i % 3, away=i % 17 == 0))
        s.flush()
        rep_ids = [r for r in s.exec(_ids(Rep, wid)).all()]
        n_prospects = n_open + n_decisions
        s.execute(insert(Prospect), [
            {"workspace_id": wid, "email": f"p{i}@c{i % 2000}.bench.test",
             "company_domain": f"c{i % 2000}.bench.test", "country": countries[i % 10],
             "language": "de" if i % 4 == 0 else "en", "content_hash": "", "extra": {}}
            for i in range(n_prospects)])
        pids = [p for p in s.exec(_ids(Prospect, wid)).all()]
        s.execute(insert(Handoff), [
            {"workspace_id": wid, "prospect_id": pids[i], "rep_id": rng.choice(rep_ids),
             "state": rng.choice(["new", "accepted", "contacted"]), "intent": "interested",
             "priority": 2, "fields": {}, "created_at": NOW, "routed_at": NOW}
            for i in range(n_open)])
        s.execute(insert(Handoff), [
            {"workspace_id": wid, "prospect_id": pids[n_open + i], "state": "new",
             "intent": "interested", "priority": 2, "fields": {}, "created_at": NOW}
            for i in range(n_decisions)])
    with db.session() as s:
        pending = list(s.exec(_ids(Handoff, wid).where(col(Handoff.rep_id).is_(None))).all())
    config = RoutingConfig(assign_owner=False)
    routing_ms: list[float] = []
    baseline_ms: list[float] = []
    rules: dict[str, int] = {}
    with db.session() as s:
        for hid in pending:
            t0 = time.perf_counter()
            s.get(Handoff, hid, populate_existing=True)
            baseline_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            decision = route_handoff(session=s, handoff_id=hid, now=NOW, config=config)
            routing_ms.append((time.perf_counter() - t0) * 1000)
            rules[decision.rule] = rules.get(decision.rule, 0) + 1
    return {
        "database": "sqlite" if db.is_sqlite else "postgresql",
        "reps": n_reps, "open_tickets": n_open, "decisions": len(routing_ms),
        "routing_p50_ms": _pct(routing_ms, 50), "routing_p95_ms": _pct(routing_ms, 95),
        "routing_mean_ms": round(statistics.fmean(routing_ms), 3),
        "baseline_pk_read_p50_ms": _pct(baseline_ms, 50),
        "baseline_pk_read_p95_ms": _pct(baseline_ms, 95),
        "rules": rules, "target_p95_ms": 5.0,
    }


def _ids(model: Any, workspace_id: int) -> Any:
    return select(model.id).where(model.workspace_id == workspace_id).order_by(col(model.id))
