"""Moving an enrollment along its playbook after a touch, or handing it to a rep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from cadenza.agent.timing import step_due_at, zone_for
from cadenza.playbooks import PlaybookSpec
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Handoff, Playbook, Prospect, Workspace


def advance_enrollment(session: Session, *, enrollment_id: int, done_step: int,
                       now: dt.datetime, message_id: str = "", subject: str = "",
                       channel: str = "", definition: dict[str, Any] | None = None,
                       prospect_timezone: str | None = None,
                       workspace_timezone: str | None = None) -> Enrollment:
    """After ``done_step``: schedule the next agent step, or complete and hand off to a rep.

    The agent runs exactly the early agent-owned steps: the first rep-owned step ends the
    enrollment (``completed``) and becomes a handoff in the rep's queue.
    """
    enrollment = session.get(Enrollment, enrollment_id)
    assert enrollment is not None
    if enrollment.next_step != done_step or enrollment.state != "active":
        return enrollment  # moved by someone else (a reply, an opt-out): leave it
    if channel == "email" and message_id and not enrollment.thread_message_id:
        enrollment.thread_message_id, enrollment.thread_subject = message_id, subject
    if definition is None:
        playbook = session.get(Playbook, enrollment.playbook_id)
        assert playbook is not None
        definition = playbook.definition
        prospect = session.get(Prospect, enrollment.prospect_id)
        workspace = session.get(Workspace, enrollment.workspace_id)
        prospect_timezone = prospect.timezone if prospect else None
        workspace_timezone = str((workspace.settings if workspace else {}).get("timezone")
                                 or "") or None
    spec = PlaybookSpec.model_validate(definition)
    nxt = done_step + 1
    enrollment.updated_at = now
    if nxt > len(spec.steps):
        enrollment.state, enrollment.next_due_at, enrollment.stop_reason = (
            "completed", None, "cadence_finished")
    elif spec.step(nxt).owner == "rep":
        enrollment.state, enrollment.next_due_at, enrollment.stop_reason = (
            "completed", None, "handed_to_rep")
        step = spec.step(nxt)
        handoff = Handoff(workspace_id=enrollment.workspace_id,
                          prospect_id=enrollment.prospect_id, enrollment_id=enrollment.id,
                          intent="cadence_handoff", priority=0,
                          summary=f"The agent finished its {done_step} touches without a reply; "
                                  f"step {nxt} ({step.channel}"
                                  f"{': ' + step.name if step.name else ''}) is yours.",
                          fields={"next_step": nxt, "channel": step.channel, "day": step.day})
        session.add(handoff)
        session.flush()
        record_event(session=session, kind="handoff.created",
                     workspace_id=enrollment.workspace_id, subject_type="handoff",
                     subject_id=handoff.id, reason="first rep-owned step",
                     enrollment_id=enrollment.id)
    else:
        zone = zone_for(spec, prospect_timezone, workspace_timezone)
        enrollment.next_step = nxt
        enrollment.next_due_at = step_due_at(spec=spec, step=spec.step(nxt),
                                             started_at=enrollment.started_at, zone=zone,
                                             key=f"{enrollment.prospect_id}:{nxt}", now=now)
    session.add(enrollment)
    record_event(session=session, kind="enrollment.advanced",
                 workspace_id=enrollment.workspace_id, subject_type="enrollment",
                 subject_id=enrollment.id, done_step=done_step, state=enrollment.state,
                 next_step=enrollment.next_step,
                 next_due_at=enrollment.next_due_at.isoformat() if enrollment.next_due_at
                 else None)
    return enrollment
