"""CSV export: no cell runs as a formula, no cell splits a row, and the file parses back."""

from __future__ import annotations

import csv
import io

import pytest
from handoff_world import MONDAY_10, handoff, prospect, workspace
from hypothesis import given, settings
from hypothesis import strategies as st

from cadenza.handoff.export import COLUMNS, FORMULA_STARTS, export_handoffs, safe_cell, write_csv
from cadenza.store import Database

DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1", "\r", "a\rb",
             "a\r\nb", '"=1"', "plain"]


def test_cr_and_tab_cells_are_neutralised_and_keep_the_row(sqlite_db: Database) -> None:
    with sqlite_db.session() as s:
        ws = workspace(s)
        for company in DANGEROUS:
            handoff(s, ws, prospect(s, ws, company=company, title=company), summary="ok",
                    created_at=MONDAY_10)
        assert ws.id is not None
        out = io.StringIO()
        written = export_handoffs(session=s, workspace_id=ws.id, out=out, fmt="csv")
    assert written == len(DANGEROUS)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == list(COLUMNS) and len(rows) == len(DANGEROUS) + 1
    companies = [dict(zip(COLUMNS, row, strict=True))["company"] for row in rows[1:]]
    assert companies == [safe_cell(c) for c in DANGEROUS]
    assert not [c for c in companies if c[:1] in FORMULA_STARTS]


cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)


@pytest.mark.slow  # a property run (300 examples): the full suite's
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), max_size=6))
def test_any_text_cells_parse_back_to_the_same_rows(rows: list[tuple[str, str, str]]) -> None:
    out = io.StringIO(newline="")
    columns = ("a", "b", "c")
    assert write_csv(out, columns, [dict(zip(columns, r, strict=True)) for r in rows]) == len(rows)
    back = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert back[0] == list(columns)
    assert back[1:] == [[safe_cell(c) for c in r] for r in rows]
    for row, original in zip(back[1:], rows, strict=True):
        assert all(cell[:1] not in FORMULA_STARTS for cell in row)
        assert all(cell in (orig, "'" + orig) for cell, orig in zip(row, original, strict=True))
