"""Outcomes over the API (a rep on their own ticket, an operator by email), the signed
booking callback, the ticket page's outcome forms, and `cadenza outcomes import`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from api_world import MONDAY, Tenant, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from cadenza.api import create_app
from cadenza.cli import app
from cadenza.handoff.bookings import booking_secret, sign
from cadenza.store import Database
from cadenza.store.models import Handoff
from cadenza.store.results import Outcome


@pytest.fixture
def api(sqlite_db: Database, tmp_path: Path) -> tuple[TestClient, Tenant, Database]:
    tenant = seed_tenant(sqlite_db, "alpha")
    client = TestClient(create_app(settings_for(sqlite_db, tmp_path), sqlite_db, clock=monday))
    return client, tenant, sqlite_db


def test_reps_report_on_their_own_tickets(api: tuple[TestClient, Tenant, Database]) -> None:
    client, t, _ = api
    mine, theirs = t.reps
    body = {"outcome": "meeting_booked", "handoff_id": t.handoffs[mine],
            "meeting_at": "2026-12-03T15:00:00Z"}
    r = client.post("/api/outcomes", json=body, headers=auth(t.rep_tokens[mine]))
    assert r.status_code == 201, r.text
    assert (r.json()["ticket_state"], r.json()["source"]) == ("meeting_booked", "rep")
    assert r.json()["touch_id"] == t.touch_id  # the reply answered that touch
    other = {**body, "handoff_id": t.handoffs[theirs]}
    assert client.post("/api/outcomes", json=other,
                       headers=auth(t.rep_tokens[mine])).status_code == 404
    by_email = {"outcome": "opportunity", "email": "dana@alpha-client.example",
                "amount": 24000}
    assert client.post("/api/outcomes", json=by_email,
                       headers=auth(t.rep_tokens[mine])).status_code == 422  # name the ticket
    r = client.post("/api/outcomes", json=by_email, headers=auth(t.operator))
    assert r.status_code == 201 and r.json()["amount"] == 24000.0
    assert client.post("/api/outcomes", json={"outcome": "opportunity", "email":
                                              "dana@alpha-client.example"},
                       headers=auth(t.operator)).status_code == 422  # no amount
    listed = client.get("/api/outcomes", headers=auth(t.operator)).json()
    assert sorted(o["kind"] for o in listed) == ["meeting_booked", "opportunity"]
    assert client.get("/api/outcomes", headers=auth(t.rep_tokens[mine])).status_code == 403


def _signed(db: Database, body: dict[str, object], *, slug: str = "alpha",
            at: int | None = None) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    key = booking_secret(b"test-secret-key", slug)
    stamp = int(MONDAY.timestamp()) if at is None else at
    return raw, {"X-Cadenza-Signature": sign(raw, key, stamp),
                 "Content-Type": "application/json"}


def test_a_signed_booking_records_the_meeting(api: tuple[TestClient, Tenant, Database]) -> None:
    client, _, db = api
    booking = {"workspace": "alpha", "email": "dana@alpha-client.example",
               "start": "2026-12-04T10:30:00+01:00", "booking_id": "cal-771",
               "attendee_tz": "Europe/Madrid"}
    raw, headers = _signed(db, booking)
    r = client.post("/api/bookings", content=raw, headers=headers)
    assert r.status_code == 201, r.text
    assert (r.json()["meeting_at"], r.json()["source"]) == ("2026-12-04T09:30:00Z", "booking")
    # a wrong key, another workspace's key, an old signature, a changed body: all refused
    forged = {**headers, "X-Cadenza-Signature": sign(raw, "guess", int(MONDAY.timestamp()))}
    assert client.post("/api/bookings", content=raw, headers=forged).status_code == 401
    _, beta = _signed(db, booking, slug="beta")
    assert client.post("/api/bookings", content=raw, headers=beta).status_code == 401
    _, stale = _signed(db, booking, at=int(MONDAY.timestamp()) - 3600)
    assert client.post("/api/bookings", content=raw, headers=stale).status_code == 401
    assert client.post("/api/bookings", content=raw.replace(b"10:30", b"11:30"),
                       headers=headers).status_code == 401
    unknown, signed = _signed(db, {**booking, "email": "nobody@x.example"})
    assert client.post("/api/bookings", content=unknown, headers=signed).status_code == 404
    with db.session() as s:
        assert len(s.exec(select(Outcome)).all()) == 1


def test_the_ticket_page_forms(api: tuple[TestClient, Tenant, Database]) -> None:
    client, t, db = api
    rep = t.reps[0]
    login = client.post("/login", data={"token": t.rep_tokens[rep]},
                        headers={"Origin": "http://127.0.0.1:8000"}, follow_redirects=False)
    assert login.status_code == 303
    page = client.get(f"/tickets/{t.handoffs[rep]}")
    assert 'name="meeting_date"' in page.text and "btn-disqualify" in page.text
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    r = client.post(f"/tickets/{t.handoffs[rep]}/outcome/disqualified",
                    data={"csrf": csrf, "reason": "bought a competitor last month"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert "bought a competitor last month" in page.text and "disqualified recorded" in page.text
    assert client.post(f"/tickets/{t.handoffs[rep]}/outcome/opportunity",
                       data={"csrf": "forged", "amount": "10"}).status_code == 403
    with db.session() as s:
        assert s.get(Handoff, t.handoffs[rep]).state == "disqualified"  # type: ignore[union-attr]


def test_cli_outcomes_import(sqlite_db: Database, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    t = seed_tenant(sqlite_db, "alpha")
    monkeypatch.setenv("CADENZA_DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("CADENZA_SECRET_KEY", "test-secret-key")
    hid = next(iter(t.handoffs.values()))
    path = tmp_path / "crm.csv"
    path.write_text(f"handoff_id,outcome,meeting_at,amount\n{hid},meeting_booked,2026-12-07,\n"
                    f"{hid},opportunity,,abc\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["outcomes", "import", str(path), "-w", "alpha",
                                 "--report", str(tmp_path / "rejected.jsonl")])
    assert result.exit_code == 3, result.output   # partial: one row rejected
    assert "crm.csv:3" in result.output and "amount" in result.output
    rejected = [json.loads(x) for x in (tmp_path / "rejected.jsonl").read_text().splitlines()]
    assert [(r["line"], r["field"]) for r in rejected] == [(3, "amount")]
    secret = runner.invoke(app, ["outcomes", "booking-secret", "-w", "alpha"])
    assert secret.exit_code == 0
    assert secret.output.strip() == booking_secret(b"test-secret-key", "alpha")
