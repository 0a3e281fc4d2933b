"""What came of the cadence: the outcomes reps report, and the A/B winners operators promote.

Two tables beside :mod:`cadenza.store.models` (which holds the pipeline's own tables):

- :class:`Outcome` — one row per prospect and kind (``meeting_booked``, ``opportunity``,
  ``disqualified``): a later report of the same kind updates it (a meeting moved, an amount
  revised), so rates count prospects, not clicks. ``touch_id`` is the touch the outcome is
  credited to, fixed when it is recorded (the step the prospect's reply answered, else the
  last step sent), so the metrics need no history walk to attribute it.
- :class:`VariantWinner` — the variant an operator promoted for one step of a playbook; new
  touches of that step use it. Who and when is also in the event log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from cadenza.store.events import record_event
from cadenza.store.models import utcnow

OUTCOME_KINDS: tuple[str, ...] = ("meeting_booked", "opportunity", "disqualified")


class Outcome(SQLModel, table=True):
    """A result a rep (or a calendar invite, a booking page, a CRM export) reports."""

    __table_args__ = (UniqueConstraint("workspace_id", "prospect_id", "kind"),
                      Index("ix_outcome_touch", "touch_id"))

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    prospect_id: int = Field(foreign_key="prospect.id")
    kind: str
    handoff_id: int | None = Field(default=None, foreign_key="handoff.id")
    touch_id: int | None = Field(default=None, foreign_key="touch.id")
    meeting_at: dt.datetime | None = None
    amount: float | None = None
    currency: str = ""
    reason: str = ""
    #: ``rep``, ``api``, ``import``, ``ics`` or ``booking``: how it reached Cadenza.
    source: str = ""
    recorded_by: str = ""
    external_ref: str = ""
    recorded_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class VariantWinner(SQLModel, table=True):
    """The promoted variant of one step of a playbook (by name: every stored version of it)."""

    __table_args__ = (UniqueConstraint("workspace_id", "playbook", "step"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    playbook: str
    step: int
    variant: str
    promoted_by: str = ""
    promoted_at: dt.datetime = Field(default_factory=utcnow)


def winner_of(session: Session, *, workspace_id: int, playbook: str, step: int) -> str | None:
    """The promoted variant of the step, or None while the test runs."""
    return session.exec(select(VariantWinner.variant).where(
        VariantWinner.workspace_id == workspace_id, VariantWinner.playbook == playbook,
        VariantWinner.step == step)).first()


def winners(session: Session, *, workspace_id: int) -> dict[tuple[str, int], VariantWinner]:
    """Every promotion of the workspace by (playbook, step)."""
    return {(w.playbook, w.step): w for w in session.exec(
        select(VariantWinner).where(VariantWinner.workspace_id == workspace_id)
        .order_by(col(VariantWinner.id)))}


def set_winner(session: Session, *, workspace_id: int, playbook: str, step: int, variant: str,
               by: str, now: dt.datetime, evidence: dict[str, object] | None = None,
               ) -> VariantWinner:
    """Store the promotion (replacing an earlier one of the step) and log who and when."""
    row = session.exec(select(VariantWinner).where(
        VariantWinner.workspace_id == workspace_id, VariantWinner.playbook == playbook,
        VariantWinner.step == step)).first()
    previous = row.variant if row is not None else None
    if row is None:
        row = VariantWinner(workspace_id=workspace_id, playbook=playbook, step=step,
                            variant=variant)
    row.variant, row.promoted_by, row.promoted_at = variant, by, now
    session.add(row)
    session.flush()
    record_event(session=session, kind="variant.promoted", workspace_id=workspace_id,
                 subject_type="variant_winner", subject_id=row.id, playbook=playbook,
                 step=step, variant=variant, previous=previous, by=by, at=now.isoformat(),
                 evidence=evidence or {})
    return row
