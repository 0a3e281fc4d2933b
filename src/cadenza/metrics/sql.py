"""The statements behind the metrics: one scan of the touches, and the rarer rows.

The *reach scan* reads the cohort's touches once, through a covering index in enrollment order,
and returns one compact row per reached enrollment (day, playbook, state, a bit mask of the
steps reached, the variants they ran); the *enrollment cube* counts enrollments per day,
playbook and state; the *other touches* are the few the scan skips (retries after a soft
bounce, refusals by the server), each found by a partial index; the *signals* — replies,
opt-out clicks and outcomes, each attributed to a touch, with the touch's context — are a reply
per ten or twenty prospects. Python folds these into whichever dimensions were asked for
(:mod:`cadenza.metrics.compute`), so the dashboard's views cost one pass, not one each.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Select,
    String,
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

#: Any SELECT these functions build (their columns are read by label).
Query = Select[*tuple[Any, ...]]
REACHED_STATES = sorted(REACHED)
SENT_STATES = ["sent", "sending"]
#: Replies whose meaning is settled (by the classifier or a person's triage decision).
READ_STATES = [ReplyState.PROCESSED.value, ReplyState.TRIAGE.value]
#: Machine replies that never count as replies, and carry nothing the metrics use.
SILENT_INTENTS = ["out_of_office", "auto_reply", ""]
#: Extra grouping columns, read from the prospect or the enrollment, per dimension.
PROSPECT_DIMENSIONS = frozenset({"language", "industry", "company_size", "country"})


def day_of(column: Any, dialect: str, hourly: bool = False) -> ColumnElement[Any]:
    """The UTC day (``YYYY-MM-DD``) of an instant: the cohort's grain (weeks are folded from
    days in Python, which costs nothing; SQLite's date() per row would not); ``hourly``: its
    hour (``YYYY-MM-DD HH``), the grain of the dashboard's rollup."""
    if dialect == "sqlite":  # stored as "YYYY-MM-DD HH:MM:SS…" in UTC
        return func.substr(column, 1, 13 if hourly else 10)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24" if hourly
                        else "YYYY-MM-DD")


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


def cohort_ids(q: MetricsQuery, playbook_ids: list[int] | None) -> Query:
    """The lowest and highest enrollment id of the cohort: the range of the touch index the
    reach scan reads (ids grow with time, so a period is one stretch of it)."""
    return select(func.min(col(Enrollment.id)), func.max(col(Enrollment.id))).where(
        *in_cohort(q, playbook_ids))


def cohort_members(q: MetricsQuery, playbook_ids: list[int] | None) -> Query:
    """The cohort's enrollment ids (found through ``ix_enrollment_cohort``): how a short
    period reads its touches when the id range of its enrollments is not short."""
    return select(col(Enrollment.id)).where(*in_cohort(q, playbook_ids))


def _keys(q: MetricsQuery, dialect: str) -> list[Any]:
    keys = [day_of(col(Enrollment.started_at), dialect, q.hourly).label("day"),
            col(Enrollment.playbook_id).label("playbook_id")]
    extra = extra_key(q.by)
    if extra is not None:
        keys.append(extra.label("extra"))
    return keys


def _with_prospect(stmt: Query, q: MetricsQuery) -> Query:
    if q.by in PROSPECT_DIMENSIONS:
        return stmt.join(Prospect, col(Prospect.id) == Enrollment.prospect_id)
    return stmt


def reach_rows(q: MetricsQuery, playbook_ids: list[int] | None, dialect: str, low: int,
               high: int, *, short: bool = False) -> Query:
    """One row per enrollment of the cohort that a touch reached: its day, playbook, state,
    the steps reached (a bit mask: the first attempt of a step is the one that reaches or not),
    the variants they ran (``2:b,4:a``), its id and its first email's time. One scan of the
    touch index in enrollment order; the rows are counted in Python (cheaper than a GROUP BY
    that sorts them), and the few enrollments a signal names keep their mask and first send.
    A ``short`` period reads the touches of its members alone (the rollup's edge days)."""
    reached = and_(col(Touch.workspace_id) == q.workspace_id,
                   col(Touch.enrollment_id) >= low, col(Touch.enrollment_id) <= high,
                   col(Touch.attempt) == 1, col(Touch.state).in_(REACHED_STATES))
    if short:
        reached = and_(reached, col(Touch.enrollment_id).in_(cohort_members(q, playbook_ids)))
    token = case((col(Touch.variant) != "",
                  cast(col(Touch.step), String).concat(":").concat(col(Touch.variant))),
                 else_=null())
    joined = (func.group_concat(token, ",") if dialect == "sqlite"
              else func.string_agg(token, ","))
    bit = cast(literal(1), BigInteger).op("<<")(col(Touch.step))
    per = (select(col(Touch.enrollment_id).label("enrollment_id"),
                  func.sum(bit).label("mask"), joined.label("variants"),
                  func.min(col(Touch.sent_at)).label("first_sent"))
           .where(reached).group_by(col(Touch.enrollment_id)).subquery("reach"))
    day, playbook, *extra = _keys(q, dialect)  # the extra column last: rows are unpacked
    stmt = (select(day, playbook, col(Enrollment.state).label("state"), per.c.mask,
                   per.c.variants, per.c.enrollment_id, per.c.first_sent, *extra)
            .select_from(per).join(Enrollment, col(Enrollment.id) == per.c.enrollment_id))
    return _with_prospect(stmt, q).where(*in_cohort(q, playbook_ids))


