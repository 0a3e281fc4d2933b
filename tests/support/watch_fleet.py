"""Real ``cadenza watch`` processes for tests: started with subprocess, observed through the
database (the lease table, the replies and their events) and their own output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import select

import cadenza
from cadenza.store import Database
from cadenza.store.models import Event, MailboxLease, Reply

from support.clock import wall_clock

SRC = str(Path(cadenza.__file__).resolve().parents[1])


@dataclass
class WatchProc:
    """One ``cadenza watch`` process; its output goes to files under ``root``."""

    proc: subprocess.Popen[bytes]
    out: Path
    err: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def signal(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Fleet:
    """Watch processes sharing one database; ``stop_all`` in a ``finally``."""

    database_url: str
    root: Path
    env: dict[str, str] = field(default_factory=dict)
    procs: list[WatchProc] = field(default_factory=list)

    def start(self, *args: str) -> WatchProc:
        n = len(self.procs)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CADENZA_", "OPENAI_"))}
        env |= {"CADENZA_DATABASE_URL": self.database_url, "PYTHONPATH": SRC,
                "CADENZA_HOME": str(self.root / f"home{n}"), **self.env}
        out, err = self.root / f"watch{n}.out", self.root / f"watch{n}.err"
        proc = subprocess.Popen([sys.executable, "-m", "cadenza", "watch", *args], env=env,
                                stdout=out.open("wb"), stderr=err.open("wb"),
                                cwd=self.root)
        watch = WatchProc(proc, out, err)
        self.procs.append(watch)
        return watch

    def stop_all(self) -> None:
        for p in self.procs:
            p.stop()


def holders(db: Database) -> dict[int, tuple[str, int]]:
    """Each mailbox's current holder and token: leases not released and not yet expired, by
    the wall clock (the processes write their leases with it)."""
    now = wall_clock()
    with db.session() as s:
        rows = s.exec(select(MailboxLease)).all()
    return {r.mailbox_id: (r.holder, r.token) for r in rows if r.holder and r.expires_at >= now}


def pid_of(holder: str) -> int:
    """The pid in a holder's name (``host:pid:suffix``)."""
    return int(holder.split(":")[1])


def processed_counts(db: Database) -> dict[str, int]:
    """How many ``reply.processed`` events each stored Message-ID has (once is right)."""
    with db.session() as s:
        ids = dict(s.exec(select(Reply.id, Reply.message_id)).all())
        events = s.exec(select(Event.subject_id).where(Event.kind == "reply.processed")).all()
    counts = dict.fromkeys(ids.values(), 0)
    for reply_id in events:
        counts[ids[reply_id]] += 1
    return counts


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.1) -> float | None:
    """Seconds until ``predicate`` held, or None when it did not within ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    return None
