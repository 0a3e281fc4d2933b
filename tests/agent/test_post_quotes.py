"""Which words of a post a draft quotes or tells back: the clause about what the sender does.

Round 6's reviewers named quotes that said nothing ("Vi har satt ett mål", "Buffeten er
det") and hooks that missed the point the prospect had made two sentences later; the first
words of a post up to a comma were quoted whatever they were. These tests pin the choice: a
whole short sentence over its first words, the clause sharing words with the sender's copy
over the first one, never a lead-in that only announces ("…: "), never the attribution around
a quote, and in English the sentence about the sender's business told back.
"""

from __future__ import annotations

import pytest

from cadenza.prospects import ProspectIn
from cadenza.writing.fact_parts_foreign import quote_of, read_foreign
from cadenza.writing.fact_readers import read_english
from cadenza.writing.sender_copy import stems


def test_a_short_sentence_is_quoted_whole_not_cut_at_its_colon() -> None:
    text = ("Vi har satt ett mål: halvera matsvinnet och minska oljeförbrukningen i våra kök "
            "till 2028. Första steget är att faktiskt mäta vad vi gör idag, inte gissa.")
    assert quote_of(text) == ("Vi har satt ett mål: halvera matsvinnet och minska "
                              "oljeförbrukningen i våra kök till 2028")


def test_a_lead_in_before_a_colon_is_not_the_quote() -> None:
    text = ("Erste Bilanz Zeitfenster: Die Prunkräume sind ruhiger, aber an der Kasse verkaufen "
            "wir Zeitfenster noch von Hand, und die Jahreskarten laufen über ein eigenes "
            "System.")
    quote = quote_of(text, stems("Besucher buchen Zeitfenster online, an der Kasse und am "
                                 "Handy."))
    assert quote == "an der Kasse verkaufen wir Zeitfenster noch von Hand"


def test_the_sentence_about_the_senders_business_wins_over_the_first() -> None:
    text = ("Cette année, notre budget huile de friture a dépassé celui des épices. On cherche "
            "des pistes concrètes pour mieux piloter les changements d'huile dans nos cuisines. "
            "Vos retours d'expérience m'intéressent.")
    interest = stems("FryWise indique quand un bac d'huile de friture doit être changé : les "
                     "changements d'huile se pilotent depuis un tableau de bord.")
    assert quote_of(text, interest) == ("On cherche des pistes concrètes pour mieux piloter les "
                                        "changements d'huile dans nos cuisines")
    # without the sender's words, the first whole sentence
    assert quote_of(text) == ("Cette année, notre budget huile de friture a dépassé celui des "
                              "épices")


def test_only_the_words_inside_quotation_marks_were_said() -> None:
    text = ("«Nelle mense scolastiche il problema non è solo quanto si butta, ma che acquistiamo "
            "ogni settimana sulla base di stime che risalgono a prima della pandemia» — Davide "
            "Ruggieri, responsabile acquisti food di Ristorazione Collettiva Padana, a Food "
            "Service Italia.")
    quote = quote_of(text)
    assert quote == "Nelle mense scolastiche il problema non è solo quanto si butta"
    assert "Ruggieri" not in (quote or "")


@pytest.mark.parametrize("text", [
    "Test: ok.",                                  # nothing of four words
    "Nur drei Worte.",                            # under four words
    "„Zitat“ ohne Kontext „hier“.",                # nothing outside nested quotes
])
def test_nothing_worth_quoting_gives_none(text: str) -> None:
    assert quote_of(text) is None


def test_a_year_is_not_a_number_that_says_something() -> None:
    text = ("Bei uns hängen die Wartungspläne immer noch als Ausdruck an der Maschine. Wenn "
            "einer fehlt, merkt es keiner. Das muss 2027 anders werden.")
    assert quote_of(text) == ("Bei uns hängen die Wartungspläne immer noch als Ausdruck an "
                              "der Maschine")
    assert quote_of(text.replace("2027", "um 40 %")).startswith("Das muss")


