"""End to end against a real dovecot: APPEND → IDLE → stored → threaded → classified → acted on."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import pytest
from sqlmodel import col, select

from cadenza.config import Settings
from cadenza.mailbox.imap import ImapConfig, ImapSource
from cadenza.replies.classify.message import classify_message
from cadenza.replies.watch_pool import run_watchers
from cadenza.replies.watcher import WatchOptions, watch_once
from cadenza.store import Database
from cadenza.store.models import (
    Enrollment,
    FolderCursor,
    Handoff,
    Reply,
    Suppression,
    Task,
)

from support.clock import wall_clock
from support.dovecot import ImapServer, append, client
from support.mail_builders import World, make_world, reply_bytes

INTERESTED = "Sounds interesting, tell me more about how this works for our team."


@pytest.fixture(autouse=True)
def _imap_password(monkeypatch: pytest.MonkeyPatch, imap_server: ImapServer) -> None:
    monkeypatch.setenv("CADENZA_TEST_IMAP_PASSWORD", imap_server.password)


@pytest.fixture
def user() -> str:
    return f"watch-{uuid.uuid4().hex[:10]}"




def world_for(db: Database, server: ImapServer, user: str, **kw) -> World:
    # dovecot stamps what it receives with the wall clock and the watcher's first sync searches
    # SINCE the mailbox's creation, so this world, and every watcher below, runs on it
    return make_world(db, imap_host=server.host, imap_port=server.port, imap_user=user,
                      imap_security="none", now=wall_clock(), **kw)


def watch(db: Database, world: World, **kw):
    return watch_once(db=db, settings=Settings(), mailbox_ids=[world.mailbox_id],
                      clock=wall_clock, **kw)


def flags(server: ImapServer, user: str, folder: str = "INBOX") -> dict[int, set[bytes]]:
    with client(server, user) as c:
        c.select_folder(folder, readonly=True)
        uids = c.search("ALL")
        return {uid: set(d[b"FLAGS"]) for uid, d in c.fetch(uids, ["FLAGS"]).items()}


def replies(db: Database) -> list[Reply]:
    with db.session() as s:
        return list(s.exec(select(Reply).order_by(col(Reply.id))))


def wait_for(predicate, timeout: float = 10.0) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.02)
    return None


def test_reply_through_idle_is_acted_on_within_seconds(database: Database,
                                                        imap_server: ImapServer,
                                                        user: str) -> None:
    world = world_for(database, imap_server, user)
    append(imap_server, user, reply_bytes("Earlier mail", sender="old@else.example"))
    stop = threading.Event()
    thread = threading.Thread(target=run_watchers, kwargs=dict(
        db=database, settings=Settings(), stop=stop, mailbox_ids=[world.mailbox_id],
        classify=classify_message, clock=wall_clock))
    thread.start()
    try:
        def idle_ready() -> bool:
            with database.session() as s:
                return s.exec(select(FolderCursor)).first() is not None and \
                    all(r.state != "stored" for r in replies(database))
        assert wait_for(idle_ready) is not None
        time.sleep(0.3)  # the watcher is in IDLE now
        append(imap_server, user, reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))

        def handed_off() -> bool:
            with database.session() as s:
                return s.exec(select(Handoff)).first() is not None
        latency = wait_for(handed_off)
        assert latency is not None and latency < 5.0
        with database.session() as s:
            enrollment = s.get(Enrollment, world.enrollment_ids[0])
            (handoff,) = s.exec(select(Handoff)).all()
        assert (enrollment.state, enrollment.stop_reason) == ("stopped", "interested")
        assert handoff.prospect_id == world.prospect_id and handoff.intent == "interested"

        append(imap_server, user, reply_bytes("Please remove me from your list.",
                                              in_reply_to=world.message_ids[0]))

        def suppressed() -> bool:
            with database.session() as s:
                return s.exec(select(Suppression)).first() is not None
        assert wait_for(suppressed) is not None
        with database.session() as s:
            assert [r.reason for r in s.exec(select(Suppression))] == ["unsubscribe"]
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert [r.state for r in replies(database)][1:] == ["processed", "processed"]
    assert all(b"\\Seen" not in f for f in flags(imap_server, user).values())


CRASHING_WATCHER = textwrap.dedent("""
    import os, sys
    from cadenza.config import Settings
    from cadenza.replies.watcher import watch_once
    from cadenza.store import Database

    def die(raw, **kw):
        os._exit(3)  # killed between store and process: no cleanup, no rollback handler

    watch_once(db=Database(sys.argv[1]), settings=Settings(), classify=die,
               mailbox_ids=[int(sys.argv[2])])
