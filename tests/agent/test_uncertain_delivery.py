"""A connection lost after DATA, with the worker alive: the touch is settled at once (held as
``delivery_unconfirmed`` for a person, never resent) instead of staying in flight, owned by a
live worker that nobody settles — which the fault run found as stuck enrollments."""

from __future__ import annotations

from pathlib import Path

from aiosmtpd.controller import Controller
from sqlmodel import select
from test_touch_graph import agent_for
from world import PEOPLE, Clock, add_prospects, enroll, make_world

from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Touch

from support.dovecot import free_port
from support.smtp import HangUpInData


def test_uncertain_delivery_is_held_at_once_not_left_in_flight(database: Database,
                                                                tmp_path: Path) -> None:
    handler = HangUpInData()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        world = make_world(database, tmp_path, smtp_port=port)
        add_prospects(world, PEOPLE[:1])
        enroll(world)
        with agent_for(world, Clock()) as agent:
            report = agent.scheduler.tick()
            again = agent.scheduler.tick()
    finally:
        controller.stop()
    assert [r.outcome for r in report.results] == ["in_flight"]
    assert again.results == [] and handler.count == 1  # never sent a second time
    with database.session() as s:
        [touch] = s.exec(select(Touch)).all()
        [enrollment] = s.exec(select(Enrollment)).all()
        recovered = s.exec(select(Event).where(Event.kind == "touch.recovered")).all()
    assert (touch.state, touch.reason) == ("held", "delivery_unconfirmed")
    assert [e.subject_id for e in recovered] == [touch.id]
    # still in flight (claimed): a person decides
    assert enrollment.state == "active" and enrollment.claimed_at is not None
