"""``GET /metrics`` (#17 item 6): the deployment's state for Prometheus, read from the database.

A constructed state with known answers on SQLite and PostgreSQL: one reply stored two minutes
ago and not processed (the watchers' lag), error events inside and outside the last hour, due
and not-yet-due enrollments, LLM tokens on touches. The endpoint does not exist without a
configured token and refuses a wrong one.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from api_world import MONDAY, monday, seed_tenant
from fastapi.testclient import TestClient

from cadenza.api import create_app
from cadenza.config import Settings
from cadenza.store import Database, leases
from cadenza.store.models import Enrollment, Event, Mailbox, Reply, Touch


def _client(tmp_path: Path, db: Database, token: str | None) -> TestClient:
    settings = Settings(database_url=db.url, home=tmp_path, secret_key="k" * 40,
                        metrics_token=token)
    return TestClient(create_app(settings, db, clock=monday))


def _samples(text: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, value = line.rsplit(" ", 1)
            out[key] = float(value)
    return out


def test_no_token_configured_no_endpoint_and_a_wrong_token_is_refused(
        tmp_path: Path, database: Database) -> None:
    assert _client(tmp_path, database, None).get("/metrics").status_code == 404
    client = _client(tmp_path, database, "scrape-me-please")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/metrics", headers={
        "Authorization": "Bearer scrape-me-please"}).status_code == 200
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]  # ops, not the API


def test_the_figures_of_a_known_state(tmp_path: Path, database: Database) -> None:
    tenant = seed_tenant(database, "acme")
    with database.session() as s:
        base_touches = {state: n for state, n in _touch_counts(s)}
        s.add(Reply(workspace_id=tenant.workspace_id, raw=b"x", state="stored",
                    from_address="late@acme-client.example",
                    received_at=MONDAY - dt.timedelta(seconds=120)))
        enrollment = s.get(Enrollment, tenant.enrollment_id)
        assert enrollment is not None
        enrollment.state, enrollment.next_due_at = "active", MONDAY - dt.timedelta(minutes=5)
        s.add(enrollment)
        touch = s.get(Touch, tenant.touch_id)
        assert touch is not None
        touch.input_tokens, touch.output_tokens = 900, 150
        s.add(touch)
        for ago in (dt.timedelta(minutes=30), dt.timedelta(hours=2)):  # only the first counts
            s.add(Event(workspace_id=tenant.workspace_id, at=MONDAY - ago, kind="touch.failed",
                        data={}))
    text = _client(tmp_path, database, "t0ken").get(
        "/metrics", headers={"Authorization": "Bearer t0ken"}).text
    assert "# TYPE cadenza_touches gauge" in text
    samples = _samples(text)
    assert samples['cadenza_replies_unprocessed{workspace="acme"}'] == 1
    assert samples["cadenza_watch_lag_seconds"] == 120
    assert samples['cadenza_due_enrollments{workspace="acme"}'] == 1
    assert samples['cadenza_errors_last_hour{kind="touch.failed",workspace="acme"}'] == 1
    assert samples['cadenza_llm_tokens_total{direction="input",workspace="acme"}'] == 900
    assert samples['cadenza_llm_tokens_total{direction="output",workspace="acme"}'] == 150
    for state, n in base_touches.items():
        assert samples[f'cadenza_touches{{state="{state}",workspace="acme"}}'] == n
    # no prospect, reply or secret in it
    assert "late@" not in text and "dana@" not in text and not re.search(r"t0ken", text)


def _touch_counts(s: object) -> list[tuple[str, int]]:
    from sqlalchemy import func, select

    return list(s.exec(select(Touch.state, func.count()).group_by(Touch.state)).all())  # type: ignore[attr-defined]


def test_watch_processes_and_the_mailboxes_they_hold(tmp_path: Path, database: Database) -> None:
    tenant = seed_tenant(database, "acme")
    with database.session() as s:
        ids = []
        for i in range(3):
            box = Mailbox(workspace_id=tenant.workspace_id, email=f"box{i}@acme.example",
                          imap_host="imap.acme.example")
            s.add(box)
            s.flush()
            ids.append(box.id)
        for name, ago in (("alive:1:a", 0), ("dead:2:b", 60)):
            leases.heartbeat(s, process_id=name, host=name.split(":")[0], pid=1,
                             now=MONDAY - dt.timedelta(seconds=ago), seconds=10)
        for mailbox_id, holder, ago in ((ids[0], "alive:1:a", 0), (ids[1], "alive:1:a", 0),
                                        (ids[2], "dead:2:b", 60)):
            leases.acquire(s, mailbox_id=mailbox_id, holder=holder,
                           now=MONDAY - dt.timedelta(seconds=ago), seconds=10)
    samples = _samples(_client(tmp_path, database, "t0ken").get(
        "/metrics", headers={"Authorization": "Bearer t0ken"}).text)
    assert samples["cadenza_watch_processes"] == 1
    assert samples['cadenza_watch_mailboxes_held{host="alive",process="alive:1:a"}'] == 2
    assert not any("dead:2:b" in key for key in samples)
    assert [samples[f'cadenza_mailbox_watched{{mailbox="box{i}@acme.example"}}']
            for i in range(3)] == [1, 1, 0]  # the dead process's lease has run out