""")


def test_killed_between_store_and_process_then_processed_exactly_once(
        sqlite_db: Database, imap_server: ImapServer, user: str) -> None:
    world = world_for(sqlite_db, imap_server, user)
    append(imap_server, user, reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    env = {**os.environ, "CADENZA_TEST_IMAP_PASSWORD": imap_server.password}
    proc = subprocess.run([sys.executable, "-c", CRASHING_WATCHER, sqlite_db.url,
                           str(world.mailbox_id)], env=env, timeout=60)
    assert proc.returncode == 3
    assert [r.state for r in replies(sqlite_db)] == ["stored"]
    for _ in range(2):  # the restart, then a later cycle
        watch(sqlite_db, world)
    assert [r.state for r in replies(sqlite_db)] == ["processed"]
    with sqlite_db.session() as s:
        assert len(s.exec(select(Handoff)).all()) == 1


def test_recreated_folder_with_new_uidvalidity_stores_no_duplicates(
        sqlite_db: Database, imap_server: ImapServer, user: str) -> None:
    world = world_for(sqlite_db, imap_server, user, folders=("Replies",))
    old = [reply_bytes(f"note {i}", sender=f"n{i}@else.example") for i in range(2)]
    for raw in old:
        append(imap_server, user, raw, "Replies")
    (first,) = watch(sqlite_db, world)
    assert first.stored == 2
    with client(imap_server, user) as c:
        before = c.select_folder("Replies")[b"UIDVALIDITY"]
        c.unselect_folder()
        for _ in range(20):  # dovecot derives UIDVALIDITY from the clock: wait for a new one
            c.delete_folder("Replies")
            c.create_folder("Replies")
            if c.select_folder("Replies")[b"UIDVALIDITY"] != before:
                break
            c.unselect_folder()
            time.sleep(0.2)
        c.unselect_folder()
    for raw in old:
        append(imap_server, user, raw, "Replies")
    append(imap_server, user, reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]),
           "Replies")
    (second,) = watch(sqlite_db, world)
    assert second.resynced == ["Replies"]
    assert (second.stored, second.skipped_known) == (1, 2)
    assert len(replies(sqlite_db)) == 3
    with sqlite_db.session() as s:
        assert len(s.exec(select(Handoff)).all()) == 1


def test_same_message_in_two_folders_is_one_action(sqlite_db: Database,
                                                   imap_server: ImapServer, user: str) -> None:
    world = world_for(sqlite_db, imap_server, user, folders=("INBOX", "Archive"))
    raw = reply_bytes(INTERESTED, in_reply_to=world.message_ids[0])
    append(imap_server, user, raw)
    with client(imap_server, user) as c:
        c.create_folder("Archive")
    watch(sqlite_db, world)
    append(imap_server, user, raw, "Archive")  # a filter or the person copied it later
    (report,) = watch(sqlite_db, world)
    assert [o.state for o in report.outcomes] == ["duplicate"]
    with sqlite_db.session() as s:
        assert len(s.exec(select(Handoff)).all()) == 1


def test_missing_folder_does_not_blind_the_others(sqlite_db: Database,
                                                  imap_server: ImapServer, user: str) -> None:
    world = world_for(sqlite_db, imap_server, user, folders=("Nope", "INBOX"))
    append(imap_server, user, reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    (report,) = watch(sqlite_db, world)
    assert report.missing == ["Nope"] and report.count("processed") == 1


def test_malformed_message_is_kept_and_triaged(sqlite_db: Database, imap_server: ImapServer,
                                               user: str) -> None:
    world = world_for(sqlite_db, imap_server, user)
    garbage = b"\x00\x01\x02 this is not\xff\xfe a message at all"
    append(imap_server, user, garbage)
    append(imap_server, user, reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    (report,) = watch(sqlite_db, world)
    assert sorted(o.state for o in report.outcomes) == ["processed", "triage"]
    rows = replies(sqlite_db)
    assert rows[0].state == "triage" and rows[0].error and rows[0].raw.strip(b"\r\n")
    with sqlite_db.session() as s:
        assert [t.kind for t in s.exec(select(Task))] == ["triage"]


def test_keyword_is_set_and_seen_is_not(sqlite_db: Database, imap_server: ImapServer,
                                        user: str) -> None:
    world = world_for(sqlite_db, imap_server, user)
    append(imap_server, user, reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    watch(sqlite_db, world, options=WatchOptions(keyword="$CadenzaDone"))
    (got,) = flags(imap_server, user).values()
    assert b"$CadenzaDone" in got and b"\\Seen" not in got


def test_delivery_during_a_cycle_wakes_the_next_wait(imap_server: ImapServer, user: str) -> None:
    """EXISTS announced inside a FETCH response is not repeated by IDLE: wait must not sleep."""
    config = ImapConfig(host=imap_server.host, port=imap_server.port, security="none",
                        username=user, password_ref="env:CADENZA_TEST_IMAP_PASSWORD")
    append(imap_server, user, reply_bytes("first", sender="a@else.example"))
    source = ImapSource(config)
    source.open()
    try:
        assert source.push
        source.select("INBOX")
        uids = source.uids_after("INBOX", 0)
        append(imap_server, user, reply_bytes("second", sender="b@else.example"))
        assert len(list(source.fetch("INBOX", uids))) == 1  # the EXISTS arrives here
        started = time.monotonic()
        assert source.wait("INBOX", 5.0, threading.Event()) is True
        assert time.monotonic() - started < 1.0
        assert source.uids_after("INBOX", uids[-1]) == [uids[-1] + 1]
        stop = threading.Event()
        started = time.monotonic()
        threading.Timer(0.3, stop.set).start()
        assert source.wait("INBOX", 5.0, stop) is False  # nothing new: IDLE until stopped
        assert 0.2 < time.monotonic() - started < 2.5
    finally:
        source.close()
