"""Date forms the reader learned in this round, one test per form, against a fixed Date header.

Examples written for these tests, not taken from a corpus. SENT is Wednesday 7 October 2026
(ISO week 41).
"""

from __future__ import annotations

from datetime import date

import pytest

from cadenza.replies.classify.dates import (
    announces_return,
    extract_follow_up_date,
    extract_return_date,
)

pytestmark = pytest.mark.calendar

SENT = date(2026, 10, 7)


@pytest.mark.parametrize(("text", "expected"), [
    ("Ich bin bis einschließlich Freitag, 16. Oktober, abwesend.", date(2026, 10, 19)),
    ("Jeg er på ferie til og med fredag den 16. oktober.", date(2026, 10, 19)),
    ("Out until Friday, 16 October inclusive.", date(2026, 10, 19)),
    ("Fuera hasta el viernes 16 de octubre.", date(2026, 10, 16)),  # until X is X
])
def test_a_weekday_between_the_until_and_the_date(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Ich bin in KW 42 im Urlaub.", date(2026, 10, 19)),
    ("Jeg har ferie uke 42.", date(2026, 10, 19)),
    ("Out of office week 42, limited email.", date(2026, 10, 19)),
    ("Ab KW 43 bin ich wieder da.", date(2026, 10, 19)),  # a return cue: that Monday
    ("Back in week 43.", date(2026, 10, 19)),
])
def test_an_absence_in_week_n_ends_the_monday_after(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


def test_day_dash_month_with_two_digits_is_a_date_and_hours_are_not() -> None:
    assert extract_return_date("Ik ben tot en met 16-10 met vakantie.", SENT,
                               language="nl") == date(2026, 10, 19)
    assert extract_return_date("Ich bin im Urlaub, telefonisch 10-12 Uhr erreichbar.",
                               SENT, language="de") is None
    assert extract_return_date("Away, back 3-4 days later.", SENT) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("I'm travelling this week with limited access to email.", date(2026, 10, 12)),
    ("Estoy fuera por viaje de trabajo esta semana.", date(2026, 10, 12)),
    ("W tym tygodniu jestem na szkoleniu.", date(2026, 10, 12)),
    ("I'm away for two weeks.", date(2026, 10, 21)),
    ("Je suis en formation pendant deux jours.", date(2026, 10, 9)),
    ("Jeg er på messe i tre dager.", date(2026, 10, 10)),
    ("Ich bin für drei Tage auf einer Messe.", date(2026, 10, 10)),
])
def test_this_week_and_a_length_in_an_absence(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


def test_a_length_is_no_follow_up_date() -> None:
    # "for two weeks" says how long something lasts, not when to write again
    assert extract_follow_up_date("We ran a pilot for two weeks and dropped it.", SENT) is None
    assert extract_follow_up_date("Busy this week, sorry.", SENT) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Odezwij się za miesiąc.", date(2026, 11, 7)),
    ("Proszę o kontakt za tydzień.", date(2026, 10, 14)),
    ("Odezwij się za dwa tygodnie.", date(2026, 10, 21)),
])
def test_polish_za_without_a_number(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Skriv igen i det nye år.", date(2027, 1, 1)),
    ("Hör av dig i det nya året.", date(2027, 1, 1)),
    ("Ta kontakt igjen over jul.", date(2027, 1, 1)),
    ("We might look again next spring.", date(2027, 3, 1)),
    ("Melden Sie sich im nächsten Herbst.", date(2027, 9, 1)),
    ("Ricontattami la prossima primavera.", date(2027, 3, 1)),
    ("Let's talk after the summer vacation.", date(2027, 9, 1)),
])
def test_new_year_christmas_and_next_season(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


def test_end_of_the_year() -> None:
    assert extract_return_date("On leave until the end of the year.", SENT) == date(2027, 1, 1)
    assert extract_follow_up_date("Contact me after year-end.", SENT) == date(2027, 1, 1)
    assert extract_follow_up_date("Melden Sie sich nach dem Jahresende.", SENT) == date(
        2027, 1, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("Reach out end of Q1.", date(2027, 4, 1)),  # as "end of May" is 1 June
    ("Melden Sie sich Ende Q1 2027.", date(2027, 4, 1)),
    ("Contact me at the end of H1.", date(2027, 7, 1)),
    ("Ping me in Q1.", date(2027, 1, 1)),  # no "end": the quarter's first day
])
def test_the_end_of_a_quarter_is_the_next_one(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


def test_until_reaches_across_a_holiday_name() -> None:
    sent = date(2025, 4, 11)  # Easter Monday 2025 is 21 April
    assert extract_return_date("Jeg har påskeferie til og med 2. påskedag, 21. april.",
                               sent) == date(2025, 4, 22)
    assert extract_return_date("Out until Easter Monday, 21 April.", sent) == date(2025, 4, 21)


@pytest.mark.parametrize(("text", "expected"), [
    ("Go-live is in November. After that, say January.", date(2027, 1, 1)),
    ("Maybe September? We're swamped until then.", date(2027, 9, 1)),
    ("Vielleicht im Februar noch einmal.", date(2027, 2, 1)),
    ("Kanske mars?", date(2027, 3, 1)),
])
def test_a_hedged_month_on_its_own(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Bitte nach KW 45 wieder melden.", date(2026, 11, 9)),
    ("Reviens vers moi après la semaine 45.", date(2026, 11, 9)),
    ("Our freeze runs until week 45, try me after that.", date(2026, 11, 9)),
    ("Try me in week 45.", date(2026, 11, 2)),  # no "after": that Monday
])
def test_after_week_n_is_the_monday_after(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Je suis absente et serai de retour le 19.", date(2026, 10, 19)),
    ("Estou de férias, volto dia 19.", date(2026, 10, 19)),
    ("Ich bin ab dem 19. wieder erreichbar.", date(2026, 10, 19)),
    ("Jeg er tilbage den 19.", date(2026, 10, 19)),
    ("Vuelvo el 19, un saludo.", date(2026, 10, 19)),
    ("Back on the 19th.", date(2026, 10, 19)),
])
def test_a_day_of_the_month_after_an_article(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


def test_a_day_number_with_a_unit_is_no_date() -> None:
    assert extract_return_date("Je suis absente, le 19h je serai joignable.", SENT) is None
    assert extract_return_date("El 15% de descuento sigue. Estoy fuera.", SENT) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("W dniach 5-16.10 przebywam na urlopie.", date(2026, 10, 16)),
    ("Abwesend 5.–16.10.2026.", date(2026, 10, 16)),
])
def test_the_last_day_of_a_range_written_with_one_month(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


def test_the_day_answers_resume_is_the_day_back() -> None:
    text = ("The office is closed from 9 October until 12 October. We will reply to your "
            "message on Tuesday, 13 October.")
    assert extract_return_date(text, SENT) == date(2026, 10, 13)
    assert extract_return_date("Absent jusqu'au 16 octobre, je vous répondrai le 19.",
                               SENT) == date(2026, 10, 19)


@pytest.mark.parametrize(("text", "announces"), [
    ("Ich bin bis einschließlich 16.10. nicht im Büro.", True),
    ("Offline until I'm back on 19 October.", True),
    ("Jeg er tilbage den 19. oktober.", True),
    ("Our support team is available Monday to Friday, 9:00-17:00.", False),
    ("We will reply within 2 days.", False),
    ("This mailbox stays open until 30 June 2027 for invoices.", False),
    ("Back soon!", False),
])
def test_an_automatic_answer_that_says_the_day_back(text: str, announces: bool) -> None:
    assert announces_return(text, SENT) is announces


@pytest.mark.parametrize(("text", "expected"), [
    ("I am out of the office on Friday 9 October.", date(2026, 10, 12)),
    ("Thanks for your message. I'm on leave on 8 and 9 October.", date(2026, 10, 12)),
    ("Ich bin am 8. und 9. Oktober nicht im Büro.", date(2026, 10, 12)),
    ("Je suis absent le vendredi 9 octobre.", date(2026, 10, 12)),
    ("Out on Friday.", date(2026, 10, 12)),
    ("I'm out of the office today with limited access to email.", date(2026, 10, 8)),
    ("Ich bin heute nicht im Büro.", date(2026, 10, 8)),
    # a word of coming back near the day says it is the day back
    ("I'm on leave this week and back in the office after the holiday, on Tuesday 13 "
     "October.", date(2026, 10, 13)),
    ("I'm out Friday, back Monday.", date(2026, 10, 12)),
])
def test_the_day_away_is_followed_by_the_day_back(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Estoy de vacaciones y me reincorporo el lunes 19 de octubre.", date(2026, 10, 19)),
    ("Regresso ao serviço na segunda-feira, 19 de outubro.", date(2026, 10, 19)),
])
def test_more_words_of_coming_back(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Let's revisit next school year.", date(2027, 9, 1)),
    ("Escríbeme para el próximo curso.", date(2027, 9, 1)),
    ("Neem volgend schooljaar contact op.", date(2027, 9, 1)),
    ("Ne riparliamo il prossimo anno scolastico.", date(2027, 9, 1)),
    ("Hablamos a la vuelta del verano.", date(2027, 9, 1)),
    ("Falamos no regresso das férias.", date(2027, 9, 1)),
])
def test_school_years_and_the_end_of_the_summer(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected
