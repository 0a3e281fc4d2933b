"""Moving an enrollment along its playbook after a touch, or handing it to a rep."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import Update, bindparam, select, update
from sqlmodel import Session, col

from cadenza.agent.variants import chosen_step
from cadenza.playbooks import stored_spec
from cadenza.states import REACHED, EnrollmentState
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Handoff, Playbook, Prospect, Touch, Workspace
from cadenza.timing.send_window import step_due_at, zone_for


def advance_enrollment(session: Session, *, enrollment_id: int, done_step: int,
                       now: dt.datetime, message_id: str = "", subject: str = "",
                       channel: str = "", definition: dict[str, Any] | None = None,
                       prospect_timezone: str | None = None,
                       workspace_timezone: str | None = None,
                       prospect_country: str | None = None) -> str | None:
    """After ``done_step``: schedule the next agent step, or complete and hand off to a rep.

    The agent runs exactly the early agent-owned steps: the first rep-owned step ends the
    enrollment (``completed``) and becomes a handoff in the rep's queue — unless no agent step
    ever reached the prospect (all skipped: a role account, no LinkedIn URL, …): then the
    enrollment ends ``skipped`` with the reasons, and no rep gets a ticket for someone the
    agent never contacted. Returns the
    enrollment's new state, or None when it had moved on (a reply, an opt-out) and was left
    alone. Runs once per touch, so it reads and writes with prebuilt statements, and its
    update is conditional on the step it read.
    """
    session.flush()  # what this session changed so far is part of what is read
    conn = session.connection()
    row = conn.execute(_READ, {"id": enrollment_id}).one()
    if row.next_step != done_step or row.state != "active":
        return None
    values: dict[str, Any] = {"updated_at": now, "claimed_at": None}  # the claim ends here
    if channel == "email" and message_id and not row.thread_message_id:
        values["thread_message_id"], values["thread_subject"] = message_id, subject
    if definition is None:
        definition = conn.execute(select(col(Playbook.definition)).where(
            col(Playbook.id) == row.playbook_id)).scalar_one()
        prospect = session.get(Prospect, row.prospect_id)
        workspace = session.get(Workspace, row.workspace_id)
        prospect_timezone = prospect.timezone if prospect else None
        prospect_country = prospect.country if prospect else None
        workspace_timezone = str((workspace.settings if workspace else {}).get("timezone")
                                 or "") or None
    spec = stored_spec(definition)
    nxt = done_step + 1
    handoff: Handoff | None = None
    ends = nxt > len(spec.steps) or spec.step(nxt).owner == "rep"
    unreached = _unreached(conn, enrollment_id) if ends else None
    if unreached is not None:
        values.update(state=EnrollmentState.SKIPPED, next_due_at=None,
                      stop_reason=f"no agent step reached the prospect: {unreached}"[:500])
    elif nxt > len(spec.steps):
        values.update(state="completed", next_due_at=None, stop_reason="cadence_finished")
    elif spec.step(nxt).owner == "rep":
        values.update(state="completed", next_due_at=None, stop_reason="handed_to_rep")
        step = spec.step(nxt)
        handoff = Handoff(workspace_id=row.workspace_id, prospect_id=row.prospect_id,
                          enrollment_id=enrollment_id, intent="cadence_handoff", priority=0,
                          summary=f"The agent finished its {done_step} touches without a reply; "
                                  f"step {nxt} ({step.channel}"
                                  f"{': ' + step.name if step.name else ''}) is yours.",
                          fields={"next_step": nxt, "channel": step.channel, "day": step.day})
    else:
        zone = zone_for(spec, prospect_timezone, workspace_timezone)
        _, step = chosen_step(session, workspace_id=row.workspace_id, spec=spec, step=nxt,
                              prospect_id=row.prospect_id)  # an A/B variant may move its day
        values.update(next_step=nxt, attempt=1, next_due_at=step_due_at(
            spec=spec, step=step, started_at=row.started_at, zone=zone,
            key=f"{row.prospect_id}:{nxt}", now=now, country=prospect_country or None))
    moved = conn.execute(_move(frozenset(values)),
                         {**values, "enrollment_id": enrollment_id, "done_step": done_step})
    if not moved.rowcount:
        return None  # moved by someone else between the read and the write
    session.expire_all()  # ORM copies of the enrollment in this session are stale now
    if handoff is not None:
        session.add(handoff)
        session.flush()
        record_event(session=session, kind="handoff.created", workspace_id=row.workspace_id,
                     subject_type="handoff", subject_id=handoff.id,
                     reason="first rep-owned step", enrollment_id=enrollment_id,
                     handoff_id=handoff.id, prospect_id=row.prospect_id,
                     intent=handoff.intent, priority=handoff.priority)
    new_state = str(values.get("state", "active"))
    next_due = values.get("next_due_at")
    record_event(session=session, kind="enrollment.advanced", workspace_id=row.workspace_id,
                 subject_type="enrollment", subject_id=enrollment_id, done_step=done_step,
                 state=new_state, next_step=values.get("next_step", done_step),
                 next_due_at=next_due.isoformat() if next_due else None)
    if new_state == EnrollmentState.COMPLETED:
        record_event(session=session, kind="enrollment.completed",
                     workspace_id=row.workspace_id, subject_type="enrollment",
                     subject_id=enrollment_id, enrollment_id=enrollment_id,
                     prospect_id=row.prospect_id, playbook=spec.name,
                     reason=values["stop_reason"], steps_done=done_step,
                     handoff_id=handoff.id if handoff is not None else None)
    return new_state


@functools.lru_cache(maxsize=16)
def _move(columns: frozenset[str]) -> Update:
    """The conditional move for one set of columns, built once (it runs for every touch)."""
    return (update(Enrollment).where(col(Enrollment.id) == bindparam("enrollment_id"),
                                     col(Enrollment.state) == "active",
                                     col(Enrollment.next_step) == bindparam("done_step"))
            .values(**{name: bindparam(name) for name in sorted(columns)}))


def _unreached(conn: Any, enrollment_id: int) -> str | None:
    """The skip reasons when none of the enrollment's touches reached the prospect, else None."""
    rows = conn.execute(_TOUCHES_OF, {"enrollment_id": enrollment_id}).all()
    if any(state in REACHED for state, _ in rows):
        return None
    reasons = sorted({reason or state for state, reason in rows})
    return ", ".join(reasons) or "no touch"


#: Built once: every enrollment that ends asks it.
_TOUCHES_OF = select(col(Touch.state), col(Touch.reason)).where(
    col(Touch.enrollment_id) == bindparam("enrollment_id"))
_READ = select(col(Enrollment.state), col(Enrollment.next_step),
               col(Enrollment.thread_message_id), col(Enrollment.started_at),
               col(Enrollment.prospect_id), col(Enrollment.workspace_id),
               col(Enrollment.playbook_id)).where(col(Enrollment.id) == bindparam("id"))
