"""Restarts and crashes: approvals resume from another process; a crash between SMTP and the
database never leads to a second send."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select
from world import MONDAY, PEOPLE, add_prospects, enroll, make_world

from cadenza.store import Database
from cadenza.store.models import Event, Touch

from support.smtp import SmtpServer

SCRIPT = Path(__file__).with_name("agent_proc.py")


def _proc(*args: str, expect: int = 0) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == expect, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_approval_resumed_from_a_new_process(database: Database, tmp_path: Path,
                                             smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, approval="always")
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    common = [world.db.url, world.settings.checkpoint_url or "", str(tmp_path / "home"),
              MONDAY.isoformat()]
    if not database.is_sqlite:
        assert world.settings.checkpoint_url is None  # the Postgres saver, in the same database
    assert json.loads(_proc("tick", *common)) == ["waiting"]
    with database.session() as s:
        touch = s.exec(select(Touch)).one()
        assert touch.state == "awaiting_approval"
    assert smtp_server.sink.messages == []
    # a different process, built from scratch, resumes the same thread
    assert json.loads(_proc("resume", *common, str(touch.id), "approve")) == "sent"
    assert len(smtp_server.sink.messages) == 1
    with database.session() as s:
        touch = s.exec(select(Touch)).one()
        assert (touch.state, touch.approved_by) == ("sent", "proc")


def test_crash_between_smtp_and_database_never_sends_twice(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    common = [world.db.url, world.settings.checkpoint_url or "", str(tmp_path / "home"),
              MONDAY.isoformat()]
    _proc("tick", *common, "--crash-after-send", expect=17)
    assert len(smtp_server.sink.messages) == 1          # it went out…
    with database.session() as s:
        assert s.exec(select(Touch)).one().state == "sending"   # …but the row never heard
    # a restarted worker, minutes later: recovery settles the row, nothing is sent again
    later = (MONDAY + dt.timedelta(minutes=10)).isoformat()
    _proc("recover", *common[:3], later)
    assert json.loads(_proc("tick", *common[:3], later)) == []
    assert len(smtp_server.sink.messages) == 1
    with database.session() as s:
        touch = s.exec(select(Touch)).one()
        assert (touch.state, touch.reason) == ("held", "delivery_unconfirmed")
        assert s.exec(select(Event).where(Event.kind == "touch.recovered")).one()
