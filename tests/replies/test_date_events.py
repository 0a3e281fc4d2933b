"""Follow-up dates hanging on an event in a month, or on a period's stated last day.

Examples written for these tests (names and companies invented), not taken from a corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from cadenza.replies.classify.dates import extract_follow_up_date

SENT = date(2026, 2, 10)


@pytest.mark.parametrize(("text", "expected"), [
    ("Please get back to me after our trade show in June.", date(2026, 7, 1)),
    ("Not before the audit in April, drop me a line after that.", date(2026, 5, 1)),
    ("Melden Sie sich bitte nach unserer Hausmesse im Mai wieder.", date(2026, 6, 1)),
    ("Vor dem Umzug im April haben wir keine Zeit. Danach gerne.", date(2026, 5, 1)),
    ("Recontactez-moi après notre salon en juin.", date(2026, 7, 1)),
    ("Escríbeme después de la feria en mayo.", date(2026, 6, 1)),
    ("Fale comigo depois da auditoria em abril.", date(2026, 5, 1)),
    ("Ricontattami dopo la fiera a maggio.", date(2026, 6, 1)),
    ("Neem contact op na onze beurs in mei.", date(2026, 6, 1)),
    ("Proszę napisać po targach w maju.", date(2026, 6, 1)),
    ("Hör av dig efter vår lansering i april.", date(2026, 5, 1)),
    ("Ta kontakt etter revisjonen i mai.", date(2026, 6, 1)),
])
def test_after_an_event_in_a_month_is_the_next_month(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the month itself is asked for, or a period starts in it: no shift
    ("Try me again in June.", date(2026, 6, 1)),
    ("Budget is frozen until the new financial year in April; try then.", date(2026, 4, 1)),
    ("Melden Sie sich im Mai wieder.", date(2026, 5, 1)),
    ("Bitte erst nach Mai wieder melden.", date(2026, 6, 1)),
])
def test_a_month_without_an_event_is_not_shifted(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Our financial year ends 31 March. Come back to me after that.", date(2026, 4, 1)),
    ("Unser Geschäftsjahr endet am 30. Juni, danach gerne.", date(2026, 7, 1)),
    ("Notre exercice se termine le 30 avril, revenez vers moi ensuite.", date(2026, 5, 1)),
    ("Vores regnskabsår slutter 31. maj, skriv gerne derefter.", date(2026, 6, 1)),
])
def test_a_period_ending_on_a_month_end_is_over_the_day_after(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


def test_a_month_end_without_an_ending_period_is_kept() -> None:
    assert extract_follow_up_date("Contact me on 31 March.", SENT) == date(2026, 3, 31)
    # "ends" but not on a month's last day: the date as written
    assert extract_follow_up_date("The pilot ends 20 March, write after.", SENT) \
        == date(2026, 3, 20)


@pytest.mark.parametrize(("text", "sent", "expected"), [
    ("Proszę się odezwać w przyszłym roku, najlepiej w lutym.", date(2025, 10, 23),
     date(2026, 2, 1)),
    ("Try me next year, ideally in March.", date(2026, 2, 10), date(2027, 3, 1)),
    ("Melden Sie sich nächstes Jahr, am besten im April.", date(2026, 2, 10), date(2027, 4, 1)),
    ("Recontactez-moi l'année prochaine, idéalement en mars.", date(2025, 11, 3),
     date(2026, 3, 1)),
])
def test_a_month_right_after_next_year_restates_it(text: str, sent: date,
                                                    expected: date) -> None:
    assert extract_follow_up_date(text, sent) == expected


def test_a_month_in_another_sentence_does_not_restate_next_year() -> None:
    text = "Contact me next year. Our audit is in March."
    assert extract_follow_up_date(text, date(2025, 10, 23)) == date(2026, 1, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("Not before June, please.", date(2026, 6, 1)),
    ("Bitte nicht vor März, da sind wir im Umzug.", date(2026, 3, 1)),
    ("Pas avant juin, merci.", date(2026, 6, 1)),
    ("No antes de junio, por favor.", date(2026, 6, 1)),
    ("Non prima di settembre.", date(2026, 9, 1)),
    ("Ikke før oktober.", date(2026, 10, 1)),
    # a month already past this year is next year's
    ("Not before January.", date(2027, 1, 1)),
])
def test_not_before_a_month_is_its_first_day(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


def test_before_a_month_without_not_is_no_date_of_its_own() -> None:
    # the ask names the month; "before June" only says when they are busy
    assert extract_follow_up_date("We can't decide before June, so try me in August.", SENT) \
        == date(2026, 8, 1)
