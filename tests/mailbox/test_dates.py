from __future__ import annotations

from datetime import date

import pytest

from cadenza.replies.classify.dates import extract_follow_up_date, extract_return_date

pytestmark = pytest.mark.calendar

SENT = date(2026, 4, 1)  # Wednesday


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("I'm out of the office and back on April 14th.", "en", date(2026, 4, 14)),
    ("Ich bin ab dem 14. April wieder im Büro.", "de", date(2026, 4, 14)),
    ("Je serai de retour le 14 avril.", "fr", date(2026, 4, 14)),
    ("Estaré de vuelta el 14 de abril.", "es", date(2026, 4, 14)),
    ("Estarei de volta em 14 de abril.", "pt", date(2026, 4, 14)),
    ("Ik ben terug op 14 april.", "nl", date(2026, 4, 14)),
    ("Back on 14/04/2026.", "en", date(2026, 4, 14)),
    ("Back on 4/14/2026.", "en", date(2026, 4, 14)),
])
def test_return_dates_in_six_languages(text: str, lang: str, expected: date) -> None:
    assert extract_return_date(text, SENT, language=lang) == expected


def test_until_conventions() -> None:
    # "until X" is X as written; "until X inclusive" is the next business day.
    assert extract_return_date("Out of office until Friday, 17 April.", SENT) == date(2026, 4, 17)
    assert extract_return_date("Out until Friday 17 April inclusive.", SENT) == date(2026, 4, 20)
    # a month-closing "until" means back on the first of the next month
    assert extract_return_date("On leave until 30 April.", SENT) == date(2026, 5, 1)
    nl = extract_return_date("Met verlof tot eind april.", SENT, language="nl")
    assert nl == date(2026, 5, 1)
    assert extract_return_date("On sabbatical until June.", SENT) == date(2026, 6, 1)
    assert extract_return_date("Traveling until the 20th.", SENT) == date(2026, 4, 20)
    assert extract_return_date("Ich bin bis einschließlich 14.04.2026 nicht im Büro.",
                               SENT) == date(2026, 4, 15)
    assert extract_return_date("Absente jusqu'au 14/04 inclus.", SENT, language="fr") == date(
        2026, 4, 15)


def test_relative_dates_against_the_date_header() -> None:
    assert extract_return_date("I'll be back next Monday.", SENT) == date(2026, 4, 6)
    assert extract_return_date("Ich bin ab nächster Woche wieder da.", SENT) == date(2026, 4, 6)
    assert extract_return_date("Back in two weeks.", SENT) == date(2026, 4, 15)
    assert extract_return_date("De vuelta la próxima semana.", SENT) == date(2026, 4, 6)


def test_past_and_far_dates_are_rejected() -> None:
    assert extract_return_date("Back on 14/02/2026.", SENT) is None
    assert extract_return_date("Back on 14/12/2026.", SENT) is None
    assert extract_return_date("Back on 14 March.", SENT) is None  # next March: too far
    # Easter Sunday 5 April 2026, Easter Monday a holiday: back the Tuesday
    assert extract_return_date("Back after Easter.", SENT) == date(2026, 4, 7)
    assert extract_return_date("Back soon.", None) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Reach out in Q3.", date(2026, 7, 1)),
    ("Let's revisit next quarter.", date(2026, 7, 1)),
    ("Try again in 3 months.", date(2026, 7, 1)),
    ("Ping me after the summer.", date(2026, 9, 1)),
    ("Melden Sie sich im Oktober.", date(2026, 10, 1)),
    ("Recontactez-moi début 2027.", date(2027, 1, 1)),
    ("Escríbeme en septiembre.", date(2026, 9, 1)),
    ("Volte a contactar-me daqui a seis meses.", date(2026, 10, 1)),
    ("Neem in Q4 weer contact op.", date(2026, 10, 1)),
    ("Maybe next year.", date(2027, 1, 1)),
    ("Reach out mid-November?", date(2026, 11, 15)),
    ("Go-live ist im September. Melden Sie sich gern im Oktober.", date(2026, 10, 1)),
    ("Black Friday is busy. Me procura em fevereiro.", date(2027, 2, 1)),
])
def test_follow_up_periods(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


def test_follow_up_without_time_is_none() -> None:
    assert extract_follow_up_date("Not right now, sorry.", SENT) is None
