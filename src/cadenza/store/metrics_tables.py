"""The dashboard's rollup: a change log the database writes and the per-day partials folded
from it.

Triggers (migration ``m16c_dashboard_rollup``) append a :class:`MetricsChange` row in the same
transaction as every change the dashboard's figures depend on — an enrollment, a touch, a
reply, an outcome, a handoff, an opt-out click, a playbook — naming what changed (its
prospect, enrollment, touch, playbook, or the cohort day it left). The log is append-only for
writers, so the delivery hot path adds one narrow insert and takes no lock another worker
could wait on. :mod:`cadenza.metrics.rollup` consumes it: the cohort days it names are folded
again from the touches and stored per hour as :class:`MetricsPartial` rows, which the
dashboard merges.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class MetricsChange(SQLModel, table=True):
    """One change that may move the figures of some cohort days (every reference may be
    empty; a row with none at all means "every day of the workspace")."""

    __tablename__ = "metrics_change"
    __table_args__ = (Index("ix_metrics_change_workspace", "workspace_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int
    prospect_id: int | None = None
    enrollment_id: int | None = None
    touch_id: int | None = None
    playbook_id: int | None = None
    #: the UTC cohort day (``YYYY-MM-DD``) an enrollment left, with ``playbook_id``
    day: str | None = None


class MetricsPartial(SQLModel, table=True):
    """The folded figures of one cohort hour of one playbook (JSON: the enrollment-level group
    and one group per step, variant and channel; see :mod:`cadenza.metrics.rollup`)."""

    __tablename__ = "metrics_partial"

    workspace_id: int = Field(primary_key=True)
    #: ``YYYY-MM-DD HH`` in UTC: the enrollments that started in that hour
    hour: str = Field(primary_key=True)
    playbook_id: int = Field(primary_key=True)
    payload: str = Field(sa_column=Column(Text, nullable=False))
