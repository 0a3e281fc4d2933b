"""The metrics over the API (JSON and CSV) and `cadenza metrics` (table, --json, --csv) agree
with the hand-worked history."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from metrics_world import UNTIL, History, build_history
from typer.testing import CliRunner

from cadenza.api import create_app
from cadenza.cli import app
from cadenza.config import Settings
from cadenza.metrics.export import period
from cadenza.store import Database
from cadenza.store.tokens import create_token

NOW = UNTIL  # the app's clock: the end of the history's second week


@pytest.fixture
def world(sqlite_db: Database, tmp_path: Path) -> tuple[Database, History, Settings]:
    settings = Settings(database_url=sqlite_db.url, home=tmp_path / "home",
                        secret_key="test-secret-key")
    return sqlite_db, build_history(sqlite_db), settings


def _tokens(db: Database, h: History) -> tuple[str, str]:
    with db.session() as s:
        return (create_token(session=s, workspace_id=h.workspace_id, role="operator",
                             name="op"),
                create_token(session=s, workspace_id=h.workspace_id, role="rep",
                             rep_id=h.rep_id, name="rep"))


def test_api_json_csv_and_roles(world: tuple[Database, History, Settings]) -> None:
    db, h, settings = world
    operator, rep = _tokens(db, h)
    auth = {"Authorization": f"Bearer {operator}"}
    with TestClient(create_app(settings, db, clock=lambda: NOW)) as client:
        r = client.get("/api/metrics/step", headers=auth,
                       params={"since": "2026-11-30", "until": "2026-12-13"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert [row["touched"] for row in body["rows"]] == [7, 4, 1]
        assert body["total"]["replied"] == 3 and body["by"] == "step"
        # without since: the N days up to now (28 by default, which reaches E9 too)
        assert client.get("/api/metrics/workspace", headers=auth,
                          params={"days": 14}).json()["total"]["enrolled"] == 8
        assert client.get("/api/metrics/workspace", headers=auth).json()["total"][
            "enrolled"] == 9
        r = client.get("/api/metrics/variant", headers=auth,
                       params={"since": "2026-11-30", "format": "csv"})
        assert r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        b = next(row for row in rows if row["key"] == "ab-test / step 2 / b")
        assert (b["dimension"], b["touched"], b["opt_outs"], b["enrolled"]) == (
            "variant", "2", "1", "")
        assert rows[-1]["key"] == "total" and rows[-1]["replied"] == "3"
        # a rep may not read the workspace's metrics; nonsense is a 422
        assert client.get("/api/metrics/step", headers={
            "Authorization": f"Bearer {rep}"}).status_code == 403
        assert client.get("/api/metrics/nonsense", headers=auth).status_code == 422
        swapped = client.get("/api/metrics/step", headers=auth, params={
            "since": "2026-12-10", "until": "2026-12-01"})
        assert swapped.status_code == 200 and swapped.json()["total"]["enrolled"] == 0
        assert client.get("/api/metrics/step").status_code == 401


def test_cli_table_json_and_csv(world: tuple[Database, History, Settings], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    db, _, settings = world
    monkeypatch.setenv("CADENZA_DATABASE_URL", db.url)
    monkeypatch.setenv("CADENZA_HOME", str(settings.home))
    runner = CliRunner()
    span = ["--since", "2026-11-30", "--until", "2026-12-13", "-w", "agency"]
    result = runner.invoke(app, ["metrics", "--by", "week", *span, "--json"])
    assert result.exit_code == 0, result.output
    weeks = {r["key"]: r["enrolled"] for r in json.loads(result.output)["rows"]}
    assert weeks == {"2026-11-30": 4, "2026-12-07": 4}
    out = tmp_path / "steps.csv"
    result = runner.invoke(app, ["metrics", "--by", "step", *span, "--csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(newline="")))
    assert [r["dropped"] for r in rows] == ["2", "3", "0", "5"]
    result = runner.invoke(app, ["metrics", "--by", "channel", *span])
    assert result.exit_code == 0 and "email" in result.output and "25.0%" in result.output
    bad = runner.invoke(app, ["metrics", "--by", "planet", *span])
    assert bad.exit_code == 2 and "--by must be one of" in bad.output
    bad = runner.invoke(app, ["metrics", "--since", "30/11/2026", "-w", "agency"])
    assert bad.exit_code == 2


def test_period_reads_dates_as_whole_days() -> None:
    now = dt.datetime(2026, 12, 14, 9, 30, tzinfo=dt.UTC)
    assert period(now=now, since=dt.date(2026, 11, 30), until=dt.date(2026, 12, 13)) == (
        dt.datetime(2026, 11, 30, tzinfo=dt.UTC), dt.datetime(2026, 12, 14, tzinfo=dt.UTC))
    assert period(now=now, days=7) == (now - dt.timedelta(days=7), now)
    with pytest.raises(ValueError, match="before"):
        period(now=now, since=dt.date(2026, 12, 20))


def test_variants_api_and_cli(world: tuple[Database, History, Settings],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    db, h, settings = world
    operator, rep = _tokens(db, h)
    auth = {"Authorization": f"Bearer {operator}"}
    with TestClient(create_app(settings, db, clock=lambda: NOW)) as client:
        tests = client.get("/api/variants", headers=auth,
                           params={"since": "2026-11-30", "metric": "reply_rate"}).json()
        assert [(t["playbook"], t["step"]) for t in tests] == [("ab-test", 2)]
        arms = {a["name"]: a for a in tests[0]["arms"]}
        assert (arms["a"]["touched"], arms["a"]["successes"], arms["a"]["control"]) == (
            2, 1, True)
        assert arms["b"]["difference"] == -0.5 and not arms["b"]["significant"]
        assert tests[0]["verdict"].startswith("Not yet significant")
        r = client.post("/api/variants/promote", headers=auth,
                        json={"playbook": "ab-test", "step": 2, "variant": "b"})
        assert r.status_code == 200 and r.json()["promoted_by"] == "op"
        assert client.post("/api/variants/promote", headers=auth, json={
            "playbook": "ab-test", "step": 2, "variant": "zz"}).status_code == 404
        assert client.post("/api/variants/promote", headers={
            "Authorization": f"Bearer {rep}"}, json={"playbook": "ab-test", "step": 2,
                                                     "variant": "a"}).status_code == 403
        board = client.get("/api/dashboard", headers=auth, params={"since": "2026-11-30"})
        assert board.json()["variants"][0]["promoted"] == "b"
        assert [w["key"] for w in board.json()["weeks"]] == ["2026-11-30", "2026-12-07"]
    monkeypatch.setenv("CADENZA_DATABASE_URL", db.url)
    monkeypatch.setenv("CADENZA_HOME", str(settings.home))
    runner = CliRunner()
    out = runner.invoke(app, ["variants", "promote", "ab-test", "2", "a", "-w", "agency",
                              "--by", "olivia"])
    assert out.exit_code == 0 and "a promoted by olivia" in out.output
    bad = runner.invoke(app, ["variants", "promote", "ab-test", "1", "a", "-w", "agency"])
    assert bad.exit_code == 2 and "has no variants" in bad.output
    listed = runner.invoke(app, ["variants", "list", "-w", "agency", "--days", "3650",
                                 "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output)[0]["promoted"] == "a"
