"""The faults the fourth blind round's reviewers named in the template drafter's mail (#14).

A product sentence cut mid-phrase ("… platform that gives in-house legal teams."), a
seventy-word marketing sentence pasted whole into the last email, a French value
proposition cut at "plutôt", sentences with nothing in them ("Here's a concrete example of
what I meant.", "Let me try a different angle."), openers with no hook ("I'm reaching out
because X looks like the kind of team we help"), subjects like "a thought for <Company>",
an award post tied to the pitch, and an email the checker passed that ``cadenza eval
drafts`` counted over the word limit. The copy here is made up: the fixes must hold on copy
the drafter was not developed on.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.checker import email_words
from cadenza.writing.composing import split_email
from cadenza.writing.draft_context import proof_data
from cadenza.writing.drafting import DraftRequest, TemplateDrafter
from cadenza.writing.hooks import build_hooks
from cadenza.writing.sender_copy import ProofParts, plain_summary, sender_copy, value_parts, whole
from cadenza.writing.sentences import text_sentences
from cadenza.writing.sequence import plan_sequence

TODAY = dt.date(2026, 11, 24)

#: Run-on marketing copy, the way some teams write it: one sentence per claim, forty to
#: seventy words, clauses joined by "because", "so that", "which means".
RUN_ON = {
    "description": (
        "Ferrolink Hub is the fleet maintenance and parts platform that gives workshop "
        "managers, and the buyers who sit next to them at every month-end, one place where "
        "every supplier submits its quotes, invoices and lead times, where every quote is "
        "checked against your agreed prices before anyone approves it, and where the cost "
        "of every vehicle is visible in real time."),
    "vp1": (
        "Parts orders stop being a guessing game at the end of every month, because your "
        "suppliers post their lead times directly in the portal, Ferrolink compares them "
        "with the jobs booked in your workshop as they come in, and the buyers receive a "
        "reorder list for every depot that they can actually act on instead of a list of "
        "part numbers collected by phone the night before."),
    "vp2": (
        "Every quote from every one of your suppliers is checked automatically, line by "
        "line, against your agreed prices, your approved parts list and your warranty "
        "terms, so that duplicate "
        "charges and prices that quietly creep upwards are flagged before anyone signs."),
    "vp3": (
        "Workshop managers, buyers, finance controllers, fleet planners, depot leads and "
        "drivers all see the same live record of every vehicle, every job card, every "
        "part fitted, every supplier invoice, every warranty claim and every inspection "
        "result across all of your depots in one shared place without exception."),
}
SENDER = SenderProfile.model_validate({
    "company": "Ferrolink", "product_name": "Ferrolink Hub",
    "product_description": RUN_ON["description"],
    "value_propositions": [{"id": k, "text": v} for k, v in RUN_ON.items() if k != "description"],
    "proof_points": [
        {"id": "pp1", "customer": "Ostvik Transport",
         "text": "Ostvik Transport cut its parts spend by 12% in its first year on Ferrolink."},
        {"id": "pp2", "customer": "Brennan Buses",
         "text": "Brennan Buses brought quote approval down from 6 days to 1 day."}],
    "postal_address": "Ferrolink Ltd, 1 Dock Road, Leeds",
    "meeting_link": "https://cal.ferrolink.example/jo",
    "sender": {"first_name": "Jo", "last_name": "Park", "email": "jo@ferrolink.example"},
})
DRAFTER = TemplateDrafter()
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: Sentences readers named as saying nothing, and openers that read as a mail merge.
EMPTY = ("here's a concrete example of what i meant", "one last idea before i leave you",
         "let me try a different angle", "here's a different angle from my earlier notes",
         "one more thought on my note", "a quick addition to my last email",
         "i'm reaching out because", "looks like the kind of", "came to mind")


def _prospect(pid: str, *facts: dict[str, object], language: str = "en",
              industry: str = "logistics") -> ProspectIn:
    return ProspectIn.model_validate({
        "id": pid, "email": f"{pid}@hauliers.example", "first_name": "Dana",
        "last_name": "Quist", "company": "Hauliers Nord", "title": "Head of Fleet",
        "industry": industry, "language": language,
        "facts": [{"id": f"f{i}", "date": "2026-10-20", **f} for i, f in enumerate(facts, 1)]})


def _sequence(prospect: ProspectIn) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    subject: str | None = None
    for step, template in ((1, "email_opener"), (2, "email_followup"), (4, "email_value")):
        draft = DRAFTER.draft(DraftRequest(
            prospect=prospect, sender=SENDER, step_number=step, channel="email",
            template=template, today=TODAY, emailed_before=step > 1,
            previous_subject=subject if step == 2 else None))
        subject = subject or draft.subject
        main, _ = split_email(draft.body, SENDER, draft.language)
        out.append((draft.subject, main))
    return out


def test_a_cut_product_sentence_is_whole_or_not_said() -> None:
    summary = plain_summary(RUN_ON["description"], frozenset({"ferrolink", "hub"}))
    assert summary == "Ferrolink Hub is the fleet maintenance and parts platform."
    assert not whole("Ferrolink Hub is the parts platform that gives workshop managers")
    assert not whole("Les revues deviennent des échanges fondés sur des faits plutôt")
    assert whole("Parts orders stop being a guessing game at the end of every month")


def test_a_run_on_value_proposition_is_one_short_claim_or_left_out() -> None:
    cut = value_parts("vp1", RUN_ON["vp1"])
    assert cut is not None
    assert cut.body == "parts orders stop being a guessing game at the end of every month"
    aside = value_parts("vp2", RUN_ON["vp2"])
    assert aside is not None and len(aside.body.split()) <= 24 and "line by line" not in \
        aside.body  # ", line by line," dropped to bring it under the limit
    assert value_parts("vp3", RUN_ON["vp3"]) is None  # no cut leaves a whole sentence
    french = value_parts("vp4", "Les revues de fournisseurs deviennent des échanges fondés "
                                "sur des faits plutôt que sur des impressions, car Ferrolink "
                                "montre pour chaque fournisseur ce que vous avez réellement "
                                "payé et comment ses délais se comparent à ceux promis.", "fr")
    assert french is not None and french.body.endswith("plutôt que sur des impressions")


def test_the_sequence_says_whole_short_sentences_with_something_in_them() -> None:
    for i, facts in enumerate(([], [{"kind": "hiring", "text": "Hauliers Nord is hiring a "
                                                             "Fleet Maintenance Planner."}])):
        for pid in (f"q{i}{n}" for n in range(6)):
            for subject, main in _sequence(_prospect(pid, *facts)):
                assert subject and not re.match(r"(?i)(re: )?(a thought for|one more idea|"
                                                r"a different angle)", subject), subject
                low = main.lower()
                assert not any(e in low for e in EMPTY), main
                for sentence in text_sentences(main):
                    if "http" in sentence:
                        continue
                    assert len(_WORD.findall(sentence)) <= 32, sentence
                    assert whole(sentence.rstrip(".?!")), sentence


def test_a_post_of_pride_or_with_nothing_to_do_with_the_product_is_no_hook() -> None:
    copy = sender_copy(SENDER)
    prospect = _prospect(
        "h1", {"kind": "post", "text": "Proud of our workshop team, named Depot of the Year "
                                       "at the Fleet Awards!"},
        {"kind": "post", "text": "Great evening at the charity run."})
    assert build_hooks(prospect, SENDER, copy, today=TODAY, language="en") == []
    french = _prospect("h2", {"kind": "post", "text": "Fière de notre équipe atelier, "
                                                      "primée aux Trophées de la flotte !"},
                       language="fr")
    assert build_hooks(french, SENDER, copy, today=TODAY, language="fr") == []
    pain = _prospect("h3", {"kind": "post", "text": "Our buyers still chase suppliers by "
                                                    "phone for lead times on parts orders."})
    assert [h.fact_id for h in build_hooks(pain, SENDER, copy, today=TODAY,
                                           language="en")] == ["f1"]


def test_a_proof_point_that_names_the_maker_is_not_given_the_product_again() -> None:
    proof = ProofParts(id="pp1", customer="Ostvik Transport",
                       sentence="Ostvik Transport cut its parts spend by 12% in its first "
                                "year on Ferrolink.", base_change="cut its parts spend")
    data = proof_data(proof, "Ferrolink Hub")
    assert data is not None and data["with_product"] is None and data["helped"] is None


def test_a_field_in_brackets_is_said_without_them() -> None:
    prospect = _prospect("b1", industry="energy (hydropower)")
    for _, main in _sequence(prospect):
        assert "(" not in main, main


@pytest.mark.parametrize(("text", "letter_words"), [
    ("Book here: https://cal.ferrolink.example/jo-park", 7),
    ("Ostvik a réduit de 12 % ses coûts.", 6),
])
def test_the_word_limit_counts_words_as_a_reader_does(text: str, letter_words: int) -> None:
    # the checker passed a 121-word email that the eval counted over the limit of 120:
    # a link is several words to a reader, and the checker now counts it so
    assert email_words(text) == max(len(text.split()), letter_words)
    assert email_words("see https://www.example.com/book/jane-doe") == 7


def test_a_held_sequence_is_not_one_email_three_times() -> None:
    # nothing was emailed (the opener was held), so each later email is written as a first
    # touch; it still takes its own step's claim and phrasings, and a person reviewing the
    # held sequence reads three different emails
    bodies = []
    for step, template in ((1, "email_opener"), (2, "email_followup"), (4, "email_value")):
        draft = DRAFTER.draft(DraftRequest(
            prospect=_prospect("r1", {"kind": "hiring", "text": "Hauliers Nord is hiring a "
                                                                "Fleet Maintenance Planner."}),
            sender=SENDER, step_number=step, channel="email", template=template,
            today=TODAY))
        assert not draft.subject.startswith("Re:")
        main, _ = split_email(draft.body, SENDER, "en")
        bodies.append(main)
    assert len(set(bodies)) == 3, bodies


PAIRED = SenderProfile.model_validate({
    "company": "Ferrolink", "product_name": "Ferrolink Hub",
    "product_description": "Ferrolink Hub is a fleet maintenance platform for hauliers.",
    "value_propositions": [
        {"id": "vp1", "text": "Fewer breakdowns: sensor alerts open a repair job before a "
                              "gearbox fails."},
        {"id": "vp2", "text": "Spare parts you can find: stock per depot and reorder points "
                              "for every vehicle."},
        {"id": "vp3", "text": "Inspections on the phone: drivers sign daily checks with "
                              "photos instead of paper."}],
    "proof_points": [
        {"id": "pp1", "customer": "Ostvik Transport",
         "text": "Ostvik Transport cut gearbox failures 30% in a year."},
        {"id": "pp2", "customer": "Brennan Buses",
         "text": "Brennan Buses halved its emergency parts orders."},
        {"id": "pp3", "customer": "Kaldor Freight",
         "text": "Kaldor Freight went paperless in 4 weeks."}],
    "postal_address": "Ferrolink Ltd, 1 Dock Road, Leeds",
    "sender": {"first_name": "Jo", "last_name": "Park", "email": "jo@ferrolink.example"},
})


def test_the_last_email_pairs_its_claim_with_a_result_about_it() -> None:
    # reviewers: "pairs a stoppage claim with an unrelated paperwork stat"; the last email's
    # claim is the one its result is about, whenever one is left to say
    copy = sender_copy(PAIRED)
    for n in range(12):
        plan = plan_sequence(_prospect(f"l{n}"), PAIRED, copy, today=TODAY, language="en",
                             values=copy.values, proofs=copy.proofs)
        assert plan.value_last is not None and plan.proof_last is not None
        said = {plan.value_lead.id if plan.value_lead else None}
        left = [v for v in copy.values if v.id not in said]
        if any(v.words & plan.proof_last.words for v in left):
            assert plan.value_last.words & plan.proof_last.words, (n, plan.value_last.id,
                                                                   plan.proof_last.id)
