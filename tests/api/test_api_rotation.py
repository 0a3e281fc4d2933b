"""The rotation over the API (#17 item 3): each mailbox's room, warm-up day and rest; a warm-up
schedule set and ended; a rest begun by hand and ended — every change an event, another
workspace's mailbox a 404. The CLI commands call the same functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import MONDAY, Tenant, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from cadenza.api import create_app
from cadenza.cli import app as cli
from cadenza.store import Database
from cadenza.store.models import Event, Mailbox, Workspace


@pytest.fixture
def api(sqlite_db: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant, Tenant]]:
    alpha, beta = seed_tenant(sqlite_db, "alpha"), seed_tenant(sqlite_db, "beta")
    with TestClient(create_app(settings_for(sqlite_db, tmp_path), sqlite_db,
                               clock=monday)) as client:
        yield client, alpha, beta


def test_rotation_warmup_and_rest(api: tuple[TestClient, Tenant, Tenant],
                                  sqlite_db: Database) -> None:
    client, alpha, beta = api
    head = auth(alpha.operator)
    (row,) = client.get("/api/mailboxes/rotation", headers=head).json()
    assert row["id"] == alpha.mailbox_id and row["in_rotation"] and not row["resting"]
    assert row["warmup_day"] is None and row["cap_today"] == row["daily_cap"]
    assert row["room"] == row["cap_today"] - row["sent_last_24h"] - row["first_touches_due"]

    url = f"/api/mailboxes/{alpha.mailbox_id}"
    r = client.put(url + "/warmup", headers=head, json={
        "started_at": (MONDAY - dt.timedelta(days=2)).isoformat(), "start_per_day": 4,
        "increase_per_day": 3})
    assert r.status_code == 200, r.text
    warming = r.json()
    assert (warming["warmup_day"], warming["cap_today"]) == (2, min(10, row["daily_cap"]))
    assert (warming["warmup_start_per_day"], warming["warmup_increase_per_day"]) == (4, 3)
    # the workspace's schedule fills in what the mailbox leaves out (defaults 10 and +5)
    r = client.put(url + "/warmup", headers=head, json={})
    assert (r.json()["warmup_day"], r.json()["cap_today"]) == (0, 10)
    assert client.delete(url + "/warmup", headers=head).json()["warmup_day"] is None

    r = client.post(url + "/rest", headers=head, json={"hours": 0, "reason": "postmaster"})
    assert r.status_code == 200, r.text
    assert r.json()["resting"] and not r.json()["in_rotation"]
    assert r.json()["rest_reason"] == "postmaster" and r.json()["rested_until"] is None
    r = client.post(url + "/rest/end", headers=head)
    assert r.status_code == 200 and r.json()["in_rotation"]
    assert client.post(url + "/rest/end", headers=head).status_code == 409

    # another workspace's mailbox is not there
    other = f"/api/mailboxes/{beta.mailbox_id}"
    assert client.post(other + "/rest/end", headers=head).status_code == 404
    assert client.put(other + "/warmup", headers=head, json={}).status_code == 404
    with sqlite_db.session() as s:
        kinds = [e.kind for e in s.exec(select(Event).where(
            Event.subject_type == "mailbox", Event.subject_id == alpha.mailbox_id))]
    assert {"mailbox.warmup_set", "mailbox.warmup_ended", "mailbox.rested",
            "mailbox.rest_ended"} <= set(kinds)


def test_the_cli_shows_the_rotation_and_ends_a_rest(sqlite_db: Database,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    alpha = seed_tenant(sqlite_db, "alpha")
    monkeypatch.setenv("CADENZA_DATABASE_URL", sqlite_db.url)
    runner = CliRunner()
    box = str(alpha.mailbox_id)
    r = runner.invoke(cli, ["mailbox", "warmup", box, "-w", "alpha", "--start", "5",
                            "--increase", "5", "--from", "2026-11-30"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["mailbox", "rest", box, "-w", "alpha", "--hours", "0",
                            "--reason", "blocklisted"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["mailbox", "rotation", "-w", "alpha", "--json"])
    assert r.exit_code == 0, r.output
    assert '"resting": true' in r.output and '"rest_reason": "blocklisted"' in r.output
    assert '"warmup_start_per_day": 5' in r.output
    assert runner.invoke(cli, ["mailbox", "rest-end", box, "-w", "alpha"]).exit_code == 0
    assert runner.invoke(cli, ["mailbox", "rest-end", box, "-w", "alpha"]).exit_code == 1
    assert runner.invoke(cli, ["mailbox", "warmup", box, "-w", "alpha", "--off"]).exit_code == 0
    with sqlite_db.session() as s:
        mailbox = s.get(Mailbox, alpha.mailbox_id)
        assert mailbox is not None
        assert mailbox.rest_reason == "" and mailbox.warmup_started_at is None


def test_the_policy_holds_the_warmup_and_resting_defaults(
        api: tuple[TestClient, Tenant, Tenant]) -> None:
    client, alpha, _ = api
    head = auth(alpha.operator)
    policy = client.get("/api/policy", headers=head).json()
    assert policy["warmup"] == {"start_per_day": 10, "increase_per_day": 5,
                                "new_mailboxes": False}
    assert policy["resting"]["bounce_rate"] == 0.05 and policy["resting"]["min_sends"] == 20
    r = client.patch("/api/policy", headers=head, json={"resting": {"min_sends": 30}})
    assert r.status_code == 200, r.text
    assert r.json()["resting"]["min_sends"] == 30 and r.json()["resting"]["rest_hours"] == 48
    r = client.patch("/api/policy", headers=head, json={"resting": {"bounce_rate": 2}})
    assert r.status_code == 422
    assert ["body", "resting", "bounce_rate"] in [p["loc"] for p in r.json()["detail"]]


def test_workspace_set_takes_the_rotation_keys(sqlite_db: Database,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seed_tenant(sqlite_db, "alpha")
    monkeypatch.setenv("CADENZA_DATABASE_URL", sqlite_db.url)
    runner = CliRunner()
    for key, value in (("warmup.start_per_day", "5"), ("warmup.new_mailboxes", "true"),
                       ("resting.bounce_rate", "0.1"), ("resting.rest_hours", "0")):
        r = runner.invoke(cli, ["workspace", "set", key, value, "-w", "alpha"])
        assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["workspace", "set", "resting.min_sends", "many", "-w", "alpha"])
    assert r.exit_code == 2 and "resting.min_sends" in r.output
    r = runner.invoke(cli, ["mailbox", "add", "--email", "new@alpha.example", "-w", "alpha"])
    assert r.exit_code == 0, r.output
    with sqlite_db.session() as s:
        ws = s.exec(select(Workspace).where(Workspace.slug == "alpha")).one()
        assert ws.settings["warmup"] == {"start_per_day": 5, "new_mailboxes": True}
        assert ws.settings["resting"] == {"bounce_rate": 0.1, "rest_hours": 0}
        new = s.exec(select(Mailbox).where(Mailbox.email == "new@alpha.example")).one()
        assert new.warmup_started_at is not None  # new mailboxes start warming up
