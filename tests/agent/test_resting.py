"""Resting (#17 item 3): a hard-bounce spike rests the mailbox that sent the mail and raises the
alert; its own prospects wait on it (never moved to another mailbox mid-thread), new ones go
elsewhere, and an operator ends the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import select
from test_rotation import OTHERS, add_mailbox, enroll_some, mailbox_of
from world import add_prospects, make_world

from cadenza.agent.service import open_agent
from cadenza.mailbox.resting import end_rest, is_resting, note_complaint
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Mailbox, Task, Workspace

from support.clock import MONDAY, Clock
from support.smtp import SmtpServer

SPIKE = {"resting": {"min_sends": 5, "bounce_rate": 0.2, "rest_hours": 0}}


@pytest.mark.calendar
def test_a_bounce_spike_rests_the_mailbox_and_its_prospects_wait(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, daily_cap=50,
                       settings_extra=SPIKE)
    spiky = world.mailbox_id
    add_prospects(world, OTHERS[:7])
    enroll_some(world, [f"q{i}" for i in range(4)])
    clock = Clock(MONDAY + dt.timedelta(hours=7, minutes=55))
    with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0)) as agent:
        assert agent.scheduler.tick().count("sent") == 4
        spare = add_mailbox(world, "sam@northwind-mail.io", daily_cap=5,
                            port=smtp_server.port)
        enroll_some(world, ["q4"], now=clock())
        assert mailbox_of(world)["q4"] == spiky  # 46 left against 5
        smtp_server.sink.fail_next("550 5.1.1 no such user here")
        clock.advance(minutes=1)
        bounced = agent.scheduler.tick()
        assert bounced.count("failed") == 1
        with database.session() as s:
            box = s.get(Mailbox, spiky)
            assert box is not None and is_resting(box, clock())
            assert box.rest_reason.startswith("hard bounce spike: 1 of its last 5 sends")
            assert box.rested_until is None  # rest_hours 0: until an operator ends it
            (task,) = s.exec(select(Task).where(Task.kind == "deliverability_alert")).all()
            assert "maya@northwindlabs.io is resting" in task.title
            assert "4 running enrollment(s) wait for it" in task.body
            assert len(task.data["waiting_enrollment_ids"]) == 4  # reported by id
            kinds = [e.kind for e in s.exec(select(Event).where(
                Event.subject_type == "mailbox", Event.subject_id == spiky))]
            assert "alert" in kinds and "mailbox.rested" in kinds
        # no one new goes to the resting mailbox, though it has far more room
        enroll_some(world, ["q5", "q6"], now=clock())
        got = mailbox_of(world)
        assert (got["q5"], got["q6"]) == (spare, spare)
        # its own prospects' follow-ups wait for it: deferred, still on it, not sent
        clock.advance(days=2, hours=2)  # Wednesday 17:00 (+): the follow-ups are due
        sent_before = len(smtp_server.sink.messages)
        waiting = agent.scheduler.tick()
        rested = [d for d in waiting.deferrals if "is resting" in d[1]]
        assert len(rested) == 4
        assert {to for m in smtp_server.sink.messages[sent_before:] for to in m.rcpt_tos} \
            <= {"q5@firm5.example", "q6@firm6.example"}
        with database.session() as s:
            assert {e.mailbox_id for e in s.exec(select(Enrollment).where(
                Enrollment.state == "active")) if e.prospect_id <= 4} == {spiky}
        # an operator ends the rest: the waiting follow-ups go, from their own mailbox
        with database.session() as s:
            box = s.get(Mailbox, spiky)
            assert box is not None
            assert end_rest(s, box, by="test", now=clock())
        clock.now = max(until for _, _, until in rested) + dt.timedelta(minutes=1)
        after = len(smtp_server.sink.messages)
        agent.scheduler.tick()
    followups = smtp_server.sink.messages[after:]
    assert sorted(m.rcpt_tos[0] for m in followups
                  if m.rcpt_tos[0].startswith(("q0@", "q1@", "q2@", "q3@"))) == [
        f"q{i}@firm{i}.example" for i in range(4)]
    assert {m.mail_from for m in followups if m.rcpt_tos[0][1] in "0123"} == {
        "maya@northwindlabs.io"}


def test_a_spam_complaint_rests_at_once_unless_the_workspace_says_not(
        sqlite_db: Database, tmp_path: Path) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=1)
    with sqlite_db.session() as s:
        assert note_complaint(s, world.mailbox_id, MONDAY, source="reply:1")
        assert not note_complaint(s, world.mailbox_id, MONDAY, source="reply:2")  # one alert
        box = s.get(Mailbox, world.mailbox_id)
        assert box is not None and box.rest_reason.startswith("spam complaint")
        assert len(s.exec(select(Task)).all()) == 1
        # the default rest lasts 48 hours, then the mailbox is back by itself
        assert is_resting(box, MONDAY + dt.timedelta(hours=47, minutes=59))
        assert not is_resting(box, MONDAY + dt.timedelta(hours=48))
        end_rest(s, box, by="test", now=MONDAY)
        ws = s.get(Workspace, world.workspace.id)
        assert ws is not None
        ws.settings = {**ws.settings, "resting": {"rest_on_complaint": False}}
    with sqlite_db.session() as s:
        assert not note_complaint(s, world.mailbox_id, MONDAY, source="reply:3")

