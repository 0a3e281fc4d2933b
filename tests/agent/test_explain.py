"""`cadenza status` explains itself (#11 item 3): per playbook step, the next touch and why
it is not due now — a cap, the playbook's schedule, or a person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from world import MONDAY, Clock, add_prospects, enroll, make_world

from cadenza.agent.explain import overview
from cadenza.agent.service import open_agent
from cadenza.store import Database

from support.smtp import SmtpServer


@pytest.mark.calendar
def test_status_says_what_holds_each_step_back(database: Database, tmp_path: Path,
                                               smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port,
                       settings_extra={"domain_daily_cap": 1})
    add_prospects(world, [{"id": f"s{i}", "email": f"person{i}@samecorp.example",
                           "first_name": "Alex"} for i in range(2)])
    enroll(world)
    with database.session() as s:
        before = overview(s, world.workspace.id or 0, MONDAY)
    (step,) = before.steps
    assert (step.step, step.enrollments, step.why) == (1, 2, "due now")
    assert before.due_now == 2
    clock = Clock()
    with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0)) as agent:
        agent.scheduler.tick()
    with database.session() as s:
        after = overview(s, world.workspace.id or 0, MONDAY)
    by_step = {st.step: st for st in after.steps}
    assert "domain samecorp.example daily cap" in by_step[1].why  # the second, put off
    assert by_step[1].next_due_at is not None and by_step[1].next_due_at > MONDAY
    assert by_step[2].why.startswith("the playbook's schedule")  # the first, sent: step 2 next
    assert after.due_now == 0
    saturday = MONDAY + dt.timedelta(days=5)
    with database.session() as s:
        later = overview(s, world.workspace.id or 0, saturday)
    assert later.public()["steps"][0]["next_due_at"] is not None
