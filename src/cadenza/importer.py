"""Prospect import from JSONL or CSV, or from the API's bulk body: validated per row,
deduplicated, idempotent.

Every row ends in exactly one outcome — ``created``, ``updated``, ``unchanged`` or ``rejected``
with a reason naming the line and the field — so no row is ever dropped silently. Rows are
written in batches with SQLAlchemy Core, all in one transaction: an import is all-or-nothing per
file, so an error that stops it (a byte that is not UTF-8 on line 1502) leaves the workspace as
it was, and the message says so.

A file and an API request differ only in how their rows are read (:mod:`cadenza.prospect_files`);
both go through :func:`import_rows`, the one pipeline that validates, deduplicates, checks
suppressions and writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import available_timezones

from pydantic import ValidationError
from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from cadenza.addresses import address_key, validate_email_address
from cadenza.errors import InputError
from cadenza.prospect_files import (
    LineReader,
    Rejected,
    Row,
    csv_rows,
    fact_problem,
    jsonl_rows,
)
from cadenza.prospects import ProspectIn
from cadenza.store.events import record_event
from cadenza.store.models import Fact, Prospect, Suppression, utcnow

Outcome = Literal["created", "updated", "unchanged", "rejected"]
BATCH = 1000


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one input row."""

    line: int
    prospect_id: str
    email: str
    outcome: Outcome
    reason: str = ""
    field: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """Counts per outcome and the rows that were rejected or warned about, with reasons."""

    file: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("created", "updated", "unchanged", "rejected"), 0))
    problems: list[RowOutcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, row: RowOutcome) -> None:
        self.counts[row.outcome] += 1
        if row.outcome == "rejected" or row.warnings:
            self.problems.append(row)


@dataclass(frozen=True)
class _Candidate:
    line: int
    record: ProspectIn
    email: str
    digest: str
    warnings: tuple[str, ...]


