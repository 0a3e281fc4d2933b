"""Mailbox leases on both databases: expiry, fencing tokens, fair shares and the watch pool.

In one process with a hand-moved clock, so each step is deterministic; the same behaviour with
real ``cadenza watch`` processes, SIGKILL and SIGSTOP is in ``test_watch_processes.py``.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlmodel import select

from cadenza.config import Settings
from cadenza.mailbox.source import MailSource, MemorySource
from cadenza.replies.classify.message import classify_message
from cadenza.replies.watch_pool import WatchPool
from cadenza.replies.watcher import LeaseLost, MailboxWatcher, WatchOptions
from cadenza.store import Database
from cadenza.store import leases as store
from cadenza.store.models import Event, FolderCursor, Mailbox, MailboxLease, Reply

from support.clock import Clock
from support.mail_builders import make_world, reply_bytes

INTERESTED = "Sounds interesting, tell me more about how this works for our team."


def test_a_lease_is_exclusive_until_it_expires_and_each_holder_gets_a_higher_token(
        database: Database) -> None:
    clock = Clock()
    world = make_world(database, now=clock())
    m = world.mailbox_id
    with database.session() as s:
        a = store.acquire(s, mailbox_id=m, holder="a", now=clock(), seconds=10)
    with database.session() as s:
        assert store.acquire(s, mailbox_id=m, holder="b", now=clock(), seconds=10) is None
    assert a is not None and a.token == 1
    clock.advance(seconds=8)
    with database.session() as s:
        assert store.renew(s, lease=a, now=clock(), seconds=10)
    clock.advance(seconds=8)  # 16 s after taking it, 8 after renewing: still a's
    with database.session() as s:
        assert store.acquire(s, mailbox_id=m, holder="b", now=clock(), seconds=10) is None
    clock.advance(seconds=3)
    with database.session() as s:
        b = store.acquire(s, mailbox_id=m, holder="b", now=clock(), seconds=10)
    assert b is not None and b.token == 2
    with database.session() as s:  # the old holder can neither renew nor pass the fence
        assert not store.renew(s, lease=a, now=clock(), seconds=10)
        assert not store.fence(s, a)
        assert store.fence(s, b)
    with database.session() as s:
        assert store.release(s, lease=b, now=clock())
    with database.session() as s:  # released: free at once, and the token still grows
        c = store.acquire(s, mailbox_id=m, holder="a", now=clock(), seconds=10)
    assert c is not None and c.token == 3


def test_fair_shares_add_up_and_the_oldest_take_the_remainder() -> None:
    procs = ["p1", "p2", "p3"]
    assert [store.fair_share(7, procs, p) for p in procs] == [3, 2, 2]
    assert [store.fair_share(2, procs, p) for p in procs] == [1, 1, 0]
    assert store.fair_share(5, procs, "unknown") == 0


def _watcher(db: Database, mailbox_id: int, source: MemorySource, clock: Clock,
             lease: store.Lease) -> MailboxWatcher:
    def make(mailbox: Mailbox, options: WatchOptions) -> MailSource:
        return source

    return MailboxWatcher(db=db, mailbox_id=mailbox_id, classify=classify_message,
                          threshold=0.55, source_factory=make, clock=clock, lease=lease)


def test_a_stale_holder_neither_advances_the_cursor_nor_acts_on_a_reply(
        database: Database) -> None:
    clock = Clock()
    world = make_world(database, now=clock())
    source = MemorySource()
    source.open()
    with database.session() as s:
        old = store.acquire(s, mailbox_id=world.mailbox_id, holder="paused", now=clock(),
                            seconds=10)
    assert old is not None
    stale = _watcher(database, world.mailbox_id, source, clock, old)
    stale.cycle(source)  # while it holds the lease: the cursor row exists, nothing to do
    clock.advance(seconds=11)  # it was paused past its lease; another process took over
    with database.session() as s:
        new = store.acquire(s, mailbox_id=world.mailbox_id, holder="other", now=clock(),
                            seconds=10)
    assert new is not None
    source.append("INBOX", reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    with pytest.raises(LeaseLost):
        stale.cycle(source)
    with database.session() as s:
        (reply,) = s.exec(select(Reply)).all()  # stored raw (idempotent, loses nothing) …
        assert reply.state == "stored"  # … but not acted on
        assert s.exec(select(FolderCursor)).one().last_uid == 0
        assert s.exec(select(Event).where(Event.kind == "reply.processed")).all() == []
    report = _watcher(database, world.mailbox_id, source, clock, new).cycle(source)
    assert report.count("processed") == 1 and report.stored == 0
    with database.session() as s:
        assert s.exec(select(FolderCursor)).one().last_uid == 1
        assert len(s.exec(select(Event).where(Event.kind == "reply.processed")).all()) == 1


def _holders(db: Database, now: dt.datetime) -> dict[int, str]:
    with db.session() as s:
        return {row.mailbox_id: row.holder for row in s.exec(select(MailboxLease)).all()
                if row.holder and row.expires_at >= now}


def test_pools_split_the_mailboxes_rebalance_on_join_and_take_over_from_the_dead(
        sqlite_db: Database) -> None:
    clock = Clock()
    worlds = [make_world(sqlite_db, email=f"p{i}@prospect.example", now=clock())
              for i in range(5)]
    ids = [w.mailbox_id for w in worlds]
    sources = {m: MemorySource() for m in ids}

    def make(mailbox: Mailbox, options: WatchOptions) -> MailSource:
        assert mailbox.id is not None
        return sources[mailbox.id]

    def pool(name: str) -> WatchPool:
        return WatchPool(db=sqlite_db, settings=Settings(), stop=threading.Event(),
                         mailbox_ids=ids, classify=classify_message, source_factory=make,
                         clock=clock, lease_seconds=10, name=name)

    first, second = pool("first"), pool("second")
    try:
        first.tick()
        assert set(_holders(sqlite_db, clock()).values()) == {"first"}
        assert len(first.held) == 5
        clock.advance(seconds=1)
        second.tick()  # joins: its share is 2, but all five are held
        assert len(second.held) == 0
        first.tick()  # sees a process below its share: releases two
        assert len(first.held) == 3
        second.tick()
        assert len(second.held) == 2
        holders = _holders(sqlite_db, clock())
        assert sorted(holders) == sorted(ids)  # every mailbox held, by exactly one
        assert sorted(holders.values()).count("first") == 3
        # the first process dies: no more ticks; its heartbeat and leases run out
        clock.advance(seconds=6)
        second.tick()
        assert len(second.held) == 2  # not yet: the leases still run
        clock.advance(seconds=5)
        second.tick()
        assert len(second.held) == 5
        assert set(_holders(sqlite_db, clock()).values()) == {"second"}
        with sqlite_db.session() as s:
            tokens = {row.mailbox_id: row.token for row in s.exec(select(MailboxLease))}
        assert all(tokens[m] >= 2 for m in first.held)  # taken over: new tokens
    finally:
        for p in (first, second):
            p.stop.set()
            p.shutdown()
    assert _holders(sqlite_db, clock()) == {}
