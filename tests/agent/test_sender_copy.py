"""The sender's copy read once into sentence-ready parts (#14 item 1)."""

from __future__ import annotations

import pytest

from cadenza.sender import SenderProfile
from cadenza.writing.sender_copy import (
    base_verb,
    copy_language,
    describe,
    proof_parts,
    sender_copy,
    value_parts,
)


@pytest.mark.parametrize(("text", "form", "body", "label"), [
    ("Faster rosters: Managers publish a month of shifts in an afternoon.", "sentence",
     "managers publish a month of shifts in an afternoon", "faster rosters"),
    ("Shift map: Every ward, shift and open slot on one screen.", "np",
     "every ward, shift and open slot on one screen", "shift map"),
    ("Connects to the payroll system you already run", "does",
     "connects to the payroll system you already run", None),
    ("Cut agency spend without cutting cover", "imperative",
     "cut agency spend without cutting cover", None),
    ("Live in weeks: Connects to your HR system. No big project.", "does",
     "connects to your HR system", None),   # "Live in weeks" names no feature
])
def test_a_value_proposition_becomes_parts(text: str, form: str, body: str,
                                           label: str | None) -> None:
    parts = value_parts("vp1", text)
    assert parts is not None
    assert (parts.form, parts.body, parts.label) == (form, body, label)


def test_outcome_problem_and_the_core_that_says_neither() -> None:
    parts = value_parts("vp1", "One inbox for every supplier question, instead of shared "
                               "mailboxes and spreadsheets.")
    assert parts is not None and parts.problem == "shared mailboxes and spreadsheets"
    assert parts.core == "one inbox for every supplier question"
    parts = value_parts("vp2", "Syncs with the tools a team already uses, so nobody retypes "
                               "an order.")
    assert parts is not None and parts.outcome == "nobody retypes an order"
    assert parts.core == "syncs with the tools a team already uses"
    benefit = value_parts("vp3", "Lower overtime: Rosters that respect every rest rule.")
    assert benefit is not None and benefit.benefit and benefit.label == "lower overtime"


@pytest.mark.parametrize(("text", "customer", "sentence", "base"), [
    ("reduced overtime 22% in two quarters at Ashby Care", "Ashby Care",
     "Ashby Care reduced overtime 22% in two quarters.", "reduce overtime 22% in two quarters"),
    ("went live on 14 wards in 6 weeks at Brook Hospital, integrated with Allocate", "",
     "Brook Hospital went live on 14 wards in 6 weeks, integrated with Allocate.",
     "go live on 14 wards in 6 weeks, integrated with Allocate"),
    ("Ashby Care cut agency spend 18%", "Ashby Care", "Ashby Care cut agency spend 18%.", None),
])
def test_a_proof_point_puts_its_customer_first(text: str, customer: str, sentence: str,
                                               base: str | None) -> None:
    parts = proof_parts("pp1", text, customer)
    assert parts is not None and parts.sentence == sentence and parts.base_change == base


@pytest.mark.parametrize(("past", "base"), [
    ("reduced", "reduce"), ("shortened", "shorten"), ("cut", "cut"), ("went", "go"),
    ("doubled", "double"), ("stopped", "stop"), ("lowered", "lower"), ("carried", "carry")])
def test_base_verb(past: str, base: str) -> None:
    assert base_verb(past) == base


def test_category_audience_and_languages() -> None:
    assert describe("Shiftwell is a staff rostering platform for care homes and hospitals.") \
        == ("staff rostering", "care homes and hospitals")
    sender = SenderProfile.model_validate({
        "company": "Shiftwell Ltd", "product_name": "Shiftwell",
        "value_propositions": [{"id": "vp1", "text": "Rosters in minutes.",
                                "localized": {"de": "Dienstpläne in Minuten."}}],
        "proof_points": [{"id": "pp1", "customer": "Ashby", "text": "cut overtime 20% at Ashby",
                          "metric": "20%",
                          "localized": {"de": "Ashby senkte Überstunden um 20 %."}}],
        "product_description_localized": {"fr": "Shiftwell planifie les équipes."}})
    copy = sender_copy(sender)
    assert copy_language(copy, "en") and copy_language(copy, "de")
    assert copy_language(copy, "fr")      # a described product is enough to say what it does
    assert not copy_language(copy, "es")
    assert copy.localized_values["de"][0].body == "Dienstpläne in Minuten"
    assert copy.proofs[0].metric == "20%"
    assert copy.localized_proofs["de"][0].sentence == "Ashby senkte Überstunden um 20 %."


def test_a_sentence_about_the_product_stays_a_sentence_and_a_run_on_is_cut() -> None:
    own = frozenset({"shiftwell"})
    parts = value_parts("vp1", "Shiftwell automatically fills every open shift from your own "
                               "bank staff in minutes so managers can stop phoning around, "
                               "without agency fees and with a full record of every change.",
                        own_names=own)
    assert parts is not None and parts.form == "own"
    assert parts.body == ("Shiftwell automatically fills every open shift from your own bank "
                          "staff in minutes")
    we = value_parts("vp2", "We help care homes cover every shift.", own_names=own)
    assert we is not None and (we.form, we.body) == ("own", "We help care homes cover every "
                                                            "shift")
    compare = value_parts("vp3", "Rosters live in days instead of weeks.")
    assert compare is not None and compare.problem is None


@pytest.mark.parametrize(("text", "customer", "sentence"), [
    ("Helped Norcott Health cut agency spend by 31% across 12 wards", "Norcott Health",
     "Shiftwell helped Norcott Health cut agency spend by 31% across 12 wards."),
    ("38% reduction in overtime for Brook Care", "Brook Care",
     "For Brook Care, that meant a 38% reduction in overtime."),
])
def test_proof_points_written_other_ways(text: str, customer: str, sentence: str) -> None:
    parts = proof_parts("pp1", text, customer, product="Shiftwell")
    assert parts is not None and parts.sentence == sentence