def test_a_foreign_post_carries_its_quote() -> None:
    parts = read_foreign("post", "Dit jaar meten we voor het eerst het energieverbruik per lijn. "
                                 "Perslucht is onze grootste onbekende.",
                         company_words=frozenset(), interest=stems("perslucht lekken"))
    assert parts.quote == "Perslucht is onze grootste onbekende"


def test_english_tells_back_the_sentence_about_the_senders_business() -> None:
    text = ("Oil prices up again this quarter. After the fish itself, fryer oil is now our "
            "biggest consumable line. Has anyone found a way to stretch oil life? Genuinely "
            "asking.")
    parts = read_english("pain_point", text, company="Harbour Lane", names=["Tom"],
                         interest=stems("FryWise tells your crew when a fryer's oil is spent, "
                                        "so you stop pouring good oil away."))
    assert parts.said == "after the fish itself, fryer oil is now your biggest consumable line"


def test_english_tells_back_the_point_after_a_colon() -> None:
    text = ("Three weeks into tracking what goes into our bins by hand at the Bath property and "
            "the results are humbling: the breakfast buffet is our biggest offender by far. "
            "Clipboards won't scale to 14 hotels though.")
    parts = read_english("post", text, company="Aldwych Hotels", names=["Hannah"],
                         interest=stems("Every discard is weighed at the bin."))
    assert parts.said == "the breakfast buffet is your biggest offender by far"


def test_a_lead_in_before_a_colon_is_never_told_back() -> None:
    """Round 7: "You wrote that three months into the new role." — the words before a colon
    are a lead-in, not a clause; the post is named by the topic of its point instead."""
    text = ("Three months into the new role. Biggest surprise so far: how much of a shutdown's "
            "critical path is waiting for permit sign-offs rather than the work itself.")
    parts = read_english("post", text, company="Lough Derg Biologics", names=["Aoife"],
                         interest=stems("Permits signed off on a tablet; no more waiting for "
                                        "sign-offs."))
    assert parts.said is None
    assert parts.topic == "permit sign-offs"


def test_a_topic_never_runs_across_a_comma() -> None:
    from cadenza.writing.fact_parts import topic_of

    assert topic_of("After the fish itself, fryer oil is now our biggest consumable line",
                    stems("fryer oil sensor")) == "fryer oil"


@pytest.mark.parametrize("text", [
    "Efter en vår med utmattningssyndrom är jag tillbaka på halvtid.",
    "Wracam po urlopie rodzicielskim! Dziewięć miesięcy z synkiem minęło szybciej.",
    "Nach einem Burn-out bin ich wieder da.",
    "Tras un año de agotamiento, vuelvo con energía.",
])
def test_burnout_and_leave_in_any_form_are_private_life(text: str) -> None:
    from cadenza.writing.sensitive import personal_terms

    assert personal_terms(text)


def test_a_regulators_fine_after_an_accident_is_no_hook() -> None:
    from cadenza.writing.sensitive import sensitive_terms

    assert sensitive_terms("Arbetsmiljöverket ansöker om sanktionsavgift mot Storforsen Trä "
                           "efter klämolycka vid justerverket")
    assert sensitive_terms("Unfall im Werk Dörpen: zwei Mitarbeiter verletzt")


def _prospect(language: str, *facts: dict[str, str]) -> ProspectIn:
    return ProspectIn.model_validate({
        "id": "p1", "email": "a@odra.example", "first_name": "Agnieszka",
        "last_name": "Wróblewska", "company": "Odra-Chem S.A.", "language": language,
        "facts": [{"id": f"f{i}", "date": "2026-10-12", **f} for i, f in enumerate(facts, 1)]})


