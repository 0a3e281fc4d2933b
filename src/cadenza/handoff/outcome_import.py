"""``cadenza outcomes import FILE``: outcomes from a CRM export, one CSV row each.

Columns (a header row; extra columns are ignored): ``handoff_id`` or ``email`` (which
prospect), ``outcome`` (``meeting_booked``, ``opportunity``, ``disqualified``), and what the
outcome needs — ``meeting_at`` (a date or an ISO time) for a meeting, ``amount`` (and optionally
``currency``) for an opportunity, ``reason`` for a disqualification.

Every row ends in exactly one outcome, as in the prospect importer: ``recorded`` (new),
``updated`` (the prospect had one of that kind; the row's values replace it) or ``rejected``
with the line and the field, so no row is dropped silently. Each row is its own savepoint, so a
bad row never takes the good ones with it, and importing the same file twice changes nothing
the second time (rows come back ``updated`` with the same values).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlmodel import Session

from cadenza.errors import CadenzaError, InputError
from cadenza.handoff.outcomes import record_outcome

RowResult = Literal["recorded", "updated", "rejected"]
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class OutcomeRow:
    line: int
    who: str
    result: RowResult
    reason: str = ""
    field: str | None = None


@dataclass
class OutcomeImport:
    file: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("recorded", "updated", "rejected"), 0))
    rows: list[OutcomeRow] = field(default_factory=list)

    @property
    def rejected(self) -> list[OutcomeRow]:
        return [r for r in self.rows if r.result == "rejected"]


def parse_when(value: str, *, field_name: str = "meeting_at") -> dt.datetime:
    """A date (midnight UTC) or an ISO 8601 time (UTC when it names no offset)."""
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), tzinfo=dt.UTC)
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD) or an ISO time",
                         field=field_name) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def parse_amount(value: str) -> float:
    text = value.strip().replace(" ", "").replace("_", "")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        amount = float(text)
    except ValueError:
        raise InputError(f"{value!r} is not an amount", field="amount") from None
    if amount < 0 or not math.isfinite(amount):
        raise InputError(f"{value!r} is not an amount", field="amount")
    return amount


def import_outcomes(*, session: Session, workspace_id: int, path: Path, by: str,
                    now: dt.datetime) -> OutcomeImport:
    """Read the CSV and record every valid row (the caller commits)."""
    report = OutcomeImport(file=str(path))
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", file=str(path)) from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = [h.strip().lower() for h in reader.fieldnames or []]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"not a CSV file: {exc}", file=str(path), line=1) from None
        if "outcome" not in header or not {"email", "handoff_id"} & set(header):
            raise InputError("the header needs an outcome column and an email or handoff_id "
                             "column", file=str(path), line=1)
        try:
            for raw in reader:
                row = {(k or "").strip().lower(): (v or "").strip()
                       for k, v in raw.items() if isinstance(v, str)}
                result = _one(session, workspace_id, reader.line_num, row, by, now)
                report.rows.append(result)
                report.counts[result.result] += 1
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"unreadable CSV: {exc}", file=str(path),
                             line=reader.line_num) from None
    return report


def _one(session: Session, workspace_id: int, line: int, row: dict[str, str], by: str,
         now: dt.datetime) -> OutcomeRow:
    who = row.get("handoff_id") or row.get("email") or ""
    try:
        kind = row.get("outcome", "").lower()
        handoff_id = None
        if row.get("handoff_id"):
            if not row["handoff_id"].isdigit():
                raise InputError(f"{row['handoff_id']!r} is not a handoff id",
                                 field="handoff_id")
            handoff_id = int(row["handoff_id"])
        meeting_at = parse_when(row["meeting_at"]) if row.get("meeting_at") else None
        amount = parse_amount(row["amount"]) if row.get("amount") else None
        with session.begin_nested():
            done = record_outcome(session, workspace_id=workspace_id, kind=kind,
                                  source="import", by=by, now=now, handoff_id=handoff_id,
                                  email=None if handoff_id else row.get("email"),
                                  meeting_at=meeting_at, amount=amount,
                                  currency=row.get("currency", ""),
                                  reason=row.get("reason", ""))
    except InputError as exc:
        return OutcomeRow(line, who, "rejected", exc.detail, exc.field)
    except CadenzaError as exc:
        return OutcomeRow(line, who, "rejected", str(exc), "email" if not row.get(
            "handoff_id") else "handoff_id")
    return OutcomeRow(line, who, "recorded" if done.new else "updated")
