"""Benchmark: a positive reply APPENDed → its rep notified, beside the bare IDLE push delay.

What a rep feels: from the moment a prospect's reply lands in the mailbox to the moment the
rep's notification email reaches their mail server. Everything between is the product as
``cadenza watch`` runs it — the watcher IDLEs on the folder, stores and classifies the reply,
the reply policy creates the handoff, ``route_on_creation`` routes it to a rep in the same pass
and the service's :class:`~cadenza.handoff.dispatch.WorkspaceNotifier` emails the rep over SMTP
(the channel a workspace gets by default) once the routing commits.

The IMAP server is the caller's (the benchmarks script starts a throwaway dovecot: the product
never depends on test fixtures). The SMTP server is an aiosmtpd sink in a process of its own,
as a rep's mail server would be; it stamps each message with ``time.monotonic()`` on arrival,
which is CLOCK_MONOTONIC and so comparable with this process's stamps taken just before each
APPEND. The baseline, in the same run and at the same rate, is the floor nothing built on IDLE
can beat: one imapclient connection APPENDs while another IDLEs on the folder, timed until the
server's EXISTS response arrives — no product code at all.

Reading the figures: dovecot holds a change up to 500 ms before telling IDLE clients
(``NOTIFY_DELAY_MSECS`` in its mailbox-watch.c, so more changes go out in one response), so the
floor is spread over 0–500 ms and a quantile ratio near 1 is noise; ``added_mean_ms`` (the
difference of the means) is what the product adds. A reply can even beat the floor: a watcher
cycle woken by one EXISTS also fetches what was APPENDed since, without waiting for its push.
"""

from __future__ import annotations

import logging
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
from typing import Any

from imapclient import IMAPClient
from pydantic import SecretStr
from sqlmodel import select

from cadenza.bench import machine
from cadenza.bench.delivery import _free_port, _wait_port
from cadenza.bench.watch import percentile, reply_message, seed_first_touches
from cadenza.config import Settings
from cadenza.handoff.dispatch import WorkspaceNotifier, route_on_creation
from cadenza.mailbox.smtp import sender_for_mailbox
from cadenza.replies.classify.message import classify_message
from cadenza.replies.watch_pool import start_watchers
from cadenza.replies.watcher import WatchOptions
from cadenza.store.database import Database
from cadenza.store.models import FolderCursor, Handoff, Mailbox, Rep, Reply, utcnow

log = logging.getLogger(__name__)
#: Replies the offline classifier hands off (interested, meeting request, question).
POSITIVE = (
    "Sounds interesting, tell me more about how this works for our team.",
    "This looks relevant for us. Can you send more details?",
    "Yes, happy to talk. Does Tuesday at 3pm work for a call?",
    "Sounds good, send me some times next week.",
    "What does it cost for a team of twenty?",
)