SENDER = {
    "company": "Brightlock", "product_name": "PermitLine",
    "product_description": "PermitLine is permit-to-work software for process plants.",
    "value_propositions": [{"id": "vp1", "text": "Permits, isolations and shift handovers on "
                                                 "one tablet instead of paper binders."}],
    "proof_points": [{"id": "pp1", "customer": "Nordhavn", "text": "cut permit waiting time "
                                                                   "by 40% at Nordhavn"}]}


def test_a_quote_handed_to_its_speaker_is_the_prospects_own_words() -> None:
    """«…» – mówi <the prospect>, <title>: a quote of the prospect, not a namesake."""
    import datetime as dt

    from cadenza.writing.facts import screen_facts

    prospect = _prospect("pl", {
        "kind": "pain_point",
        "text": "Wywiad w „Przemysł Chemiczny Dziś”: «Największe ryzyko to nie sprzęt, tylko "
                "przekazanie zmiany» – mówi Agnieszka Wróblewska, kierownik utrzymania ruchu "
                "w Odra-Chem."})
    assert screen_facts(prospect, today=dt.date(2026, 12, 7)).dropped == {}
    parts = read_foreign("pain_point", prospect.facts[0].text,
                         company_words=frozenset({"odra-chem"}))
    assert parts.quote == "Największe ryzyko to nie sprzęt, tylko przekazanie zmiany"


def test_a_stated_pain_leads_even_where_the_copy_cannot_measure_its_fit() -> None:
    """A Spanish pain beside a Spanish job ad, sender copy in English only: the prospect's own
    problem opens, not "you're hiring"."""
    import datetime as dt

    from cadenza.prospects import ProspectIn
    from cadenza.sender import SenderProfile
    from cadenza.writing.hooks import build_hooks
    from cadenza.writing.sender_copy import sender_copy

    sender = SenderProfile.model_validate(SENDER)
    prospect = ProspectIn.model_validate({
        "id": "p2", "email": "l@depuradoras.example", "first_name": "Lucía",
        "last_name": "Sarmiento", "company": "Depuradoras Levante", "language": "es",
        "facts": [
            {"id": "f1", "kind": "pain_point", "date": "2026-09-29",
             "text": "Entrevista a Lucía Sarmiento: «Cada depuradora tiene su propio cuaderno "
                     "de descargos en papel.»"},
            {"id": "f2", "kind": "hiring", "date": "2026-11-20",
             "text": "Oferta de empleo: Técnico/a de permisos de trabajo (Cartagena)."}]})
    hooks = build_hooks(prospect, sender, sender_copy(sender), today=dt.date(2026, 12, 7),
                        language="es")
    assert hooks[0].fact_id == "f1"
    assert hooks[0].parts.place is None  # "a Lucía Sarmiento" is no place


@pytest.mark.parametrize(("post", "quoted"), [
    # round 8 (s13, spent): the sentence about the problem, not the one about what works
    ("»Kranerne og hejsene har vi styr på. Det er de tusindvis af små dele – koblinger, spir, "
     "dæk – hvor vi taber penge,« siger COO Mads Kjærgaard til Byggeriets Nyheder.",
     "Det er de tusindvis af små dele – koblinger, spir, dæk – hvor vi taber penge"),
    ("Letzte Woche haben wir im Bauhof den ersten Test mit digitaler Materialrückgabe gemacht. "
     "Ehrlich gesagt: Die Zettelwirtschaft beim Rücklauf ist unser größter Zeitfresser. Hat "
     "jemand Erfahrung mit Zählung per Foto?",
     "Die Zettelwirtschaft beim Rücklauf ist unser größter Zeitfresser"),
    ("Nuestro almacén funciona bien en temporada baja. En campaña, el inventario todavía en "
     "papel es un dolor de cabeza para todo el equipo.",
     "En campaña, el inventario todavía en papel es un dolor de cabeza para todo el equipo"),
])
def test_a_post_is_quoted_by_the_problem_it_names(post: str, quoted: str) -> None:
    assert quote_of(post) == quoted
