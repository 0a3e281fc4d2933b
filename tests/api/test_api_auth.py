"""Auth boundaries of the JSON API, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_world import Tenant, auth, monday, seed_tenant
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import SQLModel

from cadenza.api import create_app
from cadenza.config import Settings
from cadenza.store import Database
from cadenza.store.models import ApiToken
from cadenza.store.tokens import hash_token, revoke_token


@pytest.fixture
def world(database: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant, Tenant]]:
    settings = Settings(database_url=database.url, home=tmp_path / "home",
                        secret_key="test-secret", checkpoint_url=f"sqlite:///{tmp_path}/cp.db")
    a = seed_tenant(database, "alpha")
    b = seed_tenant(database, "beta")
    with TestClient(create_app(settings, database, clock=monday)) as client:
        yield client, a, b


#: Endpoints a third party calls with a signature instead of a token (tested for their 401s in
#: tests/agent/test_inbound_leads.py: every bad signature or workspace is the same 401), and the
#: events' JSON schemas, public documentation like /openapi.json (no workspace data).
SIGNED_NOT_TOKEN = frozenset({"/api/leads/inbound", "/api/events/schema", "/api/bookings"})


def operations(client: TestClient) -> list[tuple[str, str, bool]]:
    """Every (method, path template, operator_only) of the JSON API, from its OpenAPI schema."""
    schema = client.get("/openapi.json").json()
    ops = []
    for path, item in schema["paths"].items():
        if path in SIGNED_NOT_TOKEN:
            continue
        for method in item:
            rep_allowed = path.startswith(("/api/handoffs", "/api/queue", "/api/me")) or (
                method == "post" and path == "/api/outcomes")  # on their own tickets
            ops.append((method.upper(), path, not rep_allowed))
    assert len(ops) >= 25
    return ops


def fill(path: str, ids: dict[str, int]) -> str:
    path = path.replace("{action}", "accept").replace("{by}", "step")
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


BODIES: dict[str, Any] = {
    "/api/approvals/{touch_id}/edit": {"body": "Hello"},
    "/api/triage/{reply_id}/resolve": {"intent": "interested"},
    "/api/reps": {"name": "New", "email": "new@example.com"},
    "/api/reps/{rep_id}": {"away": True},
    "/api/tokens": {"name": "x", "role": "rep", "rep_id": 1},
    "/api/mailboxes/{mailbox_id}": {"daily_cap": 10},
    "/api/policy": {"domain_daily_cap": 10},
    "/api/enrollments": {"prospect_ids": ["nobody"]},
    "/api/webhooks/{webhook_id}": {"active": False},
    "/api/webhooks/{webhook_id}/replay": {"since": "2026-12-01T00:00:00Z"},
    "/api/mailboxes/{mailbox_id}/warmup": {"start_per_day": 10, "increase_per_day": 5},
    "/api/mailboxes/{mailbox_id}/rest": {"hours": 48, "reason": "sweep"},
}


def call(client: TestClient, method: str, path: str, ids: dict[str, int],
         headers: dict[str, str] | None = None) -> Any:
    return client.request(method, fill(path, ids), headers=headers or {},
                          json=BODIES.get(path) if method != "GET" else None)


@pytest.mark.slow  # a sweep over every endpoint of the API
def test_no_token_is_401_everywhere(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, _ = world
    for method, path, _ in operations(client):
        for headers in ({}, {"Authorization": "Bearer cz_not-a-token"},
                        {"Authorization": "Basic dXNlcjpwYXNz"}):
            r = call(client, method, path, a.ids(), headers)
            assert r.status_code == 401, (method, path, headers, r.text)
            assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.slow  # a sweep over every endpoint of the API
def test_rep_token_on_operator_endpoints_is_403(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, _ = world
    token = a.rep_tokens[a.reps[0]]
    checked = 0
    for method, path, operator_only in operations(client):
        if operator_only:
            r = call(client, method, path, a.ids(), auth(token))
            assert r.status_code == 403, (method, path, r.text)
            checked += 1
    assert checked >= 20


def test_rep_sees_only_their_own_tickets(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, _ = world
    mine, theirs = a.reps
    token = auth(a.rep_tokens[mine])
    queue = client.get("/api/queue", headers=token).json()
    assert [t["id"] for t in queue] == [a.handoffs[mine]]
    assert [h["id"] for h in client.get("/api/handoffs", headers=token).json()] == \
        [a.handoffs[mine]]
    assert client.get(f"/api/handoffs/{a.handoffs[mine]}", headers=token).status_code == 200
    # another rep's ticket: the same 404 as a ticket that does not exist, every time
    missing = client.get("/api/handoffs/999999", headers=token)
    assert missing.status_code == 404
    other = a.handoffs[theirs]
    for _ in range(3):
        for method, path in (("GET", f"/api/handoffs/{other}"),
                             ("POST", f"/api/handoffs/{other}/accept"),
                             ("POST", f"/api/handoffs/{other}/disqualify")):
            r = client.request(method, path, headers=token)
            assert r.status_code == 404, (method, path, r.text)
            assert r.json()["detail"] == f"handoff {other} not found"
    # an operator filter in the query string does not widen a rep's view
    assert [t["id"] for t in client.get(f"/api/queue?rep_id={theirs}", headers=token).json()] \
        == [a.handoffs[mine]]
    # nothing changed on the other rep's ticket
    op = auth(a.operator)
    assert client.get(f"/api/handoffs/{other}", headers=op).json()["handoff"]["state"] == "new"


@pytest.mark.slow  # a sweep over every endpoint of the API
def test_other_workspace_ids_are_404(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, b = world
    checked = 0
    for method, path, operator_only in operations(client):
        if "_id}" not in path:  # only ids can belong to another workspace
            continue
        token = a.operator if operator_only else a.rep_tokens[a.reps[0]]
        r = call(client, method, path, b.ids(), auth(token))
        assert r.status_code == 404, (method, path, r.text)
        checked += 1
    assert checked >= 12
    # lists never show the other workspace's rows
    op = auth(a.operator)
    for path in ("/api/prospects", "/api/enrollments", "/api/touches", "/api/replies",
                 "/api/tasks", "/api/triage", "/api/handoffs", "/api/queue", "/api/reps",
                 "/api/approvals"):
        body = client.get(path, headers=op).text
        assert "beta" not in body, path
    # a rep token cannot be minted for another workspace's rep
    r = client.post("/api/tokens", headers=op,
                    json={"name": "x", "role": "rep", "rep_id": b.reps[0]})
    assert r.status_code == 404


def test_revoked_token_is_401(world: tuple[TestClient, Tenant, Tenant],
                              database: Database) -> None:
    client, a, _ = world
    token = a.rep_tokens[a.reps[0]]
    assert client.get("/api/queue", headers=auth(token)).status_code == 200
    with database.session() as s:
        row = s.exec(select(ApiToken).where(  # type: ignore[call-overload]
            ApiToken.token_hash == hash_token(token))).scalar_one()
        assert revoke_token(session=s, token_id=row.id, now=monday())
    assert client.get("/api/queue", headers=auth(token)).status_code == 401
    assert client.get("/api/queue", headers=auth(a.operator)).status_code == 200


def test_tokens_are_stored_hashed(world: tuple[TestClient, Tenant, Tenant],
                                  database: Database) -> None:
    client, a, _ = world
    r = client.post("/api/tokens", headers=auth(a.operator),
                    json={"name": "new rep token", "role": "rep", "rep_id": a.reps[1]})
    assert r.status_code == 201
    minted = r.json()["token"]
    assert minted.startswith("cz_") and len(minted) > 40
    me = client.get("/api/me", headers=auth(minted)).json()
    assert me == {"workspace_id": a.workspace_id, "role": "rep", "rep_id": a.reps[1],
                  "name": "new rep token"}
    clear = [minted, a.operator, *a.rep_tokens.values()]
    with database.session() as s:
        hashes = {row.token_hash for row in s.exec(select(ApiToken)).scalars()}  # type: ignore[call-overload]
        for table in SQLModel.metadata.sorted_tables:
            for row in s.execute(table.select()):
                text = repr(tuple(row))
                for token in clear:
                    assert token not in text, table.name
                    assert token[3:] not in text, table.name
    assert {hash_token(t) for t in clear} <= hashes
