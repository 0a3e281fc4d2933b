"""Taking an inbound lead: the prospect through the importer's own rules, an enrollment in an
inbound playbook starting at the moment it arrived, and a ``lead.received`` event.

Nothing here sends anything: the caller commits, then runs the first touch at once through the
scheduler's own claim and the touch graph (:mod:`cadenza.leads.runner`) — the same checks,
outbox and caps as every touch. Outside the send window the enrollment is simply due at its
next opening, and a suppressed address is never enrolled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.policy import workspace_policy
from cadenza.errors import InputError
from cadenza.importer import ImportReport, RowOutcome, import_rows
from cadenza.playbooks import LoadedPlaybook, load_builtin, parse_playbook
from cadenza.prospect_files import array_rows
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Playbook, Prospect, Workspace
from cadenza.store.suppressions import is_suppressed

Via = Literal["api", "inbound_webhook"]
Status = Literal["queued", "scheduled", "not_enrolled", "suppressed", "rejected"]
Record = Literal["created", "updated", "unchanged", "rejected"]


class LeadIn(BaseModel):
    """An inbound lead: a prospect record as in the public format, and optionally the
    playbook to run (the workspace's ``inbound_playbook`` otherwise)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "prospect": {"id": "form-20261207-0042", "email": "dana@kestrelfreight.example",
                     "first_name": "Dana", "last_name": "Ruiz", "company": "Kestrel Freight",
                     "company_domain": "kestrelfreight.example", "title": "VP Operations",
                     "country": "US", "timezone": "America/Chicago",
                     "facts": [{"id": "f1", "kind": "post", "date": "2026-12-07",
                                "text": "asked for a demo on the pricing page"}]},
        "playbook": "inbound"}]})

    prospect: dict[str, Any] = Field(description="a prospect record (shared/formats.md)")
    playbook: str | None = Field(default=None, max_length=64,
                                 pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")


@dataclass(frozen=True)
class LeadResult:
    """What became of one lead."""

    status: Status
    record: Record
    playbook: str
    prospect_id: int | None = None
    external_id: str = ""
    enrollment_id: int | None = None
    next_due_at: dt.datetime | None = None
    reason: str = ""
    field: str | None = None  # of a rejected record: prospect.email, …


def inbound_playbook(session: Session, workspace: Workspace, name: str | None) -> LoadedPlaybook:
    """The playbook a lead runs: ``name`` or the workspace's ``inbound_playbook``, a playbook
    the workspace stored under that name (its latest version) or else a built-in one; it must
    be ``kind: inbound``."""
    name = name or workspace_policy(workspace.settings).inbound_playbook
    row = session.exec(select(Playbook).where(
        Playbook.workspace_id == workspace.id, Playbook.name == name, Playbook.source_yaml != "")
        .order_by(col(Playbook.id).desc())).first()
    loaded = (parse_playbook(row.source_yaml, origin=f"stored:{name}") if row is not None
              else load_builtin(name))  # NotFoundError: no such playbook
    if loaded.spec.kind != "inbound":
        raise InputError(f"playbook {name!r} is kind {loaded.spec.kind}: an inbound lead runs a "
                         "playbook with kind: inbound", field="playbook")
    return loaded


def take_lead(session: Session, workspace: Workspace, lead: LeadIn, *, arrived_at: dt.datetime,
              via: Via, by: str) -> LeadResult:
    """Create or update the prospect, enroll it and log ``lead.received``; the caller commits.

    A record the importer rejects is not an error of the request: the lead is ``rejected``
    with the importer's reason and field (``prospect.email``…), and logged so, so a form's
    typo is seen, not lost; a suppressed address is ``suppressed`` and left alone. An unknown
    playbook is a :class:`~cadenza.errors.NotFoundError`, one that is not ``kind: inbound`` an
    :class:`~cadenza.errors.InputError`.
    """
    assert workspace.id is not None
    loaded = inbound_playbook(session, workspace, lead.playbook)
    outcomes: list[RowOutcome] = []
    import_rows(session=session, workspace_id=workspace.id, rows=array_rows([lead.prospect]),
                source=f"inbound:{via}", report=ImportReport(file="inbound lead"), unit="lead",
                on_row=outcomes.append)
    [row] = outcomes
    name = loaded.spec.name
    if row.outcome == "rejected":
        suppressed = bool(row.email) and is_suppressed(
            session=session, workspace_id=workspace.id, address=row.email)
        return _received(session, workspace.id, LeadResult(
            status="suppressed" if suppressed else "rejected", record="rejected",
            playbook=name, external_id=row.prospect_id, reason=row.reason,
            field=f"prospect.{row.field}" if row.field else "prospect"), arrived_at, via, by)
    prospect = session.exec(select(Prospect).where(
        Prospect.workspace_id == workspace.id, Prospect.email == row.email)).one()
    report = enroll_prospects(session=session, workspace=workspace, playbook=loaded,
                              external_ids=[prospect.external_id], now=arrived_at)
    result = LeadResult(status="not_enrolled", record=row.outcome, playbook=name,
                        prospect_id=prospect.id, external_id=prospect.external_id,
                        reason="; ".join(why for _, why in report.skipped))
    if report.enrolled:
        enrollment = session.exec(select(Enrollment).where(
            Enrollment.prospect_id == prospect.id, Enrollment.workspace_id == workspace.id)
            .order_by(col(Enrollment.id).desc())).first()
        assert enrollment is not None and enrollment.next_due_at is not None
        due = enrollment.next_due_at
        result = LeadResult(status="queued" if due <= arrived_at else "scheduled",
                            record=row.outcome, playbook=name, prospect_id=prospect.id,
                            external_id=prospect.external_id, enrollment_id=enrollment.id,
                            next_due_at=due,
                            reason="" if due <= arrived_at else "outside the send window")
    return _received(session, workspace.id, result, arrived_at, via, by)


def _received(session: Session, workspace_id: int, result: LeadResult, arrived_at: dt.datetime,
              via: Via, by: str) -> LeadResult:
    record_event(session=session, kind="lead.received", workspace_id=workspace_id,
                 subject_type="prospect", subject_id=result.prospect_id,
                 prospect_id=result.prospect_id, arrived_at=arrived_at.isoformat(), via=via,
                 by=by, record=result.record, status=result.status,
                 playbook=result.playbook, enrollment_id=result.enrollment_id,
                 next_due_at=result.next_due_at.isoformat() if result.next_due_at else None,
                 reason=result.reason, field=result.field)
    return result
