"""What a touch needs to know, read from the database in one place.

The graph keeps this as plain JSON-able data in its state (no ORM objects, no pydantic models:
checkpoints must deserialize in another process and another version).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from cadenza.errors import NotFoundError
from cadenza.playbooks import PlaybookSpec
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
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
    thread_message_ids: list[str]
    emailed_before: bool
    policy: dict[str, Any]

    def prospect_record(self) -> ProspectIn:
        return ProspectIn.model_validate(self.prospect)

    def sender_profile(self) -> SenderProfile:
        return SenderProfile.model_validate(self.sender)

    def playbook_spec(self) -> PlaybookSpec:
        return PlaybookSpec.model_validate(self.playbook)


def prospect_record(session: Session, prospect: Prospect) -> dict[str, Any]:
    """The prospect in the public input format, facts included (what drafters consume)."""
    facts = session.exec(select(Fact).where(Fact.prospect_id == prospect.id)
                         .order_by(col(Fact.id))).all()
    return {
        "id": prospect.external_id or str(prospect.id), "email": prospect.email,
        "first_name": prospect.first_name or None, "last_name": prospect.last_name or None,
        "title": prospect.title or None, "company": prospect.company or None,
        "company_domain": prospect.company_domain or None, "industry": prospect.industry or None,
        "company_size": prospect.company_size, "country": prospect.country or None,
        "timezone": prospect.timezone or None, "linkedin_url": prospect.linkedin_url or None,
        "language": prospect.language or None,
        "facts": [{"id": f.key, "kind": f.kind, "text": f.text,
                   "date": f.date.isoformat() if isinstance(f.date, dt.date) else None,
                   "source": f.source or None} for f in facts],
    }


def load_touch_context(session: Session, touch_id: int) -> TouchContext:
    """Read everything one touch needs; raises NotFoundError when the touch is gone."""
    touch = session.get(Touch, touch_id)
    if touch is None:
        raise NotFoundError(f"touch {touch_id} does not exist")
    enrollment = session.get(Enrollment, touch.enrollment_id)
    prospect = session.get(Prospect, touch.prospect_id)
    workspace = session.get(Workspace, touch.workspace_id)
    if enrollment is None or prospect is None or workspace is None:
        raise NotFoundError(f"touch {touch_id} lost its enrollment, prospect or workspace")
    playbook = session.get(Playbook, enrollment.playbook_id)
    if playbook is None:
        raise NotFoundError(f"enrollment {enrollment.id} lost its playbook")
    spec = PlaybookSpec.model_validate(playbook.definition)
    step = spec.step(touch.step)
    earlier = session.exec(select(Touch).where(
        Touch.enrollment_id == enrollment.id, col(Touch.step) < touch.step,
        Touch.state == "sent").order_by(col(Touch.step))).all()
    emails = [t for t in earlier if t.channel == "email"]
    fact_ids = [f for t in earlier for f in t.fact_ids]
    sender = dict(workspace.sender)
    mailbox = session.get(Mailbox, enrollment.mailbox_id) if enrollment.mailbox_id else None
    if mailbox is not None and not sender.get("sender", {}).get("email"):
        sender.setdefault("sender", {})["email"] = mailbox.email
    return TouchContext(
        touch_id=touch_id, workspace_id=workspace.id or 0, enrollment_id=enrollment.id or 0,
        step=touch.step, channel=step.channel, owner=step.owner, template=step.template,
        prospect=prospect_record(session, prospect), prospect_row_id=prospect.id or 0,
        email=prospect.email, sender=sender, mailbox_id=enrollment.mailbox_id,
        playbook=playbook.definition,
        previous_subject=emails[0].subject if emails else None,
        previous_fact_ids=fact_ids,
        thread_message_ids=[t.message_id for t in emails if t.message_id],
        emailed_before=bool(emails),
        policy=dict(workspace.settings or {}),
    )
