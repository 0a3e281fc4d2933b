"""Production refuses to start without a strong secret key (#12 item 10)."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import pytest
from pydantic import SecretStr

from cadenza.api import create_app
from cadenza.config import Settings
from cadenza.errors import ConfigError
from cadenza.store import Database


def _now() -> dt.datetime:
    return dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def _settings(tmp_path: Path, key: str | None,
              base: str = "https://cadenza.agency.example") -> Settings:
    return Settings(environment="production", home=tmp_path,
                    database_url=f"sqlite:///{tmp_path / 'c.db'}", public_base_url=base,
                    secret_key=SecretStr(key) if key is not None else None)


@pytest.mark.parametrize("key", [None, "x", "a" * 64, "short-but-mixed-9"])
def test_the_api_refuses_to_start_with_no_or_a_weak_key(tmp_path: Path, key: str | None) -> None:
    with pytest.raises(ConfigError, match="CADENZA_SECRET_KEY"):
        create_app(_settings(tmp_path, key), clock=_now)


def test_a_strong_key_starts(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path, secrets.token_urlsafe(48)), clock=_now)
    assert app.title == "Cadenza"


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000", "http://cadenza.agency.example",
                                  "https://localhost:8443", "https://10.0.0.5",
                                  "https://[::1]:8000", "https://cadenza.example/?x=1"])
def test_production_needs_a_public_https_base_url(tmp_path: Path, base: str) -> None:
    """#11 item 6: every link in every email is built from it."""
    with pytest.raises(ConfigError, match="CADENZA_PUBLIC_BASE_URL"):
        create_app(_settings(tmp_path, secrets.token_urlsafe(48), base), clock=_now)


def test_development_still_generates_its_own_key(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'c.db'}")
    create_app(settings, clock=_now)
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000", "https://cadenza.agency.example"])
def test_session_cookie_attributes_match_on_login_and_logout(tmp_path: Path, base: str,
                                                             sqlite_db: Database) -> None:
    """Logout removes the cookie with the attributes login set it with (SameSite=Strict both
    times); Secure follows an https CADENZA_PUBLIC_BASE_URL."""
    from api_world import seed_tenant
    from fastapi.testclient import TestClient

    from cadenza.api.auth import COOKIE_NAME, csrf_token

    db = sqlite_db
    tenant = seed_tenant(db, "alpha")
    settings = Settings(database_url=db.url, home=tmp_path, secret_key=SecretStr("k" * 8),
                        public_base_url=base)
    client = TestClient(create_app(settings, db, clock=_now), base_url=base)
    login = client.post("/login", data={"token": tenant.operator}, follow_redirects=False)
    session_cookie = client.cookies[COOKIE_NAME]
    logout = client.post("/logout", data={"csrf": csrf_token(settings, session_cookie)},
                         follow_redirects=False)
    for response in (login, logout):
        cookie = response.headers["set-cookie"].lower()
        assert cookie.startswith(COOKIE_NAME) and "httponly" in cookie
        assert "samesite=strict" in cookie and "path=/" in cookie
        assert ("secure" in cookie) == base.startswith("https://")


def test_login_is_throttled_per_client_and_refused_cross_site(tmp_path: Path,
                                                             sqlite_db: Database) -> None:
    """#12 item 12: ten wrong tokens a minute, then 429 with Retry-After; a login form posted
    from another site's page is refused; a right token still works after the window."""
    from api_world import seed_tenant
    from fastapi.testclient import TestClient

    from cadenza.api.throttle import RateLimit

    db = sqlite_db
    tenant = seed_tenant(db, "alpha")
    settings = Settings(database_url=db.url, home=tmp_path, secret_key=SecretStr("k" * 8))
    now = [_now()]
    app = create_app(settings, db, clock=lambda: now[0])
    app.state.login_throttle = RateLimit(limit=3, clock=app.state.clock)
    client = TestClient(app)
    for _ in range(3):
        assert client.post("/login", data={"token": "guess"}).status_code == 401
    limited = client.post("/login", data={"token": tenant.operator}, follow_redirects=False)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) == 60
    now[0] += dt.timedelta(seconds=61)
    ok = client.post("/login", data={"token": tenant.operator}, follow_redirects=False)
    assert ok.status_code == 303
    cross = client.post("/login", data={"token": tenant.operator}, follow_redirects=False,
                        headers={"Origin": "https://evil.test"})
    assert cross.status_code == 403
    fetched = client.post("/login", data={"token": tenant.operator}, follow_redirects=False,
                          headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403
    same = client.post("/login", data={"token": tenant.operator}, follow_redirects=False,
                       headers={"Origin": "http://testserver"})
    assert same.status_code == 303


@pytest.mark.parametrize(("base", "ok"), [
    ("https://sdr.acme.example", True), ("http://sdr.acme.example", False),
    ("https://localhost:8443", False), ("https://10.0.0.5", False),
    ("https://sdr.acme.example/?x=1", False)])
def test_a_workspaces_address_obeys_the_production_rule(tmp_path: Path, sqlite_db: Database,
                                                        base: str, ok: bool) -> None:
    """PATCH /api/policy checks a workspace's public_base_url as CADENZA_PUBLIC_BASE_URL is
    checked: https and public in production."""
    from api_world import auth, seed_tenant
    from fastapi.testclient import TestClient

    tenant = seed_tenant(sqlite_db, "alpha")
    settings = _settings(tmp_path, secrets.token_urlsafe(48))
    with TestClient(create_app(settings, sqlite_db, clock=_now)) as client:
        r = client.patch("/api/policy", headers=auth(tenant.operator),
                         json={"public_base_url": base})
    if ok:
        assert r.status_code == 200 and r.json()["public_base_url"] == base
    else:
        assert r.status_code == 422
        (problem,) = r.json()["detail"]
        assert problem["loc"] == ["body", "public_base_url"]
        assert "public https address in production" in problem["msg"]


def test_a_stored_address_production_refuses_is_not_used(tmp_path: Path) -> None:
    """An address a workspace set in development is not put into production email."""
    stored = {"public_base_url": "http://127.0.0.1:9000", "classify_threshold": 0.9}
    development = Settings(home=tmp_path, public_base_url="http://127.0.0.1:8000")
    assert development.public_base_url_for(stored) == "http://127.0.0.1:9000"
    assert development.classify_threshold_for(stored) == 0.9
    assert development.public_base_url_for({}) == "http://127.0.0.1:8000"
    production = _settings(tmp_path, secrets.token_urlsafe(48))
    with pytest.raises(ConfigError, match="workspace's public_base_url must be the service's "
                                          "public https address"):
        production.public_base_url_for(stored)
