"""The caps' accounting under concurrent claimers, and the last check at send time (#17).

Claimers that count and take at the same moment on PostgreSQL never put a mailbox or a domain
over its cap (a claimed touch counts before it is sent), and never hold back more than the cap
requires. A send that would break a cap after all (the cap lowered, a slow draft) is put off,
not dropped.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from world import add_prospects, enroll, make_world, two_mailbox_world

from cadenza.agent.service import open_agent
from cadenza.store import Database
from cadenza.store.models import Enrollment, Mailbox, Prospect, Touch

from support.clock import MONDAY, Clock
from support.smtp import SmtpServer

START = MONDAY + dt.timedelta(hours=1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_concurrent_claimers_keep_every_cap(pg: Database, tmp_path: Path,
                                            smtp_server: SmtpServer, seed: int) -> None:
    rng = random.Random(seed)
    cap, domain_cap = rng.randint(2, 9), rng.randint(1, 4)
    world, boxes = two_mailbox_world(pg, tmp_path, smtp_server, people=rng.randint(20, 40),
                          domains=rng.randint(3, 7), daily_cap=cap, gap=0,
                          domain_cap=domain_cap)
    claimers = 4
    barrier = threading.Barrier(claimers)
    deferrals: list[str] = []
    errors: list[BaseException] = []
    seen: dict[str, Any] = {}

    def snapshot() -> None:
        """What the claimers hold, read before any of them stops (a stopping worker releases
        the touches it claimed and did not run)."""
        with pg.session() as s:
            seen["claimed"] = s.exec(
                select(Touch, Enrollment.mailbox_id, Prospect.email)
                .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
                .join(Prospect, col(Prospect.id) == Touch.prospect_id)).all()
            seen["everyone"] = s.exec(select(Enrollment)).all()

    done = threading.Barrier(claimers, action=snapshot)

    def claim(batch: int) -> None:
        try:
            with open_agent(world.settings, Database(pg.url), clock=Clock(START),
                            jitter=(0.0, 0.0), batch=batch) as agent:
                barrier.wait(timeout=60)
                while True:
                    ids, put_off = agent.scheduler.claim(START)
                    deferrals.extend(why for _, why, _ in put_off)
                    if not ids and not put_off:
                        break
                done.wait(timeout=60)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(rng.randint(1, 8),))
               for _ in range(claimers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    claimed, everyone = seen["claimed"], seen["everyone"]
    with pg.session() as s:
        emails = {b.id: b.email for b in s.exec(select(Mailbox))}
    per_box = Counter(box for _, box, _ in claimed)
    per_domain = Counter(email.split("@")[1] for _, _, email in claimed)
    assert len({t.enrollment_id for t, _, _ in claimed}) == len(claimed)
    assert all(n <= cap for n in per_box.values()), per_box
    assert all(n <= domain_cap for n in per_domain.values()), per_domain
    # nothing held back that the caps allowed, and nothing lost: claimed or due later
    for box in boxes:
        if f"mailbox {emails[box]} daily cap" in deferrals:
            assert per_box[box] == cap
    for why in deferrals:
        if why.startswith("domain "):
            assert per_domain[why.split()[1]] == domain_cap
    taken = {t.enrollment_id for t, _, _ in claimed}
    assert all(e.id in taken or (e.next_due_at is not None and e.next_due_at > START)
               for e in everyone)
    with pg.session() as s:  # the claimers stopped without running: all due again
        assert all(e.next_due_at is not None and e.claimed_at is None
                   for e in s.exec(select(Enrollment)))
        assert s.exec(select(Touch).where(col(Touch.worker_id).is_not(None))).first() is None


def test_a_send_over_the_cap_is_put_off_not_dropped(database: Database, tmp_path: Path,
                                                    smtp_server: SmtpServer) -> None:
    """Two touches claimed under a cap of two; the cap is lowered to one before they run: the
    second is refused at send time, stays pending and is due when the first leaves the
    window."""
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, daily_cap=2)
    add_prospects(world, [{"id": f"c{i}", "email": f"c{i}@c{i}.example",
                           "first_name": "Robin"} for i in range(2)])
    enroll(world)
    clock = Clock(START)
    with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0)) as agent:
        ids, _ = agent.scheduler.claim(START)
        assert len(ids) == 2
        with database.session() as s:
            box = s.get(Mailbox, world.mailbox_id)
            assert box is not None
            box.daily_cap = 1
            s.add(box)
        first = agent.runner.run(ids[0])
        clock.advance(minutes=5)
        second = agent.runner.run(ids[1])
    assert first.outcome == "sent"
    assert second.outcome == "deferred" and "daily cap (at send time)" in second.reason
    assert len(smtp_server.sink.messages) == 1
    with database.session() as s:
        touch = s.get(Touch, ids[1])
        assert touch is not None and touch.state == "pending" and touch.worker_id is None
        enrollment = s.get(Enrollment, touch.enrollment_id)
        assert enrollment is not None and enrollment.next_due_at is not None
        assert enrollment.claimed_at is None
        due = enrollment.next_due_at.replace(tzinfo=dt.UTC)
    assert due == START + dt.timedelta(hours=24)


def test_a_touch_held_as_unconfirmed_counts_against_the_cap(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    """A touch whose delivery nobody knows (held ``delivery_unconfirmed`` by recovery) may have
    reached the prospect: with a cap of one, the next prospect of that mailbox waits a day. The
    fault run saw a mailbox send one over its cap when these were left out of the count."""
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, daily_cap=1)
    add_prospects(world, [{"id": "u0", "email": "u0@u0.example", "first_name": "Robin"}])
    enroll(world)
    clock = Clock(START)
    with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0)) as agent:
        ids, _ = agent.scheduler.claim(START)
        assert len(ids) == 1
        with database.session() as s:  # as recovery leaves it: handed over, outcome unknown
            touch = s.get(Touch, ids[0])
            assert touch is not None
            touch.state, touch.reason = "held", "delivery_unconfirmed"
            touch.sending_at, touch.claimed_at, touch.worker_id = START, None, None
            s.add(touch)
        add_prospects(world, [{"id": "u1", "email": "u1@u1.example", "first_name": "Robin"}])
        enroll(world)
        clock.advance(hours=2)
        later, deferred = agent.scheduler.claim(START + dt.timedelta(hours=2))
    assert later == []
    assert any("daily cap" in why for _, why, _ in deferred), deferred
    assert smtp_server.sink.messages == []
