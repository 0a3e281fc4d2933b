"""``bench_queue``: reading a rep's queue through the API with many open tickets in the workspace.

The measured path is the whole request in process (ASGI via Starlette's TestClient): token
look-up, the scoped, ordered query with its join, pydantic models, JSON. The baseline, in the
same run and on the same database, is the bare indexed SELECT of the same rows, so the ratio says
what the API layer costs on this machine.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from cadenza.store import Database
from cadenza.store.models import Handoff, Prospect, Rep, Workspace

QUEUE_SQL = text(
    "SELECT h.id, h.state, h.priority, h.sla_due_at, p.first_name, p.last_name, p.company "
    "FROM handoff h JOIN prospect p ON p.id = h.prospect_id "
    "WHERE h.workspace_id = :ws AND h.rep_id = :rep AND h.state IN ('new','accepted','contacted') "
    "ORDER BY h.priority DESC, h.sla_due_at IS NULL, h.sla_due_at, h.id LIMIT 50")


def _seed(db: Database, n_tickets: int, n_reps: int) -> tuple[int, list[int]]:
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        ws = Workspace(slug="bench", name="Bench")
        s.add(ws)
        s.flush()
        wid = ws.id or 0
        reps = [Rep(workspace_id=wid, name=f"Rep {i}", email=f"rep{i}@bench.example")
                for i in range(n_reps)]
        s.add_all(reps)
        s.flush()
        rep_ids = [r.id or 0 for r in reps]
        s.execute(insert(Prospect), [
            {"workspace_id": wid, "email": f"p{i}@c{i % 500}.example", "first_name": f"P{i}",
             "last_name": "Bench", "company": f"Company {i % 500}", "extra": {},
             "created_at": now, "updated_at": now} for i in range(n_tickets)])
        first = s.execute(text("SELECT min(id) FROM prospect")).scalar_one()
        s.execute(insert(Handoff), [
            {"workspace_id": wid, "prospect_id": first + i, "rep_id": rep_ids[i % n_reps],
             "state": ("new", "accepted", "contacted")[i % 3], "priority": 1 + i % 3,
             "intent": ("question", "interested", "meeting_request")[i % 3],
             "confidence": 0.9, "fields": {}, "summary": "Wants to talk",
             "sla_due_at": now + dt.timedelta(minutes=i % 240), "created_at": now}
            for i in range(n_tickets)])
    return wid, rep_ids


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 3),
            "max_ms": round(ordered[-1] * 1000, 3)}


def bench_queue(n_tickets: int = 10_000, *, n_reps: int = 10, requests: int = 300,
                database_url: str | None = None) -> dict[str, Any]:
    """p50/p95 of ``GET /api/queue`` for one rep (first page, 50 tickets) with ``n_tickets`` open
    tickets in the workspace, against a bare indexed SELECT of the same rows."""
    from fastapi.testclient import TestClient

    from cadenza.api.app import create_app
    from cadenza.bench import machine
    from cadenza.config import Settings
    from cadenza.store.tokens import create_token

    workdir = Path(tempfile.mkdtemp(prefix="cadenza-bench-queue-"))
    url = database_url or f"sqlite:///{workdir / 'bench.db'}"
    db = Database(url)
    db.migrate()
    wid, rep_ids = _seed(db, n_tickets, n_reps)
    with db.session() as s:
        rep_token = create_token(session=s, workspace_id=wid, role="rep", rep_id=rep_ids[0],
                                 name="bench")
        op_token = create_token(session=s, workspace_id=wid, role="operator", name="bench-op")
    # The per-token limit still runs on every request; it is raised so it never answers 429.
    settings = Settings(database_url=url, home=workdir / "home", secret_key="bench",
                        api_requests_per_minute=1_000_000)
    timings: list[float] = []
    operator_timings: list[float] = []
    baseline: list[float] = []
    with TestClient(create_app(settings, db)) as client:
        headers = {"Authorization": f"Bearer {rep_token}"}
        op_headers = {"Authorization": f"Bearer {op_token}"}
        first = client.get("/api/queue", headers=headers)
        first.raise_for_status()
        returned = len(first.json())
        for _ in range(20):  # warm caches and connection pool
            client.get("/api/queue", headers=headers)
        clock = time.perf_counter
        for _ in range(requests):
            start = clock()
            client.get("/api/queue", headers=headers)
            timings.append(clock() - start)
        for _ in range(max(20, requests // 5)):
            start = clock()
            client.get("/api/queue", headers=op_headers)
            operator_timings.append(clock() - start)
        with db.engine.connect() as conn:
            params = {"ws": wid, "rep": rep_ids[0]}
            for _ in range(20):
                conn.execute(QUEUE_SQL, params).fetchall()
            for _ in range(requests):
                start = clock()
                conn.execute(QUEUE_SQL, params).fetchall()
                baseline.append(clock() - start)
    db.dispose()
    ours, base = _percentiles(timings), _percentiles(baseline)
    return {
        "benchmark": "queue", "n_tickets": n_tickets, "reps": n_reps,
        "rep_open_tickets": n_tickets // n_reps, "page_size": returned, "requests": requests,
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        **ours,
        "operator_whole_workspace": _percentiles(operator_timings),
        "target_p95_ms": 50.0, "meets_target": ours["p95_ms"] < 50.0,
        "baseline": {"name": "bare indexed SELECT of the same 50 rows (one connection)",
                     **base},
        "speedup": round(base["p50_ms"] / ours["p50_ms"], 4) if ours["p50_ms"] else None,
        "machine": machine(),
    }
