"""CRM-friendly export of handoffs as JSON lines or CSV, streamed.

Rows are read in keyset pages (``id > last``, ``LIMIT batch``) and written as they come, so an
export of a year of tickets never holds the table in memory. Columns are stable (:data:`COLUMNS`)
so a CRM import mapping made once keeps working; timestamps are ISO 8601 UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, TextIO

from sqlmodel import Session, col, select

from cadenza.handoff.suggest import DEFAULT_NEXT_STEP, NEXT_STEPS
from cadenza.handoff.summary import summarize
from cadenza.mailbox.quotes import strip_reply
from cadenza.store.models import Handoff, Prospect, Rep

COLUMNS = (
    "handoff_id", "state", "priority", "intent", "confidence", "prospect_name",
    "prospect_email", "prospect_title", "company", "company_domain", "country", "rep_email",
    "queue", "created_at", "routed_at", "accepted_at", "contacted_at", "closed_at", "summary",
    "next_step",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _iso(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).isoformat() if value is not None else ""


def iter_handoff_rows(*, session: Session, workspace_id: int,
                      since: dt.datetime | None = None, until: dt.datetime | None = None,
                      batch: int = 500) -> Iterator[dict[str, Any]]:
    """One dict per handoff (keys :data:`COLUMNS`), oldest id first, ``batch`` rows per query."""
    last = 0
    while True:
        query = (select(Handoff, Prospect, Rep)
                 .join(Prospect, col(Prospect.id) == col(Handoff.prospect_id))
                 .outerjoin(Rep, col(Rep.id) == col(Handoff.rep_id))
                 .where(Handoff.workspace_id == workspace_id, col(Handoff.id) > last)
                 .order_by(col(Handoff.id)).limit(batch))
        if since is not None:
            query = query.where(col(Handoff.created_at) >= since)
        if until is not None:
            query = query.where(col(Handoff.created_at) < until)
        rows = session.exec(query).all()
        if not rows:
            return
        for h, p, r in rows:
            assert h.id is not None
            last = h.id
            said = "" if h.intent == "cadence_handoff" else strip_reply(h.summary).text
            yield {
                "handoff_id": h.id, "state": h.state, "priority": h.priority,
                "intent": h.intent, "confidence": round(h.confidence, 3),
                "prospect_name": " ".join(x for x in (p.first_name, p.last_name) if x),
                "prospect_email": p.email, "prospect_title": p.title, "company": p.company,
                "company_domain": p.company_domain, "country": p.country,
                "rep_email": r.email if r is not None else "", "queue": h.queue,
                "created_at": _iso(h.created_at), "routed_at": _iso(h.routed_at),
                "accepted_at": _iso(h.accepted_at), "contacted_at": _iso(h.contacted_at),
                "closed_at": _iso(h.closed_at), "summary": summarize(h, p, said),
                "next_step": NEXT_STEPS.get(h.intent, DEFAULT_NEXT_STEP),
            }
        session.expunge_all()  # keep the identity map from growing with the export


def export_handoffs(*, session: Session, workspace_id: int, out: TextIO,
                    fmt: Literal["jsonl", "csv"] = "jsonl", since: dt.datetime | None = None,
                    until: dt.datetime | None = None) -> int:
    """Write the workspace's handoffs to ``out``; returns the number of rows written.

    CSV cells that start with ``= + - @``, tab, CR or LF are prefixed with ``'`` so a
    spreadsheet does not run a prospect's text as a formula (see :func:`write_csv`).
    """
    rows = iter_handoff_rows(session=session, workspace_id=workspace_id, since=since,
                             until=until)
    count = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    if fmt != "csv":
        raise ValueError(f"export format {fmt!r} must be jsonl or csv")
    return write_csv(out, COLUMNS, rows)


def write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write a header and ``rows`` as RFC 4180 CSV that a spreadsheet opens safely.

    Lines end in CRLF, so every cell holding a CR or LF is quoted and stays one cell (a bare CR
    written unquoted would split the row). Every text cell is passed through :func:`safe_cell`.
    """
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n",
                            quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
        count += 1
    return count


def safe_cell(value: Any) -> Any:
    """``value``, with ``'`` in front of text a spreadsheet would run as a formula.

    Excel, LibreOffice and Google Sheets start a formula at ``= + - @``, and also after a leading
    tab, CR or LF (which they strip), so text starting with any of those is neutralised.
    """
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
