"""What a touch needs to know, read from the database in one place.

The graph keeps this as plain JSON-able data in its state (no ORM objects, no pydantic models:
checkpoints must deserialize in another process and another version).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlmodel import Session, col

from cadenza.errors import NotFoundError
from cadenza.playbooks import PlaybookSpec, stored_spec
from cadenza.states import REACHED, TouchState
from cadenza.store.models import (
    Enrollment,
    Fact,
    Mailbox,
    Playbook,
    Prospect,
    Touch,
    Workspace,
)


@dataclass(frozen=True)
class TouchContext:
    """One touch's inputs: who, what step, what came before."""

    touch_id: int
    workspace_id: int
    enrollment_id: int
    step: int
    channel: str
    owner: str
    template: str | None
    prospect: dict[str, Any]
    prospect_row_id: int
    email: str
    sender: dict[str, Any]
    mailbox_id: int | None
    playbook: dict[str, Any]
    previous_subject: str | None
    previous_fact_ids: list[str]
    mailed_fact_ids: list[str]  # of the emails sent: a note may say it wrote about one
    thread_message_ids: list[str]
    emailed_before: bool
    policy: dict[str, Any]
    attempt: int = 1  # the delivery attempt of this step (above 1 after a soft bounce)
    variant: str = ""  # the step's A/B variant this touch runs ("" for a plain step)
    subject_style: str = "template"  # the (variant's) subject style
    #: the bodies of the sequence's earlier touches: no sentence of theirs is said again
    previous_bodies: list[str] = field(default_factory=list)


def _record(p: Any, facts: Sequence[Any]) -> dict[str, Any]:
    """The prospect in the public input format, facts included (what drafters consume)."""
    return {
        "id": p.external_id or str(p.id), "email": p.email,
        "first_name": p.first_name or None, "last_name": p.last_name or None,
        "title": p.title or None, "company": p.company or None,
        "company_domain": p.company_domain or None, "industry": p.industry or None,
        "company_size": p.company_size, "country": p.country or None,
        "timezone": p.timezone or None, "linkedin_url": p.linkedin_url or None,
        "language": p.language or None,
        "facts": [{"id": key, "kind": kind, "text": text,
                   "date": date.isoformat() if isinstance(date, dt.date) else None,
                   "source": source or None} for key, kind, text, date, source in facts],
    }


# The per-touch reads, built once: constructing a SQLAlchemy statement costs several times
# what SQLite takes to run it, and these run for every touch.
_PROSPECT_FIELDS = ("id", "external_id", "email", "first_name", "last_name", "title", "company",
                   "company_domain", "industry", "company_size", "country", "timezone",
                   "linkedin_url", "language")
_PROSPECT_COLUMNS = tuple(col(getattr(Prospect, name)) for name in _PROSPECT_FIELDS)
_ROW = (select(col(Touch.step), col(Touch.workspace_id), col(Enrollment.id),
               col(Enrollment.mailbox_id), col(Workspace.sender), col(Workspace.settings),
               col(Playbook.id), col(Playbook.content_hash), col(Mailbox.email),
               col(Touch.attempt), col(Touch.variant), *_PROSPECT_COLUMNS)
        .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
        .join(Prospect, col(Prospect.id) == Touch.prospect_id)
        .join(Workspace, col(Workspace.id) == Touch.workspace_id)
        .join(Playbook, col(Playbook.id) == Enrollment.playbook_id)
        .outerjoin(Mailbox, col(Mailbox.id) == Enrollment.mailbox_id)
        .where(col(Touch.id) == bindparam("touch_id")))
_FACTS = (select(col(Fact.key), col(Fact.kind), col(Fact.text), col(Fact.date), col(Fact.source))
          .where(col(Fact.prospect_id) == bindparam("prospect_id")).order_by(col(Fact.id)))
