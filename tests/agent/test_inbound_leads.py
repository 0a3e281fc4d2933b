"""Inbound leads through the API: the prospect by the importer's rules, an inbound enrollment,
and the first touch drafted, checked and delivered over aiosmtpd by the real graph in the same
request — or held, not sent, outside the send window, when suppressed, or awaiting approval."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select
from typer.testing import CliRunner
from world import MONDAY, Clock, World, make_world

from cadenza.agent.service import open_agent
from cadenza.api import create_app
from cadenza.cli import app as cli_app
from cadenza.handoff.webhook import SIGNATURE_HEADER, sign
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Prospect, Touch
from cadenza.store.suppressions import suppress
from cadenza.store.tokens import create_token

from support.smtp import SmtpServer

LEAD = {"id": "form-0042", "email": "Dana@KestrelFreight.example", "first_name": "Dana",
        "last_name": "Ruiz", "company": "Kestrel Freight",
        "company_domain": "kestrelfreight.example", "title": "VP Operations", "country": "US",
        "timezone": "UTC", "language": "en",
        "facts": [{"id": "f1", "kind": "post", "date": "2026-11-29",
                   "text": "asked for a demo of route planning"}]}
INBOUND_SECRET = "inbound-secret-9d2e"


@contextmanager
def api(world: World, clock: Clock) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with world.db.session() as s:
        token = create_token(session=s, workspace_id=world.workspace.id or 0, role="operator",
                             name="forms")
    with TestClient(create_app(world.settings, world.db, clock=clock)) as client:
        yield client, {"Authorization": f"Bearer {token}"}


def _events(db: Database, kind: str) -> list[Event]:
    with db.session() as s:
        return list(s.exec(select(Event).where(Event.kind == kind).order_by(col(Event.id))))


def test_a_lead_is_delivered_by_the_graph_before_the_request_returns(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    clock = Clock(MONDAY)
    with api(world, clock) as (client, auth):
        answer = client.post("/api/leads", headers=auth, json={"prospect": LEAD})
        assert answer.status_code == 202, answer.text
        body = answer.json()
        assert (body["status"], body["record"], body["playbook"]) == ("queued", "created",
                                                                      "inbound")
        [mail] = smtp_server.sink.messages
        assert mail.rcpt_tos == ["dana@kestrelfreight.example"]
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        with database.session() as s:
            touch = s.exec(select(Touch)).one()
            assert (touch.state, touch.step, touch.enrollment_id) == ("sent", 1,
                                                                      body["enrollment_id"])
            assert touch.checks  # the checker ran: this is the ordinary graph
            assert mail.message["Message-ID"] == touch.message_id
        [received] = _events(database, "lead.received")
        [contacted] = _events(database, "lead.contacted")
        assert received.data["via"] == "api" and received.data["status"] == "queued"
        assert contacted.data["arrived_at"] == contacted.data["delivered_at"] == \
            MONDAY.isoformat()
        assert contacted.data["touch_id"] == touch.id

        again = client.post("/api/leads", headers=auth, json={"prospect": LEAD})
        assert again.json()["status"] == "not_enrolled"
        assert again.json()["record"] == "unchanged"
        assert "already in an active cadence" in again.json()["reason"]
        assert len(smtp_server.sink.messages) == 1


@pytest.mark.calendar
def test_outside_the_send_window_it_waits_for_the_opening(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    evening = MONDAY.replace(hour=21, minute=5)  # the inbound window is 07:30-19:00
    clock = Clock(evening)
    with api(world, clock) as (client, auth):
        answer = client.post("/api/leads", headers=auth, json={"prospect": LEAD})
    body = answer.json()
    assert body["status"] == "scheduled" and body["reason"] == "outside the send window"
    opening = dt.datetime.fromisoformat(body["next_due_at"])
    assert opening == (MONDAY + dt.timedelta(days=1)).replace(hour=7, minute=30)
    assert smtp_server.sink.messages == []
    clock.now = opening
    with open_agent(world.settings, database, clock=clock, jitter=(0.0, 0.0)) as agent:
        report = agent.scheduler.tick()
    assert [r.outcome for r in report.results] == ["sent"]
    assert len(smtp_server.sink.messages) == 1
    [contacted] = _events(database, "lead.contacted")
    assert contacted.data["seconds"] == (opening - evening).total_seconds()
    # reported by `cadenza status`
    status = CliRunner().invoke(cli_app, ["status", "-w", "acme", "--json"],
                                env={"CADENZA_DATABASE_URL": database.url})
    assert status.exit_code == 0, status.output
    leads = json.loads(status.output)["speed_to_lead"]
    assert (leads["received"], leads["contacted"], leads["waiting"]) == (1, 1, 0)
    assert leads["p95_seconds"] == (opening - evening).total_seconds()
    text = CliRunner().invoke(cli_app, ["status", "-w", "acme"],
                              env={"CADENZA_DATABASE_URL": database.url}).output
    assert "speed to lead (last 30 days): 1 received, 1 contacted, 0 waiting" in text
    assert "p95 10.4 h" in text


def test_a_suppressed_address_is_accepted_and_left_alone(database: Database, tmp_path: Path,
                                                         smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    with database.session() as s:
        suppress(session=s, workspace_id=world.workspace.id or 0,
                 value="kestrelfreight.example", reason="manual", source="test")
    with api(world, Clock(MONDAY)) as (client, auth):
        answer = client.post("/api/leads", headers=auth, json={"prospect": LEAD})
    assert answer.status_code == 202
    assert (answer.json()["status"], answer.json()["enrollment_id"]) == ("suppressed", None)
    assert smtp_server.sink.messages == []
    with database.session() as s:
        assert s.exec(select(Enrollment)).all() == []
        assert s.exec(select(Prospect)).all() == []


def test_suppressed_after_enrollment_the_guard_stops_it(database: Database, tmp_path: Path,
                                                         smtp_server: SmtpServer) -> None:
    """The run is the ordinary graph: suppression is checked again at send time."""
    from cadenza.leads.intake import LeadIn, take_lead
    from cadenza.leads.runner import LeadRunner
    from cadenza.store.models import Workspace

    world = make_world(database, tmp_path, smtp_port=smtp_server.port)
    with database.session() as s:
        ws = s.get(Workspace, world.workspace.id)
        assert ws is not None
        result = take_lead(s, ws, LeadIn(prospect=LEAD), arrived_at=MONDAY, via="api",
                           by="test")
        suppress(session=s, workspace_id=ws.id or 0, value="dana@kestrelfreight.example",
                 reason="unsubscribe", source="test")
    runner = LeadRunner(world.settings, database, clock=Clock(MONDAY))
    try:
        report = runner.run(result.enrollment_id or 0)
    finally:
        runner.close()
    assert [(r.outcome, r.reason) for r in report.results] == [("cancelled", "suppressed")]
    assert smtp_server.sink.messages == []


def test_the_workspace_approval_policy_holds_it_for_a_person(
        database: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(database, tmp_path, smtp_port=smtp_server.port, approval="always")
    with api(world, Clock(MONDAY)) as (client, auth):
        assert client.post("/api/leads", headers=auth,
                           json={"prospect": LEAD}).json()["status"] == "queued"
    assert smtp_server.sink.messages == []
    with database.session() as s:
        assert s.exec(select(Touch.state)).all() == ["awaiting_approval"]


def _signed(body: bytes, at: dt.datetime, secret: str = INBOUND_SECRET) -> dict[str, str]:
    return {SIGNATURE_HEADER: sign(body, secret, int(at.timestamp())),
            "Content-Type": "application/json"}


def test_the_signed_inbound_webhook(database: Database, tmp_path: Path,
                                    smtp_server: SmtpServer,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_TEST_INBOUND_SECRET", INBOUND_SECRET)
    world = make_world(database, tmp_path, smtp_port=smtp_server.port,
                       settings_extra={"inbound_secret": "env:CADENZA_TEST_INBOUND_SECRET"})
    clock = Clock(MONDAY)
    body = json.dumps({"prospect": LEAD, "playbook": "inbound"}).encode()
    url = "/api/leads/inbound?workspace=acme"
    with api(world, clock) as (client, _):
        refused: list[Any] = [
            client.post(url, content=body, headers=_signed(body, MONDAY, "another-secret")),
            client.post(url, content=body, headers={"Content-Type": "application/json"}),
            client.post(url, content=body,
                        headers=_signed(body, MONDAY - dt.timedelta(minutes=6))),
            client.post("/api/leads/inbound?workspace=nope", content=body,
                        headers=_signed(body, MONDAY)),
            client.post(url, content=body + b" ", headers=_signed(body, MONDAY)),
        ]
        assert [r.status_code for r in refused] == [401] * 5
        assert len({r.text for r in refused}) == 1  # nothing tells a workspace exists
        assert smtp_server.sink.messages == []

        outbound = json.dumps({"prospect": LEAD, "playbook": "ai-sdr-first-four"}).encode()
        wrong = client.post(url, content=outbound, headers=_signed(outbound, MONDAY))
        assert wrong.status_code == 422 and "kind: inbound" in wrong.text
        unknown = json.dumps({"prospect": LEAD, "playbook": "no-such-playbook"}).encode()
        assert client.post(url, content=unknown,
                           headers=_signed(unknown, MONDAY)).status_code == 404
        # a record the importer rejects: answered and logged with its field, never lost
        bad = json.dumps({"prospect": {**LEAD, "email": "dana(at)kestrel"}}).encode()
        invalid = client.post(url, content=bad, headers=_signed(bad, MONDAY))
        assert invalid.status_code == 202
        assert (invalid.json()["status"], invalid.json()["field"]) == ("rejected",
                                                                       "prospect.email")
        assert "invalid email" in invalid.json()["reason"]

        huge = b'{"prospect": {"id": "x", "email": "' + b"a" * 300_000 + b'"}}'
        assert client.post(url, content=huge, headers=_signed(huge, MONDAY)).status_code == 413

        answer = client.post(url, content=body, headers=_signed(body, MONDAY))
        assert answer.status_code == 202, answer.text
        assert answer.json()["status"] == "queued"
    assert len(smtp_server.sink.messages) == 1
    rejected, received = _events(database, "lead.received")
    assert (rejected.data["status"], rejected.data["field"]) == ("rejected", "prospect.email")
    assert received.data["via"] == "inbound_webhook" and received.data["status"] == "queued"
