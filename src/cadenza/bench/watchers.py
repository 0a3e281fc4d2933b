"""Benchmark: reply throughput with 1 and 2 ``cadenza watch`` processes sharing the mailboxes.

Real processes on a scratch PostgreSQL database and a real IMAP server the caller names (the
``benchmarks/watchers.py`` script starts a throwaway dovecot). Each run seeds ``mailboxes``
mailboxes (one IMAP user each) with ``n`` replies in total, staged in a side folder; starts the
watch processes and waits until they have split the mailboxes by lease and finished a first
cycle; then MOVEs every staged reply into the watched folders at once and times until the last
one is acted on. ``replies_per_s`` is ``n`` over that time: IMAP fetch, store, parse, thread,
classify and act, across processes. The baseline, in the same run, is a bare IMAP fetch
(``BODY.PEEK[]``) of the same messages, one connection per mailbox in turn.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import cadenza
from cadenza.bench import machine
from cadenza.bench.watch import reply_message, seed_first_touches
from cadenza.store.database import Database
from cadenza.store.models import Event, FolderCursor, MailboxLease, Reply, utcnow

log = logging.getLogger(__name__)
LEASE_SECONDS = 2.0


def _imap(host: str, port: int, user: str, password: str) -> Any:
    from imapclient import IMAPClient

    client = IMAPClient(host, port=port, ssl=False, timeout=60)
    client.login(user, password)
    return client


def _scratch_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"cadenza_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"{admin_url.rsplit('/', 1)[0]}/{name}"


def _drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _ready(db: Database, ids: list[int], processes: int) -> bool:
    """Every mailbox leased, split evenly across the processes, and cycled once."""
    now = utcnow()
    with db.session() as s:
        leases = [r for r in s.exec(_select(MailboxLease)).all()
                  if r.mailbox_id in ids and r.holder and r.expires_at >= now]
        cursors = {c.mailbox_id for c in s.exec(_select(FolderCursor)).all()}
    split = sorted(Counter(r.holder for r in leases).values())
    even = [len(ids) // processes + (1 if i >= processes - len(ids) % processes else 0)
            for i in range(processes)]
    return len(leases) == len(ids) and split == even and set(ids) <= cursors


def _select(table: Any) -> Any:
    from sqlmodel import select

    return select(table)


def _acted_on(db: Database, ids: list[int]) -> int:
    from sqlalchemy import func
    from sqlmodel import col, select

    with db.session() as s:
        return int(s.exec(select(func.count()).select_from(Reply).where(
            col(Reply.mailbox_id).in_(ids), col(Reply.state).not_in(
                ("stored", "processing")))).one())


def _run(*, n: int, processes: int, mailboxes: int, host: str, port: int, password: str,
         admin_url: str, timeout: float) -> dict[str, Any]:
    token = uuid.uuid4().hex[:8]
    folder, staging = f"bench-{token}", f"bench-{token}-staging"
    name, url = _scratch_database(admin_url)
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="cadenza-bench-watchers-") as tmp:
        secret = Path(tmp) / "imap-password"
        secret.write_text(password)
        secret.chmod(0o600)
        db = Database(url)
        try:
            db.migrate()
            users = [f"bench-{token}-{k}" for k in range(mailboxes)]
            per = [n // mailboxes + (1 if k < n % mailboxes else 0) for k in range(mailboxes)]
            ids: list[int] = []
            for k, user in enumerate(users):
                mailbox_id, touches = seed_first_touches(
                    db, n=per[k], host=host, port=port, user=user, security="none",
                    password_ref=f"file:{secret}", folder=folder, token=f"{token}{k}")
                ids.append(mailbox_id)
                with _imap(host, port, user, password) as c:
                    c.create_folder(folder)
                    c.create_folder(staging)
                    for i, touch in enumerate(touches):
                        c.append(staging, reply_message(i, touch, f"{token}{k}")[1])
            env = {key: value for key, value in os.environ.items()
                   if not key.startswith("CADENZA_")}
            env |= {"CADENZA_DATABASE_URL": url, "CADENZA_HOME": tmp,
                    "CADENZA_WATCH_LEASE_SECONDS": str(LEASE_SECONDS),
                    "PYTHONPATH": str(Path(cadenza.__file__).resolve().parents[1])}
            mailbox_args = [a for i in ids for a in ("--mailbox", str(i))]
            for _ in range(processes):
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "cadenza", "watch", *mailbox_args], env=env,
                    cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            deadline = time.monotonic() + 120
            while not _ready(db, ids, processes):
                if time.monotonic() > deadline:
                    raise RuntimeError("the watch processes did not split the mailboxes")
                time.sleep(0.1)
            time.sleep(1.0)  # every watcher in IDLE

            def move(user: str) -> None:
                with _imap(host, port, user, password) as c:
                    c.select_folder(staging)
                    c.move(c.search(["ALL"]), folder)

            movers = [threading.Thread(target=move, args=(u,)) for u in users]
            pids = [p.pid for p in procs]
            cpu = _cpu_seconds(pids)
            load = os.getloadavg()[0]
            start = time.perf_counter()
            for t in movers:
                t.start()
            for t in movers:
                t.join()
            while _acted_on(db, ids) < n and time.perf_counter() - start < timeout:
                time.sleep(0.02)
            elapsed = time.perf_counter() - start
            cpu = _cpu_seconds(pids) - cpu
            acted = _acted_on(db, ids)
            with db.session() as s:
                events = Counter(s.exec(_select(Event.subject_id).where(
                    Event.kind == "reply.processed")).all())
            start = time.perf_counter()
            fetched = 0
            for user in users:
                with _imap(host, port, user, password) as c:
                    c.select_folder(folder, readonly=True)
                    fetched += len(c.fetch(c.search(["ALL"]), ["BODY.PEEK[]"]))
            baseline = time.perf_counter() - start
        finally:
            for p in procs:
                p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
            db.dispose()
            _drop_database(admin_url, name)
    return {"processes": processes, "n": n, "acted_on": acted,
            "acted_on_twice": sum(1 for c in events.values() if c > 1),
            "seconds": round(elapsed, 3), "replies_per_s": round(acted / elapsed, 1),
            "watcher_cpu_ms_per_reply": round(cpu * 1000 / max(acted, 1), 1),
            "load_average_at_start": round(load, 1),
            "baseline_fetched": fetched,
            "baseline_fetch_per_s": round(fetched / baseline, 1) if baseline else None}


def bench_watchers(n: int = 400, *, host: str, port: int, password: str, admin_url: str,
                   mailboxes: int = 4, timeout: float = 300.0) -> dict[str, Any]:
    """Throughput with 1, then 2 watch processes (see the module docstring)."""
    runs = [_run(n=n, processes=p, mailboxes=mailboxes, host=host, port=port,
                 password=password, admin_url=admin_url, timeout=timeout) for p in (1, 2)]
    one, two = runs
    return {"benchmark": "watchers", "machine": machine(), "n": n, "mailboxes": mailboxes,
            "runs": runs, "scaling_2_over_1": round(two["replies_per_s"]
                                                    / one["replies_per_s"], 2),
            "baseline": {"bare_fetch_per_s": [r["baseline_fetch_per_s"] for r in runs]},
            "speedup": round(two["replies_per_s"] / (two["baseline_fetch_per_s"] or 1), 3)}
