"""Workers on PostgreSQL: the claim among many enrollments, and throughput with 1, 2 and 4
``cadenza worker`` processes.

``claim``: the scheduler's whole claim of one batch (the due rows locked ``SKIP LOCKED``, the
mailbox and domain locks, the cap counts, the conditional take, the touches) among 10,000,
100,000 and (``--size 1000000``) 1,000,000 enrollments, 100 of them due; the baseline is the
bare locked due-row query in the same database. The rows are built by ``generate_series`` in
the server, so a million take seconds, not minutes.

``workers``: N one-email enrollments sent by 1, 2 and 4 real worker processes to a loopback
SMTP sink (touches per second between the first and the last message at the sink); the
baseline is LangGraph's bare 4-node graph on the Postgres saver in the same database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from cadenza.bench import machine
from cadenza.bench.dashboard import _scratch_postgres
from cadenza.bench.delivery import ONE_EMAIL, _free_port, _sample_sender, baseline_langgraph
from cadenza.config import Settings
from cadenza.store import Database

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DUE = 100


def _columns(db: Database, table: str) -> list[str]:
    with db.engine.connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
            "AND column_name <> 'id' ORDER BY ordinal_position"), {"t": table})]


def _copy_rows(db: Database, table: str, n: int, swap: dict[str, str]) -> None:
    """``n`` copies of the table's first row, built in the server (``generate_series``), with
    the ``swap`` columns computed from ``g`` (the copy's number)."""
    cols = _columns(db, table)
    picks = ", ".join(swap.get(c, f"t.{c}") for c in cols)
    with db.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picks} FROM "
                          f"(SELECT * FROM {table} ORDER BY id LIMIT 1) t, "
                          f"generate_series(2, {n}) g"))
        conn.execute(text(f"ANALYZE {table}"))


def _world(db: Database, n: int, now: dt.datetime, *, smtp_port: int = 25) -> None:
    """A workspace, a mailbox without caps, and ``n`` enrollments, all due at ``now``."""
    import json

    from cadenza.agent.enrollment import enroll_prospects
    from cadenza.playbooks import parse_playbook
    from cadenza.store.models import Mailbox, Prospect
    from cadenza.store.workspaces import ensure_workspace

    sender = json.loads(_sample_sender())
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="bench", sender=sender,
                                 settings={"approval": {"mode": "never"},
                                           "domain_daily_cap": 10**9})
        s.add(Mailbox(workspace_id=ws.id or 0, email=sender["sender"]["email"],
                      smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_security="none",
                      daily_cap=10**9, min_gap_seconds=0, jitter_seconds=0))
        s.add(Prospect(workspace_id=ws.id or 0, external_id="b1", email="p1@d1.example",
                       first_name="Dana", timezone="UTC", country="US", language="en"))
        s.flush()
        enroll_prospects(session=s, workspace=ws,
                         playbook=parse_playbook(ONE_EMAIL, origin="bench"), now=now)
    if n > 1:
        _copy_rows(db, "prospect", n, {"external_id": "'b' || g",
                                       "email": "'p' || g || '@d' || (g % 997) || '.example'"})
        _copy_rows(db, "enrollment", n, {"prospect_id": "t.prospect_id + g - 1"})


def _claim_at(url: str, n: int, runs: int) -> dict[str, Any]:
    from cadenza.agent.service import open_agent

    now = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    db = Database(url)
    db.migrate()
    start = time.perf_counter()
    _world(db, n, now)
    built = time.perf_counter() - start
    later = now + dt.timedelta(days=7)
    reset = text("UPDATE enrollment SET next_due_at = CASE WHEN id <= :due THEN :now "
                 "ELSE :later END, mailbox_id = NULL")
    with db.engine.begin() as conn:
        conn.execute(reset, {"due": DUE, "now": now - dt.timedelta(minutes=1),
                             "later": later})
    # the statistics a live database's autovacuum keeps: the bulk build and the reset above
    # leave the planner believing most enrollments still have a mailbox, and it scans them all
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE enrollment")
    bare = text("SELECT id FROM enrollment WHERE state = 'active' AND next_due_at <= :now "
                "ORDER BY next_due_at LIMIT :batch FOR UPDATE SKIP LOCKED")
    settings = Settings(database_url=url, secret_key="bench-secret",
                        home=Path(tempfile.mkdtemp(prefix="cadenza-bench-claim-")))
    ours: list[float] = []
    base: list[float] = []
    with open_agent(settings, db, clock=lambda: now, jitter=(0.0, 0.0), batch=DUE) as agent:
        for _ in range(runs):
            with db.engine.begin() as conn:
                t0 = time.perf_counter()
                conn.execute(bare, {"now": now, "batch": DUE}).all()
                base.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            ids, _ = agent.scheduler.claim(now)
            ours.append(time.perf_counter() - t0)
            assert len(ids) == DUE, len(ids)
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM touch"))
                conn.execute(text("UPDATE enrollment SET next_due_at = :now, claimed_at = NULL, "
                                  "mailbox_id = NULL WHERE id <= :due"),
                             {"now": now - dt.timedelta(minutes=1), "due": DUE})
    db.dispose()
    return {"enrollments": n, "built_s": round(built, 1),
            "claim_p50_ms": round(statistics.median(ours) * 1000, 2),
            "baseline_p50_ms": round(statistics.median(base) * 1000, 2),
            "ratio": round(statistics.median(ours) / statistics.median(base), 1)}