def _clean(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def load_facts_file(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Facts for a CSV import from a JSONL file of ``{"prospect_id": …, "id": …, …}``."""
    out: dict[str, list[dict[str, Any]]] = {}
    with path.open("rb") as fh:
        for line_no, obj in jsonl_rows(LineReader(fh, str(path))):
            if isinstance(obj, Rejected):
                raise InputError(obj.reason, file=str(path), line=line_no, field=obj.field)
            problem = fact_problem(obj)
            if problem is not None:
                raise InputError(problem.reason, file=str(path), line=line_no,
                                 field=problem.field)
            pid = obj.get("prospect_id")
            if not pid:
                raise InputError("fact has no prospect_id", file=str(path), line=line_no,
                                 field="prospect_id")
            out.setdefault(str(pid), []).append(obj)
    return out


_ZONES: frozenset[str] | None = None


def _known_zone(name: str) -> bool:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) | {"UTC"}
    return name in _ZONES


def _validate(line: int, obj: dict[str, Any]) -> _Candidate | RowOutcome:
    ident = str(obj.get("id") or "")
    raw_email = str(obj.get("email") or "")
    try:
        record = ProspectIn.model_validate({k: _clean(v) for k, v in obj.items()})
    except ValidationError as exc:
        err = exc.errors()[0]
        fld = ".".join(str(p) for p in err["loc"])
        return RowOutcome(line, ident, raw_email, "rejected", err["msg"], fld)
    email = validate_email_address(record.email)
    if email is None:
        reason = "missing email" if not record.email else f"invalid email {record.email!r}"
        return RowOutcome(line, record.id, record.email, "rejected", reason, "email")
    warnings: list[str] = []
    if record.timezone and not _known_zone(record.timezone):
        warnings.append(f"unknown time zone {record.timezone!r} ignored")
        record = record.model_copy(update={"timezone": None})
    keys = [f.id for f in record.facts]
    if len(keys) != len(set(keys)):
        return RowOutcome(line, record.id, email, "rejected", "two facts share one id", "facts")
    canonical = json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return _Candidate(line, record, address_key(email), digest, tuple(warnings))


def _prospect_row(c: _Candidate, workspace_id: int, source: str) -> dict[str, Any]:
    r = c.record
    now = utcnow()
    return {
        "workspace_id": workspace_id, "external_id": r.id, "email": c.email,
        "email_status": "valid", "first_name": r.first_name or "", "last_name": r.last_name or "",
        "title": r.title or "", "company": r.company or "",
        "company_domain": (r.company_domain or "").lower(), "industry": r.industry or "",
        "company_size": r.company_size, "country": (r.country or "").upper(),
        "timezone": r.timezone or "", "linkedin_url": r.linkedin_url or "",
        "language": (r.language or "").lower(), "source": source, "content_hash": c.digest,
        "extra": {}, "created_at": now, "updated_at": now,
    }


def _fact_rows(prospect_id: int, record: ProspectIn) -> list[dict[str, Any]]:
    return [{"prospect_id": prospect_id, "key": f.id, "kind": f.kind, "text": f.text,
             "date": f.date, "source": f.source or ""} for f in record.facts]


class _Writer:
    """Writes one batch of validated candidates in one transaction."""

    def __init__(self, session: Session, workspace_id: int, source: str) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.source = source

    def _suppressed(self, emails: list[str]) -> set[str]:
        domains = {e.rsplit("@", 1)[1] for e in emails}
        rows = self.session.execute(select(Suppression.value).where(  # type: ignore[call-overload]
            Suppression.workspace_id == self.workspace_id,
            Suppression.value.in_(sorted(set(emails) | domains)))).scalars().all()  # type: ignore[attr-defined]
        found = set(rows)
        return {e for e in emails if e in found or e.rsplit("@", 1)[1] in found}

    def write(self, batch: list[_Candidate]) -> list[RowOutcome]:
        emails = [c.email for c in batch]
        suppressed = self._suppressed(emails)
        existing = {row.email: row for row in self.session.execute(
            select(Prospect.id, Prospect.email, Prospect.content_hash).where(  # type: ignore[call-overload]
                Prospect.workspace_id == self.workspace_id,
                Prospect.email.in_(emails)))}  # type: ignore[attr-defined]
        outcomes: list[RowOutcome] = []
        new: list[_Candidate] = []
        changed: list[tuple[int, _Candidate]] = []
        for c in batch:
            if c.email in suppressed:
                outcomes.append(RowOutcome(c.line, c.record.id, c.email, "rejected",
                                           "address is suppressed in this workspace", "email",
                                           c.warnings))
            elif c.email not in existing:
                new.append(c)
            elif existing[c.email].content_hash == c.digest:
                outcomes.append(RowOutcome(c.line, c.record.id, c.email, "unchanged",
                                           warnings=c.warnings))
            else:
                changed.append((existing[c.email].id, c))
        table = Prospect.__table__  # type: ignore[attr-defined]
        if new:
            rows = [_prospect_row(c, self.workspace_id, self.source) for c in new]
            ids = self.session.execute(insert(table).returning(table.c.id, table.c.email),
                                       rows).all()
            by_email = {email: pid for pid, email in ids}
            facts = [f for c in new for f in _fact_rows(by_email[c.email], c.record)]
            if facts:
                self.session.execute(insert(Fact.__table__), facts)  # type: ignore[attr-defined]
            outcomes.extend(RowOutcome(c.line, c.record.id, c.email, "created",
                                       warnings=c.warnings) for c in new)
        for pid, c in changed:
            values = _prospect_row(c, self.workspace_id, self.source)
            values.pop("created_at")
            self.session.execute(update(table).where(table.c.id == pid).values(**values))
            self.session.execute(delete(Fact.__table__).where(  # type: ignore[attr-defined]
                Fact.__table__.c.prospect_id == pid))  # type: ignore[attr-defined]
            facts = _fact_rows(pid, c.record)
            if facts:
                self.session.execute(insert(Fact.__table__), facts)  # type: ignore[attr-defined]
            outcomes.append(RowOutcome(c.line, c.record.id, c.email, "updated",
                                       warnings=c.warnings))
        return outcomes


def import_prospects(*, session: Session, workspace_id: int, path: Path,
                     facts_path: Path | None = None,
                     on_bytes: Callable[[int], None] | None = None,
                     on_row: Callable[[RowOutcome], None] | None = None) -> ImportReport:
    """Import a JSONL or CSV file of prospects into a workspace, all or nothing.

    Rejected rows do not stop the import; an error that does (:class:`InputError` naming file,
    line and field, or a database failure) rolls back every row of the file before it is raised.
    """
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".json", ".csv"):
        raise InputError("unknown file type: use .jsonl or .csv", file=str(path))
    if not path.exists():
        raise InputError("file does not exist", file=str(path))
    facts_by_id = load_facts_file(facts_path) if facts_path else {}
    report = ImportReport(file=str(path))
    try:
        with path.open("rb") as fh:
            lines = LineReader(fh, str(path), on_bytes)
            rows = csv_rows(lines, facts_by_id) if suffix == ".csv" else jsonl_rows(lines)
            import_rows(session=session, workspace_id=workspace_id, rows=rows,
                        source=path.name, report=report, on_row=on_row)
        record_event(session=session, kind="prospects.imported", workspace_id=workspace_id,
                     file=path.name, counts=dict(report.counts))
        session.commit()
    except InputError as exc:
        session.rollback()
        raise InputError(f"{exc.detail}; nothing from this file was imported (an import is "
                         "all-or-nothing per file: fix it and run the import again)",
                         file=exc.file, line=exc.line, field=exc.field) from None
    except BaseException:
        session.rollback()
        raise
    return report


def import_rows(*, session: Session, workspace_id: int, rows: Iterable[Row], source: str,
                report: ImportReport, unit: str = "line",
                on_row: Callable[[RowOutcome], None] | None = None) -> None:
    """Validate, deduplicate and write ``rows`` in the session's transaction (no commit).

    The one row pipeline of every import: a file's lines and the API's array items both come
    here, so they obey the same rules. ``unit`` names a row's number in messages ("duplicate
    of line 3" for a file, "of row 3" for an API body numbered by array index); ``source`` is
    stored on every prospect written.
    """
    writer = _Writer(session, workspace_id, source=source)
    seen_email: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    batch: list[_Candidate] = []

    def emit(row: RowOutcome) -> None:
        report.add(row)
        if on_row is not None:
            on_row(row)

    def flush() -> None:
        for row in writer.write(batch):
            emit(row)
        batch.clear()

    for line, obj in rows:
        if isinstance(obj, Rejected):
            emit(RowOutcome(line, "", "", "rejected", obj.reason, obj.field))
            continue
        result = _validate(line, obj)
        if isinstance(result, RowOutcome):
            emit(result)
            continue
        if result.email in seen_email:
            emit(RowOutcome(line, result.record.id, result.email, "rejected",
                            f"duplicate of {unit} {seen_email[result.email]} (same email)",
                            "email"))
            continue
        if result.record.id in seen_id:
            emit(RowOutcome(line, result.record.id, result.email, "rejected",
                            f"duplicate of {unit} {seen_id[result.record.id]} (same id)", "id"))
            continue
        seen_email[result.email] = line
        seen_id[result.record.id] = line
        batch.append(result)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
