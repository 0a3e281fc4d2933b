"""The fault run: real ``cadenza worker`` and ``cadenza watch`` processes on PostgreSQL, dovecot
and an SMTP sink, while a chaos loop kills processes and breaks the servers; then the
invariants, checked from the sink's and the database's records.

Time: every enrollment started days ago on a two-step email playbook whose window is always
open, so step 1 is due at once and step 2 as soon as step 1 is sent: a run takes minutes, on
the wall clock every process shares (no faked clock, so a send's time and a reply's time
compare). The mailboxes' daily caps are set so that some sends are put off to the next day:
the cap check has something to refuse.

The caller brings the IMAP server (``imap``: host, port, password, ``kick(user)``,
``restart()``) because starting dovecot is the test suite's business (``tests/support``);
``restart_postgres`` is a callable, since only the caller knows whether it may restart the
machine's cluster.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import text

import cadenza
from cadenza.bench.watchers import _drop_database, _imap, _scratch_database
from cadenza.store.database import Database

log = logging.getLogger(__name__)

#: Two email steps, the second due the moment the first is sent (the enrollment started days
#: ago; the window never closes).
PLAYBOOK = ("name: fault-two-emails\nbusiness_days: false\nsend_window: {start: '00:00', "
            "end: '23:59', days: [mon, tue, wed, thu, fri, sat, sun]}\nsteps:\n"
            "  - {day: 1, channel: email, owner: agent, template: email_opener}\n"
            "  - {day: 2, channel: email, owner: agent, template: email_followup}\n")
#: Reply bodies a person writes (each stops the enrollment) and one machine's.
HUMAN = ("Sounds interesting, tell me more about how this works for our team.",
         "No thanks, not interested.", "Please remove me from your list.")
HUMAN_INTENTS = frozenset({"interested", "meeting_request", "question", "referral", "not_now",
                           "not_interested", "unsubscribe", "unclear"})
IN_FLIGHT = ("pending", "drafted", "approved", "sending")
#: An enrollment's due time, none while a claim holds it (m18c: the claim stamps
#: ``claimed_at`` and leaves ``next_due_at`` as it was).
_DUE_AT = "(CASE WHEN e.claimed_at IS NULL THEN e.next_due_at END)"
#: A touch in flight that nobody will finish: sending, or claimed-state with its enrollment
#: not due later (a touch the send-time cap check put off keeps ``pending``, unowned, and its
#: enrollment due tomorrow: that one is waiting, not stuck).
_FLYING = ("t.state = ANY(:s) AND NOT (t.state <> 'sending' AND t.worker_id IS NULL AND "
           f"{_DUE_AT} > now())")


class ImapServer(Protocol):
    """What the run needs of the IMAP server: where it is, and two ways to break it."""

    host: str
    port: int
    password: str

    def kick(self, user: str) -> None: ...

    def restart(self) -> None: ...


@dataclass(frozen=True)
class Size:
    """How big a run is and how hard the chaos loop hits."""

    workers: int = 4
    watchers: int = 2
    enrollments: int = 5000
    mailboxes: int = 20
    reply_share: float = 0.1
    chaos_every: tuple[float, float] = (4.0, 10.0)
    outage_seconds: tuple[float, float] = (2.0, 6.0)
    postgres_restarts: int = 2
    #: each kind of fault at least this many times (the smoke test's "one of each kind")
    at_least: int = 1
    timeout: float = 3600.0


#: The small run the test suite makes: one fault of each kind but PostgreSQL's restart.
SMOKE = Size(workers=2, watchers=1, enrollments=200, mailboxes=4, chaos_every=(2.0, 4.0),
             postgres_restarts=0, timeout=240.0)


#: The fault run's retry waits after a 451 or a dropped connection (minutes: 6 s to 1 min),
#: standing in for the default's 5 min to 12 h so the run sees each put-off touch sent.
RETRY_MINUTES = "0.1,0.2,0.5,1,1,1"


@dataclass
class Sink:
    """aiosmtpd handler that counts accepted messages by Message-ID, and on command refuses
    (451) or drops the connection without answering (nothing stored, so a retry is right)."""

    mode: str = "ok"
    accepted: list[tuple[str, str, float]] = field(default_factory=list)  # mid, from, time
    refused: int = 0
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            mode = self.mode
            if mode == "refuse":
                self.refused += 1
                return "451 4.3.0 fault run: try again later"
            if mode == "drop":
                self.dropped += 1
                server.transport.abort()
                return "421 4.3.0 dropped"
            msg = message_from_bytes(bytes(envelope.original_content or envelope.content),
                                     policy=policy.default)
            self.accepted.append((str(msg["Message-ID"]), str(envelope.mail_from),
                                  time.time()))
        return "250 OK"


class Fleet:
    """The worker and watch processes, started with the commands deploy/Procfile runs."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.procs: dict[str, list[subprocess.Popen[bytes]]] = {"worker": [], "watch": []}
        self.started = 0
        self.died: list[tuple[str, int]] = []  # (kind, exit code) of those we did not kill
        self.killed: set[int] = set()

    def start(self, kind: str) -> subprocess.Popen[bytes]:
        args = ["worker", "--poll", "0.5"] if kind == "worker" else ["watch"]
        self.started += 1
        err = (self.logs / f"{kind}{self.started}.err").open("wb")
        proc = subprocess.Popen([sys.executable, "-m", "cadenza", *args], env=self.env,
                                cwd=self.logs, stdout=subprocess.DEVNULL, stderr=err)
        self.procs[kind].append(proc)
        return proc

    def live(self, kind: str) -> list[subprocess.Popen[bytes]]:
        return [p for p in self.procs[kind] if p.poll() is None]

    def kill_one(self, kind: str, rng: random.Random) -> None:
        """SIGKILL one live process of ``kind`` and start its replacement."""
        live = self.live(kind)
        if not live:
            return
        victim = rng.choice(live)
        self.killed.add(victim.pid)
        victim.kill()
        victim.wait(30)
        self.start(kind)

    def revive(self) -> None:
        """Restart a process that exited on its own, as the units' ``Restart=always`` would
        (each is counted in ``died``: the run reports it)."""
        for kind, procs in self.procs.items():
            for p in list(procs):
                if p.poll() is not None and p.pid not in self.killed:
                    self.killed.add(p.pid)
                    self.died.append((kind, p.returncode))
                    self.start(kind)

    def stop(self) -> list[int]:
        live = [p for ps in self.procs.values() for p in ps if p.poll() is None]
        for p in live:
            p.send_signal(signal.SIGTERM)
        codes = []
        for p in live:
            try:
                codes.append(p.wait(60))
            except subprocess.TimeoutExpired:
                p.kill()
                codes.append(p.wait())
        return codes


