"""Whatever the classifier says, a person's reply leaves no cadence of theirs running.

The classifier is scripted here on purpose: the invariant must hold by construction, for
every intent at every confidence, threaded or not — not because the model was right.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from sqlmodel import col, select

from cadenza.replies.processing import process_stored
from cadenza.states import MACHINE_INTENTS
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Prospect, Reply, Touch

from support.mail_builders import World, make_world, reply_bytes, scripted, store

pytestmark = pytest.mark.calendar  # scheduling, pauses and SLAs: run at shifted dates too

NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)  # a Wednesday
INTENTS = ["interested", "meeting_request", "question", "referral", "not_now",
           "not_interested", "unsubscribe", "out_of_office", "auto_reply", "bounce", "unclear"]


def run(db: Database, world: World, raw: bytes, **fields: Any) -> Reply:
    reply_id = store(db, world, raw)
    process_stored(db=db, classify=scripted(**fields), threshold=0.55, reply_ids=[reply_id],
                   now=lambda: NOW)
    with db.session() as s:
        reply = s.get(Reply, reply_id)
        assert reply is not None
        return reply


def states(db: Database, world: World) -> list[str]:
    with db.session() as s:
        return [s.get(Enrollment, i).state for i in world.enrollment_ids]  # type: ignore[union-attr]


def unsent(db: Database, world: World) -> list[str]:
    with db.session() as s:
        return [s.get(Touch, i).state for i in world.pending_ids]  # type: ignore[union-attr]


def _matrix() -> list[Any]:
    """Every intent × confidence × threaded × classifier layer (88 runs). The quick loop runs
    one diagonal through it — every intent once, and every value of the other three axes —
    the full suite runs the whole matrix."""
    cases = []
    for i, intent in enumerate(INTENTS):
        for sure, threaded, method in itertools.product((True, False), (True, False),
                                                        ("standards", "model")):
            diagonal = (sure, threaded, method) == (i % 2 == 0, i // 2 % 2 == 0,
                                                    ("standards", "model")[i // 4 % 2])
            cases.append(pytest.param(
                intent, 0.95 if sure else 0.3, threaded, method,
                marks=() if diagonal else pytest.mark.slow,
                id=f"{intent}-{'sure' if sure else 'unsure'}-"
                   f"{'threaded' if threaded else 'new-message'}-{method}"))
    return cases


@pytest.mark.parametrize(("intent", "confidence", "threaded", "method"), _matrix())
def test_no_live_cadence_after_a_human_reply(sqlite_db: Database, intent: str,
                                             confidence: float, threaded: bool,
                                             method: str) -> None:
    """Two playbooks running for the prospect; the message is human unless the standards
    layer (headers, delivery reports) is sure it is a machine's — a text model's "auto-reply"
    is not enough. Human → every enrollment stopped (sure) or waiting (unsure), and the
    approved-but-unsent touches called off."""
    world = make_world(sqlite_db, now=NOW, playbooks=2)
    headers = {"In-Reply-To": world.message_ids[0]} if threaded else {}
    raw = reply_bytes("see below", subject="Re: Quick question" if threaded else "hello",
                      headers=headers)
    reply = run(sqlite_db, world, raw, intent=intent, confidence=confidence, method=method,
                bounce="hard" if intent == "bounce" else None)
    sure = intent != "unclear" and confidence >= 0.55 and (
        intent not in MACHINE_INTENTS or method == "standards")
    if sure and intent in MACHINE_INTENTS:
        assert all(s in ("active", "paused", "stopped") for s in states(sqlite_db, world))
        return
    expected = "stopped" if sure else "waiting"
    assert states(sqlite_db, world) == [expected, expected], (reply.action, reply.thread_method)
    assert unsent(sqlite_db, world) == ["cancelled", "cancelled"]
    if not sure:
        assert reply.state == "triage"


def test_a_reply_from_another_address_of_the_thread_stops_both_prospects(
        sqlite_db: Database) -> None:
    """A colleague who is also a prospect answers in Jane's thread: both are in the
    conversation now, so neither gets the next automatic touch."""
    world = make_world(sqlite_db, now=NOW)
    other = make_world(sqlite_db, now=NOW, email="max@prospect.example",
                       slug=None)
    # the colleague must be a prospect of the same workspace
    with sqlite_db.session() as s:
        colleague = s.exec(select(Prospect).where(
            Prospect.email == "max@prospect.example")).one()
        colleague.workspace_id = world.workspace_id
        s.add(colleague)
        for e in s.exec(select(Enrollment).where(Enrollment.prospect_id == colleague.id)):
            e.workspace_id = world.workspace_id
            s.add(e)
    raw = reply_bytes("I'll take this one", sender="Max <max@prospect.example>",
                      headers={"In-Reply-To": world.message_ids[0]})
    reply = run(sqlite_db, world, raw, intent="question", confidence=0.9)
    assert reply.thread_method == "in_reply_to"
    assert states(sqlite_db, world) == ["stopped"]
    assert states(sqlite_db, other) == ["stopped"]
    with sqlite_db.session() as s:
        guard = s.exec(select(Event).where(Event.kind == "reply.guard")).all()
    assert [e.data["action"] for e in guard] == ["stopped"]


def test_subject_only_new_message_from_the_prospect_is_matched_by_address(
        sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    raw = reply_bytes("", subject="unsubscribe")
    reply = run(sqlite_db, world, raw, intent="unclear", confidence=0.2)
    assert reply.thread_method == "sender" and reply.prospect_id == world.prospect_id
    assert states(sqlite_db, world) == ["waiting"]
    with sqlite_db.session() as s:
        e = s.get(Enrollment, world.enrollment_ids[0])
        assert e is not None and e.next_due_at is None and "uncertain" in e.stop_reason
        waits = s.exec(select(Event).where(Event.kind == "enrollment.waiting")
                       .order_by(col(Event.id))).all()
    assert len(waits) == 1 and waits[0].data["reply_id"] == reply.id


def test_the_same_person_from_another_address_is_matched_by_name(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    raw = reply_bytes("Please stop emailing my work address.", subject="your email",
                      sender="Jane Doe <jane.d.1987@home-mail.example>")
    reply = run(sqlite_db, world, raw, intent="not_interested", confidence=0.9)
    assert (reply.thread_method, reply.prospect_id) == ("name", world.prospect_id)
    assert states(sqlite_db, world) == ["stopped"]


def test_a_name_two_prospects_share_matches_no_one(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    with sqlite_db.session() as s:
        s.add(Prospect(workspace_id=world.workspace_id, email="jane@other.example",
                       first_name="Jane", last_name="Doe"))
    raw = reply_bytes("Not interested.", subject="your email",
                      sender="Jane Doe <jane.d.1987@home-mail.example>")
    reply = run(sqlite_db, world, raw, intent="not_interested", confidence=0.9)
    assert reply.thread_method == "none" and reply.prospect_id is None
