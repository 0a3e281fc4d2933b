"""Date forms the reader learned from the seventh round's training writers (w26, w27, w28: all
three wrote that "after the event on the 13th" asks for the 14th, and two wrote absences that
end on a weekday or a week of return), one test per form.

Examples written for these tests, not taken from the corpus; held-out writers were not read.
"""

from __future__ import annotations

from datetime import date

import pytest

from cadenza.replies.classify.dates import extract_follow_up_date, extract_return_date

pytestmark = pytest.mark.calendar


@pytest.mark.parametrize(("text", "sent", "expected"), [
    # "after <event> of/on <day>": the day after it
    ("Reprenez contact après le conseil du 9 octobre.", date(2026, 9, 1), date(2026, 10, 10)),
    ("Ne riparliamo dopo la fiera del 22 maggio.", date(2026, 3, 2), date(2026, 5, 23)),
    ("Get back to me after our board meeting on the 18th.", date(2026, 3, 5), date(2026, 3, 19)),
    # the event's day, then a word pointing back at it
    ("The vote is on 20 March. Please get in touch after that.", date(2026, 2, 11),
     date(2026, 3, 21)),
    ("Unsere Hausmesse ist am 12. März. Melden Sie sich danach gern wieder.", date(2026, 2, 9),
     date(2026, 3, 13)),
    ("Decyzja zapadnie 14 kwietnia, proszę się odezwać po tym terminie.", date(2026, 3, 2),
     date(2026, 4, 15)),
    ("Generalforsamlingen er den 26. marts. Skriv igen efter generalforsamlingen.",
     date(2026, 2, 4), date(2026, 3, 27)),
    # a month named alone, then pointed back at: the first of the next month
    ("Our trade fair is in May. Get back to me after the show.", date(2026, 3, 24),
     date(2026, 6, 1)),
    # no "after": the day itself
    ("Call me on the 14th of April, we will have the budget then.", date(2026, 3, 1),
     date(2026, 4, 14)),
    ("The budget is decided on 20 March; write to me then.", date(2026, 2, 11),
     date(2026, 3, 20)),
])
def test_after_an_event_on_a_day_is_the_day_after(text: str, sent: date,
                                                  expected: date) -> None:
    assert extract_follow_up_date(text, sent) == expected


@pytest.mark.parametrize(("text", "sent", "language", "expected"), [
    # "until and including Friday 12/09": the last day away, back the next business day
    ("Out of the office until and including Friday 12/09.", date(2025, 9, 1), "en",
     date(2025, 9, 15)),
    # a weekday or a week of return after the last day away
    ("Jestem poza biurem do piątku, od poniedziałku będę dostępny.", date(2026, 6, 10), "pl",
     date(2026, 6, 15)),
    ("Met vakantie tot en met week 30. Vanaf week 31 ben ik er weer.", date(2026, 7, 13), "nl",
     date(2026, 7, 27)),
    ("Met vakantie tot en met week 30.", date(2026, 7, 13), "nl", date(2026, 7, 27)),
    # a business that closes and reopens
    ("Closed for the holidays; we reopen on Friday 2nd January 2026.", date(2025, 12, 19), "en",
     date(2026, 1, 2)),
    # unchanged: a plain "until" is the day written
    ("Out until Friday.", date(2026, 6, 10), "en", date(2026, 6, 12)),
])
def test_absence_forms(text: str, sent: date, language: str, expected: date) -> None:
    assert extract_return_date(text, sent, language=language) == expected
