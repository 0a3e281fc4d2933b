"""Event webhooks delivered to a real loopback receiver that checks every signature: retries
with backoff, giving up, replays, rollbacks, and a dead receiver among live ones."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from cadenza.store import Database
from cadenza.store.models import Event
from cadenza.webhooks.subscriptions import remove_webhook, replay_delivery, replay_since

from support.hooks import (
    SECRET,
    Clock,
    deliverer,
    deliveries,
    handoff_created,
    hooked,
    subscribe,
)
from support.webhook_receiver import run_receiver


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_TEST_HOOK_SECRET", SECRET)


def test_fails_twice_then_delivered_and_a_replay_keeps_the_event_id(database: Database) -> None:
    clock = Clock()
    world = hooked(database)
    with run_receiver(secret=SECRET, now=clock, statuses=[500, 503]) as rx:
        hook = subscribe(world, rx.url)
        event_id = handoff_created(world)
        sender = deliverer(world.db, clock)
        first = sender.run_once()
        assert [a.state for a in first.attempts] == ["pending"]
        assert sender.run_once().attempts == []  # not due again yet: backoff
        clock.advance(seconds=30 * 1.25 + 1)  # the first wait: 30 s plus up to 25 % jitter
        assert [a.state for a in sender.run_once().attempts] == ["pending"]
        clock.advance(seconds=59)
        assert sender.run_once().attempts == []  # the second wait doubles: 60 s at least
        clock.advance(seconds=60 * 0.25 + 2)
        assert [a.state for a in sender.run_once().attempts] == ["delivered"]
        assert [r.status for r in rx.requests] == [500, 503, 200]
        assert all(r.verified for r in rx.requests)
        bodies = {r.body for r in rx.requests}
        assert len(bodies) == 1  # the same event, byte for byte, each time
        [row] = deliveries(world)
        assert (row.state, row.attempt, row.status_code, row.error) == ("delivered", 3, 200, "")
        assert row.subscription_id == hook and row.event_id == event_id
        body = rx.requests[-1].json
        assert (body["id"], body["type"], body["workspace"]) == (event_id, "handoff.created",
                                                                 "acme")
        assert body["data"]["prospect"]["external_id"] == "crm-7"
        assert body["data"]["handoff_id"] == 5

        with database.session() as s:
            again = replay_delivery(s, world.workspace_id, row.id or 0, by="test")
            again_id = again.id
        assert again_id != row.id
        assert [a.state for a in sender.run_once().attempts] == ["delivered"]
        last = rx.requests[-1]
        assert last.verified and last.json["id"] == event_id
        assert last.headers["x-cadenza-event-id"] == str(event_id)
        assert last.headers["x-cadenza-delivery"] == str(again_id)
        assert rx.requests[-2].headers["x-cadenza-delivery"] == str(row.id)
        replays = [d.replay for d in deliveries(world)]
        assert replays == [0, 1]


def test_gives_up_after_the_last_attempt_and_keeps_the_error(database: Database) -> None:
    clock = Clock()
    world = hooked(database)
    with run_receiver(secret=SECRET, now=clock, statuses=[500] * 10) as rx:
        subscribe(world, rx.url)
        handoff_created(world)
        sender = deliverer(world.db, clock, max_attempts=3)
        states = []
        for _ in range(3):
            states += [a.state for a in sender.run_once().attempts]
            clock.advance(hours=1)
        assert states == ["pending", "pending", "failed"]
        assert sender.run_once().attempts == []
        [row] = deliveries(world)
        assert (row.state, row.attempt, row.next_attempt_at) == ("failed", 3, None)
        assert row.error.startswith("HTTP 500")
        with database.session() as s:
            [failed] = s.exec(select(Event).where(Event.kind == "webhook.failed")).all()
            assert failed.subject_id == row.id and failed.data["attempts"] == 3


def test_a_refusal_is_final_and_429_waits_as_told(database: Database) -> None:
    clock = Clock()
    world = hooked(database)
    with run_receiver(secret=SECRET, now=clock, statuses=[429, 410]) as rx:
        subscribe(world, rx.url)
        handoff_created(world)
        sender = deliverer(world.db, clock)
        assert [a.state for a in sender.run_once().attempts] == ["pending"]
        clock.advance(seconds=119)  # Retry-After: 120, not our 30 s backoff
        assert sender.run_once().attempts == []
        clock.advance(seconds=2)
        assert [a.state for a in sender.run_once().attempts] == ["failed"]
        assert len(rx.requests) == 2
        assert deliveries(world)[0].error.startswith("HTTP 410")


def test_a_bad_signature_secret_is_refused_by_the_receiver(database: Database,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """The receiver really checks: signed with another secret, every request is a 401."""
    clock = Clock()
    world = hooked(database)
    monkeypatch.setenv("CADENZA_TEST_OTHER_SECRET", "not-the-receivers")
    with run_receiver(secret=SECRET, now=clock) as rx:
        subscribe(world, rx.url, secret="env:CADENZA_TEST_OTHER_SECRET")
        handoff_created(world)
        report = deliverer(world.db, clock).run_once()
        assert [a.status_code for a in report.attempts] == [401]
        assert [r.verified for r in rx.requests] == [False]
        assert deliveries(world)[0].state == "failed"  # a 4xx is the receiver saying no


def test_a_rolled_back_transaction_emits_nothing(database: Database) -> None:
    clock = Clock()
    world = hooked(database)
    with run_receiver(secret=SECRET, now=clock) as rx:
        subscribe(world, rx.url)
        with pytest.raises(RuntimeError), database.session() as s:
            from cadenza.store.events import record_event

            record_event(session=s, kind="handoff.created", workspace_id=world.workspace_id,
                         handoff_id=9, prospect_id=world.prospect_id, intent="interested",
                         priority=2)
            s.flush()
            raise RuntimeError("the change failed after the event was written")
        assert deliveries(world) == []
        assert deliverer(world.db, clock).run_once().attempts == []
        handoff_created(world, handoff_id=10)  # the same, committed: delivered
        assert [a.state for a in deliverer(world.db, clock).run_once().attempts] == ["delivered"]
        assert [r.json["data"]["handoff_id"] for r in rx.requests] == [10]


def test_filters_inactive_and_removed_subscriptions(database: Database) -> None:
    clock = Clock()
    world = hooked(database)
    with run_receiver(secret=SECRET, now=clock) as rx:
        only_touches = subscribe(world, rx.url, types=["touch.sent"])
        everything = subscribe(world, rx.url)
        removed = subscribe(world, rx.url)
        with database.session() as s:
            remove_webhook(s, world.workspace_id, removed, by="test", now=clock())
        handoff_created(world)
        rows = deliveries(world)
        assert [r.subscription_id for r in rows] == [everything]
        assert only_touches not in [r.subscription_id for r in rows]
        deliverer(world.db, clock).run_once()
        assert len(rx.requests) == 1


def test_replay_since_delivers_the_events_again(database: Database) -> None:
    clock = Clock()
    world = hooked(database)
    with run_receiver(secret=SECRET, now=clock) as rx:
        handoff_created(world, handoff_id=1)  # before any subscription: never queued
        hook = subscribe(world, rx.url)
        handoff_created(world, handoff_id=2)
        sender = deliverer(world.db, clock)
        sender.run_once()
        with database.session() as s:
            first = s.exec(select(Event).where(Event.kind == "handoff.created")
                           .order_by(Event.id)).first()
            assert first is not None
            queued = replay_since(s, world.workspace_id, first.at, by="test", webhook_id=hook)
        assert queued == 2
        sender.run_once()
        assert [r.json["data"]["handoff_id"] for r in rx.requests] == [2, 1, 2]
        assert [(d.event_id is not None, d.replay) for d in deliveries(world)] == [
            (True, 0), (True, 0), (True, 1)]


def test_a_dead_receiver_holds_up_neither_the_others_nor_its_own_backlog(
        database: Database) -> None:
    """One receiver hangs until the timeout, another refuses connections: the live one gets
    every event in the same pass, and each dead one costs one request, not one per event."""
    clock = Clock()
    world = hooked(database)
    with run_receiver(secret=SECRET, now=clock, hang=True) as dead, \
            run_receiver(secret=SECRET, now=clock) as live:
        hung = subscribe(world, dead.url)
        refused = subscribe(world, "http://127.0.0.1:9/hooks")  # the discard port: closed
        alive = subscribe(world, live.url)
        for n in range(5):
            handoff_created(world, handoff_id=100 + n)
        sender = deliverer(world.db, clock, timeout=1.0)
        started = time.perf_counter()
        report = sender.run_once()
        elapsed = time.perf_counter() - started
        assert len(live.requests) == 5 and all(r.verified for r in live.requests)
        assert elapsed < 3.0  # one timeout (1 s), not five, and not in series with the others
        by_sub: dict[int, list[str]] = {}
        for a in report.attempts:
            by_sub.setdefault(a.subscription_id, []).append(a.state)
        assert by_sub[alive] == ["delivered"] * 5
        assert by_sub[hung] == ["pending"] and by_sub[refused] == ["pending"]
        assert report.released == 8
        rows = [d for d in deliveries(world) if d.subscription_id in (hung, refused)]
        assert sorted(d.attempt for d in rows) == [0] * 8 + [1, 1]
        timed_out = [d for d in rows if d.attempt == 1 and d.subscription_id == hung]
        assert timed_out[0].error.startswith("timeout")


def test_an_event_that_cannot_be_shown_fails_alone_and_a_missing_secret_waits(
        database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """An event whose logged data misses a documented field fails at once with the reason
    (no retry can fix it) while the next one goes out; an unset secret is retried, unsent."""
    clock = Clock()
    world = hooked(database)
    with run_receiver(secret=SECRET, now=clock) as rx:
        subscribe(world, rx.url)
        with database.session() as s:
            from cadenza.store.events import record_event

            record_event(session=s, kind="handoff.created", workspace_id=world.workspace_id,
                         prospect_id=world.prospect_id)  # no handoff_id, intent, priority
        handoff_created(world, handoff_id=8)
        report = deliverer(world.db, clock).run_once()
        assert [a.state for a in report.attempts] == ["failed", "delivered"]
        assert report.attempts[0].error.startswith("cannot build the event body")
        assert [r.json["data"]["handoff_id"] for r in rx.requests] == [8]

        monkeypatch.delenv("CADENZA_TEST_HOOK_SECRET")
        handoff_created(world, handoff_id=9)
        clock.advance(minutes=1)
        [attempt] = deliverer(world.db, clock).run_once().attempts
        assert attempt.state == "pending" and "CADENZA_TEST_HOOK_SECRET" in attempt.error
        assert len(rx.requests) == 1  # nothing unsigned ever leaves
