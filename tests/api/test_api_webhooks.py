"""``/api/webhooks`` and ``/api/events/schema``: subscriptions, the delivery log, replays and
the test send, scoped to the token's workspace; and ``cadenza webhooks`` doing the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jsonschema_rs
import pytest
from api_world import Tenant, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cadenza.api import create_app
from cadenza.cli import app as cli_app
from cadenza.event_types import DOCUMENTED, PUBLIC_KINDS
from cadenza.store import Database
from cadenza.store.events import record_event

from support.hooks import SECRET, Clock, deliverer, hooked
from support.webhook_receiver import run_receiver


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_TEST_HOOK_SECRET", SECRET)


@pytest.fixture
def api(sqlite_db: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant, Tenant]]:
    alpha, beta = seed_tenant(sqlite_db, "alpha"), seed_tenant(sqlite_db, "beta")
    with TestClient(create_app(settings_for(sqlite_db, tmp_path), sqlite_db,
                               clock=monday)) as client:
        yield client, alpha, beta


def test_subscribe_test_deliver_log_and_replay(api: tuple[TestClient, Tenant, Tenant],
                                               sqlite_db: Database) -> None:
    client, alpha, beta = api
    with run_receiver(secret=SECRET, now=monday) as rx:
        made = client.post("/api/webhooks", headers=auth(alpha.operator), json={
            "url": rx.url, "secret": "env:CADENZA_TEST_HOOK_SECRET",
            "event_types": ["handoff.created", "touch.sent"], "description": "CRM"})
        assert made.status_code == 201, made.text
        hook = made.json()
        assert hook["secret"] == "env:CADENZA_TEST_HOOK_SECRET" and SECRET not in made.text
        assert hook["event_types"] == ["handoff.created", "touch.sent"]

        tested = client.post(f"/api/webhooks/{hook['id']}/test", headers=auth(alpha.operator))
        assert tested.status_code == 200, tested.text
        assert (tested.json()["state"], tested.json()["status_code"]) == ("delivered", 200)
        assert rx.requests[-1].verified and rx.requests[-1].json["type"] == "webhook.test"

        with sqlite_db.session() as s:
            record_event(session=s, kind="handoff.created", workspace_id=alpha.workspace_id,
                         handoff_id=alpha.handoffs[alpha.reps[0]],
                         prospect_id=alpha.prospect_id, intent="interested", priority=2)
            record_event(session=s, kind="reply.classified", workspace_id=alpha.workspace_id,
                         reply_id=alpha.reply_id, intent="interested")  # not subscribed
        deliverer(sqlite_db, Clock(monday())).run_once()
        assert [r.json["type"] for r in rx.requests] == ["webhook.test", "handoff.created"]

        log = client.get(f"/api/webhooks/{hook['id']}/deliveries",
                         headers=auth(alpha.operator))
        assert log.status_code == 200
        assert [(d["event"], d["state"], d["attempts"]) for d in log.json()] == [
            ("handoff.created", "delivered", 1), ("webhook.test", "delivered", 1)]
        first = log.json()[0]
        again = client.post(f"/api/webhooks/deliveries/{first['id']}/replay",
                            headers=auth(alpha.operator))
        assert again.status_code == 202
        assert again.json()["event_id"] == first["event_id"] and again.json()["id"] != first["id"]
        # another workspace sees none of it
        assert client.get(f"/api/webhooks/{hook['id']}/deliveries",
                          headers=auth(beta.operator)).status_code == 404
        assert client.post(f"/api/webhooks/deliveries/{first['id']}/replay",
                           headers=auth(beta.operator)).status_code == 404
        assert hook["id"] not in [h["id"] for h in client.get(
            "/api/webhooks", headers=auth(beta.operator)).json()]
        # a rep may not manage webhooks
        rep_token = alpha.rep_tokens[alpha.reps[0]]
        assert client.get("/api/webhooks", headers=auth(rep_token)).status_code == 403

        off = client.patch(f"/api/webhooks/{hook['id']}", headers=auth(alpha.operator),
                           json={"active": False})
        assert off.json()["active"] is False
        assert client.delete(f"/api/webhooks/{hook['id']}",
                             headers=auth(alpha.operator)).status_code == 204
        assert client.get(f"/api/webhooks/{hook['id']}",
                          headers=auth(alpha.operator)).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"url": "https://crm.example/h", "secret": "s3cr3t-value"}, "secret"),
    ({"url": "ftp://crm.example/h", "secret": "env:X"}, "url"),
    ({"url": "https://user:pw@crm.example/h", "secret": "env:X"}, "url"),
    ({"url": "https://crm.example/h", "secret": "env:X", "event_types": ["touch.opened"]},
     "event_types"),
])
def test_bad_subscriptions_are_refused_naming_the_field(
        api: tuple[TestClient, Tenant, Tenant], body: dict[str, object], field: str) -> None:
    client, alpha, _ = api
    refused = client.post("/api/webhooks", headers=auth(alpha.operator), json=body)
    assert refused.status_code == 422
    assert field in refused.text
    assert "s3cr3t-value" not in refused.text  # a secret given by mistake is not echoed


def test_event_schemas_are_served_and_their_examples_valid(
        api: tuple[TestClient, Tenant, Tenant]) -> None:
    client, _, _ = api
    served = client.get("/api/events/schema")
    assert served.status_code == 200
    schemas = served.json()
    assert set(schemas) == set(DOCUMENTED) and set(schemas) >= PUBLIC_KINDS
    for kind, schema in schemas.items():
        validator = jsonschema_rs.validator_for(schema)
        [example] = schema["examples"]
        assert validator.is_valid(example), kind
        assert not validator.is_valid({**example, "type": "something.else"})
    one = client.get("/api/events/schema", params={"type": "touch.sent"})
    assert list(one.json()) == ["touch.sent"]
    assert client.get("/api/events/schema", params={"type": "nope"}).status_code == 404


def test_the_committed_docs_are_the_generated_schemas(tmp_path: Path) -> None:
    """docs/events/*.json is what `cadenza webhooks schema --out` writes today."""
    out = tmp_path / "events"
    result = CliRunner().invoke(cli_app, ["webhooks", "schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    docs = Path(__file__).parents[2] / "docs" / "events"
    generated = {p.name: p.read_text() for p in out.glob("*.json")}
    committed = {p.name: p.read_text() for p in docs.glob("*.json")}
    assert committed == generated, "run: cadenza webhooks schema --out docs/events"


def test_the_cli_manages_and_tests_webhooks(database: Database, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    world = hooked(database)
    monkeypatch.setenv("CADENZA_DATABASE_URL", database.url)
    run = CliRunner()
    with run_receiver(secret=SECRET, now=_wall) as rx:
        added = run.invoke(cli_app, ["webhooks", "add", rx.url, "--secret",
                                     "env:CADENZA_TEST_HOOK_SECRET", "--events",
                                     "handoff.created", "-w", "acme"])
        assert added.exit_code == 0, added.output
        assert "webhook 1:" in added.output
        listed = run.invoke(cli_app, ["webhooks", "list", "-w", "acme", "--json"])
        assert '"secret": "env:CADENZA_TEST_HOOK_SECRET"' in listed.output
        tested = run.invoke(cli_app, ["webhooks", "test", "1", "-w", "acme"])
        assert tested.exit_code == 0, tested.output
        assert "delivered (HTTP 200)" in tested.output
        with database.session() as s:
            record_event(session=s, kind="handoff.created", workspace_id=world.workspace_id,
                         handoff_id=3, prospect_id=world.prospect_id, intent="question",
                         priority=1)
        once = run.invoke(cli_app, ["webhooks", "deliver", "--once"])
        assert once.exit_code == 0 and "1 delivered" in once.output, once.output
        log = run.invoke(cli_app, ["webhooks", "deliveries", "1", "-w", "acme"])
        assert "handoff.created: delivered after 1 attempt(s), HTTP 200" in log.output
        replayed = run.invoke(cli_app, ["webhooks", "replay", "2", "-w", "acme"])
        assert "replay 1" in replayed.output, replayed.output
        both = run.invoke(cli_app, ["webhooks", "replay", "2", "--since", "2026-01-01",
                                    "-w", "acme"])
        assert both.exit_code == 2
        bad = run.invoke(cli_app, ["webhooks", "add", rx.url, "--secret", "plain", "-w",
                                   "acme"])
        assert bad.exit_code == 2 and "secret" in bad.output
        gone = run.invoke(cli_app, ["webhooks", "remove", "1", "-w", "acme"])
        assert "1 pending deliveries cancelled" in gone.output, gone.output
    assert [r.json["type"] for r in rx.requests] == ["webhook.test", "handoff.created"]


def _wall() -> object:
    """The CLI signs with the wall clock: the receiver checks freshness against the same."""
    from support.clock import wall_clock

    return wall_clock()
