"""The watcher's logic against the in-memory source: store first, cursors, resync, reconnects."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlmodel import col, select

from cadenza.config import Settings
from cadenza.mailbox.source import MailSource, MemorySource
from cadenza.replies.classify.message import ClassifiedReply, classify_message
from cadenza.replies.watch_pool import run_watchers
from cadenza.replies.watcher import MailboxWatcher, WatchOptions, watch_once
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, FolderCursor, Handoff, Mailbox, Reply

from support.mail_builders import World, make_world, reply_bytes

INTERESTED = "Sounds interesting, tell me more about how this works for our team."
NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)  # a Wednesday


def clock() -> dt.datetime:
    return NOW


def factory(source: MemorySource):
    def make(mailbox: Mailbox, options: WatchOptions) -> MailSource:
        return source
    return make


def once(db: Database, world: World, source: MemorySource, **kw):
    (report,) = watch_once(db=db, settings=Settings(), mailbox_ids=[world.mailbox_id],
                           source_factory=factory(source), clock=clock, **kw)
    return report


def replies(db: Database) -> list[Reply]:
    with db.session() as s:
        return list(s.exec(select(Reply).order_by(col(Reply.id))))


def cursor(db: Database, folder: str = "INBOX") -> FolderCursor:
    with db.session() as s:
        return s.exec(select(FolderCursor).where(FolderCursor.folder == folder)).one()


def test_raw_is_committed_and_cursor_advanced_before_processing(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    source = MemorySource()
    source.append("INBOX", reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    seen: list[tuple[str, int]] = []

    def spying(raw: bytes, **kw: object) -> ClassifiedReply:
        with sqlite_db.session() as s:  # another connection: only committed rows are visible
            (row,) = s.exec(select(Reply)).all()
            seen.append((row.state, cursor(sqlite_db).last_uid))
        return classify_message(raw, **kw)  # type: ignore[arg-type]

    report = once(sqlite_db, world, source, classify=spying)
    assert seen == [("stored", 1)]
    assert (report.stored, report.count("processed")) == (1, 1)
    assert replies(sqlite_db)[0].action == "handoff"


def test_a_crash_between_store_and_process_resumes_exactly_once(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    source = MemorySource()
    source.append("INBOX", reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))

    def killed(raw: bytes, **kw: object) -> ClassifiedReply:
        raise KeyboardInterrupt  # not an Exception: it escapes like a kill would

    with pytest.raises(KeyboardInterrupt):
        once(sqlite_db, world, source, classify=killed)
    assert [r.state for r in replies(sqlite_db)] == ["stored"]
    assert cursor(sqlite_db).last_uid == 1
    report = once(sqlite_db, world, source, classify=classify_message)
    assert (report.stored, report.count("processed")) == (0, 1)
    once(sqlite_db, world, source, classify=classify_message)
    assert [r.state for r in replies(sqlite_db)] == ["processed"]
    assert source.fetched_uids == [("INBOX", 1)]  # fetched once: the cursor moved first
    with sqlite_db.session() as s:
        assert len(s.exec(select(Handoff)).all()) == 1


def test_uidvalidity_change_resyncs_without_duplicates(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    source = MemorySource(uidvalidity=100)
    for i in range(3):
        source.append("INBOX", reply_bytes(f"Auto ack {i}", sender=f"a{i}@else.example"))
    assert once(sqlite_db, world, source).stored == 3
    source.reset_uidvalidity("INBOX", 200)
    source.append("INBOX", reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    report = once(sqlite_db, world, source)
    assert report.resynced == ["INBOX"]
    assert (report.stored, report.skipped_known) == (1, 3)
    assert len(replies(sqlite_db)) == 4
    assert (cursor(sqlite_db).uidvalidity, cursor(sqlite_db).last_uid) == (200, 4)
    with sqlite_db.session() as s:
        (event,) = s.exec(select(Event).where(Event.kind == "mailbox.resync")).all()
    assert event.data["old_uidvalidity"] == 100 and event.data["new_uidvalidity"] == 200


def test_same_message_in_two_folders_one_action(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW, folders=("INBOX", "Archive"))
    source = MemorySource(folders=("INBOX", "Archive"))
    raw = reply_bytes(INTERESTED, in_reply_to=world.message_ids[0])
    source.append("INBOX", raw)
    once(sqlite_db, world, source)
    source.append("Archive", raw)  # a filter copied it later
    report = once(sqlite_db, world, source)
    assert [o.state for o in report.outcomes] == ["duplicate"]
    with sqlite_db.session() as s:
        assert len(s.exec(select(Handoff)).all()) == 1


def test_malformed_message_does_not_stop_the_mailbox(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    source = MemorySource()
    source.append("INBOX", b"\x00\xff\xfe not a message")
    source.append("INBOX", reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    report = once(sqlite_db, world, source)
    assert sorted(o.state for o in report.outcomes) == ["processed", "triage"]
    assert replies(sqlite_db)[0].raw == b"\x00\xff\xfe not a message"


def test_keyword_is_set_when_configured(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    source = MemorySource()
    uid = source.append("INBOX", reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    once(sqlite_db, world, source, options=WatchOptions(keyword="$Cadenza"))
    assert source.keywords("INBOX", uid) == {"$Cadenza"}


def test_move_when_configured_is_not_a_second_reply(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW, folders=("INBOX", "Done"))
    source = MemorySource(folders=("INBOX", "Done"))
    source.append("INBOX", reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    options = WatchOptions(move_to="Done")
    once(sqlite_db, world, source, options=options)
    assert source.messages("INBOX") == {} and len(source.messages("Done")) == 1
    report = once(sqlite_db, world, source, options=options)
    assert [o.state for o in report.outcomes] == ["duplicate"]


def test_first_sight_reads_the_whole_folder_once(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    source = MemorySource()
    source.append("INBOX", reply_bytes(INTERESTED, in_reply_to=world.message_ids[0]))
    assert once(sqlite_db, world, source).stored == 1
    assert once(sqlite_db, world, source).stored == 0


def test_backoff_grows_with_jitter_and_is_capped(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    watcher = MailboxWatcher(db=sqlite_db, mailbox_id=world.mailbox_id,
                             classify=classify_message, threshold=0.55, clock=clock,
                             options=WatchOptions(backoff_initial=1, backoff_max=60))
    assert 0.5 <= watcher.backoff(0) <= 1
    assert 4 <= watcher.backoff(3) <= 8
    assert 30 <= watcher.backoff(20) <= 60
    assert len({round(watcher.backoff(5), 6) for _ in range(20)}) > 1


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_run_watchers_reconnects_and_stops_cleanly(sqlite_db: Database) -> None:
    worlds = [make_world(sqlite_db, now=NOW),
              make_world(sqlite_db, email="joe@other.example", now=NOW)]
    sources = {w.mailbox_id: MemorySource() for w in worlds}
    sources[worlds[0].mailbox_id].fail_next(2)  # the first connection attempts fail

    def make(mailbox: Mailbox, options: WatchOptions) -> MailSource:
        return sources[mailbox.id]

    stop = threading.Event()
    thread = threading.Thread(target=run_watchers, kwargs=dict(
        db=sqlite_db, settings=Settings(), stop=stop, source_factory=make,
        mailbox_ids=[w.mailbox_id for w in worlds],
        options=WatchOptions(backoff_initial=0.05, backoff_max=0.2), clock=clock))
    thread.start()
    try:
        for w in worlds:
            sender = "jane@prospect.example" if w is worlds[0] else "joe@other.example"
            sources[w.mailbox_id].append("INBOX", reply_bytes(
                INTERESTED, sender=sender, in_reply_to=w.message_ids[0]))

        def all_stopped() -> bool:
            with sqlite_db.session() as s:
                return all(s.get(Enrollment, w.enrollment_ids[0]).state == "stopped"
                           for w in worlds)
        assert wait_for(all_stopped)
        assert sources[worlds[0].mailbox_id].opened >= 1
        sources[worlds[1].mailbox_id].fail_next(1)  # drop a live connection
        sources[worlds[1].mailbox_id].append("INBOX", reply_bytes("ping", sender="x@y.example"))
        assert wait_for(lambda: len(replies(sqlite_db)) == 3)
        assert wait_for(lambda: sources[worlds[1].mailbox_id].opened >= 2)
    finally:
        started = time.monotonic()
        stop.set()
        thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 3
