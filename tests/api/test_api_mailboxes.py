"""``POST /api/mailboxes`` (#11): a mailbox added over the API as ``cadenza mailbox add`` adds
it — one function — with passwords as references only and a taken address a 409."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import Tenant, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from cadenza.api import create_app
from cadenza.cli import app as cli
from cadenza.store import Database
from cadenza.store.models import Event, Mailbox

NEW = {"email": "li@alpha.example", "display_name": "Li Wei", "smtp_host": "smtp.alpha.example",
       "smtp_username": "li", "smtp_password_ref": "env:ALPHA_SMTP_PASSWORD",
       "imap_host": "imap.alpha.example", "imap_password_ref": "file:/run/secrets/alpha-imap",
       "sent_folder": "Sent", "daily_cap": 30}


@pytest.fixture
def api(database: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant, Tenant]]:
    alpha, beta = seed_tenant(database, "alpha"), seed_tenant(database, "beta")
    with TestClient(create_app(settings_for(database, tmp_path), database,
                               clock=monday)) as client:
        yield client, alpha, beta


def boxes(database: Database, workspace_id: int) -> list[str]:
    with database.session() as s:
        return sorted(b.email for b in s.exec(select(Mailbox).where(
            Mailbox.workspace_id == workspace_id)))


def test_add_a_mailbox(api: tuple[TestClient, Tenant, Tenant], database: Database) -> None:
    client, alpha, beta = api
    r = client.post("/api/mailboxes", headers=auth(alpha.operator), json=NEW)
    assert r.status_code == 201, r.text
    box = r.json()
    assert (box["email"], box["smtp_password_ref"], box["imap_password_ref"]) == (
        "li@alpha.example", "env:ALPHA_SMTP_PASSWORD", "file:/run/secrets/alpha-imap")
    assert box["imap_username"] == "li@alpha.example"  # the address, as the CLI defaults it
    assert (box["smtp_port"], box["smtp_security"], box["min_gap_seconds"]) == (
        587, "starttls", 90)
    assert client.get(f"/api/mailboxes/{box['id']}",
                      headers=auth(alpha.operator)).json()["daily_cap"] == 30
    with database.session() as s:
        (event,) = s.exec(select(Event).where(Event.kind == "mailbox.created")).all()
    assert event.subject_id == box["id"] and event.data["by"] == "alpha-operator"
    # another workspace may have the same address
    assert client.post("/api/mailboxes", headers=auth(beta.operator),
                       json=NEW).status_code == 201
    rep = next(iter(alpha.rep_tokens.values()))
    assert client.post("/api/mailboxes", headers=auth(rep),
                       json={**NEW, "email": "x@alpha.example"}).status_code == 403


def test_a_taken_address_is_a_409_in_any_case(api: tuple[TestClient, Tenant, Tenant],
                                              database: Database) -> None:
    client, alpha, _ = api
    first = client.post("/api/mailboxes", headers=auth(alpha.operator), json=NEW).json()
    r = client.post("/api/mailboxes", headers=auth(alpha.operator),
                    json={**NEW, "email": "LI@Alpha.example"})
    assert r.status_code == 409, r.text
    assert "already exists" in r.json()["detail"]
    assert f"PATCH /api/mailboxes/{first['id']}" in r.json()["detail"]
    assert boxes(database, alpha.workspace_id) == ["li@alpha.example", "maya@alpha.example"]


@pytest.mark.parametrize(("change", "field"), [
    ({"smtp_password_ref": "hunter2"}, "smtp_password_ref"),
    ({"imap_password_ref": "env:"}, "imap_password_ref"),
    ({"email": "not-an-address"}, "email"),
    ({"email": "a@b.example\nBcc: all@x.example"}, "email"),
    ({"smtp_security": "ssl"}, "smtp_security"),
    ({"smtp_port": 70000}, "smtp_port"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_field_is_a_422_naming_it(api: tuple[TestClient, Tenant, Tenant],
                                        database: Database, change: dict[str, object],
                                        field: str) -> None:
    client, alpha, _ = api
    r = client.post("/api/mailboxes", headers=auth(alpha.operator), json={**NEW, **change})
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["detail"]] == [["body", field]]
    assert "hunter2" not in r.text  # a password sent by mistake is not repeated back
    assert boxes(database, alpha.workspace_id) == ["maya@alpha.example"]


def test_the_cli_and_the_api_add_the_same_way(api: tuple[TestClient, Tenant, Tenant],
                                              database: Database,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    client, alpha, _ = api
    monkeypatch.setenv("CADENZA_DATABASE_URL", database.url)
    runner = CliRunner()
    result = runner.invoke(cli, ["mailbox", "add", "-w", "alpha", "--email", "sam@alpha.example",
                                 "--smtp-password", "env:SAM_PW", "--min-gap", "120"])
    assert result.exit_code == 0, result.output
    r = client.post("/api/mailboxes", headers=auth(alpha.operator),
                    json={**NEW, "email": "Sam@alpha.example"})
    assert r.status_code == 409
    client.post("/api/mailboxes", headers=auth(alpha.operator), json=NEW)
    result = runner.invoke(cli, ["mailbox", "add", "-w", "alpha", "--email", "li@alpha.example"])
    assert result.exit_code == 2 and "already exists" in result.output
    result = runner.invoke(cli, ["mailbox", "add", "-w", "alpha", "--email", "z@alpha.example",
                                 "--imap-password", "hunter2"])
    assert result.exit_code == 2 and "--imap-password: must be a reference" in result.output
    with database.session() as s:
        sam = s.exec(select(Mailbox).where(Mailbox.email == "sam@alpha.example")).one()
        events = s.exec(select(Event).where(Event.kind == "mailbox.created")).all()
    assert (sam.min_gap_seconds, sam.smtp_password_ref) == (120, "env:SAM_PW")
    assert sorted(e.data["email"] for e in events) == ["li@alpha.example", "sam@alpha.example"]