def bench_claim(largest: int = 100_000, *, database: str | None = None,
                runs: int = 15) -> dict[str, Any]:
    """Claim of the 100 due touches among 10k, 100k (and ``largest`` when above) enrollments."""
    sizes = [s for s in (10_000, 100_000) if s < largest] + [largest]
    figures = []
    for n in sizes:
        with _scratch_postgres(database or DEFAULT_SERVER) as url:
            figures.append(_claim_at(url, n, runs))
    by_n = {f["enrollments"]: f["claim_p50_ms"] for f in figures}
    growth = {f"{a}->{b}": round(by_n[b] / by_n[a], 2)
              for a, b in itertools.pairwise(sizes)}
    return {"benchmark": "claim", "due": DUE, "runs": runs, "sizes": figures,
            "growth": growth,
            "baseline": {"name": "bare SELECT … FOR UPDATE SKIP LOCKED of the due rows"},
            "speedup": round(1 / figures[-1]["ratio"], 3), "machine": machine()}


def _run_workers(url: str, n: int, processes: int, workdir: Path) -> dict[str, Any]:
    """``n`` one-email enrollments sent by ``processes`` worker processes: touches per second
    between the first and the last message at an aiosmtpd sink process."""
    from cadenza.store.models import utcnow

    port = _free_port()
    log = workdir / f"sink-{processes}.log"
    sink = subprocess.Popen([sys.executable, "-c", _SINK, str(port), str(log)])
    db = Database(url)
    db.migrate()
    _world(db, n, utcnow() - dt.timedelta(minutes=1), smtp_port=port)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CADENZA_")}
    env.update({"CADENZA_DATABASE_URL": url, "CADENZA_SECRET_KEY": "bench-secret",
                "CADENZA_HOME": str(workdir / "home")})
    procs = [subprocess.Popen([sys.executable, "-m", "cadenza", "worker", "--poll", "0.2"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(processes)]
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            lines = log.read_text().split() if log.exists() else []
            if len(lines) >= n:
                break
            time.sleep(0.2)
    finally:
        for proc in procs:
            proc.terminate()
        codes = [proc.wait(60) for proc in procs]
        sink.terminate()
        sink.wait(10)
    stamps = sorted(float(x) for x in log.read_text().split())
    with db.engine.connect() as conn:
        sent = conn.execute(text("SELECT count(*), count(DISTINCT message_id) FROM touch "
                                 "WHERE state = 'sent'")).one()
    db.dispose()
    span = stamps[-1] - stamps[0]
    return {"processes": processes, "sent": int(sent[0]), "distinct": int(sent[1]),
            "at_sink": len(stamps), "exit_codes": codes,
            "touches_per_s": round((len(stamps) - 1) / span, 1) if span else None}


#: An aiosmtpd sink process that writes each message's arrival time (monotonic) to a file.
_SINK = """
import sys, time, asyncio
from aiosmtpd.controller import Controller
port, path = int(sys.argv[1]), sys.argv[2]
out = open(path, "a", buffering=1)
class H:
    async def handle_DATA(self, server, session, envelope):
        out.write(f"{time.monotonic()}\\n")
        return "250 OK"
c = Controller(H(), hostname="127.0.0.1", port=port)
c.start()
try:
    while True:
        time.sleep(1)
except KeyboardInterrupt:
    pass
"""


def bench_workers(n: int = 600, *, database: str | None = None) -> dict[str, Any]:
    """Touches per second with 1, 2 and 4 worker processes, beside LangGraph's bare graph on
    the Postgres saver."""
    workdir = Path(tempfile.mkdtemp(prefix="cadenza-bench-workers-"))
    server = database or DEFAULT_SERVER
    runs = []
    for processes in (1, 2, 4):
        with _scratch_postgres(server) as url:
            runs.append(_run_workers(url, n, processes, workdir))
    with _scratch_postgres(server) as url:
        Database(url).migrate()
        bare = baseline_langgraph(min(n, 300), workdir, "exit", location=url)
    best = max(r["touches_per_s"] or 0.0 for r in runs)
    return {"benchmark": "workers", "touches": n, "runs": runs,
            "scaling_2_vs_1": round((runs[1]["touches_per_s"] or 0) /
                                    (runs[0]["touches_per_s"] or 1), 2),
            "scaling_4_vs_1": round((runs[2]["touches_per_s"] or 0) /
                                    (runs[0]["touches_per_s"] or 1), 2),
            "baseline": {"name": "LangGraph's bare 4-node graph, Postgres saver, one process",
                         "runs_per_s": round(bare, 1)},
            "speedup": round(best / bare, 3), "machine": machine()}
