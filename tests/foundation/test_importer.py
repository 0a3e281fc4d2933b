"""Prospect import: per-row outcomes with reasons, deduplication, suppression, idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from cadenza.errors import InputError
from cadenza.importer import import_prospects
from cadenza.store import Database
from cadenza.store.models import Fact, Prospect
from cadenza.store.suppressions import suppress
from cadenza.store.workspaces import ensure_workspace


def _ws(db: Database) -> int:
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="acme")
        assert ws.id is not None
        return ws.id


def _run(db: Database, ws_id: int, path: Path, **kw: object):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return import_prospects(session=s, workspace_id=ws_id, path=path, **kw)  # type: ignore[arg-type]


def _write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
                            + "\n" for r in rows), encoding="utf-8")
    return path


GOOD = {"id": "p1", "first_name": "Zoë", "last_name": "Ångström", "email": "Zoe@Example.com",
        "company": "Example Corp", "company_domain": "Example.com", "timezone": "Europe/Stockholm",
        "extra_column": "ignored",
        "facts": [{"id": "f1", "kind": "funding", "text": "raised a $42M Series B",
                   "date": "2026-09-14", "source": "https://example.com/news"}]}


def test_jsonl_rows_each_get_an_outcome(database: Database, tmp_path: Path) -> None:
    ws = _ws(database)
    path = _write_jsonl(tmp_path / "p.jsonl", [
        GOOD,
        {"id": "p2", "email": "not-an-email"},
        "{broken json",
        {"id": "p3", "email": "zoe@example.com"},            # same address, other case
        {"id": "p4", "email": "ok@example.org", "company_size": "many"},
        {"id": "p5", "email": "ok2@example.org", "facts": [{"id": "f1", "kind": "gossip"}]},
        {"email": "noid@example.org"},
        ["not", "an", "object"],
        {"id": "p6", "email": "ok3@example.org", "timezone": "Mars/Olympus"},
    ])
    report = _run(database, ws, path)
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 7}
    by_line = {r.line: r for r in report.problems}
    assert by_line[2].field == "email" and "invalid email" in by_line[2].reason
    assert "not valid JSON" in by_line[3].reason
    assert by_line[4].reason == "duplicate of line 1 (same email)"
    assert by_line[5].field == "company_size"
    assert by_line[6].field == "facts.0.kind"
    assert by_line[7].field == "id"
    assert "JSON object" in by_line[8].reason
    assert by_line[9].outcome == "created" and "Mars/Olympus" in by_line[9].warnings[0]
    with database.session() as s:
        p = s.exec(select(Prospect).where(Prospect.external_id == "p1")).one()
        assert p.email == "zoe@example.com" and p.first_name == "Zoë"
        assert p.company_domain == "example.com"
        facts = s.exec(select(Fact).where(Fact.prospect_id == p.id)).all()
        assert [(f.key, f.kind, str(f.date)) for f in facts] == [("f1", "funding", "2026-09-14")]


def test_reimport_is_idempotent_and_updates_changes(database: Database, tmp_path: Path) -> None:
    ws = _ws(database)
    path = _write_jsonl(tmp_path / "p.jsonl", [GOOD, {"id": "p2", "email": "b@example.org"}])
    assert _run(database, ws, path).counts["created"] == 2
    assert _run(database, ws, path).counts == {"created": 0, "updated": 0, "unchanged": 2,
                                               "rejected": 0}
    changed = dict(GOOD, title="COO", facts=[])
    _write_jsonl(path, [changed, {"id": "p2", "email": "b@example.org"}])
    assert _run(database, ws, path).counts == {"created": 0, "updated": 1, "unchanged": 1,
                                               "rejected": 0}
    with database.session() as s:
        p = s.exec(select(Prospect).where(Prospect.external_id == "p1")).one()
        assert p.title == "COO"
        assert s.exec(select(Fact).where(Fact.prospect_id == p.id)).all() == []
        assert len(s.exec(select(Prospect)).all()) == 2


def test_suppressed_addresses_are_rejected(database: Database, tmp_path: Path) -> None:
    ws = _ws(database)
    with database.session() as s:
        suppress(session=s, workspace_id=ws, value="gone@example.org", reason="unsubscribe")
        suppress(session=s, workspace_id=ws, value="blocked.example", reason="manual")
    path = _write_jsonl(tmp_path / "p.jsonl", [
        {"id": "a", "email": "GONE@example.org"}, {"id": "b", "email": "x@blocked.example"},
        {"id": "c", "email": "fine@example.org"}])
    report = _run(database, ws, path)
    assert report.counts["created"] == 1 and report.counts["rejected"] == 2
    assert all("suppressed" in r.reason for r in report.problems)


def test_csv_with_fact_columns_and_bad_rows(sqlite_db: Database, tmp_path: Path) -> None:
    ws = _ws(sqlite_db)
    path = tmp_path / "p.csv"
    path.write_text(
        "id,first_name,email,company_size,fact_1,fact_1_kind,fact_1_date,fact_2\n"
        "p1,José,jose@example.es,120,\"Opened a hub in Valencia, Spain\",news,2026-10-01,\n"
        "p2,Ann,ann@example.com,,,,,hiring 12 engineers\n"
        "p3,Bad,bad@@example.com,,,,,\n"
        "p4,Short,short@example.com\n"
        "p5,Long,long@example.com,1,a,news,2026-01-01,b,EXTRA\n", encoding="utf-8")
    report = _run(sqlite_db, ws, path)
    assert report.counts["created"] == 3 and report.counts["rejected"] == 2
    reasons = {r.line: r.reason for r in report.problems}
    assert "invalid email" in reasons[4]
    assert "cells" in reasons[6]
    with sqlite_db.session() as s:
        p1 = s.exec(select(Prospect).where(Prospect.external_id == "p1")).one()
        assert p1.company_size == 120
        facts = s.exec(select(Fact).where(Fact.prospect_id == p1.id)).all()
        assert [(f.key, f.kind, f.text) for f in facts] == [
            ("f1", "news", "Opened a hub in Valencia, Spain")]
        p2 = s.exec(select(Prospect).where(Prospect.external_id == "p2")).one()
        assert [f.text for f in s.exec(select(Fact).where(Fact.prospect_id == p2.id))] == [
            "hiring 12 engineers"]


def test_csv_with_separate_facts_file(sqlite_db: Database, tmp_path: Path) -> None:
    ws = _ws(sqlite_db)
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("id,email\np1,a@example.com\n", encoding="utf-8")
    facts = _write_jsonl(tmp_path / "facts.jsonl", [
        {"prospect_id": "p1", "id": "f9", "kind": "post", "text": "wrote about onboarding"}])
    assert _run(sqlite_db, ws, csv_path, facts_path=facts).counts["created"] == 1
    bad = _write_jsonl(tmp_path / "bad.jsonl", [{"id": "f1", "text": "no owner"}])
    with pytest.raises(InputError, match="bad.jsonl:1: fact has no prospect_id"):
        _run(sqlite_db, ws, csv_path, facts_path=bad)


def test_non_utf8_file_names_the_line(sqlite_db: Database, tmp_path: Path) -> None:
    ws = _ws(sqlite_db)
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"id": "a", "email": "a@example.com"}\n'
                     b'{"id": "b", "first_name": "Jos\xe9"}\n')
    with pytest.raises(InputError, match=r"p.jsonl:2: not UTF-8"):
        _run(sqlite_db, ws, path)


def test_unknown_file_type(sqlite_db: Database, tmp_path: Path) -> None:
    ws = _ws(sqlite_db)
    path = tmp_path / "p.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(InputError, match="unknown file type"):
        _run(sqlite_db, ws, path)