def _seed(db: Database, size: Size, *, smtp_port: int, imap: ImapServer, secret: Path,
          token: str, cap: int) -> dict[int, str]:
    """Workspace, mailboxes (each an IMAP user) and enrollments due now; returns the IMAP user
    of each mailbox id."""
    import json

    from cadenza.bench.delivery import _sample_sender
    from cadenza.playbooks import parse_playbook
    from cadenza.store.models import Enrollment, Mailbox, Prospect
    from cadenza.store.playbooks import save_playbook
    from cadenza.store.workspaces import ensure_workspace

    sender = json.loads(_sample_sender())
    domain = sender["sender"]["email"].rsplit("@", 1)[1]
    loaded = parse_playbook(PLAYBOOK, origin="fault run")
    now = dt.datetime.now(dt.UTC)
    users: dict[int, str] = {}
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug=f"fault-{token}", sender=sender,
                                 settings={"approval": {"mode": "never"},
                                           "domain_daily_cap": 10**9})
        assert ws.id is not None
        pb = save_playbook(session=s, workspace_id=ws.id, name=loaded.spec.name,
                           content_hash=loaded.content_hash,
                           definition=loaded.spec.model_dump(mode="json"),
                           source_yaml=loaded.source)
        boxes = []
        for k in range(size.mailboxes):
            user = f"fault-{token}-{k}"
            box = Mailbox(workspace_id=ws.id, email=f"box{k}@{domain}", smtp_host="127.0.0.1",
                          smtp_port=smtp_port, smtp_security="none", daily_cap=cap,
                          min_gap_seconds=0, jitter_seconds=0, imap_host=imap.host,
                          imap_port=imap.port, imap_security="none", imap_username=user,
                          imap_password_ref=f"file:{secret}", imap_folders=["INBOX"])
            s.add(box)
            s.flush()
            assert box.id is not None
            users[box.id] = user
            boxes.append(box.id)
        for i in range(size.enrollments):
            p = Prospect(workspace_id=ws.id, external_id=f"f{i}",
                         email=f"p{i}@d{i % 997}.example", first_name="Dana",
                         timezone="UTC", country="US", language="en")
            s.add(p)
            s.flush()
            assert p.id is not None and pb.id is not None
            s.add(Enrollment(workspace_id=ws.id, prospect_id=p.id, playbook_id=pb.id,
                             mailbox_id=boxes[i % len(boxes)], next_step=1,
                             started_at=now - dt.timedelta(days=3),
                             next_due_at=now - dt.timedelta(minutes=1)))
            if i % 500 == 499:
                s.flush()
    return users


