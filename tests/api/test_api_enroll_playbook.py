"""``POST /api/enrollments`` with your own playbook (#11): YAML text validated by the loader
``cadenza playbooks validate`` uses, its errors a 422 naming the line and the field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import Tenant, auth, monday, seed_tenant, settings_for
from fastapi.testclient import TestClient
from sqlmodel import col, select
from typer.testing import CliRunner

from cadenza.api import create_app
from cadenza.cli import app as cli
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Playbook, Prospect

TWO_EMAILS = """\
name: two-emails
description: An opener and one follow-up, then a rep calls.
steps:
  - {day: 1, channel: email, owner: agent, template: email_opener}
  - {day: 4, channel: email, owner: agent, template: email_followup}
  - {day: 6, channel: call, owner: rep}
"""
#: (YAML, where the 422 points below playbook_yaml, its line)
BROKEN = [
    (TWO_EMAILS.replace("email_followup", "email_poem"), ["steps", 1], 5),
    (TWO_EMAILS.replace("channel: call", "channel: fax"), ["steps", 2, "channel"], 6),
    (TWO_EMAILS.replace("steps:", "colour: red\nsteps:"), ["colour"], 3),
    (TWO_EMAILS.replace("description", "name"), ["name"], 2),
    (TWO_EMAILS.replace("template: email_opener}", "template: email_opener"), [], 5),
    ("- just\n- a list\n", [], 1),
]


@pytest.fixture
def api(database: Database, tmp_path: Path) -> Iterator[tuple[TestClient, Tenant]]:
    alpha = seed_tenant(database, "alpha")
    with database.session() as s:
        for i in range(2):
            s.add(Prospect(workspace_id=alpha.workspace_id, external_id=f"new{i}",
                           email=f"new{i}@freshco.example", first_name="Nia", timezone="UTC"))
    with TestClient(create_app(settings_for(database, tmp_path), database,
                               clock=monday)) as client:
        yield client, alpha


def test_enroll_in_your_own_playbook(api: tuple[TestClient, Tenant], database: Database) -> None:
    client, alpha = api
    r = client.post("/api/enrollments", headers=auth(alpha.operator),
                    json={"playbook_yaml": TWO_EMAILS, "prospect_ids": ["new0", "new1"]})
    assert r.status_code == 200, r.text
    assert r.json() == {"playbook": "two-emails", "enrolled": 2, "skipped": [], "warnings": []}
    with database.session() as s:
        (book,) = s.exec(select(Playbook).where(Playbook.name == "two-emails")).all()
        enrolled = s.exec(select(Enrollment).where(Enrollment.playbook_id == book.id)
                          .order_by(col(Enrollment.id))).all()
        (event,) = s.exec(select(Event).where(Event.kind == "enrollment.requested")).all()
    assert book.source_yaml == TWO_EMAILS and len(book.definition["steps"]) == 3
    assert [e.state for e in enrolled] == ["active", "active"]
    assert event.data["playbook_hash"] == book.content_hash
    # the built-in path still works, and the default is still ai-sdr-first-four
    with database.session() as s:
        s.add(Prospect(workspace_id=alpha.workspace_id, external_id="new2",
                       email="new2@freshco.example", timezone="UTC"))
    r = client.post("/api/enrollments", headers=auth(alpha.operator),
                    json={"prospect_ids": ["new2"]})
    assert r.status_code == 200 and r.json()["playbook"] == "ai-sdr-first-four"


def test_a_playbooks_warnings_come_back(api: tuple[TestClient, Tenant]) -> None:
    client, alpha = api
    weekend = TWO_EMAILS.replace("steps:", "send_window: {days: [mon, sat]}\nsteps:")
    r = client.post("/api/enrollments", headers=auth(alpha.operator),
                    json={"playbook_yaml": weekend, "prospect_ids": ["new0"]})
    assert r.status_code == 200 and "sat" in r.json()["warnings"][0]


@pytest.mark.parametrize(("text", "where", "line"), BROKEN)
def test_a_broken_playbook_is_a_422_naming_line_and_field(
        api: tuple[TestClient, Tenant], database: Database, tmp_path: Path, text: str,
        where: list[object], line: int) -> None:
    client, alpha = api
    r = client.post("/api/enrollments", headers=auth(alpha.operator),
                    json={"playbook_yaml": text, "prospect_ids": ["new0"]})
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["body", "playbook_yaml", *where]
    assert problem["msg"].startswith(f"line {line}: ")
    with database.session() as s:
        assert s.exec(select(Enrollment).where(Enrollment.state == "active")).all() == []
    # `cadenza playbooks validate` says the same of the same text
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["playbooks", "validate", str(path)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"mine.yaml:{line}:" in said and problem["msg"].split(": ", 1)[1] in said
    if where:
        assert ".".join(map(str, where)) in said


def test_one_playbook_at_a_time(api: tuple[TestClient, Tenant]) -> None:
    client, alpha = api
    r = client.post("/api/enrollments", headers=auth(alpha.operator),
                    json={"playbook": "ai-sdr-first-four", "playbook_yaml": TWO_EMAILS,
                          "prospect_ids": ["new0"]})
    assert r.status_code == 422 and "not both" in r.text
    r = client.post("/api/enrollments", headers=auth(alpha.operator),
                    json={"playbook_yaml": "", "prospect_ids": ["new0"]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "playbook_yaml"]
