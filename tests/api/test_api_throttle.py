"""The per-token request limit (#12 item 12): a token over its rate gets 429 with Retry-After,
on the app's clock, and one token's burst never limits another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from api_world import MONDAY, auth, seed_tenant, settings_for
from fastapi.testclient import TestClient
from pydantic import ValidationError

from cadenza.api import create_app
from cadenza.config import Settings
from cadenza.store import Database


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def to(self, seconds: float) -> None:
        self.at = MONDAY + dt.timedelta(seconds=seconds)


def test_a_token_over_its_rate_gets_429_and_others_do_not(sqlite_db: Database,
                                                          tmp_path: Path) -> None:
    tenant = seed_tenant(sqlite_db, "alpha")
    settings = settings_for(sqlite_db, tmp_path).model_copy(
        update={"api_requests_per_minute": 5})
    clock = Clock(MONDAY)
    client = TestClient(create_app(settings, sqlite_db, clock=clock))
    busy, calm = auth(tenant.operator), auth(tenant.rep_tokens[tenant.reps[0]])
    for second in (0, 10, 20, 30, 40):
        clock.to(second)
        assert client.get("/api/me", headers=busy).status_code == 200
    clock.to(45)
    limited = client.get("/api/prospects", headers=busy)
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "15"  # the request at 0 s leaves the window at 60
    assert "more than 5 requests a minute" in limited.json()["detail"]
    # another token of the same workspace is not held back by this one's burst
    assert client.get("/api/queue", headers=calm).status_code == 200
    # a refused request does not count: at 60 s the first one has left the window
    clock.to(60)
    assert client.get("/api/me", headers=busy).status_code == 200
    clock.to(61)
    again = client.get("/api/me", headers=busy)
    assert again.status_code == 429 and again.headers["retry-after"] == "9"
    # unknown tokens are refused as before, whatever the rate
    for _ in range(10):
        assert client.get("/api/me", headers=auth("cz_nope")).status_code == 401


def test_a_web_session_counts_against_its_token(sqlite_db: Database, tmp_path: Path) -> None:
    """However the token is presented (a bearer header or the session opened with it), it is
    one token with one budget; the page shows the 429 with Retry-After."""
    tenant = seed_tenant(sqlite_db, "alpha")
    settings = settings_for(sqlite_db, tmp_path).model_copy(
        update={"api_requests_per_minute": 3})
    client = TestClient(create_app(settings, sqlite_db, clock=Clock(MONDAY)))
    token = tenant.rep_tokens[tenant.reps[0]]
    assert client.post("/login", data={"token": token}, follow_redirects=False).status_code \
        == 303
    assert client.get("/queue").status_code == 200
    for _ in range(2):
        assert client.get("/api/queue", headers=auth(token)).status_code == 200
    page = client.get("/queue")
    assert page.status_code == 429 and page.headers["retry-after"] == "60"
    assert "text/html" in page.headers["content-type"]


def test_the_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().api_requests_per_minute == 600
    monkeypatch.setenv("CADENZA_API_REQUESTS_PER_MINUTE", "1200")
    assert Settings().api_requests_per_minute == 1200
    monkeypatch.setenv("CADENZA_API_REQUESTS_PER_MINUTE", "0")
    with pytest.raises(ValidationError, match="api_requests_per_minute"):
        Settings()


def test_the_429_is_in_the_schema(sqlite_db: Database, tmp_path: Path) -> None:
    app = create_app(settings_for(sqlite_db, tmp_path), sqlite_db, clock=Clock(MONDAY))
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    for path in ("/api/queue", "/api/prospects", "/api/tokens"):
        for operation in paths[path].values():
            assert "429" in operation["responses"], path
