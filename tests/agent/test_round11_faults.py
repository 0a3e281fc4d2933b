"""Faults round 11's blind reviewers named on s19 and s20 (spent since), one test each: a
sequence sent days after the prospect posted about his father's death (the post itself was never
used, but "not paused despite his recent bereavement post"). The LinkedIn note that said it
wrote about a post no email had named is in ``test_round10_faults.py``."""

from __future__ import annotations

import datetime as dt

import pytest

from cadenza.prospects import ProspectIn
from cadenza.writing.deferral import defer_note, defer_reason

HIRING = {"id": "f1", "kind": "hiring", "date": "2026-09-20",
          "text": "Norvia Facility abre nueva delegación en Burdeos y busca técnico de movilidad "
                  "internacional."}


def _prospect(fact: dict[str, str]) -> ProspectIn:
    return ProspectIn.model_validate({
        "id": "p1", "email": "iker@norvia.example", "first_name": "Iker", "last_name": "Etxeberria",
        "company": "Norvia Facility", "language": "es", "facts": [HIRING, fact]})


@pytest.mark.parametrize("text", [
    "Estas semanas estaré menos disponible. Mi padre falleció el domingo. Gracias a todos por "
    "los mensajes.",
    "Letzte Woche ist mein Vater verstorben. Danke für die vielen Nachrichten.",
    "Mon père est décédé samedi. Merci pour vos messages.",
    "Min far gik bort i søndags. Tak for alle jeres hilsner.",
    "Started chemo this week. Grateful for the team covering for me.",
])
def test_a_recent_death_or_grave_illness_defers_the_whole_sequence(text: str) -> None:
    prospect = _prospect({"id": "f3", "kind": "post", "date": "2026-10-04", "text": text})
    assert defer_reason(prospect, today=dt.date(2026, 10, 10)) == "sensitive_record"
    assert "death or grave illness" in defer_note(prospect, today=dt.date(2026, 10, 10))


def test_long_after_it_the_sequence_is_written_from_the_other_facts() -> None:
    prospect = _prospect({"id": "f3", "kind": "post", "date": "2026-10-04",
                          "text": "Mi padre falleció el domingo. Gracias a todos."})
    assert defer_reason(prospect, today=dt.date(2027, 3, 1)) is None


def test_another_persons_death_in_the_news_does_not_defer_the_prospect() -> None:
    prospect = _prospect({"id": "f3", "kind": "news", "date": "2026-10-04",
                          "text": "Falleció Ramón Ortiz, fundador de una cadena de hoteles de "
                                  "Valencia."})
    assert defer_reason(prospect, today=dt.date(2026, 10, 10)) is None


@pytest.mark.parametrize(("language", "text", "start"), [
    ("it", "Addio al giro con il termometro: sensori a clip registrano giorno e notte la "
           "temperatura di ogni punto d'uso, così i vostri tecnici non devono più percorrere "
           "l'edificio ogni mese con sonda e modulo cartaceo.", "sensori a clip registrano"),
    ("sv", "Larmen pekar ut exakt vilket tappställe (inte bara vilken byggnad) som glider ur "
           "sitt säkra temperaturintervall, så att teamet kan agera innan ett vattenprov visar "
           "att något är fel.", "Larmen pekar ut"),
    ("pl", "TagLoop odczytuje każdą sztukę z tagiem RFID przy przyjęciu brudnej bielizny, po "
           "wykończeniu i przy wydaniu, dzięki czemu straty u każdego klienta widać co tydzień, "
           "a nie dopiero przy rocznej inwentaryzacji.", "TagLoop odczytuje"),
    ("fr", "FryWise indique à vos équipes quand un bac est réellement usé : vous arrêtez de "
           "jeter de la bonne huile et de frire dans une huile fatiguée.", "FryWise indique"),
])
def test_a_long_localized_value_proposition_is_cut_not_left_out(language: str, text: str,
                                                               start: str) -> None:
    from cadenza.writing.sender_copy import MAX_BODY_WORDS, value_parts

    parts = value_parts("vp1", text, language, own_names=frozenset({"tagloop", "frywise"}))
    assert parts is not None, "the sender wrote it in this language: it is used"
    assert parts.body.startswith(start), parts.body
    assert len(parts.body.split()) <= MAX_BODY_WORDS + 4
    assert parts.body.rstrip(".")[-1].isalpha()  # cut at a clause boundary, not mid-word


