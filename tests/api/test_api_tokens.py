"""Tokens end to end (#12 item 9): listed without their secret, revoked by id, expiring,
dying with their rep's deactivation, and a logout that ends the web session server-side.

Every app here runs on a clock the test moves; nothing reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from api_world import MONDAY, Tenant, auth, seed_tenant, settings_for
from fastapi.testclient import TestClient
from sqlmodel import select

from cadenza.api import create_app
from cadenza.api.auth import COOKIE_NAME, csrf_token
from cadenza.handoff.rules import save_routing
from cadenza.store import Database
from cadenza.store.models import ApiToken, Event, Rep
from cadenza.store.tokens import issue_token


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@dataclass
class World:
    client: TestClient
    a: Tenant
    b: Tenant
    clock: Clock
    db: Database


@pytest.fixture
def world(database: Database, tmp_path: Path) -> Iterator[World]:
    a, b = seed_tenant(database, "alpha"), seed_tenant(database, "beta")
    clock = Clock(MONDAY)
    app = create_app(settings_for(database, tmp_path), database, clock=clock)
    with TestClient(app) as client:
        yield World(client, a, b, clock, database)


def _listed(w: World) -> dict[int, dict[str, object]]:
    r = w.client.get("/api/tokens", headers=auth(w.a.operator))
    assert r.status_code == 200, r.text
    return {t["id"]: t for t in r.json()}


def test_tokens_are_listed_without_their_secret(world: World) -> None:
    w = world
    listed = _listed(w)
    mine = {w.a.token_ids[t] for t in (w.a.operator, *w.a.rep_tokens.values())}
    assert set(listed) == mine  # the other workspace's tokens are not there
    rep_token = w.a.rep_tokens[w.a.reps[0]]
    row = listed[w.a.token_ids[rep_token]]
    assert set(row) == {"id", "name", "role", "rep_id", "created_at", "expires_at",
                        "last_used_at", "revoked", "revoked_at"}
    assert (row["role"], row["rep_id"], row["revoked"], row["expires_at"]) == \
        ("rep", w.a.reps[0], False, None)
    body = w.client.get("/api/tokens", headers=auth(w.a.operator)).text
    with w.db.session() as s:
        hashes = [t.token_hash for t in s.exec(select(ApiToken))]
    for secret in [w.a.operator, *w.a.rep_tokens.values(), *hashes]:
        assert secret not in body and secret[3:] not in body


def test_revoking_a_token_refuses_it_at_once_and_only_it(world: World) -> None:
    w = world
    token = w.a.rep_tokens[w.a.reps[0]]
    token_id = w.a.token_ids[token]
    assert w.client.get("/api/queue", headers=auth(token)).status_code == 200
    r = w.client.post(f"/api/tokens/{token_id}/revoke", headers=auth(w.a.operator))
    assert r.status_code == 200, r.text
    assert r.json()["revoked"] is True
    assert r.json()["revoked_at"].startswith("2026-11-30T09:00")
    refused = w.client.get("/api/queue", headers=auth(token))
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    other = w.a.rep_tokens[w.a.reps[1]]
    assert w.client.get("/api/queue", headers=auth(other)).status_code == 200
    # revoking again changes nothing: the first time stands, one event
    w.clock.advance(hours=1)
    again = w.client.post(f"/api/tokens/{token_id}/revoke", headers=auth(w.a.operator))
    assert again.status_code == 200 and again.json()["revoked_at"] == r.json()["revoked_at"]
    with w.db.session() as s:
        events = s.exec(select(Event).where(Event.kind == "token.revoked",
                                            Event.subject_id == token_id)).all()
        assert len(events) == 1 and events[0].data["by"] == "alpha-operator"
    # another workspace's token, and an id that does not exist: the same 404
    b_token = w.b.token_ids[w.b.operator]
    for missing in (b_token, 999_999):
        r = w.client.post(f"/api/tokens/{missing}/revoke", headers=auth(w.a.operator))
        assert r.status_code == 404 and r.json()["detail"] == f"token {missing} not found"
    assert w.client.get("/api/me", headers=auth(w.b.operator)).status_code == 200


def test_an_expiring_token_is_refused_from_its_expiry(world: World) -> None:
    w = world
    r = w.client.post("/api/tokens", headers=auth(w.a.operator),
                      json={"name": "ci job", "role": "operator", "expires_in_days": 2})
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["expires_at"].startswith("2026-12-02T09:00")
    assert "token_hash" not in created and created["token"].startswith("cz_")
    token = created["token"]
    w.clock.advance(days=2, seconds=-1)
    assert w.client.get("/api/me", headers=auth(token)).status_code == 200
    w.clock.advance(seconds=1)
    refused = w.client.get("/api/me", headers=auth(token))
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]
    # and at the login form, like a revoked one
    login = w.client.post("/login", data={"token": token}, follow_redirects=False)
    assert login.status_code == 401
    for bad in (0, -1, 3651, "soon"):
        r = w.client.post("/api/tokens", headers=auth(w.a.operator),
                          json={"name": "x", "role": "operator", "expires_in_days": bad})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "expires_in_days"


def test_a_session_ends_when_its_token_expires(world: World) -> None:
    w = world
    with w.db.session() as s:
        token = issue_token(session=s, workspace_id=w.a.workspace_id, role="operator",
                            name="short", expires_at=MONDAY + dt.timedelta(hours=1)).token
    assert w.client.post("/login", data={"token": token},
                         follow_redirects=False).status_code == 303
    assert w.client.get("/approvals", follow_redirects=False).status_code == 200
    w.clock.advance(hours=1)
    assert w.client.get("/approvals", follow_redirects=False).headers["location"] == "/login"


def test_deactivating_a_rep_revokes_their_tokens(world: World) -> None:
    w = world
    rep, other = w.a.reps
    token = w.a.rep_tokens[rep]
    r = w.client.patch(f"/api/reps/{rep}", headers=auth(w.a.operator), json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert w.client.get("/api/queue", headers=auth(token)).status_code == 401
    listed = _listed(w)
    assert listed[w.a.token_ids[token]]["revoked"] is True
    assert listed[w.a.token_ids[w.a.rep_tokens[other]]]["revoked"] is False
    # no new token for a deactivated rep
    r = w.client.post("/api/tokens", headers=auth(w.a.operator),
                      json={"name": "again", "role": "rep", "rep_id": rep})
    assert r.status_code == 409 and "deactivated" in r.json()["detail"]
    # bringing the rep back does not bring the old token back
    w.client.patch(f"/api/reps/{rep}", headers=auth(w.a.operator), json={"active": True})
    assert w.client.get("/api/queue", headers=auth(token)).status_code == 401
    r = w.client.post("/api/tokens", headers=auth(w.a.operator),
                      json={"name": "again", "role": "rep", "rep_id": rep})
    assert r.status_code == 201
    assert w.client.get("/api/queue", headers=auth(r.json()["token"])).status_code == 200


def test_a_deactivated_reps_token_is_refused_even_if_not_revoked(world: World) -> None:
    """Deactivated by hand in the database: nothing revoked the token, it is refused anyway,
    on the API and on the pages; reactivated, it works again (it was never revoked)."""
    w = world
    rep = w.a.reps[0]
    token = w.a.rep_tokens[rep]
    assert w.client.post("/login", data={"token": token},
                         follow_redirects=False).status_code == 303
    with w.db.session() as s:
        row = s.get(Rep, rep)
        assert row is not None
        row.active = False
        s.add(row)
    assert w.client.get("/api/queue", headers=auth(token)).status_code == 401
    assert w.client.get("/queue", follow_redirects=False).headers["location"] == "/login"
    assert _listed(w)[w.a.token_ids[token]]["revoked"] is False
    with w.db.session() as s:
        row = s.get(Rep, rep)
        assert row is not None
        row.active = True
        s.add(row)
    assert w.client.get("/api/queue", headers=auth(token)).status_code == 200


def test_routing_rules_that_deactivate_a_rep_revoke_their_tokens(world: World) -> None:
    w = world
    rep = w.a.reps[0]
    with w.db.session() as s:
        email = s.get(Rep, rep).email  # type: ignore[union-attr]
        save_routing(session=s, workspace_id=w.a.workspace_id,
                     config={"reps": [{"email": email, "active": False}]}, now=MONDAY)
    assert w.client.get("/api/queue", headers=auth(w.a.rep_tokens[rep])).status_code == 401
    row = _listed(w)[w.a.token_ids[w.a.rep_tokens[rep]]]
    assert row["revoked"] is True and row["revoked_at"].startswith("2026-11-30T09:00")


def test_logout_ends_the_session_server_side(world: World) -> None:
    w = world
    login = w.client.post("/login", data={"token": w.a.operator}, follow_redirects=False)
    assert login.status_code == 303
    cookie = w.client.cookies[COOKIE_NAME]
    assert cookie != w.a.operator  # the cookie carries a session, never the API token
    assert w.client.get("/approvals").status_code == 200
    # a session is not an API token, and an API token is not a session
    assert w.client.get("/api/me", headers=auth(cookie)).status_code == 401
    stranger = TestClient(w.client.app, cookies={COOKIE_NAME: w.a.operator})
    assert stranger.get("/approvals", follow_redirects=False).headers["location"] == "/login"
    settings = w.client.app.state.settings  # type: ignore[attr-defined]
    out = w.client.post("/logout", data={"csrf": csrf_token(settings, cookie)},
                        follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    # the cookie, kept and replayed, opens nothing any more
    replay = TestClient(w.client.app, cookies={COOKIE_NAME: cookie})
    assert replay.get("/approvals", follow_redirects=False).headers["location"] == "/login"
    forged = replay.post("/linkedin/1/done", data={"csrf": csrf_token(settings, cookie)},
                         follow_redirects=False)
    assert forged.headers["location"] == "/login"
    # the token itself is untouched: the API and a new login still work
    assert w.client.get("/api/me", headers=auth(w.a.operator)).status_code == 200
    assert w.client.post("/login", data={"token": w.a.operator},
                         follow_redirects=False).status_code == 303
    # the ended session is gone from the table (its events remain): one row, the live one
    with w.db.session() as s:
        rows = s.exec(select(ApiToken).where(
            ApiToken.session_of == w.a.token_ids[w.a.operator])).all()
        assert [r.revoked for r in rows] == [False]
        assert len(s.exec(select(Event).where(Event.kind == "session.ended")).all()) == 1


def test_revoking_a_token_ends_its_sessions(world: World) -> None:
    w = world
    token = w.a.rep_tokens[w.a.reps[0]]
    assert w.client.post("/login", data={"token": token},
                         follow_redirects=False).status_code == 303
    assert w.client.get("/queue").status_code == 200
    w.client.post(f"/api/tokens/{w.a.token_ids[token]}/revoke", headers=auth(w.a.operator))
    assert w.client.get("/queue", follow_redirects=False).headers["location"] == "/login"
    # sessions are not listed, and cannot be named for revocation
    assert set(_listed(w)) == {w.a.token_ids[t] for t in (w.a.operator,
                                                          *w.a.rep_tokens.values())}
    with w.db.session() as s:
        sessions = s.exec(select(ApiToken).where(ApiToken.session_of.is_not(None))).all()  # type: ignore[union-attr]
        assert len(sessions) == 1 and sessions[0].revoked
        session_id = sessions[0].id
    r = w.client.post(f"/api/tokens/{session_id}/revoke", headers=auth(w.a.operator))
    assert r.status_code == 404


def test_last_use_is_recorded_to_the_minute(world: World) -> None:
    w = world
    token = w.a.rep_tokens[w.a.reps[1]]
    token_id = w.a.token_ids[token]
    assert _listed(w)[token_id]["last_used_at"] is None
    w.client.get("/api/queue", headers=auth(token))
    assert _listed(w)[token_id]["last_used_at"].startswith("2026-11-30T09:00:00")  # type: ignore[union-attr]
    w.clock.advance(seconds=30)
    w.client.get("/api/queue", headers=auth(token))
    assert _listed(w)[token_id]["last_used_at"].startswith("2026-11-30T09:00:00")  # type: ignore[union-attr]
    w.clock.advance(seconds=30)
    w.client.get("/api/queue", headers=auth(token))
    assert _listed(w)[token_id]["last_used_at"].startswith("2026-11-30T09:01:00")  # type: ignore[union-attr]
