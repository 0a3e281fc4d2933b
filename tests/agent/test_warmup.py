"""Warm-up (#17 item 3): a new mailbox's daily cap ramps up day by day, by its own schedule or
the workspace's, and the scheduler's cap and the rotation's room both follow it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from world import add_prospects, enroll, make_world

from cadenza.agent.service import open_agent
from cadenza.mailbox.rotation import mailbox_rooms
from cadenza.mailbox.warmup import WarmupSchedule, daily_cap, warmed_up, warmup_day
from cadenza.store import Database
from cadenza.store.models import Mailbox

from support.clock import MONDAY, Clock
from support.smtp import SmtpServer

DAY = dt.timedelta(days=1)


def box(**kw: object) -> Mailbox:
    return Mailbox(workspace_id=1, email="maya@northwindlabs.io", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("days", "cap"), [(0, 10), (1, 15), (3, 25), (5, 35), (6, 40),
                                           (30, 40)])
def test_the_workspace_schedule_ramps_to_the_mailbox_cap(days: int, cap: int) -> None:
    mailbox = box(daily_cap=40, warmup_started_at=MONDAY)
    at = MONDAY + days * DAY + dt.timedelta(hours=5)
    assert warmup_day(mailbox, at) == days
    assert daily_cap(mailbox, at, WarmupSchedule()) == cap
    assert warmed_up(mailbox, at, WarmupSchedule()) == (cap == 40)


def test_a_mailbox_schedule_overrides_the_workspace_and_days_are_utc_days() -> None:
    mailbox = box(daily_cap=40, warmup_started_at=MONDAY + dt.timedelta(hours=14),
                  warmup_start_per_day=2, warmup_increase_per_day=3)
    schedule = WarmupSchedule(start_per_day=20, increase_per_day=20)
    assert daily_cap(mailbox, MONDAY + dt.timedelta(hours=14, minutes=30), schedule) == 2
    assert daily_cap(mailbox, MONDAY + dt.timedelta(hours=15, minutes=1), schedule) == 5
    assert daily_cap(mailbox, MONDAY + 4 * DAY, schedule) == 14  # day 4 from Monday 23:00
    # not started yet: nothing; no warm-up at all: the full cap
    assert daily_cap(mailbox, MONDAY - DAY, schedule) == 0
    assert daily_cap(box(daily_cap=40), MONDAY, schedule) == 40
    assert warmup_day(box(daily_cap=40), MONDAY) is None


@pytest.mark.calendar
def test_the_scheduler_caps_a_warming_mailbox_by_its_day(sqlite_db: Database, tmp_path: Path,
                                                         smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port, daily_cap=40,
                       settings_extra={"warmup": {"start_per_day": 2, "increase_per_day": 1}})
    with sqlite_db.session() as s:
        mailbox = s.get(Mailbox, world.mailbox_id)
        assert mailbox is not None
        mailbox.warmup_started_at = MONDAY - dt.timedelta(hours=9)  # day 0 is Monday
    add_prospects(world, [{"id": f"w{i}", "email": f"w{i}@co{i}.example",
                           "first_name": "Alex"} for i in range(7)])
    enroll(world)
    clock = Clock(MONDAY + dt.timedelta(hours=7, minutes=55))
    with open_agent(world.settings, sqlite_db, clock=clock, jitter=(0.0, 0.0)) as agent:
        monday = agent.scheduler.tick()
        assert monday.count("sent") == 2  # day 0: two
        assert monday.deferred == 5 and all("daily cap" in why
                                            for _, why, _ in monday.deferrals)
        with sqlite_db.session() as s:
            (room,) = mailbox_rooms(s, [world.workspace.id or 0], clock())[
                world.workspace.id or 0]
        assert (room.cap, room.sent, room.warmup_day) == (2, 2, 0)
        clock.advance(days=1, minutes=5)  # Tuesday, day 1: three, the day's sends aged out
        assert agent.scheduler.tick().count("sent") == 3
        clock.advance(days=1, minutes=5)  # Wednesday, day 2: four (of the two first touches
        wednesday = agent.scheduler.tick()  # left and Monday's five follow-ups due)
        assert (wednesday.count("sent"), wednesday.deferred) == (4, 3)
    assert len(smtp_server.sink.messages) == 2 + 3 + 4
