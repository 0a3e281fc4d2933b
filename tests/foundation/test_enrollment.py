"""Enrollment: one active cadence per prospect and workspace, skips with reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from cadenza.agent.enrollment import enroll_prospects
from cadenza.playbooks import load_builtin
from cadenza.store import Database
from cadenza.store.models import Enrollment, Prospect, Workspace
from cadenza.store.suppressions import suppress
from cadenza.store.workspaces import ensure_workspace

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _setup(db: Database) -> Workspace:
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="acme")
        for i, (email, status) in enumerate([("a@example.com", "valid"),
                                             ("b@example.com", "valid"),
                                             ("c@example.com", "invalid")]):
            s.add(Prospect(workspace_id=ws.id, external_id=f"p{i}", email=email,
                           email_status=status, timezone="Europe/Berlin"))
        suppress(session=s, workspace_id=ws.id or 0, value="b@example.com", reason="unsubscribe")
        return ws


@pytest.mark.calendar
def test_enroll_skips_with_reasons_and_sets_due_time(database: Database) -> None:
    ws = _setup(database)
    with database.session() as s:
        rep = enroll_prospects(session=s, workspace=ws, playbook=load_builtin("ai-sdr-first-four"),
                               now=NOW)
    assert rep.enrolled == 1
    assert sorted(rep.skipped) == [("p1", "suppressed"), ("p2", "email invalid")]
    with database.session() as s:
        e = s.exec(select(Enrollment)).one()
        assert e.state == "active" and e.next_step == 1
        assert e.next_due_at == NOW  # 11:00 in Berlin: inside the window


def test_one_active_enrollment_per_prospect_unless_allowed(database: Database) -> None:
    ws = _setup(database)
    with database.session() as s:
        enroll_prospects(session=s, workspace=ws, playbook=load_builtin("hybrid"), now=NOW)
        again = enroll_prospects(session=s, workspace=ws, playbook=load_builtin("hybrid"), now=NOW)
        other = enroll_prospects(session=s, workspace=ws, playbook=load_builtin("inbound"), now=NOW)
        assert again.enrolled == 0 and other.enrolled == 0
        assert ("p0", "already in an active cadence") in other.skipped
        par = enroll_prospects(session=s, workspace=ws, playbook=load_builtin("inbound"), now=NOW,
                               allow_parallel=True)
        same = enroll_prospects(session=s, workspace=ws, playbook=load_builtin("inbound"), now=NOW,
                                allow_parallel=True)
        assert par.enrolled == 1 and same.enrolled == 0
        assert len(s.exec(select(Enrollment)).all()) == 2


def test_unknown_prospect_ids_are_reported(database: Database) -> None:
    ws = _setup(database)
    with database.session() as s:
        rep = enroll_prospects(session=s, workspace=ws, playbook=load_builtin("hybrid"),
                               external_ids=["p0", "ghost"], now=NOW)
    assert rep.enrolled == 1 and rep.skipped == [("ghost", "unknown prospect id")]
