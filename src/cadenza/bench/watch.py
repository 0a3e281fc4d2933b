"""Benchmark: APPEND → recorded action latency through IMAP IDLE, and the watcher's memory.

It drives a real IMAP server the caller names (the benchmarks script starts a throwaway dovecot;
the product never depends on test fixtures): a fresh folder is created for the run, ``n``
prospects are seeded in a temporary database, and a second connection APPENDs one reply per
prospect at a steady rate while the watcher IDLEs on the folder. Latency is measured from just
before each APPEND to the moment the reply's action is committed (the ``on_processed`` callback
runs after the commit). The baseline is the same pipeline polling every ``poll_seconds`` instead
of IDLE, on a smaller sample, so ``speedup`` says what push buys. RSS is the whole process's
resident memory (watcher, appender and classifier model together) before and after the run,
with the model already loaded, so growth is the watcher's.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import resource
import statistics
import tempfile
import threading
import time
import uuid
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from imapclient import IMAPClient
from sqlmodel import select

from cadenza.config import Settings
from cadenza.mailbox.imap import ImapSource
from cadenza.mailbox.source import MailSource
from cadenza.playbooks import load_builtin
from cadenza.replies.classify.message import classify_message
from cadenza.replies.processing import ProcessOutcome
from cadenza.replies.watch_pool import start_watchers
from cadenza.replies.watcher import WatchOptions, imap_source
from cadenza.store.database import Database
from cadenza.store.models import Enrollment, Mailbox, Prospect, Reply, Touch
from cadenza.store.playbooks import save_playbook
from cadenza.store.workspaces import ensure_workspace

log = logging.getLogger(__name__)
OURS = "bench@sender.example"
BODIES = (
    "Sounds interesting, tell me more about how this works for our team.",
    "No thanks, not interested.",
    "What does it cost for a team of twenty?",
    "Please remove me from your list.",
    "Not right now, maybe reach out next quarter.",
)


def rss_mb() -> float:
    """Current resident memory of this process in MiB (peak RSS where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile: the value at the nearest index of the sorted list (NaN if none)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def seed_first_touches(db: Database, *, n: int, host: str, port: int, user: str, security: str,
                       password_ref: str, folder: str, token: str) -> tuple[int, list[str]]:
    """A workspace whose mailbox watches ``folder``, and ``n`` prospects each sent a first
    touch; returns the mailbox id and the touches' Message-IDs, in prospect order."""
    loaded = load_builtin("ai-sdr-first-four")
    ids: list[str] = []
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug=f"bench-{token}")
        assert ws.id is not None
        box = Mailbox(workspace_id=ws.id, email=OURS, imap_host=host, imap_port=port,
                      imap_security=security, imap_username=user,
                      imap_password_ref=password_ref, imap_folders=[folder])
        pb = save_playbook(session=s, workspace_id=ws.id, name=loaded.spec.name,
                           content_hash=loaded.content_hash,
                           definition=loaded.spec.model_dump(mode="json"),
                           source_yaml=loaded.source)
        s.add(box)
        s.flush()
        for i in range(n):
            p = Prospect(workspace_id=ws.id, email=f"p{i}@prospect{i % 50}.example")
            s.add(p)
            s.flush()
            assert p.id is not None and pb.id is not None
            e = Enrollment(workspace_id=ws.id, prospect_id=p.id, playbook_id=pb.id,
                           mailbox_id=box.id, next_step=2)
            s.add(e)
            s.flush()
            assert e.id is not None
            mid = f"<bench.{token}.{i}@sender.example>"
            s.add(Touch(workspace_id=ws.id, enrollment_id=e.id, prospect_id=p.id, step=1,
                        channel="email", state="sent", to_address=p.email,
                        subject="Quick question", message_id=mid, sent_at=now))
            ids.append(mid)
        assert box.id is not None
        return box.id, ids


def reply_message(i: int, touch_id: str, token: str, body: str | None = None
                  ) -> tuple[str, bytes]:
    """Prospect ``i``'s answer to ``touch_id``: its Message-ID and raw bytes."""
    msg = EmailMessage()
    msg["From"] = f"p{i}@prospect{i % 50}.example"
    msg["To"] = OURS
    msg["Subject"] = "Re: Quick question"
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    mid = f"<r.{token}.{i}@prospect.example>"
    msg["Message-ID"] = mid
    msg["In-Reply-To"] = touch_id
    msg.set_content(body if body is not None else BODIES[i % len(BODIES)])
    return mid, msg.as_bytes()