#: Earlier touches that reached the prospect: a sent email, or a LinkedIn note or call a
#: person was given (its facts count as used, so a later email leads with another one).
_EARLIER = (select(col(Touch.channel), col(Touch.state), col(Touch.subject),
                   col(Touch.message_id), col(Touch.fact_ids), col(Touch.body))
            .where(col(Touch.enrollment_id) == bindparam("enrollment_id"),
                   col(Touch.step) < bindparam("step"), col(Touch.state).in_(sorted(REACHED)))
            .order_by(col(Touch.step)))
_DEFINITION = select(col(Playbook.definition)).where(col(Playbook.id) == bindparam("id"))


def load_touch_context(session: Session, touch_id: int) -> TouchContext:
    """Read everything one touch needs; raises NotFoundError when the touch is gone.

    One joined read for the rows, one for the facts, and one for the earlier touches when
    there can be any: this runs for every touch, so its statement count is its cost.
    """
    conn = session.connection()
    row = conn.execute(_ROW, {"touch_id": touch_id}).first()
    if row is None:
        if session.get(Touch, touch_id) is None:
            raise NotFoundError(f"touch {touch_id} does not exist")
        raise NotFoundError(f"touch {touch_id} lost its enrollment, prospect, workspace or "
                            "playbook")
    (step_number, workspace_id, enrollment_id, mailbox_id, sender_data, settings,
     playbook_id, content_hash, mailbox_email, attempt, variant) = row[:11]
    prospect = SimpleNamespace(**dict(zip(_PROSPECT_FIELDS, row[11:], strict=True)))
    definition, spec = _playbook(conn, playbook_id, content_hash)
    step = spec.step_as(step_number, variant or "")  # the A/B variant recorded on the touch
    earlier = conn.execute(_EARLIER, {"enrollment_id": enrollment_id,
                                      "step": step_number}).all() if step_number > 1 else []
    emails = [t for t in earlier if t.channel == "email" and t.state == TouchState.SENT]
    fact_ids = [f for t in earlier for f in (t.fact_ids or [])]
    sender = dict(sender_data or {})
    if mailbox_email is not None and not sender.get("sender", {}).get("email"):
        sender["sender"] = {**sender.get("sender", {}), "email": mailbox_email}
    facts = conn.execute(_FACTS, {"prospect_id": prospect.id}).all()
    return TouchContext(
        touch_id=touch_id, workspace_id=workspace_id, enrollment_id=enrollment_id,
        step=step_number, channel=step.channel, owner=step.owner, template=step.template,
        prospect=_record(prospect, facts), prospect_row_id=prospect.id,
        email=prospect.email, sender=sender, mailbox_id=mailbox_id,
        playbook=definition,
        previous_subject=emails[0].subject if emails else None,
        previous_fact_ids=fact_ids,
        mailed_fact_ids=[f for t in emails for f in (t.fact_ids or [])],
        previous_bodies=[t.body for t in earlier if t.body],
        thread_message_ids=[t.message_id for t in emails if t.message_id],
        emailed_before=bool(emails),
        policy=dict(settings or {}),
        attempt=attempt or 1,
        variant=variant or "",
        subject_style=step.subject_style,
    )


_DEFINITIONS: dict[tuple[int, str], dict[str, Any]] = {}


def _playbook(conn: Connection, playbook_id: int,
              content_hash: str) -> tuple[dict[str, Any], PlaybookSpec]:
    """The playbook's definition, read once per process (a playbook row is immutable: a
    changed definition is a new row with a new content hash), and its parse. The definition
    is shared by every touch of the playbook: read-only, like the rest of the context."""
    key = (playbook_id, content_hash)
    definition = _DEFINITIONS.get(key)
    if definition is None:
        if len(_DEFINITIONS) > 256:
            _DEFINITIONS.clear()
        definition = _DEFINITIONS[key] = conn.execute(
            _DEFINITION, {"id": playbook_id}).scalar_one()
    return definition, stored_spec(definition)
