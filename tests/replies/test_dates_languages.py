"""Return and follow-up dates in the eleven languages, against a fixed message date.

Written from the labeling rules (a period is its first day, "until X inclusive" is the next
business day, a year-less date is its next occurrence), not from corpus messages.
"""

from __future__ import annotations

from datetime import date

import pytest

from cadenza.replies.classify.date_periods import easter
from cadenza.replies.classify.dates import extract_follow_up_date, extract_return_date

pytestmark = pytest.mark.calendar

SENT = date(2026, 3, 10)  # Tuesday; Easter Sunday 2026 is 5 April


@pytest.mark.parametrize(("text", "expected"), [
    # English
    ("Try me again in week 14.", date(2026, 3, 30)),
    ("Let's talk after Easter.", date(2026, 4, 6)),
    ("Circle back in Q3.", date(2026, 7, 1)),
    ("Reach out after the summer.", date(2026, 9, 1)),
    ("Ping me early next year.", date(2027, 1, 1)),
    ("Get back to me in the autumn.", date(2026, 9, 1)),
    ("Contact me in two weeks.", date(2026, 3, 24)),
    ("Try me in the second half of the year.", date(2026, 7, 1)),
    ("Our contract ends in June 2027, reach out then.", date(2027, 6, 1)),
    # German
    ("Melden Sie sich bitte in KW 22 wieder.", date(2026, 5, 25)),
    ("Bitte melden Sie sich nach Ostern noch einmal.", date(2026, 4, 6)),
    ("Sprechen Sie mich nach der Sommerpause an.", date(2026, 9, 1)),
    ("Kommen Sie Anfang nächsten Jahres wieder auf mich zu.", date(2027, 1, 1)),
    ("Melden Sie sich im 3. Quartal.", date(2026, 7, 1)),
    ("Schreiben Sie mir im Juni.", date(2026, 6, 1)),
    # French
    ("Recontactez-moi à la rentrée.", date(2026, 9, 1)),
    ("On en reparle au 3e trimestre.", date(2026, 7, 1)),
    ("Revenez vers moi semaine 22.", date(2026, 5, 25)),
    ("Relancez-moi après Pâques.", date(2026, 4, 6)),
    ("Écrivez-moi début juin.", date(2026, 6, 1)),
    # Spanish
    ("Escríbame después de Semana Santa.", date(2026, 4, 6)),
    ("Vuelva a escribirme en el segundo trimestre del año que viene.", date(2027, 4, 1)),
    ("Contácteme en el segundo semestre.", date(2026, 7, 1)),
    ("Escríbeme a principios de 2027.", date(2027, 1, 1)),
    ("Llámame dentro de dos semanas.", date(2026, 3, 24)),
    # Portuguese
    ("Volte a contactar-me no segundo semestre de 2026.", date(2026, 7, 1)),
    ("Me procura em março do ano que vem.", date(2027, 3, 1)),
    ("Entre em contato depois do verão.", date(2026, 9, 1)),
    ("Procure-me no terceiro trimestre.", date(2026, 7, 1)),
    # Dutch
    ("Neem in oktober contact op.", date(2026, 10, 1)),
    ("Benader me na de zomervakantie.", date(2026, 9, 1)),
    ("Neem in week 40 contact op.", date(2026, 9, 28)),
    ("Mail me na Pasen.", date(2026, 4, 6)),
    ("Neem contact op in het derde kwartaal.", date(2026, 7, 1)),
    # Italian
    ("Ne riparliamo a gennaio.", date(2027, 1, 1)),
    ("Mi ricontatti dopo l'estate.", date(2026, 9, 1)),
    ("Ricontattami nel secondo trimestre.", date(2026, 4, 1)),
    ("Risentiamoci a inizio 2027.", date(2027, 1, 1)),
    ("Riscrivimi in settimana 12.", date(2026, 3, 16)),
    ("Riscrivimi dopo Pasqua.", date(2026, 4, 6)),
    # Polish
    ("Proszę o kontakt w styczniu.", date(2027, 1, 1)),
    ("Proszę odezwać się w III kwartale.", date(2026, 7, 1)),
    ("Odezwij się po wakacjach.", date(2026, 9, 1)),
    ("Proszę o kontakt po Wielkanocy.", date(2026, 4, 6)),
    ("Proszę napisać w 40. tygodniu.", date(2026, 9, 28)),
    ("Proszę wrócić do tematu po Nowym Roku.", date(2027, 1, 1)),
    # Swedish
    ("Hör av dig i början av 2027.", date(2027, 1, 1)),
    ("Hör av dig vecka 40.", date(2026, 9, 28)),
    ("Hör av dig i augusti.", date(2026, 8, 1)),
    ("Hör av dig efter påsk.", date(2026, 4, 6)),
    ("Kontakta mig igen tredje kvartalet.", date(2026, 7, 1)),
    ("Hör av dig om tre veckor.", date(2026, 3, 31)),
    # Danish
    ("Skriv igen i 4. kvartal.", date(2026, 10, 1)),
    ("Skriv igen efter sommerferien – gerne i uge 33.", date(2026, 8, 10)),
    ("Tag fat i mig igen efter påske.", date(2026, 4, 6)),
    ("Skriv til mig i januar.", date(2027, 1, 1)),
    # Norwegian
    ("Ta kontakt igjen etter første kvartal.", date(2026, 4, 1)),
    ("Ta kontakt i uke 22.", date(2026, 5, 25)),
    ("Ta gjerne kontakt igjen i mars neste år.", date(2027, 3, 1)),
    ("Ta kontakt etter sommeren.", date(2026, 9, 1)),
    ("Ta kontakt igjen over nyttår.", date(2027, 1, 1)),
])
def test_follow_up_periods_in_eleven_languages(text: str, expected: date) -> None:
    assert extract_follow_up_date(text, SENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # English: back on X is X; a bare day number is its next occurrence
    ("On leave, back on the 17th.", date(2026, 3, 17)),
    ("I'm back in the office on Tuesday, March 24.", date(2026, 3, 24)),
    ("On parental leave, returning on 11 January 2027.", date(2027, 1, 11)),
    # German
    ("Ich bin bis einschließlich 20. März im Urlaub.", date(2026, 3, 23)),
    ("Ab KW 13 bin ich wieder im Büro.", date(2026, 3, 23)),
    # French
    ("Je suis en congés jusqu'au 15 mars, je reprends le lundi 16.", date(2026, 3, 16)),
    # Spanish
    ("Estoy de baja y vuelvo el lunes 23.", date(2026, 3, 23)),
    ("Fuera del 9 al 20 de marzo. A mi vuelta, el lunes 23 de marzo, responderé.",
     date(2026, 3, 23)),
    # Portuguese
    ("Estou de férias até dia 20 de março, inclusive.", date(2026, 3, 23)),
    # Dutch
    ("Ben op vakantie tot de 20e.", date(2026, 3, 20)),
    ("Volgende week woensdag ben ik weer op kantoor.", date(2026, 3, 18)),
    # Italian
    ("Sarò assente fino al 20 marzo compreso.", date(2026, 3, 23)),
    ("Sono in ferie, rientro in ufficio lunedì 23 marzo.", date(2026, 3, 23)),
    ("Torno operativo martedì 17.", date(2026, 3, 17)),
    # Polish
    ("Przebywam na urlopie do 20 marca włącznie.", date(2026, 3, 23)),
    ("Wracam do biura w poniedziałek 23 marca.", date(2026, 3, 23)),
    ("Jestem na zwolnieniu lekarskim do końca tygodnia.", date(2026, 3, 16)),
    # Swedish
    ("Jag har semester till och med 20 mars.", date(2026, 3, 23)),
    ("Är på semester, tillbaka vecka 13.", date(2026, 3, 23)),
    ("Jag är föräldraledig till och med oktober.", date(2026, 11, 1)),
    # Danish
    ("Jeg er på barsel frem til 1. februar 2027.", date(2027, 2, 1)),
    ("Er syg resten af ugen, vender tilbage på mandag.", date(2026, 3, 16)),
    # Norwegian
    ("Jeg har ferie til og med 20. mars.", date(2026, 3, 23)),
    ("Er på kurs resten av uka, tilbake på kontoret mandag.", date(2026, 3, 16)),
    ("Jeg er tilbake på jobb i uke 13.", date(2026, 3, 23)),
])
def test_return_dates_in_eleven_languages(text: str, expected: date) -> None:
    assert extract_return_date(text, SENT) == expected


def test_us_and_european_numeric_dates() -> None:
    assert extract_return_date("Back on 3/24.", SENT, language="en") == date(2026, 3, 24)
    assert extract_return_date("Zurück am 24.03.", SENT, language="de") == date(2026, 3, 24)
    assert extract_return_date("De retour le 24/03.", SENT, language="fr") == date(2026, 3, 24)
    # a year-less date already past is next year's: out of an absence's horizon
    assert extract_return_date("Back on 02/03.", SENT, language="fr") is None


def test_vague_phrases_give_no_date() -> None:
    assert extract_follow_up_date("Try me again in a few months.", SENT) is None
    assert extract_follow_up_date("Try me again after the holidays.", SENT) is None
    assert extract_follow_up_date("I may look at this later.", SENT) is None


def test_easter_dates() -> None:
    assert easter(2025) == date(2025, 4, 20)
    assert easter(2026) == date(2026, 4, 5)
    assert easter(2027) == date(2027, 3, 28)
    # after this year's Easter, "after Easter" is next year's Easter Monday
    assert extract_follow_up_date("Ask me again after Easter.", date(2026, 4, 20)) == date(
        2027, 3, 29)
