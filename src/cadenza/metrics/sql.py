"""The statements behind the metrics: two aggregate scans and one read of the signals.

Everything heavy happens in the database, in statements whose result is small whatever the
history's size: the *touch cube* (touches per week, playbook, step, variant and channel) and the
*enrollment cube* (enrollments per week, playbook, state, steps reached and last step) each
scan the cohort's touches once and return a few hundred rows. The *signals* — replies, opt-out
clicks and outcomes, each attributed to a touch, with that touch's context — are the only rows
read one by one, and there are few of them (a reply per ten or twenty prospects). Python then
folds these into whichever dimension was asked for (:mod:`cadenza.metrics.compute`), so the
dashboard's four views cost one pass, not four.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import col

from cadenza.metrics.model import SIZE_BANDS, MetricsQuery
from cadenza.states import REACHED, ReplyState
from cadenza.store.models import Enrollment, Event, Handoff, Prospect, Reply, Touch
from cadenza.store.results import Outcome

REACHED_STATES = sorted(REACHED)
SENT_STATES = ["sent", "sending"]
#: Replies whose meaning is settled (by the classifier or a person's triage decision).
READ_STATES = [ReplyState.PROCESSED.value, ReplyState.TRIAGE.value]
#: Machine replies that never count as replies, and carry nothing the metrics use.
SILENT_INTENTS = ["out_of_office", "auto_reply", ""]
#: Extra grouping columns, read from the prospect or the enrollment, per dimension.
PROSPECT_DIMENSIONS = frozenset({"language", "industry", "company_size", "country"})


def week_start(column: Any, dialect: str) -> ColumnElement[Any]:
    """The Monday (``YYYY-MM-DD``, UTC) of the week ``column`` falls in."""
    if dialect == "sqlite":
        return func.date(column, "-6 days", "weekday 1")
    return func.to_char(func.date_trunc("week", func.timezone("UTC", column)), "YYYY-MM-DD")


def size_band(column: Any) -> ColumnElement[Any]:
    whens = [(and_(column >= low, column <= high) if high is not None else column >= low,
              literal(label)) for low, high, label in SIZE_BANDS]
    return case(*whens, else_=literal(""))


def extra_key(by: str) -> ColumnElement[Any] | None:
    """The grouping column a dimension adds to the cubes (None: week and playbook suffice)."""
    if by == "mailbox":
        return func.coalesce(col(Enrollment.mailbox_id), 0)
    if by == "language":
        return func.lower(col(Prospect.language))
    if by == "industry":
        return func.lower(func.trim(col(Prospect.industry)))
    if by == "company_size":
        return size_band(col(Prospect.company_size))
    if by == "country":
        return func.upper(func.trim(col(Prospect.country)))
    return None


def in_cohort(q: MetricsQuery, playbook_ids: list[int] | None) -> list[ColumnElement[bool]]:
    """The enrollments started in the period (of the named playbook's versions)."""
    where = [col(Enrollment.workspace_id) == q.workspace_id,
             col(Enrollment.started_at) >= q.since, col(Enrollment.started_at) < q.until]
    if playbook_ids is not None:
        where.append(col(Enrollment.playbook_id).in_(playbook_ids))
    return where


def touch_cube(q: MetricsQuery, playbook_ids: list[int] | None, dialect: str) -> Select[Any]:
    """Per week, playbook, step, variant, channel (and the dimension's column): steps reached
    (the first attempt of a step is the one that reaches or not), emails sent and refused."""
    first_reached = and_(col(Touch.attempt) == 1, col(Touch.state).in_(REACHED_STATES))
    refused = and_(col(Touch.state) == "failed", col(Touch.reason).like("smtp:%"))
    keys = [week_start(col(Enrollment.started_at), dialect).label("week"),
            col(Enrollment.playbook_id).label("playbook_id"), col(Touch.step).label("step"),
            col(Touch.variant).label("variant"), col(Touch.channel).label("channel")]
    extra = extra_key(q.by)
    if extra is not None:
        keys.append(extra.label("extra"))
    stmt = (select(*keys,
                   func.sum(case((first_reached, 1), else_=0)).label("touched"),
                   func.sum(case((col(Touch.state).in_(SENT_STATES), 1), else_=0))
                   .label("sent"),
                   func.sum(case((refused, 1), else_=0)).label("refused"))
            .select_from(Touch).join(Enrollment, col(Enrollment.id) == Touch.enrollment_id))
    if q.by in PROSPECT_DIMENSIONS:
        stmt = stmt.join(Prospect, col(Prospect.id) == Enrollment.prospect_id)
    return stmt.where(*in_cohort(q, playbook_ids)).group_by(*keys)


def enrollment_cube(q: MetricsQuery, playbook_ids: list[int] | None,
                    dialect: str) -> Select[Any]:
    """Per week, playbook, state, steps reached and last step reached (and the dimension's
    column): how many enrollments."""
    first_reached = and_(col(Touch.attempt) == 1, col(Touch.state).in_(REACHED_STATES))
    per_enrollment = (select(col(Touch.enrollment_id).label("enrollment_id"),
                             func.sum(case((first_reached, 1), else_=0)).label("reached"),
                             func.max(case((first_reached, col(Touch.step)), else_=null()))
                             .label("last_step"))
                      .select_from(Touch)
                      .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
                      .where(*in_cohort(q, playbook_ids))
                      .group_by(col(Touch.enrollment_id)).subquery("reach"))
    keys = [week_start(col(Enrollment.started_at), dialect).label("week"),
            col(Enrollment.playbook_id).label("playbook_id"),
            col(Enrollment.state).label("state"),
            func.coalesce(per_enrollment.c.reached, 0).label("reached"),
            per_enrollment.c.last_step.label("last_step")]
    extra = extra_key(q.by)
    if extra is not None:
        keys.append(extra.label("extra"))
    stmt = (select(*keys, func.count().label("n")).select_from(Enrollment)
            .outerjoin(per_enrollment, per_enrollment.c.enrollment_id == Enrollment.id))
    if q.by in PROSPECT_DIMENSIONS:
        stmt = stmt.join(Prospect, col(Prospect.id) == Enrollment.prospect_id)
    return stmt.where(*in_cohort(q, playbook_ids)).group_by(*keys)


def attributed_touch() -> ColumnElement[Any]:
    """The touch a reply answered: its thread's touch, else the last touch sent to the
    prospect before the reply arrived."""
    earlier = aliased(Touch)
    last_sent = (select(col(earlier.id))
                 .where(col(earlier.prospect_id) == col(Reply.prospect_id),
                        col(earlier.sent_at).is_not(None),
                        col(earlier.sent_at) <= Reply.received_at)
                 .order_by(col(earlier.sent_at).desc(), col(earlier.id).desc())
                 .limit(1).correlate(Reply).scalar_subquery())
    return func.coalesce(col(Reply.touch_id), last_sent)


def signals(q: MetricsQuery, playbook_ids: list[int] | None, dialect: str) -> Select[Any]:
    """Every reply (but absences and auto-replies), opt-out click and outcome credited to a
    touch of the cohort, with the touch's and the enrollment's context."""
    replies = (select(attributed_touch().label("touch_id"), col(Reply.id).label("ref_id"),
                      col(Reply.intent).label("kind"), col(Reply.received_at).label("at"),
                      cast(null(), Float).label("amount"))
               .where(col(Reply.workspace_id) == q.workspace_id,
                      col(Reply.state).in_(READ_STATES),
                      col(Reply.intent).not_in(SILENT_INTENTS),
                      or_(col(Reply.touch_id).is_not(None), col(Reply.prospect_id).is_not(None))))
    clicks = (select(col(Event.subject_id).label("touch_id"), col(Event.id).label("ref_id"),
                     literal("optout_link").label("kind"), col(Event.at).label("at"),
                     cast(null(), Float).label("amount"))
              .where(col(Event.workspace_id) == q.workspace_id,
                     col(Event.kind) == "prospect.unsubscribed",
                     col(Event.subject_type) == "touch", col(Event.subject_id).is_not(None)))
    outcomes: Select[*tuple[Any, ...]] = select(
        col(Outcome.touch_id).label("touch_id"), col(Outcome.id).label("ref_id"),
        literal("outcome:").concat(col(Outcome.kind)).label("kind"),
        col(Outcome.recorded_at).label("at"), col(Outcome.amount).label("amount"))
    outcomes = outcomes.where(col(Outcome.workspace_id) == q.workspace_id,
                              col(Outcome.touch_id).is_not(None))
    found = union_all(replies, clicks, outcomes).subquery("found")
    other = aliased(Touch)
    first_sent = (select(func.min(col(other.sent_at)))
                  .where(col(other.enrollment_id) == col(Enrollment.id))
                  .correlate(Enrollment).scalar_subquery())
    reached = (select(func.count()).where(col(other.enrollment_id) == col(Enrollment.id),
                                          col(other.attempt) == 1,
                                          col(other.state).in_(REACHED_STATES))
               .correlate(Enrollment).scalar_subquery())
    return (select(found.c.kind, found.c.ref_id, found.c.at, found.c.amount,
                   col(Touch.id).label("touch_id"), col(Touch.step).label("step"),
                   col(Touch.variant).label("variant"), col(Touch.channel).label("channel"),
                   col(Touch.sent_at).label("touch_sent_at"),
                   col(Enrollment.id).label("enrollment_id"),
                   col(Enrollment.state).label("state"),
                   col(Enrollment.playbook_id).label("playbook_id"),
                   col(Enrollment.mailbox_id).label("mailbox_id"),
                   week_start(col(Enrollment.started_at), dialect).label("week"),
                   func.lower(col(Prospect.language)).label("language"),
                   func.lower(func.trim(col(Prospect.industry))).label("industry"),
                   size_band(col(Prospect.company_size)).label("company_size"),
                   func.upper(func.trim(col(Prospect.country))).label("country"),
                   first_sent.label("first_sent"), reached.label("reached"))
            .select_from(found)
            .join(Touch, col(Touch.id) == found.c.touch_id)
            .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
            .join(Prospect, col(Prospect.id) == Enrollment.prospect_id)
            .where(*in_cohort(q, playbook_ids)))


def handoffs_from_replies(workspace_id: int, reply_ids: list[int]) -> Select[*tuple[Any, ...]]:
    """The handoffs those replies led to (the end-of-cadence handoff is not a reply's)."""
    return (select(col(Handoff.reply_id), col(Handoff.created_at), col(Handoff.routed_at),
                   col(Handoff.accepted_at), col(Handoff.contacted_at))
            .where(col(Handoff.workspace_id) == workspace_id,
                   col(Handoff.reply_id).in_(reply_ids)))
