"""What the JSON API does: approvals over real SMTP, tasks, triage, tickets, reps, validation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import Tenant, approval_world, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient
from sqlmodel import select

from cadenza.api import create_app
from cadenza.store import Database
from cadenza.store.models import Event, Handoff, Rep, Reply, Task, Touch
from cadenza.store.tokens import create_token

from support.smtp import SmtpServer


@pytest.fixture
def api(database: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant]]:
    tenant = seed_tenant(database, "alpha")
    with TestClient(create_app(settings_for(database, tmp_path), database, clock=monday)) as client:
        yield client, tenant


@pytest.mark.calendar
def test_approve_edit_reject_resume_the_agent(sqlite_db: Database, tmp_path: Path,
                                              smtp_server: SmtpServer) -> None:
    settings = settings_for(sqlite_db, tmp_path)
    workspace_id, (first, second) = approval_world(sqlite_db, settings,
                                                   smtp_port=smtp_server.port)
    with sqlite_db.session() as s:
        op = auth(create_token(session=s, workspace_id=workspace_id, role="operator",
                               name="olivia"))
    with TestClient(create_app(settings, sqlite_db, clock=monday)) as client:
        waiting = client.get("/api/approvals", headers=op).json()
        assert [a["touch"]["id"] for a in waiting] == [first, second]
        assert waiting[0]["kind"] == "approval" and waiting[0]["touch"]["body"]
        assert smtp_server.sink.messages == []
        r = client.post(f"/api/approvals/{first}/approve", headers=op)
        assert r.status_code == 200, r.text
        assert r.json()["outcome"] == "sent" and r.json()["state"] == "sent"
        assert len(smtp_server.sink.messages) == 1
        assert smtp_server.sink.messages[0].rcpt_tos == ["dana@kestrelfreight.example"]
        # deciding twice is a conflict, not a second email
        assert client.post(f"/api/approvals/{first}/approve", headers=op).status_code == 409
        # an edit is validated before anything happens: 422 names the field
        bad = client.post(f"/api/approvals/{second}/edit", headers=op, json={"body": ""})
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "body"]
        r = client.post(f"/api/approvals/{second}/reject", headers=op, json={"note": "tone"})
        assert r.json()["outcome"] == "rejected"
    assert len(smtp_server.sink.messages) == 1
    with sqlite_db.session() as s:
        assert s.get(Touch, first).approved_by == "olivia"  # type: ignore[union-attr]
        assert s.get(Touch, second).state == "rejected"  # type: ignore[union-attr]


def test_person_task_done(api: tuple[TestClient, Tenant], database: Database) -> None:
    client, t = api
    op = auth(t.operator)
    tasks = client.get("/api/tasks", headers=op).json()
    assert [x["id"] for x in tasks] == [t.task_id]
    assert tasks[0]["link"] == "https://www.linkedin.com/in/dana"
    r = client.post(f"/api/tasks/{t.task_id}/done", headers=op)
    assert r.status_code == 200 and r.json()["state"] == "done"
    assert r.json()["done_by"] == "alpha-operator"
    assert client.post(f"/api/tasks/{t.task_id}/done", headers=op).status_code == 409
    assert client.get("/api/tasks", headers=op).json() == []
    with database.session() as s:
        task = s.get(Task, t.task_id)
        assert task is not None
        assert s.get(Touch, task.touch_id).state == "done"  # type: ignore[union-attr]
        assert s.exec(select(Event).where(Event.kind == "task.done")).first() is not None


@pytest.mark.calendar
def test_triage_resolved_to_a_handoff(api: tuple[TestClient, Tenant],
                                      database: Database) -> None:
    client, t = api
    op = auth(t.operator)
    items = client.get("/api/triage", headers=op).json()
    assert [i["reply"]["id"] for i in items] == [t.triage_reply_id]
    assert items[0]["task"]["kind"] == "triage" and "raw" not in items[0]["reply"]
    bad = client.post(f"/api/triage/{t.triage_reply_id}/resolve", headers=op,
                      json={"intent": "maybe"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "intent"]
    r = client.post(f"/api/triage/{t.triage_reply_id}/resolve", headers=op,
                    json={"intent": "meeting_request", "note": "asks for Tuesday"})
    assert r.status_code == 200, r.text
    handoff_id = r.json()["handoff_id"]
    assert handoff_id
    assert client.get("/api/triage", headers=op).json() == []
    assert client.post(f"/api/triage/{t.triage_reply_id}/resolve", headers=op,
                       json={"intent": "interested"}).status_code == 409
    with database.session() as s:
        h = s.get(Handoff, handoff_id)
        assert h is not None and h.intent == "meeting_request" and h.priority == 3
        # routed by the handoff module (to a rep, or its fallback queue outside working hours)
        assert h.routed_at is not None and h.route_reason
        assert h.rep_id in t.reps or h.queue != "rep"
        reply = s.get(Reply, t.triage_reply_id)
        assert reply is not None and (reply.state, reply.intent) == ("processed",
                                                                     "meeting_request")
        ev = s.exec(select(Event).where(Event.kind == "triage.resolved")).one()
        assert ev.data["by"] == "alpha-operator" and ev.data["note"] == "asks for Tuesday"


@pytest.mark.calendar
def test_ticket_and_its_state_machine(api: tuple[TestClient, Tenant],
                                      database: Database) -> None:
    client, t = api
    rep = t.reps[0]
    token = auth(t.rep_tokens[rep])
    hid = t.handoffs[rep]
    ticket = client.get(f"/api/handoffs/{hid}", headers=token).json()
    assert ticket["prospect"]["first_name"] == "Dana"
    assert [m["direction"] for m in ticket["thread"]] == ["out", "in", "in"]
    assert "Sounds good, tell me more." in [m["text"] for m in ticket["thread"]]
    assert ticket["facts"][0]["key"] == "f1"  # the fact the sent touch used
    assert ticket["suggested_reply"].startswith("Hi Dana")
    assert ticket["sla_text"].startswith("due in")
    refused = client.post(f"/api/handoffs/{hid}/meeting_booked", headers=token)
    assert refused.status_code == 409 and "cannot go from new" in refused.text
    assert client.post(f"/api/handoffs/{hid}/explode", headers=token).status_code == 422
    for action, state in (("accept", "accepted"), ("contacted", "contacted"),
                          ("meeting_booked", "meeting_booked")):
        r = client.post(f"/api/handoffs/{hid}/{action}", headers=token)
        assert r.status_code == 200 and r.json()["state"] == state
    assert client.get("/api/queue", headers=token).json() == []
    with database.session() as s:
        h = s.get(Handoff, hid)
        assert h is not None and h.accepted_at and h.contacted_at and h.closed_at


@pytest.mark.calendar
def test_reps_and_validation_never_half_write(api: tuple[TestClient, Tenant],
                                              database: Database) -> None:
    client, t = api
    op = auth(t.operator)
    r = client.post("/api/reps", headers=op, json={"name": "Ana", "email": "Ana@Example.com",
                                                   "timezone": "Europe/Lisbon",
                                                   "languages": ["pt", "en"]})
    assert r.status_code == 201 and r.json()["email"] == "ana@example.com"
    rep_id = r.json()["id"]
    assert client.post("/api/reps", headers=op,
                       json={"name": "Ana", "email": "ana@example.com"}).status_code == 409
    for payload, field in (({"name": "X", "email": "nope"}, "email"),
                           ({"name": "X", "email": "x@example.com", "timezone": "Mars/Base"},
                            "timezone"),
                           ({"name": "X", "email": "x@example.com", "capacity": -1},
                            "capacity"),
                           ({"email": "x@example.com"}, "name")):
        bad = client.post("/api/reps", headers=op, json=payload)
        assert bad.status_code == 422, payload
        assert bad.json()["detail"][0]["loc"][:2] == ["body", field]
    r = client.patch(f"/api/reps/{rep_id}", headers=op, json={"away": True, "capacity": 3})
    assert r.json()["away"] is True and r.json()["capacity"] == 3
    assert client.patch(f"/api/reps/{rep_id}", headers=op,
                        json={"capacity": "many"}).status_code == 422
    with database.session() as s:
        reps = s.exec(select(Rep).where(Rep.workspace_id == t.workspace_id)).all()
        assert sorted(r.email for r in reps) == ["ana@example.com", "rep1@alpha.example",
                                                 "rep2@alpha.example"]
        assert s.get(Rep, rep_id).capacity == 3  # type: ignore[union-attr]
    metrics = client.get("/api/metrics", headers=op).json()
    assert metrics["handoffs_by_state"] == {"new": 2}
    assert metrics["replies_by_intent"] == {"interested": 1, "unclear": 1}
    timings = metrics["handoff"]
    assert timings["total"] == 2 and timings["by_state"] == {"new": 2}
    for key in ("time_to_route", "time_to_accept", "time_to_first_contact"):
        assert {"count", "p50_wall", "p90_wall", "p50_working", "p90_working"} <= set(
            timings[key])


def test_records_are_readable(api: tuple[TestClient, Tenant]) -> None:
    client, t = api
    op = auth(t.operator)
    prospect = client.get(f"/api/prospects/{t.prospect_id}", headers=op).json()
    assert prospect["facts"][0]["text"] == "Raised a Series B"
    enrollment = client.get(f"/api/enrollments/{t.enrollment_id}", headers=op).json()
    assert [x["step"] for x in enrollment["touches"]] == [1, 2]
    assert len(enrollment["replies"]) == 2
    reply = client.get(f"/api/replies/{t.reply_id}", headers=op).json()
    assert reply["text"] and "raw" not in reply
    assert client.get("/api/touches?state=sent", headers=op).json()[0]["id"] == t.touch_id
    assert client.get("/api/replies/0", headers=op).status_code == 422
    assert client.get("/api/replies/99999999999", headers=op).status_code == 422
