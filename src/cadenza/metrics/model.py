"""What the metrics are, in words and as data: the dimensions, the query, one table row.

The definitions (README "Metrics" says the same for people):

- **cohort**: the enrollments that *started* in ``[since, until)``; what they led to counts
  whenever it happened, so a week's figures grow as late replies arrive and never mix two
  weeks' prospects.
- **enrolled**: enrollments in the cohort. **touched**: enrollments a touch reached (an email
  handed to the server, a LinkedIn or call task given to a person); at a step, those reached at
  that step. Every rate below is over *touched*.
- **completed**: enrollments that got every agent step. **completion rate**: completed ÷ the
  ended enrollments the prospect did not stop themselves (a reply or an opt-out ends a cadence
  on purpose); enrollments still running are in neither.
- **sent / delivered / bounced** count touches (every delivery attempt): sent = emails handed
  to the server or refused by it; bounced = a bounce report threaded to the touch, or a
  refusal; delivered = sent − bounced.
- **replied**: a person's reply — out-of-office notices, auto-replies and bounces never count.
  A reply counts for the step it answered (its thread), else for the last step sent to the
  prospect before it arrived. **positive**: interested, meeting request, question.
- **opted out**: an unsubscribe reply or the unsubscribe link. **handoff**: a reply that went
  to a rep. **meetings / opportunities / disqualified**: outcomes reported back (by a rep, a
  CRM import, a calendar invite or a booking page), credited to the touch the prospect
  answered, else the last one sent. At a step (and a variant) a reply or an outcome counts
  only when that step reached the prospect: one threaded to a touch the server refused counts
  for the enrollment, not for the step, so a step's successes are always among its touched.
- **dropped** (per step): ended enrollments whose last step was this one, without completing.
- **times** (medians, minutes): first touch → first reply; reply → handoff; handoff → rep
  accepts; accept → first contact.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, Field

Dimension = Literal["workspace", "playbook", "step", "channel", "variant", "mailbox", "rep",
                    "language", "industry", "company_size", "country", "week"]
DIMENSIONS: tuple[str, ...] = get_args(Dimension)
#: Dimensions read from the touch (a prospect appears once per step they reached).
TOUCH_DIMENSIONS = frozenset({"step", "channel", "variant"})
#: Company-size bands (employees), the segments agencies report.
SIZE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (1, 10, "1-10"), (11, 50, "11-50"), (51, 200, "51-200"), (201, 1000, "201-1000"),
    (1001, 5000, "1001-5000"), (5001, None, "5001+"))
UNKNOWN = "(unknown)"

#: A person's reply that asks for more: what a rep is handed.
POSITIVE_INTENTS = frozenset({"interested", "meeting_request", "question"})


class MetricsQuery(BaseModel):
    """One table: a dimension over a period, optionally narrowed to one playbook."""

    workspace_id: int
    since: dt.datetime
    until: dt.datetime
    by: Dimension = "workspace"
    playbook: str | None = None
    #: name the cohort's hours (``YYYY-MM-DD HH``) where rows name its days: the rollup's grain
    hourly: bool = False


class MetricsRow(BaseModel):
    """One group's figures (``None`` where a figure does not apply to the dimension)."""

    key: str
    enrolled: int | None = None
    touched: int = 0
    completed: int | None = None
    completion_rate: float | None = None
    sent: int = 0
    delivered: int = 0
    bounced: int = 0
    bounce_rate: float | None = None
    replied: int = 0
    reply_rate: float | None = None
    positive: int = 0
    positive_reply_rate: float | None = None
    meetings: int = 0
    meeting_rate: float | None = None
    opportunities: int = 0
    opportunity_rate: float | None = None
    pipeline: float = 0.0
    disqualified: int = 0
    handoffs: int = 0
    handoff_rate: float | None = None
    opt_outs: int = 0
    opt_out_rate: float | None = None
    dropped: int | None = None
    drop_off_rate: float | None = None
    first_reply_minutes_p50: float | None = None
    reply_to_handoff_minutes_p50: float | None = None
    handoff_to_accept_minutes_p50: float | None = None
    accept_to_contact_minutes_p50: float | None = None


class MetricsTable(BaseModel):
    """A dimension's rows, with the cohort they cover and the whole cohort's totals."""

    by: Dimension
    since: dt.datetime
    until: dt.datetime
    playbook: str | None = None
    rows: list[MetricsRow] = Field(default_factory=list)
    total: MetricsRow


#: The CSV columns, in the order a spreadsheet shows them.
COLUMNS: tuple[str, ...] = tuple(MetricsRow.model_fields)
