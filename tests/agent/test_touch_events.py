"""A cadence run by the real graph over aiosmtpd emits ``touch.sent`` and
``enrollment.completed`` for webhook subscribers; a dead subscriber does not slow the worker."""

from __future__ import annotations

import time
from pathlib import Path

import jsonschema_rs
import pytest
from sqlmodel import col, select
from world import PEOPLE, Clock, add_prospects, enroll, make_world, walk

from cadenza.agent.service import open_agent
from cadenza.event_types import json_schema
from cadenza.store import Database
from cadenza.store.models import Touch, WebhookDelivery
from cadenza.webhooks.subscriptions import WebhookIn, add_webhook

from support.hooks import SECRET, deliverer
from support.smtp import SmtpServer
from support.webhook_receiver import run_receiver


@pytest.mark.calendar
def test_a_cadence_reaches_the_subscriber_and_a_dead_one_costs_the_worker_nothing(
        database: Database, tmp_path: Path, smtp_server: SmtpServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_TEST_HOOK_SECRET", SECRET)
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with run_receiver(secret=SECRET, now=clock) as live, \
            run_receiver(secret=SECRET, now=clock, hang=True) as dead:
        with database.session() as s:
            for url, types in ((live.url, ["touch.sent", "enrollment.completed",
                                           "handoff.created"]), (dead.url, [])):
                add_webhook(s, world.workspace.id or 0,
                            WebhookIn(url=url, secret="env:CADENZA_TEST_HOOK_SECRET",
                                      event_types=types), by="test", now=clock(),
                            allow_http=True)
        with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0)) as agent:
            started = time.perf_counter()
            first = agent.scheduler.tick()
            took = time.perf_counter() - started
            assert [r.outcome for r in first.results] == ["sent"]
            assert took < 2.0  # the worker only wrote delivery rows: it called nobody
            assert dead.requests == [] and live.requests == []
            walk(agent, world, clock)
        sender = deliverer(database, clock, timeout=0.5)
        sender.run_once()
        assert len(dead.requests) == 1  # one try at the hanging one; its backlog waits
        types = [r.json["type"] for r in live.requests]
        assert types == ["touch.sent", "touch.sent", "touch.sent", "handoff.created",
                         "enrollment.completed"]
        with database.session() as s:
            touches = s.exec(select(Touch).where(Touch.state == "sent")
                             .order_by(col(Touch.step))).all()
            pending = s.exec(select(WebhookDelivery).where(
                WebhookDelivery.state == "pending")).all()
        assert len(pending) >= 5 and all(d.url == dead.url for d in pending)
        for request, touch in zip(live.requests[:3], touches, strict=True):
            data = request.json["data"]
            assert request.verified
            assert (data["touch_id"], data["message_id"], data["subject"], data["step"]) == (
                touch.id, touch.message_id, touch.subject, touch.step)
            assert data["prospect"]["external_id"] == "p1" and data["playbook"] == \
                "ai-sdr-first-four"
            assert touch.body[:60].encode() not in request.body  # the draft stays ours
        done = live.requests[-1].json["data"]
        assert (done["reason"], done["steps_done"]) == ("handed_to_rep", 4)
        assert done["handoff_id"] == live.requests[3].json["data"]["handoff_id"]
        for r in live.requests:
            assert jsonschema_rs.validator_for(json_schema(r.json["type"])).is_valid(r.json)


def test_a_touch_recovery_finds_in_the_sent_folder_is_announced_as_sent(
        database: Database, tmp_path: Path) -> None:
    """The graph's record node never ran for it: recovery logs touch.sent itself."""
    from cadenza.agent.outbox import recover_in_flight
    from cadenza.store.models import Enrollment, Event

    world = make_world(database, tmp_path, smtp_port=9)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    clock = Clock()
    with database.session() as s:
        enrollment = s.exec(select(Enrollment)).one()
        touch = Touch(workspace_id=enrollment.workspace_id, enrollment_id=enrollment.id or 0,
                      prospect_id=enrollment.prospect_id, step=1, channel="email",
                      state="sending", to_address="dana@kestrelfreight.example",
                      subject="Kestrel's routes", message_id="<touch-1@northwindlabs.io>",
                      sending_at=clock())
        s.add(touch)
        s.flush()
        touch_id = touch.id
    clock.advance(minutes=10)
    with database.session() as s:
        [decision] = recover_in_flight(s, now=clock(), in_sent_folder=lambda t: True)
        assert decision.decision == "sent"
    with database.session() as s:
        [event] = s.exec(select(Event).where(Event.kind == "touch.sent")).all()
    assert (event.data["touch_id"], event.data["message_id"], event.data["playbook"]) == (
        touch_id, "<touch-1@northwindlabs.io>", "ai-sdr-first-four")
    assert event.data["sent_at"] is not None
