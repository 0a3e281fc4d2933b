"""The API documents itself (#11): every operation has a summary and a description, every
request body an example that really is a valid payload, and a bad payload to any write
endpoint is a 422 whose ``loc`` names the field at fault."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_world import Tenant, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient

from cadenza.api import create_app
from cadenza.store import Database

WRITES = ("post", "put", "patch", "delete")


@pytest.fixture
def api(sqlite_db: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant]]:
    tenant = seed_tenant(sqlite_db, "alpha")
    with TestClient(create_app(settings_for(sqlite_db, tmp_path), sqlite_db,
                               clock=monday)) as client:
        yield client, tenant


def api_operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        if path.startswith("/api/"):
            for method, operation in item.items():
                yield method, path, operation


def body_examples(schema: dict[str, Any], operation: dict[str, Any]) -> list[list[Any]]:
    """The examples of each shape the request body may take (one list per union branch)."""
    media = operation["requestBody"]["content"]["application/json"]
    if "examples" in media or "example" in media:
        return [[*media.get("examples", {}).values(), *(
            [media["example"]] if "example" in media else [])]]
    shapes = [media["schema"]]
    out: list[list[Any]] = []
    while shapes:
        shape = shapes.pop(0)
        if "$ref" in shape:
            shape = schema["components"]["schemas"][shape["$ref"].rsplit("/", 1)[1]]
        branches = shape.get("anyOf") or shape.get("oneOf")
        if branches:
            shapes.extend(b for b in branches if b.get("type") != "null")
            continue
        out.append(list(shape.get("examples", [])))
    return out


def test_every_operation_has_a_summary_a_description_and_body_examples(
        api: tuple[TestClient, Tenant]) -> None:
    client, _ = api
    schema = client.get("/openapi.json").json()
    missing: list[str] = []
    seen = 0
    for method, path, operation in api_operations(schema):
        seen += 1
        label = f"{method.upper()} {path}"
        if not operation.get("summary", "").strip():
            missing.append(f"{label}: summary")
        if not operation.get("description", "").strip():
            missing.append(f"{label}: description (the endpoint's docstring)")
        if "requestBody" in operation:
            for shape in body_examples(schema, operation):
                if not shape:
                    missing.append(f"{label}: an example of its request body")
    assert missing == [] and seen >= 35, missing


def fill(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "accept" if m.group(1) == "action"
                  else str(ids[m.group(1)]), path)


def test_every_body_example_is_a_valid_payload(api: tuple[TestClient, Tenant]) -> None:
    """An example a client copies is accepted (the answer may be a 404 or a 409 for the
    seeded ids, never a 422)."""
    client, tenant = api
    schema = client.get("/openapi.json").json()
    tried = 0
    for method, path, operation in api_operations(schema):
        if "requestBody" not in operation:
            continue
        for shape in body_examples(schema, operation):
            for example in shape:
                r = client.request(method, fill(path, tenant.ids()), json=example,
                                   headers=auth(tenant.operator))
                assert r.status_code != 422, (method, path, example, r.text)
                tried += 1
    assert tried >= 15


#: A bad request for every write endpoint: (method, path) -> (body, the loc of the 422).
BAD: dict[tuple[str, str], tuple[Any, list[Any]]] = {
    ("post", "/api/prospects/bulk"): ({"id": "p1", "email": "a@example.com"}, ["body"]),
    ("patch", "/api/policy"): ({"domain_daily_cap": 0}, ["body", "domain_daily_cap"]),
    ("post", "/api/mailboxes"): ({"email": "li@alpha.example", "smtp_password_ref": "hunter2"},
                                 ["body", "smtp_password_ref"]),
    ("patch", "/api/mailboxes/{mailbox_id}"): ({"daily_cap": -1}, ["body", "daily_cap"]),
    ("put", "/api/mailboxes/{mailbox_id}/warmup"): ({"start_per_day": -1},
                                                    ["body", "start_per_day"]),
    ("delete", "/api/mailboxes/{mailbox_id}/warmup"): (None, ["path", "mailbox_id"]),
    ("post", "/api/mailboxes/{mailbox_id}/rest"): ({"hours": -1}, ["body", "hours"]),
    ("post", "/api/mailboxes/{mailbox_id}/rest/end"): (None, ["path", "mailbox_id"]),
    ("post", "/api/enrollments"): ({"prospect_ids": []}, ["body", "prospect_ids"]),
    ("post", "/api/enrollments/{enrollment_id}/stop"): ({"reason": ""}, ["body", "reason"]),
    ("post", "/api/approvals/{touch_id}/approve"): (None, ["path", "touch_id"]),
    ("post", "/api/approvals/{touch_id}/edit"): ({"body": ""}, ["body", "body"]),
    ("post", "/api/approvals/{touch_id}/reject"): ({"note": "x" * 201}, ["body", "note"]),
    ("post", "/api/tasks/{task_id}/done"): (None, ["path", "task_id"]),
    ("post", "/api/triage/{reply_id}/resolve"): ({"intent": "maybe"}, ["body", "intent"]),
    ("post", "/api/handoffs/{handoff_id}/{action}"): (None, ["path", "action"]),
    ("post", "/api/reps"): ({"name": "Ana", "email": "not-an-address"}, ["body", "email"]),
    ("patch", "/api/reps/{rep_id}"): ({"capacity": -1}, ["body", "capacity"]),
    ("post", "/api/tokens"): ({"role": "rep", "name": "x", "rep_id": 0},
                              ["body", "rep", "rep_id"]),
    ("post", "/api/tokens/{token_id}/revoke"): (None, ["path", "token_id"]),
    ("post", "/api/webhooks"): ({"url": "ftp://crm.example/h", "secret": "env:X"},
                                ["body", "url"]),
    ("patch", "/api/webhooks/{webhook_id}"): ({"event_types": ["touch.opened"]},
                                              ["body", "event_types", 0]),
    ("delete", "/api/webhooks/{webhook_id}"): (None, ["path", "webhook_id"]),
    ("post", "/api/webhooks/{webhook_id}/test"): (None, ["path", "webhook_id"]),
    ("post", "/api/webhooks/{webhook_id}/replay"): ({"since": "yesterday"}, ["body", "since"]),
    ("post", "/api/webhooks/deliveries/{delivery_id}/replay"): (None, ["path", "delivery_id"]),
    ("post", "/api/leads"): ({"prospect": "dana@kestrel.example"}, ["body", "prospect"]),
    ("post", "/api/variants/promote"): ({"playbook": "ai-sdr-first-four", "step": 0,
                                         "variant": "b"}, ["body", "step"]),
    ("post", "/api/outcomes"): ({"outcome": "opportunity", "handoff_id": 1, "amount": -5},
                                ["body", "opportunity", "amount"]),
    ("post", "/api/bookings"): ({"workspace": "acme"}, ["body", "body"]),
    ("post", "/api/leads/inbound"): ({"prospect": "dana@kestrel.example"},
                                     ["body", "prospect"]),
}
#: Path parameters made invalid for the endpoints whose bad request is in the path.
BAD_PATH = {"mailbox_id": "0", "touch_id": "0", "task_id": "0", "token_id": "0",
            "action": "explode", "webhook_id": "0", "delivery_id": "0"}


def test_every_write_endpoint_names_the_field_of_a_bad_payload(
        api: tuple[TestClient, Tenant]) -> None:
    client, tenant = api
    schema = client.get("/openapi.json").json()
    writes = {(m, p) for m, p, _ in api_operations(schema) if m in WRITES}
    assert writes == set(BAD), "add the new write endpoint's bad request to BAD"
    for (method, path), (body, loc) in BAD.items():
        ids = {k: str(v) for k, v in tenant.ids().items()}
        if loc[0] == "path":
            ids[loc[1]] = BAD_PATH[loc[1]]
        url = re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "accept"), path)  # noqa: B023
        r = client.request(method, url, json=body, headers=auth(tenant.operator))
        assert r.status_code == 422, (method, path, r.text)
        problems = r.json()["detail"]
        assert loc in [p["loc"] for p in problems], (method, path, problems)
        assert all(p["msg"] for p in problems)
    # a header is named as a field too
    r = client.post("/api/prospects/bulk", content=b"[]", headers={
        **auth(tenant.operator), "Idempotency-Key": "two words"})
    assert ["header", "Idempotency-Key"] in [p["loc"] for p in r.json()["detail"]]
