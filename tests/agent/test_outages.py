"""Outages pass; prospects must not be lost to them (#17, found by the fault run).

A mail server answering 4xx for a while puts the touch off along the retry schedule and it goes
out once the server takes mail again — not ``failed`` after the graph's three quick retries. A
database that goes away under a running ``cadenza worker`` or ``cadenza watch`` (connections
dropped, then refused: what a PostgreSQL restart does) is waited out, and the process goes on
and finishes its work with every touch sent once; one that is away when they start is waited
for. The outage is a real one: the processes reach the real PostgreSQL through a TCP proxy the
test cuts (``support.tcp_proxy``), so the server other tests share is never restarted.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlmodel import col, select
from test_touch_graph import agent_for
from worker_procs import Workers, slow_smtp, wait_for
from world import PEOPLE, add_prospects, enroll, make_world, two_mailbox_world

from cadenza.agent.retry_later import SCHEDULE, is_transient
from cadenza.errors import DeliveryError
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Touch
from cadenza.store.outage import is_outage

from support.clock import MONDAY, Clock
from support.dovecot import ImapServer, append, free_port
from support.mail_builders import make_world as mail_world
from support.mail_builders import reply_bytes
from support.smtp import SmtpServer
from support.tcp_proxy import tcp_proxy
from support.watch_fleet import Fleet, processed_counts
from support.watch_fleet import wait_for as wait_until

START = MONDAY + dt.timedelta(hours=1)


# -- a 4xx that lasts longer than the node's retries --------------------------------------------
def test_a_4xx_puts_the_touch_off_and_it_goes_out_once_the_server_takes_mail(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    smtp_server.sink.fail_next("451 4.7.1 greylisted, try again later", times=3)
    clock = Clock(START)
    with agent_for(world, clock) as agent:
        first = agent.scheduler.tick()
        with database.session() as s:
            touch = s.exec(select(Touch)).one()
            enrollment = s.exec(select(Enrollment)).one()
        early = agent.scheduler.tick()  # not due yet: nothing runs, nothing is sent
        clock.advance(minutes=5)
        second = agent.scheduler.tick()
    assert [r.outcome for r in first.results] == ["retry_later"]
    assert "451" in first.results[0].reason
    assert touch.state in ("pending", "approved") and touch.worker_id is None
    assert enrollment.state == "active" and enrollment.next_due_at is not None
    assert enrollment.claimed_at is None
    assert enrollment.next_due_at.replace(tzinfo=dt.UTC) >= START + SCHEDULE[0]
    assert early.results == []
    assert [r.outcome for r in second.results] == ["sent"]
    assert len(smtp_server.sink.messages) == 1
    with database.session() as s:
        put_off = s.exec(select(Event).where(Event.kind == "touch.retry_later")).all()
        assert [e.data["attempt"] for e in put_off] == [1]
        assert s.exec(select(Touch)).one().state == "sent"
        assert s.exec(select(Enrollment)).one().state == "active"  # on to its next step


def test_a_5xx_still_fails_at_once(sqlite_db: Database, tmp_path: Path,
                                   smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE[:1])
    enroll(world)
    smtp_server.sink.fail_next("554 5.7.1 rejected as spam")
    with agent_for(world, Clock(START)) as agent:
        report = agent.scheduler.tick()
    assert [r.outcome for r in report.results] == ["failed"]
    with sqlite_db.session() as s:
        assert not s.exec(select(Event).where(Event.kind == "touch.retry_later")).all()


# -- the database away between the server's 250 and the write of ``sent`` ----------------------
def test_a_send_the_server_accepted_is_written_down_when_the_database_comes_back(
        pg: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    """The message has gone out and the database is away before the worker writes ``sent``
    (found by CI: the touch was left ``sending`` and recovery, with no Sent folder to search,
    held it as unconfirmed). The worker alone knows the server accepted it, so it waits for the
    database and writes ``sent``; the enrollment moves on, nothing is held or sent twice."""
    with tcp_proxy("127.0.0.1", 5432) as proxy:
        db = Database(_proxied(pg.url, proxy.port))
        world = make_world(db, tmp_path, smtp_port=smtp_server.port)
        add_prospects(world, PEOPLE[:1])
        enroll(world)
        restores: list[threading.Timer] = []

        def away_for_two_seconds() -> None:
            proxy.cut()
            restores.append(threading.Timer(2.0, proxy.restore))
            restores[-1].start()

        smtp_server.sink.on_accept = away_for_two_seconds
        try:
            with agent_for(world, Clock(START)) as agent:
                report = agent.scheduler.tick()
        finally:
            smtp_server.sink.on_accept = None
            for timer in restores:
                timer.join()
            db.engine.dispose()
    assert len(restores) == 1  # the database really was away after the 250
    assert [r.outcome for r in report.results] == ["sent"]
    assert len(smtp_server.sink.messages) == 1
    with pg.session() as s:
        touch = s.exec(select(Touch)).one()
        enrollment = s.exec(select(Enrollment)).one()
        recovered = s.exec(select(Event).where(Event.kind == "touch.recovered")).all()
        sent = s.exec(select(Event).where(Event.kind == "touch.sent")).all()
    assert touch.state == "sent" and touch.reason == "" and recovered == []
    assert len(sent) == 1
    assert enrollment.state == "active" and enrollment.next_step == 2


# -- what counts as an outage -------------------------------------------------------------------
def test_outages_are_told_from_mistakes_on_real_errors(tmp_path: Path, pg: Database) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    errors: dict[str, BaseException] = {}
    for name, sql in (("locked", "INSERT INTO t VALUES (1)"),
                      ("no table", "SELECT * FROM nowhere")):
        with pytest.raises(OperationalError) as caught, engine.begin() as conn:
            conn.execute(text(sql))
        errors[name] = caught.value
    holder.execute("ROLLBACK")
    refused = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")
    with pytest.raises(OperationalError) as down, refused.connect():
        pass
    with pytest.raises(psycopg.OperationalError) as raw:
        psycopg.connect(f"postgresql://postgres@127.0.0.1:{free_port()}/x", connect_timeout=2)
    with pytest.raises(ProgrammingError) as syntax, pg.engine.connect() as conn:
        conn.execute(text("SELEC 1"))
    with pytest.raises(IntegrityError) as dup, pg.engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE u (x int primary key)"))
        conn.execute(text("INSERT INTO u VALUES (1), (1)"))
    assert is_outage(errors["locked"]) and is_outage(down.value) and is_outage(raw.value)
    assert not is_outage(errors["no table"])
    assert not is_outage(syntax.value) and not is_outage(dup.value)
    assert is_transient(DeliveryError("451 later")) and is_transient(down.value)
    assert not is_transient(DeliveryError("550 no", permanent=True))
    assert not is_transient(ValueError("a bug"))


# -- the database away under running processes --------------------------------------------------
def _proxied(url: str, port: int) -> str:
    assert "127.0.0.1:5432" in url, url
    return url.replace("127.0.0.1:5432", f"127.0.0.1:{port}")


def test_a_worker_rides_out_the_database_going_away_and_sends_each_touch_once(
        pg: Database, tmp_path: Path) -> None:
    """Twenty first emails, one second apart per mailbox; the database is cut twice while
    the worker sends (every connection dropped, new ones refused for 3 s). The worker never
    exits; afterwards every touch went out once, none failed, nothing is left claimed."""
    with slow_smtp() as smtp, tcp_proxy("127.0.0.1", 5432) as proxy:
        two_mailbox_world(pg, tmp_path, smtp, people=20, domains=20, daily_cap=100, gap=1)
        workers = Workers(db_url=_proxied(pg.url, proxy.port), home=tmp_path / "home",
                          start=START, logs=tmp_path / "workers")
        try:
            proc = workers.start()
            for after in (3, 9):
                wait_for(lambda n=after: len(smtp.sink.messages) >= n, timeout=120,
                         what=f"{after} sends", procs=[proc])
                proxy.cut()
                time.sleep(3)
                assert proc.poll() is None, workers.log(proc)
                proxy.restore()
            wait_for(lambda: len(smtp.sink.messages) >= 20, timeout=180, what="20 sends",
                     procs=[proc])
            wait_for(lambda: _nothing_claimed(pg), timeout=60, what="claims to settle",
                     procs=[proc])
            code = workers.stop(proc)
        finally:
            workers.close()
    assert code == 0, workers.log(proc)
    ids = Counter(str(m.message["Message-ID"]) for m in smtp.sink.messages)
    assert len(ids) == 20 and set(ids.values()) == {1}, ids
    with pg.session() as s:
        touches = s.exec(select(Touch)).all()
        failed = s.exec(select(Enrollment).where(Enrollment.state == "failed")).all()
        put_off = s.exec(select(Event).where(Event.kind == "touch.retry_later")).all()
    assert failed == [] and put_off == []  # due again at once, not along the 4xx schedule
    assert sorted(t.state for t in touches) == ["sent"] * 20


def _nothing_claimed(db: Database) -> bool:
    with db.session() as s:
        return not s.exec(select(Touch).where(col(Touch.worker_id).is_not(None), col(
            Touch.state).in_(["pending", "approved", "sending"]))).first()


def test_a_worker_started_while_the_database_is_away_waits_for_it(
        pg: Database, tmp_path: Path) -> None:
    with slow_smtp() as smtp, tcp_proxy("127.0.0.1", 5432) as proxy:
        two_mailbox_world(pg, tmp_path, smtp, people=2, domains=2, daily_cap=100, gap=0)
        workers = Workers(db_url=_proxied(pg.url, proxy.port), home=tmp_path / "home",
                          start=START, logs=tmp_path / "workers")
        proxy.cut()
        try:
            proc = workers.start()
            time.sleep(4)
            assert proc.poll() is None, workers.log(proc)  # waiting, not exited
            proxy.restore()
            wait_for(lambda: len(smtp.sink.messages) >= 2, timeout=120, what="2 sends",
                     procs=[proc])
            code = workers.stop(proc)
        finally:
            workers.close()
    assert code == 0
    assert "the database is not reachable" in workers.log(proc)


def test_a_watcher_started_while_the_database_is_away_waits_and_then_acts(
        pg: Database, imap_server: ImapServer, tmp_path: Path) -> None:
    user = f"outage-{free_port()}"
    world = mail_world(pg, imap_host=imap_server.host, imap_port=imap_server.port,
                       imap_user=user, imap_security="none", now=MONDAY)
    with tcp_proxy("127.0.0.1", 5432) as proxy:
        fleet = Fleet(_proxied(pg.url, proxy.port), tmp_path,
                      env={"CADENZA_WATCH_LEASE_SECONDS": "2",
                           "CADENZA_TEST_IMAP_PASSWORD": imap_server.password})
        proxy.cut()
        try:
            watch = fleet.start()
            time.sleep(4)
            assert watch.proc.poll() is None, watch.stderr()
            proxy.restore()
            append(imap_server, user, reply_bytes(
                "Sounds interesting, tell me more about how this works for our team.",
                in_reply_to=world.message_ids[0], message_id="<outage-1@prospect.example>"))
            took = wait_until(lambda: processed_counts(pg).get(
                "<outage-1@prospect.example>") == 1, timeout=60)
            assert took is not None, watch.stderr()
            proxy.cut()  # and under a running watcher: it keeps going
            time.sleep(3)
            proxy.restore()
            append(imap_server, user, reply_bytes(
                "Thanks, not for us right now.", in_reply_to=world.message_ids[0],
                message_id="<outage-2@prospect.example>"))
            again = wait_until(lambda: processed_counts(pg).get(
                "<outage-2@prospect.example>") == 1, timeout=60)
            assert again is not None, watch.stderr()
            assert watch.proc.poll() is None
        finally:
            fleet.stop_all()
    assert set(processed_counts(pg).values()) == {1}
