"""Hostile import files: every row gets its outcome, and a file that stops leaves nothing behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

import cadenza.importer as importer
from cadenza.cli import app
from cadenza.errors import InputError
from cadenza.importer import ImportReport, import_prospects
from cadenza.store import Database
from cadenza.store.models import Prospect
from cadenza.store.workspaces import ensure_workspace

HEADER = "id,first_name,email\n"


def _ws(db: Database) -> int:
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="acme")
        assert ws.id is not None
        return ws.id


def _run(db: Database, path: Path) -> ImportReport:
    ws = _ws(db)
    with db.session() as s:
        return import_prospects(session=s, workspace_id=ws, path=path)


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.exec(select(func.count()).select_from(Prospect)).one())


def _rejected(report: ImportReport) -> dict[int, tuple[str | None, str]]:
    return {r.line: (r.field, r.reason) for r in report.problems if r.outcome == "rejected"}


def _good(n: int, start: int = 0) -> str:
    return "".join(f"g{i},Good,g{i}@example.com\n" for i in range(start, start + n))


# --- item 5: CSV quoting ---------------------------------------------------------------------

def test_unterminated_quote_is_rejected_and_the_rows_after_it_are_not_swallowed(
        sqlite_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + _good(1) + 'p2,"Broken,p2@example.com\n' + _good(3, 10),
                    encoding="utf-8")
    report = _run(sqlite_db, path)
    assert report.counts["created"] == 4 and report.counts["rejected"] == 1
    field, reason = _rejected(report)[3]
    assert field == "first_name" and "unterminated quote" in reason
    assert _count(sqlite_db) == 4


def test_a_cell_holding_a_line_break_is_rejected_with_its_lines(sqlite_db: Database,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes((HEADER + 'p1,"Bob\nBcc: x@evil.example",p1@example.com\n'
                      'p2,"Ann\rX",p2@example.com\n' 'p3,"Nu\x00l",p3@example.com\n'
                      + _good(2)).encode())
    report = _run(sqlite_db, path)
    rejected = _rejected(report)
    assert rejected[2][0] == "first_name" and "line 2 to line 3" in rejected[2][1]
    assert rejected[4] == ("first_name", "cell holds a line break")
    assert rejected[5] == ("first_name", "cell contains a NUL byte")
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 3}


def test_jsonl_names_with_line_breaks_nul_or_surrogates_are_rejected(database: Database,
                                                                      tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    rows = [{"id": "a", "email": "a@example.com", "first_name": "Bob\r\nBcc: x@evil.example"},
            {"id": "b", "email": "b@example.com", "last_name": "Nu\x00l"},
            {"id": "c", "email": "c@example.com", "company": "\ud800"},
            {"id": "d", "email": "d@example.com", "facts": [{"id": "f1", "text": "x\x00"}]},
            {"id": "e", "email": "e@example.com", "facts": [{"id": "f1", "text": "two\nlines"}]}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = _run(database, path)
    rejected = _rejected(report)
    assert rejected[1] == ("first_name", "holds a line break")
    assert rejected[2] == ("last_name", "contains a NUL byte")
    assert rejected[3][0] == "company" and "surrogate" in rejected[3][1]
    assert rejected[4][0] == "facts.0.text"
    assert report.counts["created"] == 1 and _count(database) == 1


# --- item 6: size, line endings, depth, duplicates --------------------------------------------

def test_a_megabyte_field_is_a_rejected_row_naming_the_field(sqlite_db: Database,
                                                             tmp_path: Path) -> None:
    big = "x" * 1_048_576
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(HEADER + f"p1,{big},p1@example.com\n" + _good(2), encoding="utf-8")
    report = _run(sqlite_db, csv_path)
    assert _rejected(report)[2][0] == "first_name" and report.counts["created"] == 2
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text(json.dumps({"id": "q", "email": "q@example.com", "title": big}) + "\n"
                     + json.dumps({"id": "r", "email": "r@example.com"}) + "\n")
    report = _run(sqlite_db, jsonl)
    assert _rejected(report)[1][0] == "title" and report.counts["created"] == 1


def test_an_oversized_line_is_rejected_without_being_held(sqlite_db: Database,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"id": "big", "email": "big@example.com", "title": "' + "y" * 5_000_000
                 + '"}\n')
        fh.write(json.dumps({"id": "ok", "email": "ok@example.com"}) + "\n")
    report = _run(sqlite_db, path)
    assert "longer than" in _rejected(report)[1][1] and report.counts["created"] == 1


@pytest.mark.parametrize(("name", "body"), [
    ("p.csv", HEADER + _good(3)),
    ("p.jsonl", "".join(json.dumps({"id": f"j{i}", "email": f"j{i}@example.com"}) + "\n"
                        for i in range(3))),
], ids=["csv", "jsonl"])
def test_cr_only_line_endings_stop_with_exit_2(tmp_path: Path, name: str, body: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--workspace", "acme"]).exit_code == 0
    path = tmp_path / name
    path.write_bytes(body.replace("\n", "\r").encode())
    result = runner.invoke(app, ["import", str(path), "-w", "acme"])
    assert result.exit_code == 2, result.output
    assert f"{name}:1:" in result.output and "bare CR" in result.output
    assert "Traceback" not in result.output


def test_bare_cr_after_the_first_line_is_a_rejected_row(sqlite_db: Database,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes((HEADER + _good(1) + "m1,M,m1@example.com\rm2,M,m2@example.com\n"
                      + _good(1, 5)).encode())
    report = _run(sqlite_db, path)
    assert "bare CR" in _rejected(report)[3][1] and report.counts["created"] == 2


def test_deep_json_is_a_rejected_row(sqlite_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    deep = '{"id": "d", "email": "d@example.com", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(deep + "\n" + json.dumps({"id": "ok", "email": "ok@example.com"}) + "\n")
    report = _run(sqlite_db, path)
    assert "nested too deeply" in _rejected(report)[1][1] and report.counts["created"] == 1


def test_a_duplicated_email_column_or_key_is_never_a_silent_choice(tmp_path: Path,
                                                                  sqlite_db: Database) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--workspace", "acme"]).exit_code == 0
    path = tmp_path / "p.csv"
    path.write_text("id,email,name,email\np1,a@example.com,A,b@example.com\n")
    result = runner.invoke(app, ["import", str(path), "-w", "acme"])
    assert result.exit_code == 2, result.output
    assert "p.csv:1:" in result.output and "'email'" in result.output
    assert "columns 2 and 4" in result.output
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text('{"id": "p1", "email": "a@example.com", "email": "b@example.com"}\n'
                     '{"id": "p2", "email": "c@example.com"}\n')
    report = _run(sqlite_db, jsonl)
    assert _rejected(report)[1][0] == "email" and report.counts["created"] == 1


# --- item 7: all or nothing per file ----------------------------------------------------------

def test_a_file_that_stops_midway_imports_nothing(database: Database, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BATCH", 10)
    path = tmp_path / "p.csv"
    path.write_bytes((HEADER + _good(30)).encode() + b"bad,Jos\xe9,bad@example.com\n"
                     + _good(5, 100).encode())
    with pytest.raises(InputError) as caught:
        _run(database, path)
    assert caught.value.line == 32 and "nothing from this file was imported" in str(caught.value)
    assert _count(database) == 0
    path.write_bytes((HEADER + _good(30)).encode())
    assert _run(database, path).counts["created"] == 30 and _count(database) == 30
