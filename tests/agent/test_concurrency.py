"""Two workers on one database never send the same touch twice."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlmodel import select
from world import Clock, add_prospects, enroll, make_world

from cadenza.agent.service import open_agent
from cadenza.store import Database
from cadenza.store.models import Touch

from support.smtp import SmtpServer


def test_concurrent_workers_send_each_touch_once(database: Database, tmp_path: Path,
                                                 smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    people = [{"id": f"w{i}", "email": f"person{i}@co{i}.example", "first_name": "Robin"}
              for i in range(40)]
    add_prospects(world, people)
    enroll(world)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with open_agent(world.settings, Database(world.db.url), clock=Clock(),
                            jitter=(0.0, 0.0), batch=10) as agent:
                barrier.wait(timeout=60)
                for _ in range(8):
                    agent.scheduler.tick()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    recipients = [r.rcpt_tos[0] for r in smtp_server.sink.messages]
    assert len(recipients) == len(set(recipients)) == 40
    with database.session() as s:
        assert {t.state for t in s.exec(select(Touch))} == {"sent"}