class ArrivalLog:
    """aiosmtpd handler (``python -m aiosmtpd -c cadenza.bench.notify.ArrivalLog FILE``):
    appends ``<monotonic seconds> <Message-ID> <recipients>`` to FILE for every message."""

    def __init__(self, path: str) -> None:
        self.out = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (the server's life)

    @classmethod
    def from_cli(cls, parser: Any, *args: str) -> ArrivalLog:
        if len(args) != 1:
            parser.error("ArrivalLog takes the file to write to")
        return cls(args[0])

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        at = time.monotonic()
        headers = BytesHeaderParser(policy=compat32).parsebytes(
            bytes(envelope.original_content or envelope.content))
        self.out.write(f"{at:.6f} {headers.get('Message-ID', '-')} "
                       f"{','.join(envelope.rcpt_tos)}\n")
        return "250 OK"


def _arrivals(path: Path) -> dict[int, tuple[float, str]]:
    """Handoff id → (arrival time, recipients) of its first ``assigned`` notice."""
    found: dict[int, tuple[float, str]] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.count(" ") < 2:
            continue  # read while the sink was writing it
        at, message_id, rcpt = line.split(" ", 2)
        parts = message_id.strip("<>").split("-")  # <handoff-ID-KIND-random@domain>
        if len(parts) >= 3 and parts[0] == "handoff" and parts[2] == "assigned":
            found.setdefault(int(parts[1]), (float(at), rcpt))
    return found


def _connect(host: str, port: int, security: str, user: str, password: str) -> IMAPClient:
    client = IMAPClient(host, port=port, ssl=security == "tls", timeout=30)
    if security == "starttls":
        client.starttls()
    client.login(user, password)
    return client


def _pace(i: int, start: float, rate: float) -> None:
    """Sleep until the ``i``-th slot of a steady ``rate`` per second (APPENDs take time too)."""
    delay = start + i / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def _figures(latencies: list[float]) -> dict[str, Any]:
    return {"n": len(latencies), "p50_ms": round(percentile(latencies, 0.5), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "max_ms": round(max(latencies, default=float("nan")), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None}


def push_delays(*, n: int, rate: float, connect: Callable[[], IMAPClient],
                timeout: float) -> list[float]:
    """The baseline: APPEND on one connection → EXISTS on another one IDLE on the folder, ms."""
    folder = f"cadenza-push-{uuid.uuid4().hex[:8]}"
    appender, idler = connect(), connect()
    appender.create_folder(folder)
    idler.select_folder(folder, readonly=True)
    seen: dict[int, float] = {}
    done = threading.Event()

    def listen() -> None:
        while not done.is_set() and len(seen) < n:
            for response in idler.idle_check(timeout=0.5):
                at = time.monotonic()
                if len(response) == 2 and response[1] == b"EXISTS":
                    for k in range(len(seen) + 1, int(response[0]) + 1):
                        seen[k] = at  # several APPENDs can arrive as one EXISTS

    sent: list[float] = []
    try:
        idler.idle()
        listener = threading.Thread(target=listen, name="bench-idle", daemon=True)
        listener.start()
        start = time.monotonic()
        for i in range(n):
            _pace(i, start, rate)
            raw = reply_message(i, "<push@bench>", "push", POSITIVE[i % len(POSITIVE)])[1]
            sent.append(time.monotonic())
            appender.append(folder, raw)
        listener.join(timeout)
        done.set()
        listener.join(5)
        idler.idle_done()
    finally:
        try:
            idler.logout()
            appender.delete_folder(folder)  # the benchmark's own folder, nothing else
            appender.logout()
        except Exception:
            log.warning("could not remove benchmark folder %s", folder)
    return [(seen[k + 1] - at) * 1000 for k, at in enumerate(sent) if k + 1 in seen]


def _seed_reps(db: Database, *, mailbox_id: int, smtp_port: int, reps: int, n: int) -> None:
    """Reps who are always available with room for every handoff, and the mailbox's SMTP."""
    with db.session() as s:
        box = s.get(Mailbox, mailbox_id)
        assert box is not None
        box.smtp_host, box.smtp_port, box.smtp_security = "127.0.0.1", smtp_port, "none"
        s.add(box)
        for r in range(reps):
            s.add(Rep(workspace_id=box.workspace_id, name=f"Rep {r}",
                      email=f"rep{r}@agency.example", timezone="UTC", capacity=n,
                      working_hours={"mon-sun": "00:00-24:00"}))


def notify_latencies(*, n: int, rate: float, reps: int, host: str, port: int, user: str,
                     password: str, security: str, db_url: str | None,
                     timeout: float) -> dict[str, Any]:
    """APPEND → the rep's notification at the SMTP sink, through the product as it runs."""
    token = uuid.uuid4().hex[:8]
    folder = f"cadenza-notify-{token}"
    with tempfile.TemporaryDirectory(prefix="cadenza-bench-notify-") as tmp:
        workdir = Path(tmp)
        secret = workdir / "imap-password"
        secret.write_text(password)
        secret.chmod(0o600)
        log_path = workdir / "arrivals.log"
        log_path.touch()
        smtp_port = _free_port()
        sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                                 f"127.0.0.1:{smtp_port}", "-c",
                                 "cadenza.bench.notify.ArrivalLog", str(log_path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        db = Database(db_url or f"sqlite:///{workdir / 'bench.db'}")
        appender: IMAPClient | None = None
        stop = threading.Event()
        sent: dict[str, float] = {}
        try:
            _wait_port(smtp_port)
            db.migrate()
            mailbox_id, touch_ids = seed_first_touches(
                db, n=n, host=host, port=port, user=user, security=security,
                password_ref=f"file:{secret}", folder=folder, token=token)
            _seed_reps(db, mailbox_id=mailbox_id, smtp_port=smtp_port, reps=reps, n=n)
            appender = _connect(host, port, security, user, password)
            appender.create_folder(folder)
            settings = Settings(home=workdir, secret_key=SecretStr("bench-" + token * 4))
            # the wiring of `cadenza watch` (cli/mail.py): the service's notifier, routing on
            # creation, the wall clock
            notifier = WorkspaceNotifier(sender_for=sender_for_mailbox,
                                         signing_key=settings.signing_key(),
                                         public_base_url=settings.public_base_url)
            group = start_watchers(db=db, settings=settings, stop=stop,
                                   mailbox_ids=[mailbox_id], classify=classify_message,
                                   options=WatchOptions(),
                                   on_handoff=route_on_creation(db=db, notifier=notifier,
                                                                clock=utcnow))
            _wait_watching(db, mailbox_id, timeout=30)
            start = time.monotonic()
            for i, touch_id in enumerate(touch_ids):
                _pace(i, start, rate)
                mid, raw = reply_message(i, touch_id, token, POSITIVE[i % len(POSITIVE)])
                sent[mid] = time.monotonic()
                appender.append(folder, raw)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and len(_arrivals(log_path)) < n:
                time.sleep(0.1)
            stop.set()
            group.join(timeout=10)
            arrived = _arrivals(log_path)
            with db.session() as s:
                rows = s.exec(select(Handoff.id, Reply.message_id, Handoff.rep_id)
                              .join(Reply, Reply.id == Handoff.reply_id)  # type: ignore[arg-type]
                              .where(Reply.mailbox_id == mailbox_id)).all()
        finally:
            stop.set()
            sink.terminate()
            sink.wait(timeout=10)
            if appender is not None:
                try:
                    appender.delete_folder(folder)  # the benchmark's own folder, nothing else
                    appender.logout()
                except Exception:
                    log.warning("could not remove benchmark folder %s", folder)
            db.dispose()
    latencies = [(arrived[hid][0] - sent[mid]) * 1000 for hid, mid, _ in rows
                 if hid in arrived and mid in sent]
    return _figures(latencies) | {
        "appended": len(sent), "handoffs": len(rows),
        "routed_to_a_rep": sum(1 for *_, rep_id in rows if rep_id is not None),
        "reps_notified": len(arrived), "reps": reps}


def _wait_watching(db: Database, mailbox_id: int, *, timeout: float) -> None:
    """Until the watcher's first cycle has read the folder (it then IDLEs on it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.session() as s:
            if s.exec(select(FolderCursor.id).where(
                    FolderCursor.mailbox_id == mailbox_id)).first() is not None:
                time.sleep(0.3)  # the cycle ends with entering IDLE
                return
        time.sleep(0.05)
    raise RuntimeError("the watcher did not connect within 30 s")


def bench_handoff_notify(n: int = 200, *, host: str, port: int, user: str, password: str,
                         security: str = "none", rate: float = 10.0, reps: int = 10,
                         db_url: str | None = None) -> dict[str, Any]:
    """Reply APPEND → rep notified (p50/p95/max) and the bare IDLE push delay, same run.

    ``user`` should be a throwaway account on a test server: the run creates and removes its
    own folders there. ``ratio`` is the notified latency over the push delay (how many times
    the floor IMAP sets); ``speedup`` is its inverse, as every benchmark reports one.
    """
    classify_message(reply_message(0, "<warm@up>", "warm")[1])  # the model loads once, first
    timeout = max(30.0, n / rate * 2)

    def connect() -> IMAPClient:
        return _connect(host, port, security, user, password)

    push = _figures(push_delays(n=n, rate=rate, connect=connect, timeout=timeout))
    notified = notify_latencies(n=n, rate=rate, reps=reps, host=host, port=port, user=user,
                                password=password, security=security, db_url=db_url,
                                timeout=timeout)
    ratio = {q: round(notified[f"{q}_ms"] / push[f"{q}_ms"], 2) if push[f"{q}_ms"] else None
             for q in ("p50", "p95")}
    return {
        "benchmark": "handoff-notify", "server": f"{host}:{port}", "rate_per_s": rate,
        "notified": notified,
        "baseline": {"name": "bare IMAP IDLE push: APPEND on one connection → EXISTS on "
                             "another (imapclient, no product code)"} | push,
        "ratio": ratio,
        # the mean is steadier than a quantile against dovecot's 0-500 ms notify batching
        "added_mean_ms": round(notified["mean_ms"] - push["mean_ms"], 1)
        if notified["mean_ms"] is not None and push["mean_ms"] is not None else None,
        "speedup": round(1 / ratio["p50"], 3) if ratio["p50"] else None,
        "targets": {"p95_ms": 1000}, "target_met": notified["p95_ms"] < 1000,
        "machine": machine(),
    }
