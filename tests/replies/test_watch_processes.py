"""Many ``cadenza watch`` processes on one PostgreSQL (and one machine's SQLite) and a real
dovecot (#17 items 2 and 6).

Real processes started with subprocess, a lease period of 2 s (ticks every 0.67 s). Observed
from outside: the lease table sampled over time, the replies and their ``reply.processed``
events, and what each process prints. Replies are APPENDed while processes come, go, die
(SIGKILL) and are paused past their lease (SIGSTOP); each must be acted on exactly once.
"""

from __future__ import annotations

import re
import signal
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from cadenza.store import Database

from support.clock import wall_clock
from support.dovecot import ImapServer, append
from support.mail_builders import make_world, reply_bytes
from support.watch_fleet import Fleet, holders, pid_of, processed_counts, wait_for

pytestmark = pytest.mark.slow

LEASE_SECONDS = 2.0
#: A dead or paused holder's mailboxes are taken over within the lease, a tick, and a margin
#: for two cores shared with other work.
TAKEOVER_BOUND = LEASE_SECONDS + LEASE_SECONDS / 3 + 4.0
INTERESTED = "Sounds interesting, tell me more about how this works for our team."


@pytest.fixture
def fleet(pg: Database, imap_server: ImapServer, tmp_path: Path) -> Iterator[Fleet]:
    f = Fleet(pg.url, tmp_path, env={"CADENZA_WATCH_LEASE_SECONDS": str(LEASE_SECONDS),
                                     "CADENZA_TEST_IMAP_PASSWORD": imap_server.password})
    try:
        yield f
    finally:
        f.stop_all()


class Mailboxes:
    """``n`` mailboxes, each its own dovecot user, and a way to deliver replies to them."""

    def __init__(self, db: Database, server: ImapServer, n: int) -> None:
        run = uuid.uuid4().hex[:8]
        self.server, self.users, self.ids, self.threads = server, [], [], []
        for i in range(n):
            user = f"fleet-{run}-{i}"
            world = make_world(db, imap_host=server.host, imap_port=server.port,
                               imap_user=user, imap_security="none", now=wall_clock())
            self.users.append(user)
            self.ids.append(world.mailbox_id)
            self.threads.append(world.message_ids[0])
        self.sent: list[str] = []

    def deliver(self, index: int) -> None:
        message_id = f"<fleet-{uuid.uuid4().hex}@prospect.example>"
        append(self.server, self.users[index], reply_bytes(
            INTERESTED, in_reply_to=self.threads[index], message_id=message_id))
        self.sent.append(message_id)


class Sampler(threading.Thread):
    """The lease table every 0.1 s, for checks over time."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.db, self.samples = db, []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.samples.append(holders(self.db))

    def finish(self) -> list[dict[int, tuple[str, int]]]:
        self.done.set()
        self.join()
        return self.samples


def _check_tokens(samples: list[dict[int, tuple[str, int]]]) -> None:
    """Over time, each mailbox's token never goes back, and one token is one holder."""
    owner: dict[tuple[int, int], str] = {}
    last: dict[int, int] = defaultdict(int)
    for sample in samples:
        for mailbox, (holder, token) in sample.items():
            assert owner.setdefault((mailbox, token), holder) == holder
            assert token >= last[mailbox]
            last[mailbox] = token


def _all_processed_once(db: Database, sent: list[str], timeout: float = 60.0) -> None:
    def done() -> bool:
        counts = processed_counts(db)
        return all(counts.get(m, 0) >= 1 for m in sent)

    assert wait_for(done, timeout, step=0.25) is not None, processed_counts(db)
    time.sleep(1.0)  # a second action would come right after the first: give it the chance
    counts = processed_counts(db)
    assert {m: counts.get(m) for m in sent} == dict.fromkeys(sent, 1)


def _printed_once(fleet: Fleet) -> None:
    lines = [m.group(1) for p in fleet.procs for m in re.finditer(r"^reply (\d+) from",
                                                                   p.stdout(), re.M)]
    assert [r for r, n in Counter(lines).items() if n > 1] == []


def _split(db: Database) -> list[int]:
    return sorted(Counter(h for h, _ in holders(db).values()).values())


def test_killed_holder_is_replaced_within_seconds_and_every_reply_is_acted_on_once(
        pg: Database, fleet: Fleet, imap_server: ImapServer) -> None:
    boxes = Mailboxes(pg, imap_server, 4)
    procs = [fleet.start() for _ in range(3)]
    assert wait_for(lambda: _split(pg) == [1, 1, 2], 90) is not None, holders(pg)
    sampler = Sampler(pg)
    sampler.start()
    stop_sending = threading.Event()

    def send() -> None:
        i = 0
        while not stop_sending.is_set() and i < 30:
            boxes.deliver(i % 4)
            i += 1
            time.sleep(0.15)

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(1.0)
    (victim_name, _), = [(h, n) for h, n in Counter(
        h for h, _ in holders(pg).values()).items() if n == 2]
    victim = next(p for p in procs if p.pid == pid_of(victim_name))
    orphans = [m for m, (h, _) in holders(pg).items() if h == victim_name]
    victim.signal(signal.SIGKILL)
    took = wait_for(lambda: all(holders(pg).get(m, (victim_name, 0))[0] != victim_name
                                and m in holders(pg) for m in orphans), 30)
    sender.join()
    assert took is not None and took <= TAKEOVER_BOUND, took
    print(f"SIGKILL -> mailboxes held by the others in {took:.2f} s")
    _all_processed_once(pg, boxes.sent)
    samples = sampler.finish()
    _check_tokens(samples)
    survivors = {h for h, _ in holders(pg).values()}
    assert victim_name not in survivors and len(survivors) == 2
    assert sorted(holders(pg)) == sorted(boxes.ids)  # every mailbox watched
    _printed_once(fleet)


