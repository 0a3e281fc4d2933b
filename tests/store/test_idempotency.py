"""Idempotency keys: the first answer is stored with the work, a retry gets it back, a key
reused for another request is refused, and two requests racing on one key run the work once."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from cadenza.errors import ConflictError
from cadenza.store import Database
from cadenza.store.idempotency import Answer, IdempotencyRecord, run_once
from cadenza.store.models import Rep
from cadenza.store.workspaces import ensure_workspace

NOW = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)


def _workspaces(db: Database) -> tuple[int, int]:
    with db.session() as s:
        a, _ = ensure_workspace(session=s, slug="alpha")
        b, _ = ensure_workspace(session=s, slug="beta")
        return a.id or 0, b.id or 0


def _add_rep(workspace_id: int, calls: list[int]) -> Any:
    """Work with a visible effect: one rep more per call."""

    def work(session: Session) -> tuple[int, Any]:
        calls.append(1)
        session.add(Rep(workspace_id=workspace_id, name="Ana", email=f"ana{len(calls)}@x.example"))
        return 201, {"created": len(calls)}
    return work


def _reps(db: Database) -> int:
    with db.session() as s:
        return len(s.exec(select(Rep)).all())


def test_a_retry_gets_the_first_answer_and_the_work_runs_once(database: Database) -> None:
    alpha, beta = _workspaces(database)
    calls: list[int] = []
    first = run_once(db=database, workspace_id=alpha, key="k1", request_hash="h1", now=NOW,
                     work=_add_rep(alpha, calls))
    again = run_once(db=database, workspace_id=alpha, key="k1", request_hash="h1", now=NOW,
                     work=_add_rep(alpha, calls))
    assert first == Answer(201, {"created": 1}) and again == Answer(201, {"created": 1}, True)
    assert calls == [1] and _reps(database) == 1
    # the same key in another workspace is another key
    other = run_once(db=database, workspace_id=beta, key="k1", request_hash="h9", now=NOW,
                     work=_add_rep(beta, calls))
    assert not other.replayed and _reps(database) == 2


def test_a_key_reused_for_another_request_is_refused(database: Database) -> None:
    alpha, _ = _workspaces(database)
    calls: list[int] = []
    run_once(db=database, workspace_id=alpha, key="k1", request_hash="h1", now=NOW,
             work=_add_rep(alpha, calls))
    with pytest.raises(ConflictError, match="different request") as caught:
        run_once(db=database, workspace_id=alpha, key="k1", request_hash="h2", now=NOW,
                 work=_add_rep(alpha, calls))
    assert caught.value.field == "Idempotency-Key" and calls == [1]


def test_work_that_fails_leaves_no_key_behind(database: Database) -> None:
    alpha, _ = _workspaces(database)

    def broken(session: Session) -> tuple[int, Any]:
        session.add(Rep(workspace_id=alpha, name="Ana", email="ana@x.example"))
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        run_once(db=database, workspace_id=alpha, key="k1", request_hash="h1", now=NOW,
                 work=broken)
    with database.session() as s:
        assert s.exec(select(IdempotencyRecord)).all() == []
    assert _reps(database) == 0
    calls: list[int] = []
    answer = run_once(db=database, workspace_id=alpha, key="k1", request_hash="h1", now=NOW,
                      work=_add_rep(alpha, calls))
    assert not answer.replayed and calls == [1]


@pytest.mark.postgres
def test_two_requests_racing_on_one_key_run_the_work_once(pg: Database) -> None:
    """The second request reaches the key while the first one's transaction is still open:
    it waits on the unique key, then answers with what the first stored."""
    db = pg
    alpha, _ = _workspaces(db)
    calls: list[int] = []
    claimed, release = threading.Event(), threading.Event()
    answers: dict[str, Answer] = {}

    def slow(session: Session) -> tuple[int, Any]:
        claimed.set()
        assert release.wait(30)
        return _add_rep(alpha, calls)(session)

    def first() -> None:
        answers["first"] = run_once(db=db, workspace_id=alpha, key="k", request_hash="h",
                                    now=NOW, work=slow)

    def second() -> None:
        answers["second"] = run_once(db=db, workspace_id=alpha, key="k", request_hash="h",
                                     now=NOW, work=_add_rep(alpha, calls))

    a = threading.Thread(target=first)
    a.start()
    assert claimed.wait(30)
    b = threading.Thread(target=second)
    b.start()
    # wait until the second one blocks on the key; one transaction per look, since a backend
    # sees pg_stat_activity as it was at its transaction's first read (under load the first
    # look came before the second request blocked, and 3,000 more saw that same snapshot)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for _ in range(3000):
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar_one()
            if waiting:
                break
            threading.Event().wait(0.01)
        assert waiting == 1
    release.set()
    a.join(30)
    b.join(30)
    assert answers["first"] == Answer(201, {"created": 1})
    assert answers["second"] == Answer(201, {"created": 1}, replayed=True)
    assert calls == [1] and _reps(db) == 1


def test_a_key_lives_a_day_and_the_old_ones_go(database: Database) -> None:
    """Within KEY_LIFETIME a retry is answered; after it the key is a new one, and a request
    under any key removes its workspace's expired keys (the table does not only grow)."""
    from cadenza.store.idempotency import KEY_LIFETIME

    alpha, beta = _workspaces(database)
    calls: list[int] = []
    run_once(db=database, workspace_id=alpha, key="old", request_hash="h1", now=NOW,
             work=_add_rep(alpha, calls))
    run_once(db=database, workspace_id=beta, key="old", request_hash="h1", now=NOW,
             work=_add_rep(beta, calls))
    almost = NOW + KEY_LIFETIME - dt.timedelta(minutes=1)
    assert run_once(db=database, workspace_id=alpha, key="old", request_hash="h1", now=almost,
                    work=_add_rep(alpha, calls)).replayed
    later = NOW + KEY_LIFETIME + dt.timedelta(minutes=1)
    fresh = run_once(db=database, workspace_id=alpha, key="old", request_hash="h2", now=later,
                     work=_add_rep(alpha, calls))
    assert not fresh.replayed and calls == [1, 1, 1]  # a new request, not a conflict
    with database.session() as s:
        rows = s.exec(select(IdempotencyRecord.workspace_id, IdempotencyRecord.created_at)).all()
    # alpha's expired key was replaced; beta's waits for beta's next request
    assert sorted((w, (at if at.tzinfo else at.replace(tzinfo=dt.UTC)) == NOW)
                  for w, at in rows) == sorted([(alpha, False), (beta, True)])