def _reply(to_mid: str, prospect: str, box: str, body: str) -> tuple[str, bytes]:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = prospect, box, "Re: your note"
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    mid = make_msgid(domain="prospect.example")
    msg["Message-ID"], msg["In-Reply-To"], msg["References"] = mid, to_mid, to_mid
    msg.set_content(body)
    return mid, msg.as_bytes()


class Replier:
    """APPENDs replies to sent touches while the run goes on: ``share`` of the prospects
    answer, each once, to whichever of its touches the sink has seen."""

    def __init__(self, db: Database, sink: Sink, imap: ImapServer,
                 users: dict[str, str], share: float, rng: random.Random) -> None:
        self.db, self.sink, self.imap, self.users = db, sink, imap, users
        self.share, self.rng = share, rng
        self.appended: dict[str, str] = {}  # reply Message-ID -> touch Message-ID
        self.seen = 0
        self.answered: set[str] = set()

    def step(self) -> None:
        with self.sink.lock:
            fresh = self.sink.accepted[self.seen:]
            self.seen = len(self.sink.accepted)
        if not fresh:
            return
        with self.db.engine.connect() as conn:
            rows = {r[0]: r[1] for r in conn.execute(text(
                "SELECT message_id, to_address FROM touch WHERE message_id = ANY(:m)"),
                {"m": [m for m, _, _ in fresh]})}
        for mid, box, _ in fresh:
            prospect = rows.get(mid)
            if prospect is None or prospect in self.answered or self.rng.random() > self.share:
                continue
            self.answered.add(prospect)
            reply_id, raw = _reply(mid, prospect, box, self.rng.choice(HUMAN))
            for _ in range(20):  # dovecot may be restarting under the chaos loop
                try:
                    with _imap(self.imap.host, self.imap.port, self.users[box],
                               self.imap.password) as c:
                        c.append("INBOX", raw)
                    break
                except Exception:
                    time.sleep(0.5)
            else:
                raise RuntimeError(f"could not APPEND a reply to {box}")
            self.appended[reply_id] = mid


def _settled(db: Database, appended: int) -> bool:
    """Nothing due now or about to be after a fault put it off (the run's retry waits are a
    minute at most; a cap's put-off is hours), nothing in flight, every APPENDed reply acted
    on."""
    with db.engine.connect() as conn:
        due = conn.execute(text(
            "SELECT count(*) FROM enrollment e WHERE state = 'active' AND "
            f"({_DUE_AT} IS NULL OR next_due_at <= now() OR (next_due_at <= now() + "
            "interval '2 minutes' AND EXISTS (SELECT 1 FROM touch t JOIN event ev ON "
            "ev.kind = 'touch.retry_later' AND ev.subject_id = t.id WHERE t.enrollment_id = "
            "e.id AND t.step = e.next_step AND t.state <> 'sent'))) "
            "AND NOT EXISTS (SELECT 1 FROM "
            "touch t WHERE t.enrollment_id = e.id AND t.state = 'held')")).scalar_one()
        flying = conn.execute(text(
            "SELECT count(*) FROM touch t JOIN enrollment e ON e.id = t.enrollment_id "
            f"WHERE {_FLYING}"), {"s": list(IN_FLIGHT)}).scalar_one()
        replies = conn.execute(text(
            "SELECT count(*) FROM reply WHERE state NOT IN ('stored', 'processing')"
        )).scalar_one()
    return bool(due == 0 and flying == 0 and replies >= appended)


