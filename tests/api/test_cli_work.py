"""`cadenza approvals | triage | tasks` (#11 item 1): a person's work without SQL.

The drafts wait in the agent's interrupt exactly as in the API tests (the agent ran at a fixed
Monday); the CLI lists, shows, rejects, edits and approves them through the same service, and
the approved email reaches the real SMTP server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from api_world import approval_world, settings_for
from sqlmodel import select
from typer.testing import CliRunner

from cadenza.cli import app
from cadenza.store import Database
from cadenza.store.models import Event, Touch

from support.smtp import SmtpServer

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_approvals_from_the_command_line(tmp_path: Path, smtp_server: SmtpServer,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(f"sqlite:///{tmp_path / 'work.db'}")
    db.migrate()
    settings = settings_for(db, tmp_path)
    _, (first, second) = approval_world(db, settings, smtp_port=smtp_server.port)
    for name, value in (("CADENZA_DATABASE_URL", settings.database_url),
                        ("CADENZA_HOME", str(settings.home)),
                        ("CADENZA_SECRET_KEY", "test-secret-key"),
                        ("CADENZA_CHECKPOINT_URL", str(settings.checkpoint_url))):
        monkeypatch.setenv(name, value)

    code, out = _invoke("approvals", "list", "-w", "acme", "--json")
    assert code == 0, out
    listed = json.loads(out)
    assert sorted(a["touch"]["id"] for a in listed) == sorted([first, second])
    code, out = _invoke("approvals", "show", str(first), "-w", "acme")
    assert code == 0 and "subject:" in out

    code, out = _invoke("approvals", "reject", str(second), "-w", "acme", "--note", "off")
    assert code == 0, out
    code, out = _invoke("approvals", "reject", str(second), "-w", "acme")
    assert code == 2 and "not waiting" in out  # decided already: refused, nothing changes

    body = tmp_path / "body.txt"
    with db.session() as s:
        touch = s.get(Touch, first)
        assert touch is not None
        body.write_text(touch.body.replace("Hi ", "Hello ", 1), encoding="utf-8")
    code, out = _invoke("approvals", "edit", str(first), "-w", "acme", "--body-file", str(body))
    assert code == 0, out
    (mail,) = smtp_server.sink.messages
    assert "Hello " in mail.message.get_body(("plain",)).get_content()
    with db.session() as s:
        assert s.get(Touch, first).approved_by.startswith("cli:")  # type: ignore[union-attr]
        kinds = {e.kind for e in s.exec(select(Event))}
    assert "touch.rejected" in kinds or any("reject" in k for k in kinds)
    code, out = _invoke("approvals", "list", "-w", "acme")
    assert code == 0 and "nothing waiting" in out
    assert _invoke("approvals", "show", "99999", "-w", "acme")[0] != 0


def test_triage_and_tasks_commands_answer_on_an_empty_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(f"sqlite:///{tmp_path / 'w.db'}")
    db.migrate()
    monkeypatch.setenv("CADENZA_DATABASE_URL", db.url)
    monkeypatch.setenv("CADENZA_HOME", str(tmp_path / "home"))
    assert _invoke("init", "--workspace", "acme")[0] == 0
    for group in ("triage", "tasks"):
        code, out = _invoke(group, "list", "-w", "acme", "--json")
        assert code == 0 and json.loads(out) == []
    code, out = _invoke("triage", "resolve", "1", "maybe", "-w", "acme")
    assert code == 2 and "not an intent" in out
    code, out = _invoke("tasks", "done", "5", "-w", "acme")
    assert code != 0 and "not found" in out.lower()
