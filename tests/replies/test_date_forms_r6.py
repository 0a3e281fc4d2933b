"""Date forms the reader learned from the sixth round's training writers (w22, w23) and the
older training writers' misses, one test per form.

Examples written for these tests, not taken from the corpus; held-out writers were not read.
"""

from __future__ import annotations

from datetime import date

import pytest

from cadenza.replies.classify.dates import extract_follow_up_date

pytestmark = pytest.mark.calendar


@pytest.mark.parametrize(("text", "sent", "expected"), [
    # "until Q3" / "until H2": until the period begins; "until the end of Q3" is after it
    ("Our budget is frozen until Q3, ping me then.", date(2026, 4, 20), date(2026, 7, 1)),
    ("Hiring freeze until H2 - reach out again then.", date(2026, 2, 2), date(2026, 7, 1)),
    ("Nothing before the end of Q3, sorry.", date(2026, 4, 20), date(2026, 10, 1)),
    ("Busy until the end of H1; write after that.", date(2026, 2, 2), date(2026, 7, 1)),
])
def test_until_a_quarter_is_until_it_begins(text: str, sent: date, expected: date) -> None:
    assert extract_follow_up_date(text, sent) == expected


@pytest.mark.parametrize(("text", "sent", "language", "expected"), [
    # Carnival: Ash Wednesday (18 February 2026), also after "next year"
    ("Agora não. Fala comigo no ano que vem, depois do Carnaval.", date(2025, 11, 20), "pt",
     date(2026, 2, 18)),
    ("Ahora imposible, escríbeme después del carnaval.", date(2026, 1, 12), "es",
     date(2026, 2, 18)),
    # Toussaint: the Monday the autumn school holidays end
    ("Revenez vers moi après les vacances de la Toussaint.", date(2026, 10, 5), "fr",
     date(2026, 11, 2)),
    # "la rentrée de janvier" is January, not September
    ("Recontactez-moi à la rentrée de janvier.", date(2026, 12, 1), "fr", date(2027, 1, 4)),
    # Spanish "after summer" without its article
    ("Ahora no, después de verano lo hablamos.", date(2026, 6, 1), "es", date(2026, 9, 1)),
    # Italian "da ottobre" and French "à partir d'avril": from the month
    ("Mi riscriva dopo la fiera, diciamo da ottobre.", date(2026, 9, 3), "it",
     date(2026, 10, 1)),
    ("C'est la course jusqu'à mi-mars. Revenez vers moi à partir d'avril.", date(2026, 2, 10),
     "fr", date(2026, 4, 1)),
    # Polish "second half of the year"
    ("Teraz nie, ale w drugiej połowie roku chętnie wrócę do rozmowy.", date(2026, 3, 4), "pl",
     date(2026, 7, 1)),
    # a three-letter month right after "mid-"; a month said on its own with a hedge
    ("Can you circle back later? Like mid-Feb.", date(2027, 1, 11), "en", date(2027, 2, 15)),
    ("Budget is spent for this year. January, maybe.", date(2026, 10, 24), "en",
     date(2027, 1, 1)),
])
def test_holidays_and_months_said_in_passing(text: str, sent: date, language: str,
                                             expected: date) -> None:
    assert extract_follow_up_date(text, sent, language=language) == expected


def test_what_next_year_is_for_is_not_when_to_call() -> None:
    text = ("We're busy with the admissions fair in May. After the fair in May I'll have time "
            "to look at tools for next year, so reach out then.")
    assert extract_follow_up_date(text, date(2026, 3, 11)) == date(2026, 6, 1)
    # alone, "scheduled for next year" is the time
    assert extract_follow_up_date("The new strategy is scheduled for next year. Contact us "
                                  "again then.", date(2025, 11, 10)) == date(2026, 1, 1)


def test_a_mid_abbreviation_needs_its_part_of_the_month() -> None:
    # "mar" and "jan" on their own are other words
    assert extract_follow_up_date("Let's talk in a bit, mar is busy.", date(2026, 1, 5)) is None


def test_in_the_office_from_is_the_day_back() -> None:
    from cadenza.replies.classify.dates import extract_return_date

    assert extract_return_date("Przebywam na urlopie do 6 stycznia. W biurze będę od "
                               "7.01.2027 r.", date(2026, 12, 22), language="pl") \
        == date(2027, 1, 7)


def test_norwegian_after_easter_is_the_tuesday() -> None:
    # 2. påskedag (Monday 29 March 2027) is a public holiday in Norway
    assert extract_follow_up_date("Ikke nå. Ta kontakt etter påske.", date(2027, 2, 1),
                                  language="no") == date(2027, 3, 30)
    assert extract_follow_up_date("Not now, contact me after Easter.", date(2027, 2, 1)) \
        == date(2027, 3, 29)


def test_the_month_next_to_send_me_wins() -> None:
    assert extract_follow_up_date("Vi har ikke kapasitet før etter påske. Send meg en mail i "
                                  "april.", date(2027, 2, 25), language="no") == date(2027, 4, 1)
