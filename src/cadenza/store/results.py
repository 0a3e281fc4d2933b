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
from typing import Any

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, Session, SQLModel, col, select

from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Handoff, Reply, Touch, utcnow

OUTCOME_KINDS: tuple[str, ...] = ("meeting_booked", "opportunity", "disqualified")


def _where(condition: str) -> dict[str, Any]:
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


_touch = Touch.__table__.c  # type: ignore[attr-defined]
_enrollment = Enrollment.__table__.c  # type: ignore[attr-defined]
_handoff = Handoff.__table__.c  # type: ignore[attr-defined]
#: The metrics' indexes (migration m16b), declared on the pipeline's tables: the reach scan
#: reads the cohort's touches through a covering index in enrollment order, its rare rows
#: (retries after a soft bounce, refusals by the server) through two partial indexes, the
#: cohort through its enrollments' start, and a reply's handoff by the reply.
METRICS_INDEXES = (
    Index("ix_touch_reach", _touch.workspace_id, _touch.enrollment_id, _touch.attempt,
          _touch.state, _touch.step, _touch.variant, _touch.sent_at),
    Index("ix_touch_later_attempts", _touch.workspace_id, **_where("attempt > 1")),
    Index("ix_touch_failed", _touch.workspace_id, **_where("state = 'failed'")),
    Index("ix_enrollment_cohort", _enrollment.workspace_id, _enrollment.started_at,
          _enrollment.playbook_id, _enrollment.state),
    Index("ix_handoff_reply", _handoff.reply_id),
)


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


def credited_touch(session: Session, *, prospect_id: int, reply_id: int | None,
                   at: dt.datetime) -> int | None:
    """The touch an outcome is credited to: the one the prospect's reply answered (its thread,
    else the last touch sent before the reply), else the last touch sent before ``at``."""
    reply = session.get(Reply, reply_id) if reply_id is not None else None
    if reply is not None and reply.touch_id is not None:
        return reply.touch_id
    before = reply.received_at if reply is not None else at
    return session.exec(select(Touch.id).where(
        Touch.prospect_id == prospect_id, col(Touch.sent_at).is_not(None),
        col(Touch.sent_at) <= before).order_by(col(Touch.sent_at).desc(),
                                               col(Touch.id).desc())).first()


def upsert_outcome(session: Session, *, workspace_id: int, prospect_id: int, kind: str,
                   now: dt.datetime, source: str, by: str, handoff_id: int | None = None,
                   reply_id: int | None = None, meeting_at: dt.datetime | None = None,
                   amount: float | None = None, currency: str = "", reason: str = "",
                   external_ref: str = "", if_missing: bool = False) -> tuple[Outcome, bool]:
    """Record (or update) the prospect's outcome of ``kind``; returns it and whether it is new.

    A later report fills or replaces what it states (a moved meeting, a revised amount) and
    leaves the rest: the ticket's "meeting booked" button after a calendar invite keeps the
    invite's date. The credited touch is fixed by the first report. ``if_missing``: only make
    sure the outcome exists (a ticket moved to ``meeting_booked`` with no other detail).
    """
    if kind not in OUTCOME_KINDS:
        raise ValueError(f"outcome {kind!r} is not one of {', '.join(OUTCOME_KINDS)}")
    row = session.exec(select(Outcome).where(
        Outcome.workspace_id == workspace_id, Outcome.prospect_id == prospect_id,
        Outcome.kind == kind)).first()
    new = row is None
    if row is not None and if_missing:
        return row, False
    if row is None:
        row = Outcome(workspace_id=workspace_id, prospect_id=prospect_id, kind=kind,
                      source=source, recorded_by=by, recorded_at=now,
                      touch_id=credited_touch(session, prospect_id=prospect_id,
                                              reply_id=reply_id, at=now))
    for name, value in (("handoff_id", handoff_id), ("meeting_at", meeting_at),
                        ("amount", amount), ("currency", currency), ("reason", reason),
                        ("external_ref", external_ref)):
        if value not in (None, ""):
            setattr(row, name, value)
    if not new:
        row.source, row.recorded_by = source, by
    row.updated_at = now
    session.add(row)
    session.flush()
    return row, new


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
