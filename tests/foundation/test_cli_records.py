"""`cadenza enrollments | prospects | suppressions` (#11 item 1): records without SQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import select
from typer.testing import CliRunner

from cadenza.cli import app
from cadenza.store import Database
from cadenza.store.models import Event

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _json(*args: str) -> Any:
    code, out = _invoke(*args, "--json")
    assert code == 0, out
    return json.loads(out)


def test_enrollments_prospects_and_suppressions(tmp_path: Path) -> None:
    assert _invoke("init", "--workspace", "acme")[0] == 0
    people = tmp_path / "p.jsonl"
    people.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "email": "ann@samecorp.example", "timezone": "UTC"},
        {"id": "b", "email": "bob@samecorp.example", "timezone": "UTC"},
        {"id": "c", "email": "cy@other.example", "timezone": "UTC"}]) + "\n")
    assert _invoke("import", str(people), "-w", "acme")[0] == 0
    assert _invoke("enroll", "-w", "acme", "--playbook", "ai-sdr-first-four")[0] == 0
    enrollments = _json("enrollments", "list", "-w", "acme")
    assert isinstance(enrollments, list) and len(enrollments) == 3
    first = enrollments[0]["id"]
    assert _json("enrollments", "show", str(first), "-w", "acme")["state"] == "active"

    def state() -> str:
        return str(_json("enrollments", "show", str(first), "-w", "acme")["state"])

    pause = ("enrollments", "pause", str(first), "-w", "acme", "--until")
    assert _invoke(*pause, "2099-01-05")[0] == 0 and state() == "paused"
    code, out = _invoke(*pause, "2001-01-01")
    assert code == 2 and "not in the future" in out
    assert _invoke("enrollments", "resume", str(first), "-w", "acme")[0] == 0
    assert state() == "active"
    assert _invoke("enrollments", "stop", str(first), "-w", "acme")[0] == 0
    code, out = _invoke("enrollments", "stop", str(first), "-w", "acme")
    assert code == 2 and "nothing to stop" in out
    assert _invoke("enrollments", "show", "999", "-w", "acme")[0] != 0

    prospects = _json("prospects", "list", "-w", "acme")
    assert isinstance(prospects, list)
    cy = next(p for p in prospects if p["email"] == "cy@other.example")
    code, out = _invoke("prospects", "suppress", str(cy["id"]), "-w", "acme")
    assert code == 0 and "1 enrollment(s) stopped" in out
    code, out = _invoke("suppressions", "add", "samecorp.example", "--reason", "client asked",
                        "-w", "acme")
    assert code == 0 and "1 enrollment(s) stopped" in out  # ann's was stopped already
    states = {e["prospect_id"]: e["state"] for e in _json("enrollments", "list", "-w", "acme")}
    assert set(states.values()) == {"stopped"}
    listed = _json("suppressions", "list", "-w", "acme")
    assert {s["value"] for s in listed} == {"cy@other.example", "samecorp.example"}

    code, out = _invoke("suppressions", "remove", "samecorp.example", "-w", "acme")
    assert code == 2  # --reason is required
    code, out = _invoke("suppressions", "remove", "samecorp.example", "--reason",
                        "they asked for the trial", "-w", "acme")
    assert code == 0, out
    assert _invoke("suppressions", "remove", "samecorp.example", "--reason", "again",
                   "-w", "acme")[0] == 2
    db = Database("sqlite:///cadenza.db")
    with db.session() as s:
        (removed,) = s.exec(select(Event).where(Event.kind == "suppression.removed")).all()
    db.dispose()
    assert removed.data["reason"] == "they asked for the trial"
    assert removed.data["by"].startswith("cli:")
    assert removed.data["original_reason"] == "client asked"
