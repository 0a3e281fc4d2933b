"""Processing a stored reply: once, resumably, and never crashing on bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select

import cadenza.replies.processing as processing
from cadenza.replies.classify.message import classify_message
from cadenza.replies.processing import message_key, process_reply, process_stored
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Handoff, Reply, Task

from support.mail_builders import OURS, make_world, reply_bytes, scripted, store

NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def test_processing_twice_does_nothing_the_second_time(database: Database) -> None:
    world = make_world(database, now=NOW)
    reply_id = store(database, world, reply_bytes("Interested, tell me more about pricing "
                                                  "for our team.",
                                                  in_reply_to=world.message_ids[0]))
    first = process_stored(db=database, classify=classify_message, threshold=0.55,
                           reply_ids=[reply_id], now=lambda: NOW)
    events = count(database, Event)
    second = process_stored(db=database, classify=classify_message, threshold=0.55,
                            reply_ids=[reply_id], now=lambda: NOW)
    assert first[0].changed and not second[0].changed
    assert count(database, Event) == events and count(database, Handoff) == 1
    with database.session() as s:
        again = process_reply(session=s, reply_id=reply_id, classify=classify_message,
                              now=NOW, threshold=0.55)
    assert not again.changed


def test_crash_before_commit_leaves_it_stored_then_it_is_done_once(
        database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(database, now=NOW)
    reply_id = store(database, world, reply_bytes("Let's talk", in_reply_to=world.message_ids[0]))

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(processing, "apply_action", crash)
    assert process_stored(db=database, classify=scripted(intent="interested"), threshold=0.55,
                          reply_ids=[reply_id], now=lambda: NOW) == []
    with database.session() as s:
        assert s.get(Reply, reply_id).state == "stored"
        assert s.get(Enrollment, world.enrollment_ids[0]).state == "active"
    assert count(database, Handoff) == 0
    monkeypatch.undo()
    process_stored(db=database, classify=scripted(intent="interested"), threshold=0.55,
                   now=lambda: NOW)
    process_stored(db=database, classify=scripted(intent="interested"), threshold=0.55,
                   now=lambda: NOW)
    assert count(database, Handoff) == 1


def test_same_message_in_two_folders_is_acted_on_once(database: Database) -> None:
    world = make_world(database, now=NOW)
    raw = reply_bytes("Yes please", in_reply_to=world.message_ids[0])
    first = store(database, world, raw, folder="INBOX", uid=7)
    second = store(database, world, raw, folder="Archive", uid=3)
    outcomes = process_stored(db=database, classify=scripted(intent="interested"),
                              threshold=0.55, now=lambda: NOW)
    assert [(o.reply_id, o.state) for o in outcomes] == [(first, "processed"),
                                                         (second, "duplicate")]
    with database.session() as s:
        assert s.get(Reply, second).action == f"duplicate_of:{first}"
    assert count(database, Handoff) == 1


@pytest.mark.parametrize("raw", [b"", b"\x00\xff\xfe garbage without headers",
                                 b"\r\n\r\n\r\n"])
def test_malformed_bytes_are_kept_and_triaged(database: Database, raw: bytes) -> None:
    world = make_world(database, now=NOW)
    reply_id = store(database, world, raw or b" ")
    (outcome,) = process_stored(db=database, classify=classify_message, threshold=0.55,
                                reply_ids=[reply_id], now=lambda: NOW)
    assert outcome.state == "triage"
    with database.session() as s:
        reply = s.get(Reply, reply_id)
        (task,) = s.exec(select(Task)).all()
    assert reply.raw == (raw or b" ") and reply.error and reply.intent == "unclear"
    assert (task.kind, task.reply_id) == ("triage", reply_id)


def test_a_classifier_crash_is_triaged_not_fatal(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    reply_id = store(sqlite_db, world, reply_bytes("hello"))

    def broken(raw: bytes, **_: object):
        raise ValueError("model file corrupt")

    (outcome,) = process_stored(db=sqlite_db, classify=broken, threshold=0.55,
                                reply_ids=[reply_id], now=lambda: NOW)
    assert outcome.state == "triage"
    with sqlite_db.session() as s:
        assert "model file corrupt" in s.get(Reply, reply_id).error


def test_own_sent_copy_is_ignored(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    reply_id = store(sqlite_db, world, reply_bytes("Hi Jane", sender=OURS,
                                                   to="jane@prospect.example",
                                                   subject="Quick question"))
    (outcome,) = process_stored(db=sqlite_db, classify=classify_message, threshold=0.55,
                                reply_ids=[reply_id], now=lambda: NOW)
    assert (outcome.state, outcome.action) == ("ignored", "own_message")
    with sqlite_db.session() as s:
        assert s.get(Reply, reply_id).thread_method == "own"
        assert s.get(Enrollment, world.enrollment_ids[0]).state == "active"


def test_reply_fields_are_recorded(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    reply_id = store(sqlite_db, world, reply_bytes(
        "I'm out of the office until April 14 with limited access to email.",
        in_reply_to=world.message_ids[0], subject="Re: Quick question 1"))
    process_stored(db=sqlite_db, classify=classify_message, threshold=0.55,
                   reply_ids=[reply_id], now=lambda: NOW)
    with sqlite_db.session() as s:
        reply = s.get(Reply, reply_id)
    assert (reply.intent, reply.from_address, reply.subject) == (
        "out_of_office", "jane@prospect.example", "Re: Quick question 1")
    assert reply.fields["return_date"] and reply.classifier and reply.processed_at
    assert reply.text.startswith("I'm out of the office")


def test_message_key() -> None:
    assert message_key(b"Message-ID: <a@b>\r\n\r\nhi") == "<a@b>"
    raw = b"Subject: none\r\n\r\nhi"
    assert message_key(raw).startswith("sha256:") and message_key(raw) == message_key(raw)
    assert message_key(b"\xff\x00").startswith("sha256:")
