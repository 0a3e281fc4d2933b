"""/healthz and /readyz (#11 item 3): no token, and readiness that asks the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from cadenza.api import create_app
from cadenza.config import Settings
from cadenza.store import Database


def _now() -> dt.datetime:
    return dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def _client(tmp_path: Path, db: Database) -> TestClient:
    settings = Settings(database_url=db.url, home=tmp_path, secret_key="k" * 40)
    return TestClient(create_app(settings, db, clock=_now))


def test_ready_when_migrated(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'ok.db'}")
    db.migrate()
    client = _client(tmp_path, db)
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


def test_not_ready_without_the_schema_or_the_database(tmp_path: Path) -> None:
    fresh = Database(f"sqlite:///{tmp_path / 'empty.db'}")  # never migrated
    response = _client(tmp_path, fresh).get("/readyz")
    assert response.status_code == 503 and "not migrated" in response.json()["database"]
    gone = Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    client = _client(tmp_path, gone)
    assert client.get("/healthz").status_code == 200  # alive, not ready
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"
