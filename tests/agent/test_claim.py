"""The scheduler's batched claim: caps counted from the database, and the unique-key race."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from world import MONDAY, Clock, add_prospects, enroll, make_world

from cadenza.agent.scheduler import Scheduler, _touch_row, find_due, mark_taken
from cadenza.agent.service import open_agent
from cadenza.store import Database
from cadenza.store.models import Enrollment, Touch

from support.smtp import SmtpServer


@pytest.mark.calendar
def test_domain_cap_counts_earlier_sends_in_the_database(database: Database, tmp_path: Path,
                                                         smtp_server: SmtpServer) -> None:
    """Sends of an earlier tick count against the cap, whatever the case of the address."""
    world = make_world(database, tmp_path, smtp_port=smtp_server.port,
                       settings_extra={"domain_daily_cap": 2})
    add_prospects(world, [{"id": f"d{i}", "email": f"Person{i}@{dom}", "first_name": "Alex"}
                          for i, dom in enumerate(["SameCorp.example", "samecorp.example",
                                                   "samecorp.EXAMPLE", "other.example"])])
    enroll(world)
    clock = Clock()
    with open_agent(world.settings, world.db, clock=clock, jitter=(0.0, 0.0), batch=1) as agent:
        first = agent.scheduler.tick()
        second = agent.scheduler.tick()
        assert first.count("sent") == second.count("sent") == 1
        third = agent.scheduler.tick()  # the third samecorp address: two sent in the last 24 h
        fourth = agent.scheduler.tick()
    assert third.deferred == 1 and third.claimed == 0
    assert fourth.count("sent") == 1
    sent = sorted(m.rcpt_tos[0].lower() for m in smtp_server.sink.messages)
    assert sent == ["person0@samecorp.example", "person1@samecorp.example",
                    "person3@other.example"]


def test_a_touch_created_by_another_worker_is_left_to_it(database: Database,
                                                         tmp_path: Path) -> None:
    world = make_world(database, tmp_path, smtp_port=1)
    add_prospects(world, [{"id": f"r{i}", "email": f"r{i}@co{i}.example"} for i in range(3)])
    enroll(world)
    with database.session() as s:
        enrollments = list(s.exec(select(Enrollment).order_by(Enrollment.id)))

        def touch(e: Enrollment) -> dict[str, Any]:
            return _touch_row(MONDAY, workspace_id=e.workspace_id,
                              enrollment_id=e.id or 0, prospect_id=e.prospect_id,
                              step=e.next_step, attempt=e.attempt, channel="email",
                              owner="agent", to_address=f"r{e.id}@co.example")

        s.add(Touch(**touch(enrollments[1])))  # the other worker's, committed first
        s.commit()
        created = Scheduler._insert(s, [touch(e) for e in enrollments],
                                     sqlite=database.is_sqlite)
        s.commit()
        rows = list(s.exec(select(Touch)))
        # no race: every row in the one statement (attempt 2 of each step)
        again = Scheduler._insert(s, [{**touch(e), "attempt": 2} for e in enrollments],
                                  sqlite=database.is_sqlite)
        s.commit()
        retries = list(s.exec(select(Touch).where(Touch.attempt == 2)))
    assert set(again) == {(e.id, 1, 2) for e in enrollments}
    assert {(r.enrollment_id, r.to_address, r.owner) for r in retries} == {
        (e.id, f"r{e.id}@co.example", "agent") for e in enrollments}
    assert {again[(r.enrollment_id, 1, 2)] for r in retries} == {r.id for r in retries}
    assert set(created) == {(enrollments[0].id, 1, 1), (enrollments[2].id, 1, 1)}
    assert len(rows) == 3 and len({r.enrollment_id for r in rows}) == 3
    # the one-statement insert (arrays for the columns that differ, PostgreSQL) writes each
    # row's own values, the shared ones included
    assert {r.enrollment_id: (r.prospect_id, r.to_address, r.channel, r.state, r.fact_ids,
                              r.created_at) for r in rows} == {
        e.id: (e.prospect_id, f"r{e.id}@co.example", "email", "pending", [], MONDAY)
        for e in enrollments}


def test_the_mark_takes_a_due_row_once_and_only_at_the_step_it_was_read(
        database: Database, tmp_path: Path) -> None:
    """The claim's two statements as the bench times them: the find reads the due rows through
    the partial index, the mark (arrays through ``unnest`` on PostgreSQL, a row-value list on
    SQLite) claims each at the step read, once; a marked row is no longer found."""
    world = make_world(database, tmp_path, smtp_port=1)
    add_prospects(world, [{"id": f"m{i}", "email": f"m{i}@co{i}.example"} for i in range(3)])
    enroll(world)
    later = MONDAY + dt.timedelta(days=30)
    with database.session() as s:
        due = list(s.exec(find_due(later, limit=10, lock=not database.is_sqlite)))
        assert len(due) == 3
        picks = [(e.id or 0, e.next_step) for e in due]
        moved_on = (picks[1][0], picks[1][1] + 1)  # another worker's step since the read
        marked = {r[0] for r in s.execute(*mark_taken([picks[0], moved_on, picks[2]], later,
                                                     sqlite=database.is_sqlite))}
        assert marked == {picks[0][0], picks[2][0]}
        assert not list(s.execute(*mark_taken(picks[:1], later, sqlite=database.is_sqlite)))
        s.commit()
        assert [e.id for e in s.exec(find_due(later, limit=10, lock=False))] == [picks[1][0]]


def test_the_mark_stamps_the_row_in_place_and_a_due_time_ends_the_claim(
        database: Database, tmp_path: Path) -> None:
    """The mark stamps ``claimed_at`` and leaves ``next_due_at`` (and every indexed column)
    alone: on PostgreSQL each marked row is updated in place (HOT, no index entry). A claimed
    row is not found again until someone writes it a due time."""
    world = make_world(database, tmp_path, smtp_port=1)
    add_prospects(world, [{"id": f"h{i}", "email": f"h{i}@co{i}.example"} for i in range(3)])
    enroll(world)
    later = MONDAY + dt.timedelta(days=30)
    with database.session() as s:
        due = list(s.exec(find_due(later, limit=10, lock=not database.is_sqlite)))
        marked = {r[0] for r in s.execute(*mark_taken([(e.id or 0, e.next_step) for e in due],
                                                     later, sqlite=database.is_sqlite))}
        assert len(marked) == 3
        if not database.is_sqlite:
            updated, in_place = s.execute(text(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                "WHERE relname = 'enrollment'")).one()
            assert updated == in_place == 3
        s.commit()
    with database.session() as s:
        rows = list(s.exec(select(Enrollment).order_by(col(Enrollment.id))))
        assert all(e.claimed_at is not None and e.next_due_at is not None for e in rows)
        assert not list(s.exec(find_due(later, limit=10, lock=False)))
        rows[0].next_due_at = later  # a put-off, a release, a resume: due again
        s.add(rows[0])
        s.commit()
        assert rows[0].claimed_at is None
        assert [e.id for e in s.exec(find_due(later, limit=10, lock=False))] == [rows[0].id]
