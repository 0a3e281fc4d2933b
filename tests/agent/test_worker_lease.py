"""A worker's hold on PostgreSQL: its lease (liveness by advisory lock) and its checkpointer.

Killing a worker's sessions with ``pg_terminate_backend`` is what a PostgreSQL restart does to
it (without restarting the server the other tests share): the checkpointer's pool replaces
the broken connections, and the lease is found dead by others and registers anew.
"""

from __future__ import annotations

from typing import Any

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from sqlmodel import select

from cadenza.agent.checkpoints import open_checkpointer
from cadenza.agent.service import open_agent
from cadenza.agent.workers import WorkerLease, dead_workers
from cadenza.config import Settings
from cadenza.store import Database
from cadenza.store.models import Worker

from support.clock import MONDAY, Clock


def _kill_sessions(db: Database, pids: list[int] | None = None) -> int:
    """Terminate the database's other sessions (these ``pids`` only, when given)."""
    url = db.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                            "AND (%s::int[] IS NULL OR pid = ANY(%s::int[]))",
                            (pids, pids)).fetchall()
    return len(rows)


def _checkpoint(saver: Any, thread: str) -> None:
    from langgraph.checkpoint.base import empty_checkpoint

    config = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    saver.put(config, empty_checkpoint(), {"source": "input", "step": -1}, {})
    assert saver.get_tuple(config) is not None


def test_the_worker_uses_the_postgres_saver_and_it_outlives_lost_connections(
        pg: Database, tmp_path: Any) -> None:
    settings = Settings(database_url=pg.url, home=tmp_path / "home",
                        secret_key="test-secret-key")
    with open_agent(settings, pg, clock=Clock()) as agent:
        assert isinstance(agent.runner.graph.checkpointer, PostgresSaver)
    with open_checkpointer(pg.url) as saver:
        _checkpoint(saver, "before")
        assert _kill_sessions(pg) >= 1
        _checkpoint(saver, "after")  # the pool checks each connection before lending it


def test_a_lease_is_alive_while_held_dead_when_its_session_ends(pg: Database) -> None:
    clock = Clock()
    lease = WorkerLease(pg, clock=clock)
    first = lease.start()
    assert first is not None
    with pg.session() as s:
        assert dead_workers(s, me=None, now=MONDAY) == []
    pid = lease._conn.info.backend_pid
    _kill_sessions(pg, [pid])
    with pg.session() as s:
        assert dead_workers(s, me=None, now=MONDAY) == [first]
    second = lease.renew()  # the lock went with the session: a new registration
    assert second is not None and second != first
    with pg.session() as s:
        assert dead_workers(s, me=None, now=MONDAY) == []
    lease.close()
    with pg.session() as s:
        rows = {w.id: w.how for w in s.exec(select(Worker))}
    assert rows == {first: "dead", second: "stopped"}
