"""Every benchmark, and the registry behind ``cadenza bench NAME``; nothing imports this
package but the CLI and its own tests.

Every benchmark returns a dict of figures with a ``baseline`` measured in the same run and a
``speedup`` (how many times the measured path beats the baseline; below 1 means slower), so a
noisy machine still gives a meaningful ratio. Each finishes within about a minute at its
default size.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def machine() -> dict[str, Any]:
    """What the figures were measured on (reported beside them)."""
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count()}


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class Benchmark:
    """One benchmark: what it measures, its default size, and the function."""

    summary: str
    default_size: int
    run: Callable[..., dict[str, Any]]
    #: the benchmark also runs on a PostgreSQL server given with ``--database``
    takes_database: bool = False
    #: the benchmark measures at each of ``--sizes`` (comma-separated) in one run
    takes_sizes: bool = False


def _import(n: int) -> dict[str, Any]:
    """Prospects with 3 facts each, JSONL → SQLite; baseline: json.loads of the same file."""
    from cadenza.bench.delivery import _prospect_rows
    from cadenza.importer import import_prospects
    from cadenza.store import Database
    from cadenza.store.workspaces import ensure_workspace

    workdir = Path(tempfile.mkdtemp(prefix="cadenza-bench-import-"))
    path = workdir / "prospects.jsonl"
    with path.open("w") as fh:
        for row in _prospect_rows(n):
            row["facts"] = row["facts"] * 3
            for i, fact in enumerate(row["facts"]):
                row["facts"][i] = dict(fact, id=f"f{i}")
            fh.write(json.dumps(row) + "\n")
    start = time.perf_counter()
    with path.open() as fh:
        for line in fh:
            json.loads(line)
    baseline = time.perf_counter() - start
    db = Database(f"sqlite:///{workdir / 'bench.db'}")
    db.migrate()
    moved: list[int] = []
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="bench")
        start = time.perf_counter()
        report = import_prospects(session=s, workspace_id=ws.id or 0, path=path,
                                  on_bytes=moved.append)
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        again = import_prospects(session=s, workspace_id=ws.id or 0, path=path)
        reimport = time.perf_counter() - start
    db.dispose()
    return {"benchmark": "import", "n": n, "counts": report.counts,
            "seconds": round(elapsed, 2), "prospects_per_s": round(n / elapsed, 1),
            "reimport_seconds": round(reimport, 2), "reimport_counts": again.counts,
            "progress_updates": len(moved), "peak_rss_mb": round(rss_mb(), 1),
            "baseline": {"name": "json.loads of every line", "seconds": round(baseline, 3)},
            "speedup": round(baseline / elapsed, 4), "machine": machine()}


def _scheduler(n: int, database: str | None = None,
               sizes: list[int] | None = None) -> dict[str, Any]:
    """The claim of up to 1,000 due touches among ``n`` (or each of ``sizes``) enrollments;
    baseline: the same claim on a copy of the table without the index."""
    from cadenza.bench.scheduler import bench_scheduler

    return bench_scheduler(sizes or [n], database=database)


def registry() -> dict[str, Benchmark]:
    """Every benchmark by name (imports stay lazy: ``--help`` must be instant)."""
    def delivery(n: int) -> dict[str, Any]:
        from cadenza.bench.delivery import bench_delivery

        return bench_delivery(n)

    def llm(n: int) -> dict[str, Any]:
        from cadenza.bench.delivery import bench_llm_prompt

        return bench_llm_prompt(n)

    def replies(n: int) -> dict[str, Any]:
        from cadenza.bench.replies import bench_replies

        return bench_replies(n)

    def eval_drafts(n: int) -> dict[str, Any]:
        from cadenza.bench.eval_drafts import bench_eval_drafts

        return bench_eval_drafts(n)

    def queue(n: int) -> dict[str, Any]:
        from cadenza.bench.queue import bench_queue

        return bench_queue(n)

    def inbound(n: int) -> dict[str, Any]:
        from cadenza.bench.inbound import bench_inbound

        return bench_inbound(n)

    def dashboard(n: int, database: str | None = None) -> dict[str, Any]:
        from cadenza.bench.dashboard import bench_dashboard

        return bench_dashboard(n, database=database)

    def claim(n: int, database: str | None = None) -> dict[str, Any]:
        from cadenza.bench.workers import bench_claim

        return bench_claim(n, database=database)

    def workers(n: int, database: str | None = None) -> dict[str, Any]:
        from cadenza.bench.workers import bench_workers

        return bench_workers(n, database=database)

    def routing(n: int) -> dict[str, Any]:
        from cadenza.bench.routing import bench_routing

        return bench_routing(open_tickets=n)

    return {
        "queue": Benchmark("a rep reading their queue through the API with N open tickets "
                           "(target p95 < 50 ms) vs a bare SELECT", 10_000, queue),
        "routing": Benchmark("one routing decision with 50 reps and N open tickets "
                             "(target < 5 ms) vs a primary-key read", 10_000, routing),
        "delivery": Benchmark("touches drafted, checked and delivered per second over SMTP "
                              "(loopback), durable checkpoints, vs LangGraph's 4-node graph",
                              1000, delivery),
        "scheduler": Benchmark("the claim (find, lock, mark) of up to 1,000 due touches among "
                               "N enrollments (--sizes 10000,100000,1000000; --database a "
                               "PostgreSQL URL or a SQLite path) vs the same claim without "
                               "the index", 100_000, _scheduler, takes_database=True,
                               takes_sizes=True),
        "import": Benchmark("prospect import JSONL → SQLite (target: 100,000 in < 60 s)",
                            100_000, _import),
        "replies": Benchmark("offline reply classification msgs/s vs a bare MIME parse", 1000,
                             replies),
        "llm": Benchmark("LLM drafter prompt size per touch (tokens, stable prefix)", 100, llm),
        "inbound": Benchmark("inbound lead → first touch delivered over SMTP through the API "
                             "and the touch graph (target p95 < 2 s) vs a bare compose + SMTP "
                             "send", 50, inbound),
        "eval-drafts": Benchmark("eval drafts (draft + score) over N prospects", 100,
                                 eval_drafts),
        "dashboard": Benchmark("the dashboard over N touches on SQLite (and PostgreSQL with "
                               "--database postgresql://server/db; target < 1 s), read from "
                               "its per-hour tallies, vs a bare COUNT(*) of the touches and "
                               "the old recomputation", 100_000, dashboard,
                               takes_database=True),
        "claim": Benchmark("the claim of the 100 due touches among 10k and 100k enrollments "
                           "(--size 1000000 adds 1M) on PostgreSQL (--database, default the "
                           "local server; target <= 20 ms) vs the bare locked due query",
                           100_000, claim, takes_database=True),
        "workers": Benchmark("touches per second with 1, 2 and 4 `cadenza worker` processes "
                             "on PostgreSQL vs LangGraph's bare graph on the Postgres saver",
                             600, workers, takes_database=True),
    }
