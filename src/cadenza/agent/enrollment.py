"""Enrolling prospects in a playbook: one active enrollment per prospect and workspace.

A prospect already running a cadence in the workspace is skipped unless the operator allows
parallel enrollments (the anchors' "one prospect, one objective": two cadences at once read as
spam). Suppressed and undeliverable addresses are skipped with a reason, never silently. Each
enrollment gets its mailbox from the workspace's rotation (:mod:`cadenza.mailbox.rotation`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from cadenza.agent.variants import Winners, chosen_step
from cadenza.mailbox.rotation import load_rotation
from cadenza.playbooks import LoadedPlaybook
from cadenza.states import LIVE
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Prospect, Workspace, utcnow
from cadenza.store.playbooks import save_playbook
from cadenza.store.suppressions import suppressed_among
from cadenza.timing.send_window import step_due_at, zone_for

#: Enrollments that block a second one for the same prospect (see :data:`cadenza.states.LIVE`).
ACTIVE_STATES = LIVE


@dataclass
class EnrollReport:
    """How many were enrolled, and who was skipped and why."""

    playbook: str
    enrolled: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)


def enroll_prospects(*, session: Session, workspace: Workspace, playbook: LoadedPlaybook,
                     external_ids: list[str] | None = None, now: dt.datetime | None = None,
                     allow_parallel: bool = False) -> EnrollReport:
    """Enroll the given prospects (all of the workspace's when ``external_ids`` is None)."""
    assert workspace.id is not None
    now = now or utcnow()
    spec = playbook.spec
    row = save_playbook(session=session, workspace_id=workspace.id, name=spec.name,
                        content_hash=playbook.content_hash,
                        definition=spec.model_dump(mode="json"), source_yaml=playbook.source)
    stmt = select(Prospect).where(Prospect.workspace_id == workspace.id)
    if external_ids is not None:
        stmt = stmt.where(col(Prospect.external_id).in_(external_ids))
    prospects = list(session.exec(stmt.order_by(col(Prospect.id))))
    report = EnrollReport(playbook=spec.name)
    if external_ids is not None:
        found = {p.external_id for p in prospects}
        report.skipped.extend((x, "unknown prospect id") for x in external_ids if x not in found)
    if not prospects:
        return report
    ids = [p.id for p in prospects]
    running: dict[int, set[int]] = {}
    for pid, pb in session.exec(select(Enrollment.prospect_id, Enrollment.playbook_id).where(
            Enrollment.workspace_id == workspace.id, col(Enrollment.state).in_(ACTIVE_STATES),
            col(Enrollment.prospect_id).in_(ids))):
        running.setdefault(pid, set()).add(pb)
    suppressed = suppressed_among(session=session, workspace_id=workspace.id,
                                  addresses=[p.email for p in prospects])
    # each new enrollment's mailbox: the prospect's earlier one, else the one with most room
    rotation = load_rotation(session, [workspace.id], now,
                             prospect_ids=[p.id for p in prospects if p.id is not None])
    ws_tz = str(workspace.settings.get("timezone") or "") or None
    winners: Winners = {}
    for prospect in prospects:
        first = spec.steps[0]
        assert prospect.id is not None
        label = prospect.external_id or prospect.email
        if prospect.email in suppressed:
            report.skipped.append((label, "suppressed"))
            continue
        if prospect.source == "referral" and external_ids is None:
            # created from someone's reply, not by the agency: a person enrols it by its id
            report.skipped.append((label, f"referred in a reply: enrol it by id "
                                          f"(--prospect {prospect.external_id}) after a look"))
            continue
        if prospect.email_status != "valid":
            report.skipped.append((label, f"email {prospect.email_status}"))
            continue
        active = running.get(prospect.id, set())
        if row.id in active or (active and not allow_parallel):
            report.skipped.append((label, "already in an active cadence"))
            continue
        zone = zone_for(spec, prospect.timezone, ws_tz)
        if first.variants:  # an A/B variant of the first step may move its day
            _, first = chosen_step(session, workspace_id=workspace.id, spec=spec, step=1,
                                   prospect_id=prospect.id, winners=winners)
        enrollment = Enrollment(
            workspace_id=workspace.id, prospect_id=prospect.id, playbook_id=row.id or 0,
            mailbox_id=rotation.pick(workspace.id, prospect.id),
            started_at=now, next_step=1,
            next_due_at=step_due_at(spec=spec, step=first, started_at=now, zone=zone,
                                    key=f"{prospect.id}:1", now=now,
                                    country=prospect.country or None),
        )
        session.add(enrollment)
        report.enrolled += 1
    session.flush()
    record_event(session=session, kind="enrollments.created", workspace_id=workspace.id,
                 subject_type="playbook", subject_id=row.id, playbook=spec.name,
                 enrolled=report.enrolled, skipped=len(report.skipped))
    return report
