"""``POST /api/prospects/bulk`` (#11): the importer's rules over the API, and idempotency keys.

Every record gets the outcome the JSONL import would give its line (the same pipeline), a
body that is not an array of 1 to 1,000 records imports nothing, and a retried request with
the same ``Idempotency-Key`` gets its first answer back without importing again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_world import Tenant, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient
from sqlmodel import col, select

from cadenza.api import create_app
from cadenza.importer import import_prospects
from cadenza.store import Database
from cadenza.store.models import Event, Fact, Prospect
from cadenza.store.suppressions import suppress

URL = "/api/prospects/bulk"
GOOD = {"id": "p1", "first_name": "Zoë", "last_name": "Ångström", "email": "Zoe@Example.com",
        "company": "Example Corp", "company_domain": "Example.com",
        "timezone": "Europe/Stockholm", "extra_column": "ignored",
        "facts": [{"id": "f1", "kind": "funding", "text": "raised a $42M Series B",
                   "date": "2026-09-14", "source": "https://example.com/news"}]}
#: One record of each kind of outcome; a string is sent as it is (a key given twice).
RECORDS: list[Any] = [
    GOOD,
    {"id": "p2", "email": "not-an-email"},
    {"id": "p3", "email": "zoe@example.com"},                     # row 0's address, other case
    {"id": "p1", "email": "other@example.org"},                   # row 0's id
    {"id": "p4", "email": "someone@blocked.example"},             # a suppressed domain
    ["not", "an", "object"],
    '{"id": "p5", "email": "a@example.org", "email": "b@example.org"}',
    {"id": "p6", "email": "ok@example.org", "timezone": "Mars/Olympus"},
    {"id": "p7", "email": "x@example.org", "first_name": "Line\nBreak"},
    {"id": "p8", "email": "y@example.org", "facts": [{"id": "f1", "kind": "gossip"}]},
]
EXPECTED = [  # (outcome, field) per index
    ("created", None), ("rejected", "email"), ("rejected", "email"), ("rejected", "id"),
    ("rejected", "email"), ("rejected", None), ("rejected", "email"), ("created", None),
    ("rejected", "first_name"), ("rejected", "facts.0.kind"),
]


def body_of(records: list[Any]) -> bytes:
    return ("[" + ",\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                             for r in records) + "]").encode()


def send(client: TestClient, token: str, body: bytes, key: str | None = None) -> Any:
    headers = {**auth(token), "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(URL, content=body, headers=headers)


@pytest.fixture
def api(database: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant, Tenant]]:
    alpha, beta = seed_tenant(database, "alpha"), seed_tenant(database, "beta")
    with database.session() as s:
        for tenant in (alpha, beta):
            suppress(session=s, workspace_id=tenant.workspace_id, value="blocked.example",
                     reason="manual")
    with TestClient(create_app(settings_for(database, tmp_path), database,
                               clock=monday)) as client:
        yield client, alpha, beta


def imported(database: Database, workspace_id: int) -> dict[str, Prospect]:
    with database.session() as s:
        rows = s.exec(select(Prospect).where(Prospect.workspace_id == workspace_id,
                                             Prospect.source == "api")).all()
        return {p.external_id: p for p in rows}


def test_every_record_gets_the_importers_outcome(api: tuple[TestClient, Tenant, Tenant],
                                                 database: Database) -> None:
    client, alpha, _ = api
    r = send(client, alpha.operator, body_of(RECORDS))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 8}
    assert [row["index"] for row in body["rows"]] == list(range(len(RECORDS)))
    assert [(row["outcome"], row["field"]) for row in body["rows"]] == EXPECTED
    rows = body["rows"]
    assert rows[0]["prospect_id"] == "p1" and rows[0]["email"] == "zoe@example.com"
    assert rows[2]["reason"] == "duplicate of row 0 (same email)"
    assert rows[3]["reason"] == "duplicate of row 0 (same id)"
    assert "suppressed" in rows[4]["reason"]
    assert "appears twice" in rows[6]["reason"]
    assert rows[7]["warnings"] == ["unknown time zone 'Mars/Olympus' ignored"]
    assert "line break" in rows[8]["reason"]
    people = imported(database, alpha.workspace_id)
    assert sorted(people) == ["p1", "p6"]
    zoe = people["p1"]
    assert (zoe.email, zoe.company_domain, zoe.timezone) == (
        "zoe@example.com", "example.com", "Europe/Stockholm")
    with database.session() as s:
        facts = s.exec(select(Fact).where(Fact.prospect_id == zoe.id)).all()
        (event,) = s.exec(select(Event).where(Event.kind == "prospects.imported")).all()
    assert [(f.key, f.kind) for f in facts] == [("f1", "funding")]
    assert event.workspace_id == alpha.workspace_id and event.data["by"] == "alpha-operator"
    assert event.data["counts"]["created"] == 2 and event.data["via"] == "api"


def test_the_api_and_a_jsonl_file_give_the_same_outcomes(api: tuple[TestClient, Tenant, Tenant],
                                                        database: Database,
                                                        tmp_path: Path) -> None:
    """One pipeline: the records as an API body in one workspace and as a JSONL file in
    another come out the same, row for row (a file counts lines from 1, the API from 0)."""
    client, alpha, beta = api
    over_api = send(client, alpha.operator, body_of(RECORDS)).json()["rows"]
    path = tmp_path / "same.jsonl"
    path.write_bytes(b"\n".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)).encode()
        for r in RECORDS) + b"\n")
    seen: list[Any] = []
    with database.session() as s:
        report = import_prospects(session=s, workspace_id=beta.workspace_id, path=path,
                                  on_row=seen.append)
    from_file = sorted(seen, key=lambda row: row.line)
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 8}
    assert [(r.line - 1, r.outcome, r.field, r.prospect_id, r.email, list(r.warnings))
            for r in from_file] == [
        (row["index"], row["outcome"], row["field"], row["prospect_id"], row["email"],
         row["warnings"]) for row in over_api]
    words = {"line 1": "row 0", "a line must": "a record must"}  # where a file says "line"
    reasons = [r.reason for r in from_file]
    for said, meant in words.items():
        reasons = [reason.replace(said, meant) for reason in reasons]
    assert reasons == [row["reason"] or "" for row in over_api]


def test_sending_again_changes_nothing_and_an_edit_updates(
        api: tuple[TestClient, Tenant, Tenant], database: Database) -> None:
    client, alpha, _ = api
    first = [GOOD, {"id": "p9", "email": "nia@freshco.example"}]
    assert send(client, alpha.operator, body_of(first)).json()["counts"]["created"] == 2
    again = send(client, alpha.operator, body_of(first)).json()
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    edited = [GOOD, {"id": "p9", "email": "nia@freshco.example", "title": "CTO"}]
    rows = send(client, alpha.operator, body_of(edited)).json()["rows"]
    assert [row["outcome"] for row in rows] == ["unchanged", "updated"]
    assert imported(database, alpha.workspace_id)["p9"].title == "CTO"


def test_an_idempotency_key_returns_the_first_answer(api: tuple[TestClient, Tenant, Tenant],
                                                     database: Database) -> None:
    client, alpha, beta = api
    body = body_of([GOOD])
    first = send(client, alpha.operator, body, key="import-2026-12-10")
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    assert first.json()["rows"][0]["outcome"] == "created"
    # Imported again, the record would be "unchanged": the retry gets the stored "created"
    retry = send(client, alpha.operator, body, key="import-2026-12-10")
    assert retry.status_code == 200 and retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    with database.session() as s:
        events = s.exec(select(Event).where(Event.kind == "prospects.imported")).all()
    assert len(events) == 1 and events[0].data["idempotency_key"] == "import-2026-12-10"

    other = body_of([GOOD, {"id": "p9", "email": "nia@freshco.example"}])
    r = send(client, alpha.operator, other, key="import-2026-12-10")
    assert r.status_code == 409, r.text
    assert "Idempotency-Key was already used for a different request" in r.json()["detail"]
    assert "p9" not in imported(database, alpha.workspace_id)
    # a key is per workspace: another workspace's same key is a new request
    theirs = send(client, beta.operator, other, key="import-2026-12-10")
    assert theirs.status_code == 200 and theirs.json()["counts"]["created"] == 2
    r = send(client, alpha.operator, body, key="bad key with spaces")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


def test_a_key_is_not_spent_by_a_refused_body(api: tuple[TestClient, Tenant, Tenant]) -> None:
    client, alpha, _ = api
    assert send(client, alpha.operator, b"[{", key="k-1").status_code == 422
    r = send(client, alpha.operator, body_of([GOOD]), key="k-1")
    assert r.status_code == 200 and r.json()["counts"]["created"] == 1


@pytest.mark.parametrize(("body", "words"), [
    (b"[{\"id\": \"p1\",", "not valid JSON"),
    (b"{\"id\": \"p1\", \"email\": \"a@example.com\"}", "JSON array"),
    (b"[]", "send 1 to 1,000"),
    (body_of([{"id": f"p{i}", "email": f"p{i}@example.com"} for i in range(1001)]),
     "1,001 records"),
    ("[\"caf\xe9\"]".encode("latin-1"), "not UTF-8"),
])
def test_a_body_that_is_not_an_array_of_records_imports_nothing(
        api: tuple[TestClient, Tenant, Tenant], database: Database, body: bytes,
        words: str) -> None:
    client, alpha, _ = api
    r = send(client, alpha.operator, body)
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["body"] and words in problem["msg"]
    assert imported(database, alpha.workspace_id) == {}


def test_size_and_who_may_import(api: tuple[TestClient, Tenant, Tenant],
                                 database: Database) -> None:
    from cadenza.api.routes_import import MAX_BODY_BYTES

    client, alpha, _ = api
    huge = b"[" + b" " * MAX_BODY_BYTES + b"]"
    r = send(client, alpha.operator, huge)
    assert r.status_code == 413 and "at most 1,000 records" in r.json()["detail"]
    rep = next(iter(alpha.rep_tokens.values()))
    assert send(client, rep, body_of([GOOD])).status_code == 403
    for body in (body_of([GOOD]), huge):  # the caller is known before the body is read
        r = client.post(URL, content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 401
    with database.session() as s:
        assert s.exec(select(col(Prospect.id)).where(Prospect.source == "api")).all() == []
