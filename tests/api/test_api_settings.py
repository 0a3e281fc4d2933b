"""The operator's settings over the API (#11 item 2, part): policy and mailboxes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import Tenant, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient
from sqlmodel import select

from cadenza.api import create_app
from cadenza.store import Database
from cadenza.store.models import Event


@pytest.fixture
def api(database: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant, Tenant]]:
    alpha, beta = seed_tenant(database, "alpha"), seed_tenant(database, "beta")
    with TestClient(create_app(settings_for(database, tmp_path), database,
                               clock=monday)) as client:
        yield client, alpha, beta


def test_policy_read_and_patch(api: tuple[TestClient, Tenant, Tenant]) -> None:
    client, alpha, beta = api
    op = auth(alpha.operator)
    assert client.get("/api/policy", headers=op).json()["approval"]["mode"] == "always"
    r = client.patch("/api/policy", headers=op,
                     json={"approval": {"mode": "first_n", "first_n": 5},
                           "hold_countries": ["DE"], "domain_daily_cap": 7})
    assert r.status_code == 200, r.text
    assert r.json()["approval"] == {"mode": "first_n", "first_n": 5}
    assert client.get("/api/policy", headers=op).json()["domain_daily_cap"] == 7
    # another workspace is untouched
    assert client.get("/api/policy", headers=auth(beta.operator)).json()["domain_daily_cap"] == 20
    for bad, field in (({"domain_daily_cap": 0}, "domain_daily_cap"),
                       ({"approval": {"mode": "sometimes"}}, "approval"),
                       ({"colour": "red"}, "colour")):
        r = client.patch("/api/policy", headers=op, json=bad)
        assert r.status_code == 422 and field in r.text, (bad, r.text)
    rep = auth(next(iter(alpha.rep_tokens.values())))
    assert client.patch("/api/policy", headers=rep, json={"gdpr_notice": True}).status_code == 403


def test_mailboxes_read_and_patch(api: tuple[TestClient, Tenant, Tenant],
                                  database: Database) -> None:
    client, alpha, beta = api
    op = auth(alpha.operator)
    (box,) = client.get("/api/mailboxes", headers=op).json()
    assert box["smtp_password_ref"] == "env:SMTP_PW" and "password" not in box
    r = client.patch(f"/api/mailboxes/{box['id']}", headers=op,
                     json={"daily_cap": 25, "min_gap_seconds": 120, "active": False})
    assert r.status_code == 200 and r.json()["daily_cap"] == 25 and r.json()["active"] is False
    assert client.get(f"/api/mailboxes/{box['id']}", headers=op).json()["min_gap_seconds"] == 120
    r = client.patch(f"/api/mailboxes/{box['id']}", headers=op,
                     json={"smtp_password_ref": "hunter2"})
    assert r.status_code == 422 and "smtp_password_ref" in r.text
    other = client.get("/api/mailboxes", headers=auth(beta.operator)).json()[0]["id"]
    assert client.get(f"/api/mailboxes/{other}", headers=op).status_code == 404
    assert client.patch(f"/api/mailboxes/{other}", headers=op,
                        json={"daily_cap": 1}).status_code == 404
    with database.session() as s:
        (event,) = s.exec(select(Event).where(Event.kind == "mailbox.updated")).all()
    assert event.data["changed"] == ["active", "daily_cap", "min_gap_seconds"]


def test_enroll_and_stop_over_the_api(api: tuple[TestClient, Tenant, Tenant],
                                      database: Database) -> None:
    from cadenza.store.models import Prospect

    client, alpha, beta = api
    op = auth(alpha.operator)
    with database.session() as s:
        for i in range(2):
            s.add(Prospect(workspace_id=alpha.workspace_id, external_id=f"new{i}",
                           email=f"new{i}@freshco.example", first_name="Nia", timezone="UTC"))
    r = client.post("/api/enrollments", headers=op,
                    json={"playbook": "ai-sdr-first-four",
                          "prospect_ids": ["new0", "new1", "ghost"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["enrolled"] == 2
    assert body["skipped"] == [{"prospect_id": "ghost", "reason": "unknown prospect id"}]
    assert client.post("/api/enrollments", headers=op, json={
        "playbook": "no-such-playbook", "prospect_ids": ["new0"]}).status_code == 404
    r = client.post("/api/enrollments", headers=op, json={"prospect_ids": []})
    assert r.status_code == 422 and "prospect_ids" in r.text
    assert client.post("/api/enrollments", headers=op, json={
        "playbook": "../../etc/passwd", "prospect_ids": ["new0"]}).status_code == 422

    listed = client.get("/api/enrollments", headers=op).json()
    mine = [e["id"] for e in listed if e["state"] == "active"]
    r = client.post(f"/api/enrollments/{mine[-1]}/stop", headers=op, json={"reason": "asked"})
    assert r.status_code == 200 and r.json()["state"] == "stopped"
    assert client.post(f"/api/enrollments/{mine[-1]}/stop", headers=op).status_code == 409
    theirs = client.get("/api/enrollments", headers=auth(beta.operator)).json()[0]["id"]
    assert client.post(f"/api/enrollments/{theirs}/stop", headers=op).status_code == 404
