"""Pacing shared through the database (#11 item 5): the gap holds across workers and restarts,
and every send counts against the mailbox that really sends it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import select
from world import Clock, add_prospects, enroll, make_world

from cadenza.agent.service import open_agent
from cadenza.store import Database
from cadenza.store.models import Enrollment, Mailbox

from support.smtp import SmtpServer

PEOPLE = [{"id": f"g{i}", "email": f"g{i}@co{i}.example", "first_name": "Alex"}
          for i in range(2)]


@pytest.mark.calendar
def test_the_gap_holds_across_workers(database: Database, tmp_path: Path,
                                      smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    with database.session() as s:
        box = s.get(Mailbox, world.mailbox_id)
        assert box is not None
        box.min_gap_seconds, box.jitter_seconds = 600, 30
    add_prospects(world, PEOPLE)
    enroll(world)
    clock = Clock()
    with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0),
                    batch=1) as first:
        assert first.scheduler.tick().count("sent") == 1
    # a second worker (a new process, or the same one restarted) knows nothing in memory
    with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0),
                    batch=1) as second:
        report = second.scheduler.tick()
        assert (report.claimed, report.deferred) == (0, 1)
        ((_, why, until),) = report.deferrals  # the worker says why, and until when
        assert "minimum gap" in why and until == clock() + dt.timedelta(seconds=600)
        with database.session() as s:
            box = s.get(Mailbox, world.mailbox_id)
            waiting = [e for e in s.exec(select(Enrollment)) if e.next_step == 1]
        assert box is not None and box.next_send_at is not None
        assert box.next_send_at == clock() + dt.timedelta(seconds=600)
        assert [e.next_due_at for e in waiting] == [box.next_send_at]
        clock.advance(seconds=601)
        assert second.scheduler.tick().count("sent") == 1
    assert len(smtp_server.sink.messages) == 2


@pytest.mark.calendar
def test_an_enrollment_without_a_mailbox_counts_against_the_one_that_sends(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, daily_cap=1)
    add_prospects(world, PEOPLE)
    enroll(world)
    with database.session() as s:
        for e in s.exec(select(Enrollment)):
            e.mailbox_id = None
            s.add(e)
    with open_agent(world.settings, database, clock=Clock(), jitter=(0.0, 0.0)) as agent:
        tick = agent.scheduler.tick()
    assert tick.count("sent") == 1
    assert tick.deferred == 1  # the mailbox's daily cap of 1 counted the first send
    with database.session() as s:
        assert {e.mailbox_id for e in s.exec(select(Enrollment))} == {world.mailbox_id}
    assert len(smtp_server.sink.messages) == 1


def test_the_worker_says_what_each_touch_did_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    from cadenza.agent.graph import TouchResult
    from cadenza.agent.scheduler import TickReport
    from cadenza.cli.agent import _say_tick

    report = TickReport(claimed=3, deferred=1, results=[
        TouchResult(7, "sent"), TouchResult(8, "skipped", "suppressed"),
        TouchResult(9, "held", "check_failed:links")],
        deferrals=[(4, "domain acme.example daily cap",
                    dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))])
    _say_tick(report)
    out = capsys.readouterr().out
    assert "touch 8: skipped (suppressed)" in out and "touch 9: held (check_failed:links)" in out
    assert "enrollment 4: deferred to 2026-12-01T09:00:00+00:00 (domain acme.example daily cap)" \
        in out
    assert "ran 3 touches: 1 held, 1 sent, 1 skipped; deferred 1" in out
