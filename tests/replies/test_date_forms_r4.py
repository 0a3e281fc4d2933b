"""Date forms the reader learned from the fourth round of writers (w18–w20), one test per form.

Examples written for these tests, not taken from the corpus. SENT is Wednesday 7 October 2026;
SPRING is Friday 27 March 2026 (Easter Sunday 5 April, Easter Monday 6 April).
"""

from __future__ import annotations

from datetime import date

import pytest

from cadenza.replies.classify.dates import extract_follow_up_date, extract_return_date

pytestmark = pytest.mark.calendar

SENT = date(2026, 10, 7)
SPRING = date(2026, 3, 27)


@pytest.mark.parametrize(("text", "expected"), [
    ("Ich bin bis zum 16.10. im Urlaub und ab Dienstag, 20. Oktober, wieder im Büro.",
     date(2026, 10, 20)),
    ("Estaré fuera hasta el 16 de octubre. Vuelvo el día 19.", date(2026, 10, 19)),
    ("Jestem na urlopie do 16 października. Z powrotem w biurze 19 października.",
     date(2026, 10, 19)),
    ("Sarò assente fino al 16 ottobre, riprenderò a leggere la posta dal 19/10.",
     date(2026, 10, 19)),
    ("Bis 16.10. nicht im Büro, Ihre Nachricht wird nach meiner Rückkehr am 19.10. bearbeitet.",
     date(2026, 10, 19)),
])
def test_the_day_back_written_after_the_last_day_away_wins(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("vom 5.10. bis 16.10.2026 bin ich im Urlaub.", date(2026, 10, 19)),
    ("I'm away 12 October - 16 October.", date(2026, 10, 19)),
    ("Fuera del 5 de octubre al 16 de octubre.", date(2026, 10, 19)),
])
def test_the_end_of_a_range_of_two_dates_is_the_last_day_away(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


def test_back_after_a_day_is_the_next_business_day() -> None:
    # Saturday 17 October: back on Monday the 19th
    assert extract_return_date("On holiday, back in the office after the 17th of October.",
                               SENT) == date(2026, 10, 19)


@pytest.mark.parametrize("text", [
    "I'm off for the Easter break and back after Easter.",
    "Ich bin bis nach Ostern im Urlaub.",
    "Rientro dopo Pasquetta.",
    "Jeg er ute av kontoret frem til etter påske.",
    "Estoy fuera hasta después de Semana Santa.",
])
def test_back_after_easter_is_the_tuesday_after_easter_monday(text: str) -> None:
    assert extract_return_date(text, SPRING) == date(2026, 4, 7)


def test_a_written_day_back_beats_after_easter() -> None:
    assert extract_return_date("Away over Easter, back on Wednesday 8 April.",
                               SPRING) == date(2026, 4, 8)


@pytest.mark.parametrize(("text", "expected"), [
    ("Jeg er tilbage tirsdag d. 7/4.", date(2026, 4, 7)),  # 4 July is a Saturday
    ("Back Tuesday 4/7.", date(2026, 4, 7)),  # month first in English, and a Tuesday
])
def test_the_weekday_before_a_numeric_date_tells_its_order(text: str, expected: date) -> None:
    assert extract_return_date(text, SPRING) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Busy season. Ask me again in May.", date(2027, 5, 1)),
    ("Until May we are swamped, try me then.", date(2027, 5, 1)),
    ("We may talk later, I may not have time now.", None),
    ("Écrivez-moi après le 30 octobre.", date(2026, 10, 31)),
    ("Ci risentiamo dopo il 15 novembre.", date(2026, 11, 16)),
    ("Contact me after November 15.", date(2026, 11, 16)),
    ("Contact me on November 15.", date(2026, 11, 15)),
])
def test_months_and_days_after_which_to_write(text: str, expected: date | None) -> None:
    assert extract_follow_up_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Vuelve a escribirme en un par de semanas.", date(2026, 10, 21)),
    ("Mi ricontatti tra un paio di mesi.", date(2026, 12, 7)),
    ("Volte a falar daqui a umas 3 semanas.", date(2026, 10, 28)),
    ("Skriv igen om et års tid.", date(2027, 10, 7)),
    ("Hör av dig om ett år ungefär.", date(2027, 10, 7)),
    ("Melden Sie sich in einem Jahr wieder.", date(2027, 10, 7)),
    ("Odezwij się za rok.", date(2027, 10, 7)),
    ("Get back to me in a few weeks.", None),  # too vague for a date, as the labelers read it
    ("Try me again in 30 years.", None),
])
def test_counted_lengths_including_years(text: str, expected: date | None) -> None:
    assert extract_follow_up_date(text, SENT) == expected