def enrollment_cube(q: MetricsQuery, playbook_ids: list[int] | None,
                    dialect: str) -> Query:
    """Enrollments per day, playbook and state (and the dimension's column)."""
    keys = [*_keys(q, dialect), col(Enrollment.state).label("state")]
    stmt = select(*keys, func.count().label("n")).select_from(Enrollment)
    return _with_prospect(stmt, q).where(*in_cohort(q, playbook_ids)).group_by(*keys)


def other_touches(q: MetricsQuery, playbook_ids: list[int] | None, dialect: str,
                  which: str) -> Query:
    """The rare touches the reach scan does not see: later delivery attempts that went out
    (``resent``: a soft bounce's retry) and emails the server refused (``refused``), per day,
    playbook, step, variant and channel. Each read by its own partial index."""
    if which == "resent":
        cond = and_(col(Touch.attempt) > 1, col(Touch.state).in_(SENT_STATES))
    else:
        cond = and_(col(Touch.state) == "failed", col(Touch.reason).like("smtp:%"))
    keys = [*_keys(q, dialect), col(Touch.step).label("step"),
            col(Touch.variant).label("variant"), col(Touch.channel).label("channel")]
    stmt = (select(*keys, func.count().label("n")).select_from(Touch)
            .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id))
    return (_with_prospect(stmt, q)
            .where(col(Touch.workspace_id) == q.workspace_id, cond,
                   *in_cohort(q, playbook_ids)).group_by(*keys))


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


def signals(q: MetricsQuery, playbook_ids: list[int] | None, dialect: str, *,
            short: bool = False) -> Query:
    """Every reply (but absences and auto-replies), opt-out click and outcome credited to a
    touch of the cohort, with the touch's and the enrollment's context.

    A ``short`` period reads only the replies, clicks and outcomes that point at a touch of
    its members (and the replies that point at none): far fewer than the workspace's; the
    join below still decides which count, so the answer is the same."""
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
    outcomes: Query = select(
        col(Outcome.touch_id).label("touch_id"), col(Outcome.id).label("ref_id"),
        literal("outcome:").concat(col(Outcome.kind)).label("kind"),
        col(Outcome.recorded_at).label("at"), col(Outcome.amount).label("amount"))
    outcomes = outcomes.where(col(Outcome.workspace_id) == q.workspace_id,
                              col(Outcome.touch_id).is_not(None))
    if short:
        ours = select(col(Touch.id)).where(
            col(Touch.workspace_id) == q.workspace_id,
            col(Touch.enrollment_id).in_(cohort_members(q, playbook_ids)))
        replies = replies.where(or_(col(Reply.touch_id).in_(ours),
                                    col(Reply.touch_id).is_(None)))
        clicks = clicks.where(col(Event.subject_id).in_(ours))
        outcomes = outcomes.where(col(Outcome.touch_id).in_(ours))
    found = union_all(replies, clicks, outcomes).subquery("found")
    return (select(found.c.kind, found.c.ref_id, found.c.at, found.c.amount,
                   col(Touch.id).label("touch_id"), col(Touch.step).label("step"),
                   col(Touch.variant).label("variant"), col(Touch.channel).label("channel"),
                   col(Touch.sent_at).label("touch_sent_at"),
                   col(Enrollment.id).label("enrollment_id"),
                   col(Enrollment.state).label("state"),
                   col(Enrollment.playbook_id).label("playbook_id"),
                   col(Enrollment.mailbox_id).label("mailbox_id"),
                   day_of(col(Enrollment.started_at), dialect, q.hourly).label("day"),
                   func.lower(col(Prospect.language)).label("language"),
                   func.lower(func.trim(col(Prospect.industry))).label("industry"),
                   size_band(col(Prospect.company_size)).label("company_size"),
                   func.upper(func.trim(col(Prospect.country))).label("country"))
            .select_from(found)
            .join(Touch, col(Touch.id) == found.c.touch_id)
            .join(Enrollment, col(Enrollment.id) == Touch.enrollment_id)
            .join(Prospect, col(Prospect.id) == Enrollment.prospect_id)
            .where(*in_cohort(q, playbook_ids)))


def handoffs_from_replies(workspace_id: int, reply_ids: list[int]) -> Query:
    """The handoffs those replies led to (the end-of-cadence handoff is not a reply's)."""
    return (select(col(Handoff.reply_id), col(Handoff.created_at), col(Handoff.routed_at),
                   col(Handoff.accepted_at), col(Handoff.contacted_at))
            .where(col(Handoff.workspace_id) == workspace_id,
                   col(Handoff.reply_id).in_(reply_ids)))
