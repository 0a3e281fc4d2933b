"""Real state changes become public events where they happen, and reach a subscriber as their
documented JSON: ids and CRM fields, never a reply's text."""

from __future__ import annotations

import datetime as dt

import jsonschema_rs
import pytest
from sqlmodel import col, select

from cadenza.event_types import json_schema
from cadenza.handoff.tickets import transition
from cadenza.replies.classify.message import classify_message
from cadenza.replies.processing import process_stored
from cadenza.store import Database
from cadenza.store.models import Event, Handoff, Rep
from cadenza.webhooks.subscriptions import WebhookIn, add_webhook

from support.hooks import SECRET, Clock, deliverer
from support.mail_builders import make_world, reply_bytes, store
from support.webhook_receiver import run_receiver

NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
MARKER = "Zanzibar-7731"  # words only the reply's text holds


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_TEST_HOOK_SECRET", SECRET)


def _subscribe(db: Database, workspace_id: int, url: str) -> None:
    with db.session() as s:
        add_webhook(s, workspace_id, WebhookIn(url=url, secret="env:CADENZA_TEST_HOOK_SECRET"),
                    by="test", now=NOW, allow_http=True)


def test_replies_opt_outs_and_handoffs_reach_the_subscriber(database: Database) -> None:
    world = make_world(database, now=NOW)
    clock = Clock(NOW)
    with run_receiver(secret=SECRET, now=clock) as rx:
        _subscribe(database, world.workspace_id, rx.url)
        interested = store(database, world, reply_bytes(
            f"Interested! Tell me more about pricing for {MARKER} and our team.",
            in_reply_to=world.message_ids[0]))
        process_stored(db=database, classify=classify_message, threshold=0.55,
                       reply_ids=[interested], now=lambda: NOW)
        with database.session() as s:
            handoff = s.exec(select(Handoff)).one()
            rep = Rep(workspace_id=world.workspace_id, name="Ana Lopez", email="ana@a.example")
            s.add(rep)
            s.flush()
            assert handoff.id is not None and rep.id is not None
            transition(session=s, handoff_id=handoff.id, to="accepted", by=f"rep:{rep.id}",
                       now=NOW, rep_id=rep.id)
            transition(session=s, handoff_id=handoff.id, to="contacted", by=f"rep:{rep.id}",
                       now=NOW)
            transition(session=s, handoff_id=handoff.id, to="meeting_booked",
                       by=f"rep:{rep.id}", now=NOW, note=f"call about {MARKER}")
        stop = store(database, world, reply_bytes(f"Please remove me from your list. {MARKER}",
                                                  in_reply_to=world.message_ids[0]), uid=2)
        process_stored(db=database, classify=classify_message, threshold=0.55,
                       reply_ids=[stop], now=lambda: NOW)
        report = deliverer(database, clock).run_once()
        assert report.count("delivered") == len(report.attempts) > 0
        types = [r.json["type"] for r in rx.requests]
        # in the order they were logged: the policy's action, then the reply with its outcome
        assert types == ["handoff.created", "reply.classified", "handoff.accepted",
                         "meeting.booked", "prospect.opted_out", "reply.classified"]
        for r in rx.requests:
            assert r.verified
            assert MARKER.encode() not in r.body  # no reply text, no rep's note
            assert jsonschema_rs.validator_for(json_schema(r.json["type"])).is_valid(r.json)
        first = rx.requests[1].json["data"]
        assert (first["intent"], first["action"], first["reply_id"]) == (
            "interested", "handoff", interested)
        assert first["prospect"]["email"] == "jane@prospect.example"
        accepted = rx.requests[2].json["data"]
        assert accepted["rep"] == {"id": rep.id, "name": "Ana Lopez", "email": "ana@a.example"}
        opted = rx.requests[4].json["data"]
        assert (opted["reason"], opted["via"], opted["reply_id"]) == ("unsubscribe", "reply",
                                                                      stop)
    with database.session() as s:
        logged = s.exec(select(Event.kind).where(col(Event.kind).in_(
            ["reply.classified", "prospect.opted_out", "meeting.booked"]))).all()
    assert sorted(logged) == ["meeting.booked", "prospect.opted_out", "reply.classified",
                              "reply.classified"]
