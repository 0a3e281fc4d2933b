"""The reply path rests a mailbox too (#17 item 3): a bounce report that tips the mailbox's
hard-bounce rate over the threshold, and a spam complaint, rest the mailbox that sent the
mail; one bounce among too few sends does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import select

from cadenza.replies.classify.message import classify_message
from cadenza.replies.processing import process_stored
from cadenza.store import Database
from cadenza.store.models import Event, Mailbox, Task, Workspace

from support.mail_builders import World, dsn_bytes, make_world, reply_bytes, scripted, store

NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)


def run(db: Database, world: World, raw: bytes, classify: Any) -> None:
    reply_id = store(db, world, raw)
    process_stored(db=db, classify=classify, threshold=0.55, reply_ids=[reply_id],
                   now=lambda: NOW)


def resting_policy(db: Database, world: World, **policy: Any) -> None:
    with db.session() as s:
        ws = s.get(Workspace, world.workspace_id)
        assert ws is not None
        ws.settings = {**(ws.settings or {}), "resting": policy}


def mailbox(db: Database, world: World) -> Mailbox:
    with db.session() as s:
        box = s.get(Mailbox, world.mailbox_id)
        assert box is not None
        return box


def test_a_bounce_report_over_the_threshold_rests_the_sending_mailbox(
        sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    resting_policy(sqlite_db, world, min_sends=1, rest_hours=24)
    run(sqlite_db, world, dsn_bytes(original_id=world.message_ids[0]), classify_message)
    box = mailbox(sqlite_db, world)
    assert box.rest_reason.startswith("hard bounce spike: 1 of its last 1 sends")
    assert box.rested_until is not None
    assert box.rested_until.replace(tzinfo=dt.UTC) == NOW + dt.timedelta(hours=24)
    with sqlite_db.session() as s:
        (task,) = s.exec(select(Task).where(Task.kind == "deliverability_alert")).all()
        (rested,) = s.exec(select(Event).where(Event.kind == "mailbox.rested")).all()
    assert task.data["mailbox_id"] == world.mailbox_id
    assert rested.data["source"].startswith("reply:")


def test_one_bounce_among_too_few_sends_rests_nothing(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)  # the default: 20 sends before the rate counts
    run(sqlite_db, world, dsn_bytes(original_id=world.message_ids[0]), classify_message)
    assert mailbox(sqlite_db, world).rest_reason == ""


def test_a_spam_complaint_rests_the_sending_mailbox(sqlite_db: Database) -> None:
    world = make_world(sqlite_db, now=NOW)
    run(sqlite_db, world, reply_bytes("report", in_reply_to=world.message_ids[0]),
        scripted(intent="unsubscribe", complaint=True, confidence=0.99))
    box = mailbox(sqlite_db, world)
    assert box.rest_reason.startswith("spam complaint")
    assert box.rested_until is not None  # 48 h by default