def test_the_last_email_names_no_proof_point_from_another_trade() -> None:
    from cadenza.sender import SenderProfile
    from cadenza.writing.sender_copy import sender_copy
    from cadenza.writing.sequence import plan_sequence

    sender = SenderProfile.model_validate({
        "company": "Hollin Water Safety", "website": "https://hollin.example",
        "product_name": "OutletWatch",
        "product_description": "OutletWatch logs the temperature of every water outlet.",
        "value_propositions": [
            {"id": "vp1", "text": "Retire the thermometer round: clip-on sensors record every "
                                  "outlet's temperature around the clock."},
            {"id": "vp2", "text": "Audit-ready logbook: every reading and flush in one place an "
                                  "inspector can read."}],
        "proof_points": [
            {"id": "pp1", "customer": "St. Aldric Hospital Trust",
             "text": "St. Aldric Hospital Trust found 212 outlets under 50 °C in its first "
                     "month."},
            {"id": "pp2", "customer": "Meridian Student Living",
             "text": "\"We used to spend three weeks flushing empty flats by hand every "
                     "summer.\" – Estates Manager, Meridian Student Living"}],
        "sender": {"first_name": "Jonas", "last_name": "Hartley", "title": "BDM",
                   "email": "jonas@hollin.example"},
        "postal_address": "Hollin Water Safety, Bristol",
        "meeting_link": "https://hollin.example/meet"})
    hospital = ProspectIn.model_validate({
        "id": "p7", "email": "paolo@sanrocco.example", "first_name": "Paolo",
        "last_name": "Cattaneo", "company": "Gruppo Ospedaliero San Rocco",
        "industry": "private hospitals", "language": "en", "facts": []})
    copy = sender_copy(sender)
    plan = plan_sequence(hospital, sender, copy, today=dt.date(2026, 12, 7), language="en",
                         values=copy.values, proofs=copy.proofs)
    assert plan.proof_follow is not None and plan.proof_follow.id == "pp1"
    assert plan.proof_last is None  # not the student flats
    # where no proof point fits better than another, the last email still has one
    hotel = hospital.model_copy(update={"industry": "mountain resorts"})
    plan = plan_sequence(hotel, sender, copy, today=dt.date(2026, 12, 7), language="en",
                         values=copy.values, proofs=copy.proofs)
    assert plan.proof_follow is not None and plan.proof_last is not None


def test_a_press_quote_with_the_verb_first_is_the_speakers_own_words() -> None:
    from cadenza.writing.fact_readers import read_english

    text = ('"Our installers are usually ready before their paperwork is," says Antti '
            'Lehtonen, Head of Project Delivery at Kaarna, in Nordic Maritime Review.')
    mine = read_english("pain_point", text, company="Kaarna", names=["Antti", "Lehtonen"],
                        interest=frozenset())
    assert mine.said == "your installers are usually ready before their paperwork is"
    # the same quote on another person's record is not theirs to be told back
    theirs = read_english("pain_point", text, company="Kaarna", names=["Mikko", "Virtanen"],
                          interest=frozenset())
    assert theirs.said is None


def test_a_job_boards_fields_are_no_part_of_the_place() -> None:
    from cadenza.writing.fact_readers import read_english

    parts = read_english("hiring", "Conveyor Maintenance Technician – Llanfair Quarry | "
                         "Caerwyn Quarries Ltd | Full time. \"Experience of splicing essential.\"",
                         company="Caerwyn Quarries Ltd", names=["Gareth"], interest=frozenset())
    assert parts.place == "Llanfair Quarry"
    assert parts.role == "a Conveyor Maintenance Technician"


def test_a_sentence_that_leans_on_the_one_before_is_not_told_back_alone() -> None:
    from cadenza.writing.fact_readers import read_english

    post = ("Third belt rip this year on the secondary crusher feed. Every one of them started "
            "at a splice we'd checked the week before. There has to be a better way than a "
            "torch and a tape measure.")
    said = read_english("post", post, company="Caerwyn Quarries", names=["Gareth"],
                        interest=frozenset({"splic", "belt"})).said
    assert said is not None and "of them" not in said, said


def test_a_value_proposition_whose_subject_reads_is_a_sentence_not_a_noun_phrase() -> None:
    from cadenza.writing.sender_copy import value_parts

    parts = value_parts("vp3", "Inspect without stopping — the scanner reads splices and cover "
                        "thickness at full belt speed, so checks no longer cost production "
                        "hours.", "en", own_names=frozenset({"splicewatch"}))
    # framed as a noun phrase it read "SpliceWatch gives your team the scanner reads splices"
    assert parts is not None and parts.form != "np", parts.form