def check(db: Database, sink: Sink, appended: dict[str, str], *, cap: int
          ) -> dict[str, Any]:
    """Every invariant of the brief, from the sink's and the database's records; each broken
    one listed under ``broken`` with examples."""
    broken: dict[str, Any] = {}
    at_sink = Counter(mid for mid, _, _ in sink.accepted)
    with db.engine.connect() as conn:
        touches = conn.execute(text(
            "SELECT t.id, t.message_id, t.state, t.reason, t.prospect_id, t.sending_at, "
            f"t.worker_id, e.mailbox_id, {_FLYING} AS flying FROM touch t "
            "JOIN enrollment e ON e.id = t.enrollment_id"), {"s": list(IN_FLIGHT)}).all()
        enrollments = conn.execute(text(
            f"SELECT e.state, e.stop_reason, {_DUE_AT} AS next_due_at, EXISTS (SELECT 1 "
            "FROM touch t WHERE t.enrollment_id = e.id AND t.state = 'held') AS held "
            "FROM enrollment e"
        )).all()
        replies = conn.execute(text(
            "SELECT id, message_id, state, intent, prospect_id, processed_at FROM reply")).all()
        processed = Counter(r[0] for r in conn.execute(text(
            "SELECT subject_id FROM event WHERE kind = 'reply.processed'")))
        retried = conn.execute(text(
            "SELECT count(DISTINCT ev.subject_id), count(*), count(DISTINCT ev.subject_id) "
            "FILTER (WHERE t.state = 'sent') FROM event ev JOIN touch t ON t.id = "
            "ev.subject_id WHERE ev.kind = 'touch.retry_later'")).one()
        dead_owner = conn.execute(text(
            "SELECT count(*) FROM touch t JOIN worker w ON w.id = t.worker_id WHERE "
            "t.state = ANY(:s) AND w.stopped_at IS NOT NULL"), {"s": list(IN_FLIGHT)}
        ).scalar_one()
    sent = {t.message_id for t in touches if t.state == "sent"}
    unconfirmed = {t.message_id for t in touches if t.state == "held"
                   and t.reason == "delivery_unconfirmed"}
    dupes = {m: c for m, c in at_sink.items() if c > 1}
    if dupes:
        broken["sent_twice"] = dict(itertools.islice(dupes.items(), 10))
    missing = sent - set(at_sink)
    if missing:
        broken["sent_in_database_not_at_sink"] = sorted(missing)[:10]
    unknown = set(at_sink) - sent - unconfirmed
    if unknown:
        broken["at_sink_not_sent_in_database"] = sorted(unknown)[:10]
    now = dt.datetime.now(dt.UTC)
    # an enrollment whose touch is held waits for a person, with the touch's reason
    due_unsent = [e for e in enrollments if e.state == "active" and not e.held and
                  (e.next_due_at is None or e.next_due_at.replace(tzinfo=dt.UTC) <= now)]
    if due_unsent:
        broken["due_not_sent"] = len(due_unsent)
    # the sink never refuses for good (451 or a dropped connection): no fault may end an
    # enrollment, it may only put a touch off (touch.retry_later) until the server takes mail
    failed = Counter(e.stop_reason[:80] for e in enrollments if e.state == "failed")
    if failed:
        broken["enrollment_failed"] = dict(failed.most_common(5))
    in_flight = [t for t in touches if t.flying]
    if in_flight or dead_owner:
        broken["stuck"] = {"touches_in_flight": len(in_flight), "dead_owner": dead_owner,
                           "by_state": Counter(f"{t.state} owner={t.worker_id}"
                                               for t in in_flight)}
    # replies: each APPENDed one stored once and processed once
    by_mid: dict[str, list[Any]] = defaultdict(list)
    for r in replies:
        by_mid[r.message_id].append(r)
    stored_twice = [m for m in appended if len(by_mid.get(m, [])) > 1]
    lost = [m for m in appended if not by_mid.get(m)]
    events = [processed[r.id] for m in appended for r in by_mid.get(m, [])]
    if stored_twice:
        broken["reply_stored_twice"] = stored_twice[:10]
    if lost:
        broken["reply_lost"] = lost[:10]
    if any(n != 1 for n in events):
        broken["reply_processed_not_once"] = Counter(events)
    unfinished = [r.id for r in replies if r.state in ("stored", "processing")]
    if unfinished:
        broken["reply_unprocessed"] = unfinished[:10]
    # caps: the most messages one mailbox delivered (the sink's record) in any 24 h window;
    # beside it the same count with the touches held as delivery_unconfirmed (the sink took
    # none of them, but a real server might have), which the caps do not count
    delivered: dict[str, list[float]] = defaultdict(list)
    for _, box, stamp in sink.accepted:
        delivered[box].append(stamp)
    worst = _most_in_a_day(delivered.values(), 24 * 3600.0)
    attempted: dict[int, list[float]] = defaultdict(list)
    for t in touches:
        if (t.state in ("sent", "sending") or t.message_id in unconfirmed) and t.sending_at:
            attempted[t.mailbox_id].append(t.sending_at.timestamp())
    worst_attempted = _most_in_a_day(attempted.values(), 24 * 3600.0)
    if worst > cap:
        broken["over_daily_cap"] = {"most_in_24h": worst, "cap": cap}
    # no send to a prospect after its human reply was acted on
    human_at = {r.prospect_id: r.processed_at for r in replies
                if r.intent in HUMAN_INTENTS and r.processed_at and r.prospect_id}
    late = [t.id for t in touches if t.prospect_id in human_at and t.sending_at
            and t.state in ("sent", "sending", "held") and t.sending_at > human_at[t.prospect_id]]
    if late:
        broken["sent_after_reply"] = late[:10]
    return {
        "touches": Counter(t.state for t in touches),
        "held_reasons": Counter(t.reason for t in touches if t.state == "held"),
        "enrollments": Counter(e.state for e in enrollments),
        "stop_reasons": Counter(e.stop_reason.split(":")[0] for e in enrollments
                                if e.state != "active"),
        "held_for_a_person": sum(1 for e in enrollments if e.state == "active" and e.held),
        "put_off_by_cap_or_4xx": sum(1 for e in enrollments if e.state == "active"
                                     and not e.held and e.next_due_at is not None),
        "touches_put_off_after_4xx": retried[0], "put_offs": retried[1],
        "put_off_then_sent": retried[2],
        "at_sink": sum(at_sink.values()), "distinct_at_sink": len(at_sink),
        "replies_appended": len(appended), "replies_stored": len(replies),
        "reply_processed_events": sum(processed.values()),
        "reply_intents": Counter(r.intent for r in replies),
        "most_sends_of_a_mailbox_in_24h": worst, "daily_cap": cap,
        "most_in_24h_with_unconfirmed": worst_attempted,
        "broken": broken,
    }