def test_a_joining_process_takes_its_share_and_a_leaving_one_hands_it_back(
        pg: Database, fleet: Fleet, imap_server: ImapServer) -> None:
    boxes = Mailboxes(pg, imap_server, 4)
    first = fleet.start()
    assert wait_for(lambda: _split(pg) == [4], 90) is not None, holders(pg)
    boxes.deliver(0)
    second = fleet.start()
    assert wait_for(lambda: _split(pg) == [2, 2], 90) is not None, holders(pg)
    assert {pid_of(h) for h, _ in holders(pg).values()} == {first.pid, second.pid}
    for i in range(4):
        boxes.deliver(i)
    _all_processed_once(pg, boxes.sent)
    second.stop()  # a clean exit releases at once: no lease period to wait out
    left = wait_for(lambda: _split(pg) == [4], 30)
    assert left is not None and left <= TAKEOVER_BOUND, left
    print(f"SIGTERM -> mailboxes held by the other in {left:.2f} s")
    for i in range(4):
        boxes.deliver(i)
    _all_processed_once(pg, boxes.sent)
    _printed_once(fleet)


def test_a_paused_holder_past_its_lease_does_not_act_when_it_wakes(
        pg: Database, fleet: Fleet, imap_server: ImapServer) -> None:
    boxes = Mailboxes(pg, imap_server, 2)
    paused = fleet.start()
    assert wait_for(lambda: _split(pg) == [2], 90) is not None, holders(pg)
    other = fleet.start()
    assert wait_for(lambda: _split(pg) == [1, 1], 90) is not None, holders(pg)
    (mine, (_, old_token)), = [(m, v) for m, v in holders(pg).items()
                                         if pid_of(v[0]) == paused.pid]
    index = boxes.ids.index(mine)
    sampler = Sampler(pg)
    sampler.start()
    paused.signal(signal.SIGSTOP)
    took = wait_for(lambda: pid_of(holders(pg).get(mine, ("x:0:x", 0))[0]) == other.pid, 30)
    assert took is not None and took <= TAKEOVER_BOUND, took
    print(f"SIGSTOP -> mailbox held by the other in {took:.2f} s")
    assert holders(pg)[mine][1] > old_token
    for _ in range(3):  # its IDLE connection hears of these while it sleeps
        boxes.deliver(index)
    _all_processed_once(pg, boxes.sent)
    before = paused.stdout()
    paused.signal(signal.SIGCONT)
    assert wait_for(lambda: "lease lost" in paused.stderr(), 30) is not None, paused.stderr()
    # it rejoins under a new token and takes its share again
    assert wait_for(lambda: _split(pg) == [1, 1], 30) is not None, holders(pg)
    for i in range(2):
        boxes.deliver(i)
    _all_processed_once(pg, boxes.sent)
    _check_tokens(sampler.finish())
    woke = paused.stdout()[len(before):]
    assert not any(m in woke for m in boxes.sent[:3])  # nothing of its paused time redone
    _printed_once(fleet)


def test_two_processes_on_one_machines_sqlite_share_the_mailboxes_too(
        tmp_path: Path, imap_server: ImapServer) -> None:
    db = Database(f"sqlite:///{tmp_path / 'fleet.db'}")
    db.migrate()
    fleet = Fleet(db.url, tmp_path, env={"CADENZA_WATCH_LEASE_SECONDS": str(LEASE_SECONDS),
                                         "CADENZA_TEST_IMAP_PASSWORD": imap_server.password})
    try:
        boxes = Mailboxes(db, imap_server, 2)
        first, second = fleet.start(), fleet.start()
        assert wait_for(lambda: _split(db) == [1, 1], 90) is not None, holders(db)
        for i in range(6):
            boxes.deliver(i % 2)
        _all_processed_once(db, boxes.sent)
        first.signal(signal.SIGKILL)
        took = wait_for(lambda: _split(db) == [2], 30)
        assert took is not None and took <= TAKEOVER_BOUND, took
        for i in range(4):
            boxes.deliver(i % 2)
        _all_processed_once(db, boxes.sent)
        assert {pid_of(h) for h, _ in holders(db).values()} == {second.pid}
        _printed_once(fleet)
    finally:
        fleet.stop_all()
        db.dispose()
