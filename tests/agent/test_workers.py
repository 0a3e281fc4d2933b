"""Several real ``cadenza worker`` processes on one PostgreSQL database (#17).

Every touch goes out once (counted at the SMTP sink by Message-ID); no mailbox sends over its
daily cap or closer than its minimum gap, and no recipient domain over its cap, although the
workers count and claim at the same moments; SIGTERM stops a worker cleanly (exit 0, its
claimed touches due again); a worker killed inside the SMTP exchange is found dead by another,
which settles its touch from the outbox (held, never resent) and sends the rest.
"""

from __future__ import annotations

import datetime as dt
import itertools
import signal
from collections import Counter
from pathlib import Path

from sqlmodel import col, select
from worker_procs import Workers, slow_smtp, wait_for
from world import two_mailbox_world

from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Touch, Worker

from support.clock import MONDAY
from support.smtp import SmtpServer

START = MONDAY + dt.timedelta(hours=1)  # the product clock of every worker, at the start


def _message_ids(smtp: SmtpServer) -> Counter[str]:
    return Counter(str(m.message["Message-ID"]) for m in smtp.sink.messages)


def _first_touches(db: Database) -> list[Touch]:
    with db.session() as s:
        return list(s.exec(select(Touch).where(Touch.step == 1)))


def _settled(db: Database) -> bool:
    """Nothing claimed and unfinished: every enrollment is due (now or later) or its first
    touch has settled."""
    with db.session() as s:
        return not s.exec(select(Touch).where(col(Touch.state).in_(
            ["pending", "approved", "sending"]), col(Touch.worker_id).is_not(None))).first()


def test_workers_keep_every_cap_across_processes(pg: Database, tmp_path: Path) -> None:
    """Three workers, forty prospects on eight domains, two mailboxes of twelve a day with a
    one-second gap, four a day per domain: 24 sends, each once, no cap or gap broken."""
    with slow_smtp() as smtp:
        _, boxes = two_mailbox_world(pg, tmp_path, smtp, people=40, domains=8, daily_cap=12, gap=1,
                              domain_cap=4)
        workers = Workers(db_url=pg.url, home=tmp_path / "home", start=START,
                          logs=tmp_path / "workers")
        try:
            procs = [workers.start() for _ in range(3)]
            wait_for(lambda: len(smtp.sink.messages) >= 24, timeout=180,
                     what="24 sends", procs=procs)
            wait_for(lambda: _settled(pg), timeout=30, what="the workers to settle")
            codes = [workers.stop(p) for p in procs]
        finally:
            workers.close()
    assert codes == [0, 0, 0], [workers.log(p) for p in procs]
    ids = _message_ids(smtp)
    assert len(ids) == 24 and set(ids.values()) == {1}, ids
    touches = _first_touches(pg)
    sent = [t for t in touches if t.state == "sent"]
    assert {t.message_id for t in sent} == set(ids)
    with pg.session() as s:
        box_of = {e.id: e.mailbox_id for e in s.exec(select(Enrollment))}
        # every enrollment not sent is due again later (put off by a cap), none lost
        unsent = s.exec(select(Enrollment).where(col(Enrollment.id).not_in(
            [t.enrollment_id for t in sent]))).all()
    assert len(unsent) == 16
    assert all(e.state == "active" and e.next_due_at is not None and e.claimed_at is None
               and e.next_due_at > START for e in unsent)
    per_box: dict[int | None, list[dt.datetime]] = {b: [] for b in boxes}
    for t in sent:
        assert t.sending_at is not None
        per_box[box_of[t.enrollment_id]].append(t.sending_at)
    assert sorted(len(v) for v in per_box.values()) == [12, 12]
    for times in per_box.values():
        times.sort()
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 1.0, gaps
    per_domain = Counter(t.to_address.rsplit("@", 1)[1] for t in sent)
    assert max(per_domain.values()) <= 4, per_domain


def test_sigterm_finishes_the_touch_and_releases_the_rest(pg: Database, tmp_path: Path) -> None:
    """SIGTERM while a batch is running: the touch inside SMTP goes out, the claimed ones
    not started are due again, the worker exits 0; a second worker sends the rest, once."""
    with slow_smtp(delay=1.0, slow=100) as smtp:
        two_mailbox_world(pg, tmp_path, smtp, people=12, domains=12, daily_cap=100, gap=0)
        workers = Workers(db_url=pg.url, home=tmp_path / "home", start=START,
                          logs=tmp_path / "workers")
        try:
            first = workers.start()
            wait_for(lambda: len(smtp.sink.started) >= 2, timeout=90,
                     what="the second send to begin", procs=[first])
            first.send_signal(signal.SIGTERM)
            assert workers.stop(first) == 0, workers.log(first)
            sent_by_first = len(smtp.sink.messages)
            assert 2 <= sent_by_first < 12
            assert _settled(pg)
            with pg.session() as s:
                waiting = s.exec(select(Enrollment).where(
                    Enrollment.next_step == 1, col(Enrollment.next_due_at).is_not(None),
                    col(Enrollment.claimed_at).is_(None))).all()
                stopped = s.exec(select(Worker)).one()
            assert len(waiting) == 12 - sent_by_first
            assert stopped.how == "stopped"
            smtp.sink.slow = 0
            second = workers.start()
            wait_for(lambda: len(smtp.sink.messages) >= 12, timeout=90,
                     what="the rest to be sent", procs=[second])
            assert workers.stop(second) == 0
        finally:
            workers.close()
    ids = _message_ids(smtp)
    assert len(ids) == 12 and set(ids.values()) == {1}, ids
    assert {t.state for t in _first_touches(pg)} == {"sent"}


def test_a_killed_worker_is_recovered_without_a_second_send(pg: Database,
                                                            tmp_path: Path) -> None:
    """SIGKILL inside the SMTP exchange: another worker finds the dead one, holds its touch in
    flight as delivery_unconfirmed (no Sent folder to prove it) and sends the rest."""
    with slow_smtp(delay=3.0, slow=1) as smtp:
        two_mailbox_world(pg, tmp_path, smtp, people=8, domains=8, daily_cap=100, gap=0)
        workers = Workers(db_url=pg.url, home=tmp_path / "home", start=START,
                          logs=tmp_path / "workers")
        try:
            doomed = workers.start()
            wait_for(lambda: len(smtp.sink.started) >= 1, timeout=90,
                     what="the first send to begin", procs=[doomed])
            doomed.kill()
            doomed.wait(10)
            rescuer = workers.start()
            wait_for(lambda: _settled(pg) and len(smtp.sink.messages) >= 8, timeout=90,
                     what="the rescuer to send the rest", procs=[rescuer])
            assert workers.stop(rescuer) == 0
        finally:
            workers.close()
    ids = _message_ids(smtp)
    assert len(ids) == 8 and set(ids.values()) == {1}, ids
    touches = _first_touches(pg)
    states = Counter(t.state for t in touches)
    assert states == {"sent": 7, "held": 1}, states
    held = next(t for t in touches if t.state == "held")
    assert held.reason == "delivery_unconfirmed" and held.message_id in ids
    with pg.session() as s:
        assert {w.how for w in s.exec(select(Worker))} == {"dead", "stopped"}
        recovered = s.exec(select(Event).where(Event.kind == "touch.recovered")).all()
    assert [e.subject_id for e in recovered] == [held.id]