def _most_in_a_day(series: Any, window: float) -> int:
    """The most stamps of one series inside any window of ``window`` seconds."""
    worst = 0
    for stamps in series:
        stamps = sorted(stamps)
        lo = 0
        for hi, stamp in enumerate(stamps):
            while stamp - stamps[lo] >= window:
                lo += 1
            worst = max(worst, hi - lo + 1)
    return worst


def fault_run(size: Size, *, imap: ImapServer, admin_url: str,
              restart_postgres: Callable[[], None] | None = None, seed: int = 17,
              say: Callable[[str], None] = log.info) -> dict[str, Any]:
    """Run the fleet under the chaos loop until every due touch and every reply has settled
    (or ``size.timeout``), then check the invariants (see the module docstring)."""
    from aiosmtpd.controller import Controller

    from cadenza.bench.delivery import _free_port

    rng = random.Random(seed)
    token = uuid.uuid4().hex[:8]
    name, url = _scratch_database(admin_url)
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    # about 70 % of the two steps' sends fit under the caps: the rest wait for tomorrow
    cap = max(1, int(size.enrollments * 2 * 0.7 / size.mailboxes))
    faults: Counter[str] = Counter()
    tmp = Path(tempfile.mkdtemp(prefix="cadenza-fault-run-"))
    secret = tmp / "imap-password"
    secret.write_text(imap.password)
    secret.chmod(0o600)
    db = Database(url)
    fleet: Fleet | None = None
    started = time.monotonic()
    try:
        db.migrate()
        users = _seed(db, size, smtp_port=port, imap=imap, secret=secret, token=token, cap=cap)
        for user in users.values():  # the folders exist before a watcher looks
            with _imap(imap.host, imap.port, user, imap.password) as c:
                c.select_folder("INBOX")
        with db.engine.connect() as conn:
            box_user = {r[0]: users[r[1]] for r in conn.execute(
                text("SELECT email, id FROM mailbox"))}
        say(f"seeded {size.enrollments} enrollments over {size.mailboxes} mailboxes, "
            f"daily cap {cap}, in {time.monotonic() - started:.1f} s")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CADENZA_", "OPENAI_"))}
        env |= {"CADENZA_DATABASE_URL": url, "CADENZA_HOME": str(tmp),
                "CADENZA_SECRET_KEY": "fault-run-secret", "CADENZA_WATCH_LEASE_SECONDS": "3",
                # a touch a 451 put off comes back within seconds, so the run sees it sent
                "CADENZA_RETRY_MINUTES": RETRY_MINUTES,
                "PYTHONPATH": str(Path(cadenza.__file__).resolve().parents[1])}
        fleet = Fleet(env, tmp)
        for _ in range(size.workers):
            fleet.start("worker")
        for _ in range(size.watchers):
            fleet.start("watch")
        replier = Replier(db, sink, imap, box_user, size.reply_share, rng)
        kinds = ["kill_worker", "kill_watcher", "smtp_refuse", "smtp_drop", "imap_kick",
                 "imap_restart"]
        if restart_postgres is not None and size.postgres_restarts:
            kinds.append("postgres_restart")
        next_fault = time.monotonic() + rng.uniform(*size.chaos_every)
        outage_ends = 0.0
        deadline = started + size.timeout
        while time.monotonic() < deadline:
            fleet.revive()
            replier.step()
            now = time.monotonic()
            if outage_ends and now >= outage_ends:
                sink.mode, outage_ends = "ok", 0.0
            owed = [k for k in kinds if faults[k] < size.at_least]
            if now >= next_fault and (owed or (sink.accepted[-1:] and not _quiet(db))):
                kind = rng.choice(owed or [k for k in kinds if k != "postgres_restart"
                                           or faults[k] < size.postgres_restarts])
                faults[kind] += 1
                say(f"{time.monotonic() - started:6.1f} s  fault: {kind} "
                    f"(sink {len(sink.accepted)}, replies {len(replier.appended)})")
                _inject(kind, fleet=fleet, sink=sink, imap=imap, rng=rng,
                        users=list(users.values()), restart_postgres=restart_postgres)
                if kind in ("smtp_refuse", "smtp_drop"):
                    outage_ends = time.monotonic() + rng.uniform(*size.outage_seconds)
                next_fault = time.monotonic() + rng.uniform(*size.chaos_every)
            if not owed and not outage_ends and _settled(db, len(replier.appended)):
                replier.step()
                if _settled(db, len(replier.appended)):
                    break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        sink.mode = "ok"
        time.sleep(1.0)
        figures = check(db, sink, replier.appended, cap=cap)
        fleet.revive()
        unexpected = Counter(f"{kind} exit {code}" for kind, code in fleet.died)
        codes = fleet.stop()
        fleet_started, fleet = fleet.started, None
        figures |= {"seconds": round(elapsed, 1), "timed_out": elapsed >= size.timeout,
                    "faults": dict(faults), "sink_refused": sink.refused,
                    "sink_dropped": sink.dropped, "processes_started": fleet_started,
                    "exit_codes_at_stop": codes,
                    "died_on_their_own": unexpected}
        if figures["timed_out"]:
            figures["broken"]["timed_out"] = elapsed
        return figures
    finally:
        if fleet is not None:
            fleet.stop()
        controller.stop()
        db.dispose()
        _drop_database(admin_url, name)


def _quiet(db: Database) -> bool:
    """Nothing left due: no point breaking a fleet with nothing to do."""
    with db.engine.connect() as conn:
        return not conn.execute(text(
            "SELECT 1 FROM enrollment WHERE state = 'active' AND next_due_at <= now() "
            "AND claimed_at IS NULL LIMIT 1")).first()


def _inject(kind: str, *, fleet: Fleet, sink: Sink, imap: ImapServer, rng: random.Random,
            users: list[str], restart_postgres: Callable[[], None] | None) -> None:
    match kind:
        case "kill_worker":
            fleet.kill_one("worker", rng)
        case "kill_watcher":
            fleet.kill_one("watch", rng)
        case "smtp_refuse":
            sink.mode = "refuse"
        case "smtp_drop":
            sink.mode = "drop"
        case "imap_kick":
            imap.kick(rng.choice(users))
        case "imap_restart":
            imap.restart()
        case "postgres_restart":
            assert restart_postgres is not None
            restart_postgres()
        case _:
            raise ValueError(kind)
