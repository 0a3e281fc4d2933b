"""What the eighth blind round named, on written examples: a statement about one's own fraud
inquiry used as a hook, a CEO stepping back after a cancer diagnosis mailed anyway, and
"your team is growing" right after the company's own redundancies.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.deferral import defer_reason
from cadenza.writing.hooks import build_hooks
from cadenza.writing.sender_copy import sender_copy
from cadenza.writing.sensitive import absence_terms, sensitive_terms

TODAY = dt.date(2026, 12, 7)
SENDER = SenderProfile.model_validate({
    "company": "Tallyworks", "product_name": "Tallyworks Count",
    "product_description": "Tallyworks Count counts returned hire kit from a photo.",
    "value_propositions": [{"id": "vp1", "text": "Returned kit counted from one photo."}],
    "proof_points": [{"id": "pp1", "customer": "Acme Hire", "text": "cut counting time 40% at "
                                                                    "Acme Hire"}]})


def _prospect(company: str, language: str, *facts: tuple[str, str]) -> ProspectIn:
    return ProspectIn.model_validate({
        "id": "p1", "email": "a@b.example", "first_name": "Rui", "last_name": "Sousa",
        "company": company, "language": language,
        "facts": [{"id": f"f{i}", "kind": kind, "text": text, "date": "2026-10-01"}
                  for i, (kind, text) in enumerate(facts, 1)]})


@pytest.mark.parametrize("text", [
    "Ho piena fiducia nella magistratura e nei miei legali. Continueremo a lavorare.",
    "I have full confidence in the judiciary and in my lawyers.",
    "Cofragens do Norte dispensa 25 trabalhadores na unidade de Braga",
])
def test_own_legal_trouble_and_redundancies_are_sensitive(text: str) -> None:
    assert sensitive_terms(text)


@pytest.mark.parametrize("text", [
    "Nach meiner Krebsdiagnose ziehe ich mich für einige Monate aus dem Tagesgeschäft zurück.",
    "Nach dem Tod meines Vaters nehme ich mir ein paar Wochen Auszeit.",
    "I'm stepping back from day-to-day work for a few months.",
])
def test_stepping_back_for_months_is_being_away(text: str) -> None:
    assert absence_terms(text)


def test_a_prospect_stepping_back_is_deferred_whatever_else_the_record_holds() -> None:
    prospect = _prospect(
        "Strasser Schalungstechnik GmbH", "de",
        ("post", "Nach meiner Krebsdiagnose ziehe ich mich für einige Monate aus dem "
                 "Tagesgeschäft zurück. Danke an mein Team."),
        ("news", "Strasser Schalungstechnik setzt weiterhin auf Qualität und Kundennähe."))
    assert defer_reason(prospect, today=TODAY) == "sensitive_record"


def test_no_growing_team_beside_the_companys_own_redundancies() -> None:
    prospect = _prospect(
        "Cofragens do Norte, Lda.", "pt",
        ("hiring", "Anúncio: Responsável de Armazém (Aveiro) – controlo de entradas e saídas."),
        ("news", "Cofragens do Norte dispensa 25 trabalhadores na unidade de Braga"))
    hooks = build_hooks(prospect, SENDER, sender_copy(SENDER), today=TODAY, language="pt")
    assert all(h.parts.event != "hiring" for h in hooks)


def test_another_companys_trouble_leaves_the_hiring_hook() -> None:
    prospect = _prospect(
        "Metalplast Kalisz", "pl",
        ("hiring", "Oferta pracy: Planista Utrzymania Ruchu (Kalisz). Zadania: wdrożenie CMMS."),
        ("news", "Metalplast Gniezno składa wniosek o upadłość"))
    hooks = build_hooks(prospect, SENDER, sender_copy(SENDER), today=TODAY, language="pl")
    assert any(h.parts.event == "hiring" for h in hooks)


def test_each_email_names_other_customers_where_there_are_enough() -> None:
    """Without copy in the prospect's language the customers are what the drafts can name;
    reviewers of rounds 6-8 read the same two names on every touch."""
    from cadenza.writing.drafting import DraftRequest, TemplateDrafter

    sender = SenderProfile.model_validate({
        **SENDER.model_dump(mode="json"),
        "proof_points": [{"id": f"pp{i}", "customer": name, "text": f"{name} counts kit faster"}
                         for i, name in enumerate(("Alder Hire", "Birch Kit", "Cedar Rent",
                                                   "Dune Staging"), 1)],
        "postal_address": "1 Quay Road, Leith", "sender": {"first_name": "Maren"}})
    prospect = _prospect("Gerüstbau Weber GmbH", "de")
    bodies = {}
    for step, channel, template in ((1, "email", "email_opener"),
                                    (2, "email", "email_followup")):
        draft = TemplateDrafter().draft(DraftRequest(
            prospect=prospect, sender=sender, step_number=step, channel=channel,
            template=template, today=TODAY, emailed_before=step > 1,
            previous_subject="Tallyworks Count" if step > 1 else None))
        bodies[step] = draft.body
    named = {step: {n for n in ("Alder Hire", "Birch Kit", "Cedar Rent", "Dune Staging")
                    if n in body} for step, body in bodies.items()}
    assert named[1] and named[2] and not named[1] & named[2], named


def test_a_customer_named_with_its_legal_form_is_still_the_sentences_subject() -> None:
    from cadenza.writing.sender_copy import proof_parts

    parts = proof_parts("pp1", "Brenner Formtechnik cut unplanned mould downtime by 31% in "
                        "the first year.", "Brenner Formtechnik GmbH")
    assert parts is not None
    assert parts.sentence.startswith("Brenner Formtechnik cut unplanned mould downtime")
    assert "that meant" not in parts.sentence


def test_a_topic_is_more_than_one_common_noun() -> None:
    from cadenza.writing.fact_parts import topic_of
    from cadenza.writing.sender_copy import stems

    text = ("Third time this quarter a tool has come off the press with a cracked ejector pin "
            "that should have been caught at service")
    topic = topic_of(text, stems("mould service due by shot count, every tool"))
    assert topic not in ("tool", "caught at service")
    assert topic is None or len(topic.split()) >= 2


def test_a_determiner_noun_and_a_verb_in_s_make_a_sentence() -> None:
    from cadenza.writing.fluency import has_verb

    assert has_verb("The counter tells us, and the toolroom plans its week around it", "en")


@pytest.mark.parametrize(("language", "post_word", "said_word", "quote"), [
    ("fr", "publication", "remarque",
     "Chaque semaine nous recomptons les planchers à la main au dépôt"),
    ("de", "Beitrag", "Aussage", "Jede Woche zählen wir die Gerüstböden im Lager von Hand"),
    ("es", "publicación", "comentario",
     "Cada semana contamos a mano los andamios que vuelven al almacén"),
    ("it", "post", "frase", "Ogni settimana contiamo a mano i ponteggi che tornano in magazzino"),
    ("sv", "inlägg", "kommentar", "Varje vecka räknar vi ställningsdelarna för hand på lagret"),
    ("no", "innlegget", "ommentaren", "Hver uke teller vi stillasdelene for hånd på lageret"),
])
def test_an_interview_quote_is_no_post(language: str, post_word: str, said_word: str,
                                       quote: str) -> None:
    """Round 6 and 8: an interview quoted as "votre publication" / "Ihr Beitrag"."""
    from cadenza.writing.drafting import DraftRequest, TemplateDrafter

    sender = SenderProfile.model_validate({
        **SENDER.model_dump(mode="json"), "postal_address": "1 Quay Road, Leith",
        "sender": {"first_name": "Maren"}})
    for kind, word in (("pain_point", said_word), ("post", post_word)):
        prospect = _prospect("Morel Stillas", language, (kind, quote + "."))
        draft = TemplateDrafter().draft(DraftRequest(
            prospect=prospect, sender=sender, step_number=1, channel="email",
            template="email_opener", today=TODAY))
        assert word in draft.body, (kind, draft.body)
