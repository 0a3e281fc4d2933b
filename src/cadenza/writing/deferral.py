"""Whether a prospect, as a whole, is a person's to write to rather than the sequence's.

One decision for the batch drafter (``cadenza eval drafts``), the draft loop's judge and the
live touch graph's guard, so that a prospect deferred at step 1 is deferred at every step: a
record dominated by sensitive or private facts (an illness, a death in the family, a layoff),
or saying the prospect is away on leave, is never mined for a later "follow-up" either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cadenza.prospects import ProspectIn
from cadenza.writing.facts import screen_facts

#: The check name a deferred prospect's touches are held under (``check_failed:<this>``).
SENSITIVE_RECORD = "sensitive_record"


def defer_reason(prospect: ProspectIn, *, today: dt.date,
                 competitors: Sequence[str] = ()) -> str | None:
    """``"sensitive_record"`` when every touch to ``prospect`` must wait for a person, else
    ``None`` (see :attr:`cadenza.writing.facts.FactScreen.dominated_by_sensitive`)."""
    screen = screen_facts(prospect, today=today, competitors=tuple(competitors))
    return SENSITIVE_RECORD if screen.dominated_by_sensitive else None


def defer_note(prospect: ProspectIn, *, today: dt.date, competitors: Sequence[str] = ()) -> str:
    """The reason a person reads beside a deferred prospect's held touches."""
    screen = screen_facts(prospect, today=today, competitors=tuple(competitors))
    if screen.away:
        return f"{SENSITIVE_RECORD}: the record says the prospect is on leave, a person decides"
    if screen.grave:
        return (f"{SENSITIVE_RECORD}: the record tells of a recent death or grave illness, a "
                "person decides")
    return (f"{SENSITIVE_RECORD}: {len(screen.sensitive)} facts touch a sensitive or private "
            "topic, a person decides")