class _PollingSource(ImapSource):
    """The baseline: the same IMAP source with IDLE switched off."""

    def open(self) -> None:
        super().open()
        self.push = False


def _run(*, n: int, rate: float, poll: float | None, host: str, port: int, user: str,
         password: str, security: str, db_url: str | None, timeout: float) -> dict[str, Any]:
    token = uuid.uuid4().hex[:8]
    folder = f"cadenza-bench-{token}"
    with tempfile.TemporaryDirectory(prefix="cadenza-bench-") as tmp:
        secret = Path(tmp) / "imap-password"
        secret.write_text(password)
        secret.chmod(0o600)
        db = Database(db_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.migrate()
        mailbox_id, touch_ids = seed_first_touches(db, n=n, host=host, port=port, user=user,
                                                   security=security,
                                                   password_ref=f"file:{secret}",
                                                   folder=folder, token=token)
        appender = IMAPClient(host, port=port, ssl=security == "tls", timeout=30)
        if security == "starttls":
            appender.starttls()
        appender.login(user, password)
        appender.create_folder(folder)
        done: dict[int, float] = {}
        finished = threading.Event()

        def on_processed(outcome: ProcessOutcome) -> None:
            done[outcome.reply_id] = time.monotonic()
            if len(done) >= n:
                finished.set()

        def factory(mailbox: Mailbox, options: WatchOptions) -> MailSource:
            source = imap_source(mailbox, options)
            if poll is not None and isinstance(source, ImapSource):
                return _PollingSource(source.config)
            return source

        options = WatchOptions(poll_seconds=poll or 60.0)
        stop = threading.Event()
        before = rss_mb()
        group = start_watchers(db=db, settings=Settings(), stop=stop, mailbox_ids=[mailbox_id],
                               classify=classify_message, options=options,
                               source_factory=factory, on_processed=on_processed)
        sent: dict[str, float] = {}
        try:
            time.sleep(0.5)  # let the watcher connect and enter IDLE
            for i, touch_id in enumerate(touch_ids):
                mid, raw = reply_message(i, touch_id, token)
                sent[mid] = time.monotonic()
                appender.append(folder, raw)
                time.sleep(1.0 / rate)
            finished.wait(timeout)
        finally:
            stop.set()
            group.join(timeout=10)
            after = rss_mb()
            try:
                appender.delete_folder(folder)  # the benchmark's own folder, nothing else
                appender.logout()
            except Exception:
                log.warning("could not remove benchmark folder %s", folder)
        with db.session() as s:
            rows = {rid: mid for rid, mid in s.exec(
                select(Reply.id, Reply.message_id).where(Reply.mailbox_id == mailbox_id))}
        db.dispose()
    latencies = [(t - sent[rows[rid]]) * 1000 for rid, t in done.items()
                 if rows.get(rid) in sent]
    return {"n": n, "processed": len(latencies), "rate_per_s": rate,
            "p50_ms": round(percentile(latencies, 0.5), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "max_ms": round(max(latencies, default=float("nan")), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
            "rss_mb_before": round(before, 1), "rss_mb_after": round(after, 1)}


def bench_watch(n: int = 200, *, host: str, port: int, user: str, password: str,
                security: str = "none", rate: float = 10.0, baseline_n: int = 20,
                poll_seconds: float = 2.0, db_url: str | None = None) -> dict[str, Any]:
    """APPEND → action latency (p50/p95) through IDLE, a polling baseline, and RSS growth.

    ``user`` should be a throwaway account on a test server: the run creates and removes its
    own folder there. ``baseline_n=0`` skips the polling baseline.
    """
    # load the model before measuring RSS
    classify_message(reply_message(0, "<warm@up>", "warm")[1])
    idle = _run(n=n, rate=rate, poll=None, host=host, port=port, user=user, password=password,
                security=security, db_url=db_url, timeout=max(30.0, n / rate * 3))
    result: dict[str, Any] = {
        "benchmark": "watch", "server": f"{host}:{port}", "idle": idle,
        "rss_growth_mb": round(idle["rss_mb_after"] - idle["rss_mb_before"], 1),
        "targets": {"p95_ms": 1000},
    }
    if baseline_n > 0:
        base = _run(n=baseline_n, rate=rate, poll=poll_seconds, host=host, port=port,
                    user=user, password=password, security=security, db_url=db_url,
                    timeout=max(30.0, baseline_n / rate + poll_seconds * 4))
        base["poll_seconds"] = poll_seconds
        result["baseline"] = base
        if idle["p50_ms"] and base["p50_ms"]:
            result["speedup"] = round(base["p50_ms"] / idle["p50_ms"], 2)
    return result
