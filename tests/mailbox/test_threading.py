"""Matching a reply to the touch that caused it: headers first, then sender and subject."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bounce_samples import Sample, bounces

from cadenza.mailbox.parse import parse_message
from cadenza.replies.classify.intents import Classification
from cadenza.replies.classify.message import classify_message
from cadenza.replies.processing import process_stored
from cadenza.replies.threading import ThreadMatch, match_reply, normalise_subject, own_addresses
from cadenza.store import Database
from cadenza.store.models import Reply, Touch

from support.mail_builders import OURS, World, dsn_bytes, make_world, reply_bytes, store

NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
HUMAN = Classification(intent="interested", confidence=0.9)


def match(db: Database, world: World, raw: bytes,
          c: Classification = HUMAN, now: dt.datetime = NOW) -> ThreadMatch:
    with db.session() as s:
        return match_reply(session=s, workspace_id=world.workspace_id,
                           parsed=parse_message(raw), classification=c, now=now,
                           own=own_addresses(s, world.workspace_id))


def test_in_reply_to(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, playbooks=2, now=NOW)
    m = match(sqlite_db, world, reply_bytes("yes", in_reply_to=world.message_ids[1]))
    assert (m.method, m.touch.id, m.prospect.id) == ("in_reply_to", world.touch_ids[1],
                                                     world.prospect_id)


def test_comma_separated_references_newest_first(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, playbooks=2, now=NOW)
    refs = f"<old@elsewhere.example>,{world.message_ids[0]},{world.message_ids[1]}"
    m = match(sqlite_db, world, reply_bytes("yes", in_reply_to="<unknown@x.example>",
                                            references=refs))
    assert (m.method, m.touch.id) == ("references", world.touch_ids[1])


def test_ids_match_without_angle_brackets(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    with sqlite_db.session() as s:
        t = s.get(Touch, world.touch_ids[0])
        t.message_id = t.message_id.strip("<>")
        s.add(t)
    m = match(sqlite_db, world, reply_bytes("yes", in_reply_to=world.message_ids[0]))
    assert m.method == "in_reply_to"


@pytest.mark.calendar
def test_sender_fallback_picks_the_recent_touch(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    m = match(sqlite_db, world, reply_bytes("yes", sender="JANE@prospect.example",
                                            subject="Something else"))
    assert (m.method, m.touch.id) == ("sender", world.touch_ids[0])
    late = match(sqlite_db, world, reply_bytes("yes", subject="Something else"),
                 now=NOW + dt.timedelta(days=90))
    assert (late.method, late.touch, late.prospect.id) == ("sender", None, world.prospect_id)


def test_subject_tells_two_playbooks_apart(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, playbooks=2, now=NOW)
    m = match(sqlite_db, world, reply_bytes("yes", subject="AW: RE: Quick question 1"))
    assert (m.method, m.touch.id) == ("subject", world.touch_ids[0])


def test_plus_tag_sender_matches_the_prospect(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    m = match(sqlite_db, world, reply_bytes("yes", sender="jane+sales@prospect.example"))
    assert m.prospect.id == world.prospect_id


def test_stranger_is_unmatched(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    m = match(sqlite_db, world, reply_bytes("yes", sender="who@else.example"))
    assert (m.method, m.touch, m.prospect) == ("none", None, None)


def test_own_sent_copy_is_never_a_reply(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    by_from = match(sqlite_db, world, reply_bytes("hi", sender=f"Sam <{OURS}>",
                                                  to="jane@prospect.example"))
    by_id = match(sqlite_db, world, reply_bytes("hi", sender="alias@sender.example",
                                                message_id=world.message_ids[0]))
    assert by_from.own and by_id.own


def test_bounce_uses_the_dsn_original_message_id(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, playbooks=2, now=NOW)
    bounce = Classification(intent="bounce", confidence=0.99, bounce="hard",
                            original_message_id=world.message_ids[1])
    m = match(sqlite_db, world, dsn_bytes(original_id=world.message_ids[1]), bounce)
    assert (m.method, m.touch.id) == ("bounce_original", world.touch_ids[1])


def test_bounce_without_original_id_uses_the_failed_recipient(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    bounce = Classification(intent="bounce", confidence=0.99, bounce="hard")
    with sqlite_db.session() as s:
        m = match_reply(session=s, workspace_id=world.workspace_id,
                        parsed=parse_message(dsn_bytes(original_id="<lost@x.example>")),
                        classification=bounce, now=NOW,
                        bounce_recipients=["jane@prospect.example"])
    assert (m.method, m.prospect.id) == ("bounce_recipient", world.prospect_id)


def _corpus() -> list[Any]:
    """Every bounce sample (33 processing runs). The quick loop runs the first of each way to
    find the touch — the embedded original Message-ID, the failed recipient — and the full
    suite all of them (test_bounces.py reads every sample in the quick loop too)."""
    ways: set[bool] = set()
    cases = []
    for sample in bounces():
        way = sample.original_message_id is not None
        cases.append(pytest.param(sample, id=sample.file.removesuffix(".eml"),
                                  marks=pytest.mark.slow if way in ways else ()))
        ways.add(way)
    return cases


@pytest.mark.parametrize("sample", _corpus())
def test_bounce_without_thread_headers_finds_its_touch(sqlite_db: Database,
                                                       sample: Sample) -> None:
    """Through the watcher's path: by the embedded original Message-ID, else the recipient."""
    world = make_world(sqlite_db, playbooks=2, now=NOW, email=sample.recipients[0])
    if sample.original_message_id:  # the older touch, so the recipient fallback would miss it
        with sqlite_db.session() as s:
            touch = s.get(Touch, world.touch_ids[0])
            touch.message_id = sample.original_message_id
            s.add(touch)
    raw = sample.without_thread_headers()
    parsed = parse_message(raw)
    assert not parsed.in_reply_to and not parsed.references
    reply_id = store(sqlite_db, world, raw)
    process_stored(db=sqlite_db, classify=classify_message, threshold=0.55,
                   reply_ids=[reply_id], now=lambda: NOW)
    with sqlite_db.session() as s:
        reply = s.get(Reply, reply_id)
    expected = (("bounce_original", world.touch_ids[0]) if sample.original_message_id
                else ("bounce_recipient", world.touch_ids[1]))
    assert (reply.intent, reply.thread_method, reply.touch_id, reply.prospect_id) == (
        "bounce", *expected, world.prospect_id)


def test_normalise_subject() -> None:
    assert normalise_subject("Re: AW:  Fwd: Hello   there") == "hello there"
    assert normalise_subject("SV: Antw: hello") == "hello"
    assert normalise_subject("Reply needed") == "reply needed"
