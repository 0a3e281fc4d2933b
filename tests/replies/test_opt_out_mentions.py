"""An opt-out asked for stops the prospect by rule; one only mentioned does not.

Independent writers' replies showed the rule's costliest errors: a question that mentions
unsubscribing in passing ("I nearly hit unsubscribe, but …") and a newsletter line in the
prospect's own signature were read as opt-outs, and the prospect was lost. These texts are
written here, not taken from the corpus.
"""

from __future__ import annotations

import pytest

from cadenza.replies.classify.classifier import classify_text
from cadenza.replies.classify.cues import cue_hits

MENTIONED = [
    "I was about to hit unsubscribe, but quick one: do you integrate with Exact Online?",
    "Normally I unsubscribe from these without reading. What does the API rate limit look like?",
    "Kurze Frage, bevor ich mich abmelde: gibt es eine DATEV-Schnittstelle?",
    "J'ai failli me désabonner, mais est-ce que ça marche avec Sage ?",
    "Estuve a punto de darme de baja, pero ¿cuánto cuesta para 20 usuarios?",
    "Stavo per disiscrivermi, ma funziona anche con TeamSystem?",
    "Jeg var ved at afmelde mig, men virker det med e-conomic?",
    "Not my area, ask Priya on the data team.\n\nJane\nSign up to our newsletter: you can "
    "unsubscribe at any time.",
    "Thanks, sounds useful, let's talk next week.\n\nTo unsubscribe from Example LLP marketing "
    "communications, visit our website.",
    # a confidentiality footer's "delete it" is no request (eleven languages word it)
    "No gracias, ya tenemos proveedor.\n\nSi usted no es el destinatario, le rogamos que lo "
    "comunique al remitente y proceda a su eliminación. De conformidad con el RGPD, puede "
    "ejercer sus derechos dirigiéndose a dpo@levante.example.",
]

ASKED = [
    "Please unsubscribe me.",
    "I normally ignore these, but remove me from your list now.",
    "Stop emailing me. Who gave you my address?",
    "We require you to cease sending unsolicited marketing communications to our staff.",
    "Bitte nehmen Sie mich aus Ihrem Verteiler.",
    "STOP",
    "Remove both me and my colleague from your mailing lists.",
]


@pytest.mark.parametrize("text", MENTIONED)
def test_a_mentioned_opt_out_is_a_feature_not_a_rule(text: str) -> None:
    hits = cue_hits(text)
    assert "unsubscribe" not in hits
    assert "unsubscribe_mention" in hits
    verdict = classify_text(text, use_default_model=False)
    assert verdict.intent != "unsubscribe" or verdict.method != "rules"


@pytest.mark.parametrize("text", ASKED)
def test_an_opt_out_asked_for_is_decided_by_the_rule(text: str) -> None:
    assert "unsubscribe" in cue_hits(text)
    verdict = classify_text(text, use_default_model=False)
    assert (verdict.intent, verdict.method) == ("unsubscribe", "rules")


@pytest.mark.parametrize("subject", [
    "Re: Quick question about your warehouse - UNSUBSCRIBE",
    "AW: Lagerplanung bei Nordkamm – bitte austragen",
    "Re: Your ROAS - remove me",
])
def test_an_opt_out_added_to_a_reply_subject_over_an_empty_body_stops(subject: str) -> None:
    verdict = classify_text("", subject=subject)
    assert (verdict.intent, verdict.method) == ("unsubscribe", "rules")


def test_a_reply_subject_without_an_opt_out_over_an_empty_body_goes_to_a_person() -> None:
    assert classify_text("", subject="Re: Quick question about your warehouse").intent \
        == "unclear"


@pytest.mark.parametrize("text", [
    "Ikke send meg flere e-poster.",
    "Jeg ønsker ikke å motta flere e-poster fra dere. Vennligst slett meg fra listen.",
    "NO ME INTERESA. BÓRREME DE SU LISTA.",
    "Please remove ana@shop.example from your mailing list.",
    "Unterlassen Sie weitere Zusendungen.",
    "Nous vous prions de la retirer immédiatement de vos listes de diffusion.",
    "Wij verzoeken u dit adres per direct uit uw bestand te verwijderen.",
    "Vi chiedo di non inviarmi più email.",
    "Baja por favor.",
])
def test_formal_short_and_shouted_opt_outs_stop_by_rule(text: str) -> None:
    verdict = classify_text(text)
    assert (verdict.intent, verdict.method) == ("unsubscribe", "rules")


# An opt-out word, then a turn and a question (new writers w29 and w30 wrote four such replies,
# all read as opt-outs): neither reading may be acted on without a person. Written here.
IN_DOUBT = [
    "Ihren Abmelden-Link hätte ich fast schon geklickt. Aber eine Frage doch: woher kommen "
    "Ihre Daten ohne Telematik am Kran?",
    "Your footer says you'll stop emailing if I reply unsubscribe. Fine, but before that - "
    "does it need hardware in the store?",
    "Ik zat al met mijn vinger op de afmeldknop, maar eerst één vraag: koppelen jullie met "
    "AFAS?",
    "Je vois qu'on peut se désabonner, je le ferai peut-être, mais avant : est-ce compatible "
    "avec PrestaShop 8 ?",
]

# Asked in so many words, or with no turn before the question: still opt-outs.
STILL_ASKED = [
    "Remove me from your list. But how did you get my address?",
    "Please unsubscribe me, and who sold you my data?",
    "Entfernen Sie mich sofort aus Ihrem Verteiler. Woher haben Sie meine Adresse?",
    "Unsubscribe. Why do you keep writing?",
]


@pytest.mark.parametrize("text", IN_DOUBT)
def test_an_opt_out_word_then_a_question_goes_to_a_person(text: str) -> None:
    verdict = classify_text(text)
    assert verdict.intent == "unclear" and verdict.method == "rules", verdict
    assert "person decides" in verdict.reason


@pytest.mark.parametrize("text", STILL_ASKED)
def test_an_opt_out_asked_for_beside_a_question_still_stops(text: str) -> None:
    assert classify_text(text).intent == "unsubscribe"


def test_the_llm_path_does_not_act_on_an_opt_out_in_doubt() -> None:
    from cadenza.replies.classify.message import classify_message

    class NeverAsked:
        def complete(self, *args: object, **kwargs: object) -> str:
            raise AssertionError("the rules decide before any LLM is asked")

    raw = ("From: a@b.example\r\nTo: c@d.example\r\nSubject: Re: hello\r\n"
           "Message-ID: <x@b.example>\r\nDate: Mon, 3 Nov 2025 10:00:00 +0000\r\n\r\n"
           + IN_DOUBT[1] + "\r\n").encode()
    result = classify_message(raw, llm=NeverAsked())  # type: ignore[arg-type]
    assert result.classification.intent == "unclear"


def test_a_question_that_names_our_unsubscribe_link_goes_to_a_person() -> None:
    verdict = classify_text("Where does your price data come from, and how far ahead do the "
                            "forecasts go?\n\nP.S. the unsubscribe link in your footer 404s, "
                            "FYI - I'm not using it.")
    assert verdict.intent == "unclear" and "person decides" in verdict.reason, verdict


def test_a_broken_unsubscribe_link_with_a_removal_request_still_stops() -> None:
    assert classify_text("Your unsubscribe link is broken?! Remove me from your list now."
                         ).intent == "unsubscribe"


@pytest.mark.parametrize("text", [
    "and no i dont want to unsubscribe before you ask, just answer the question",
    "I don't want to unsubscribe, I want to know the price.",
])
def test_not_wanting_to_unsubscribe_is_no_opt_out(text: str) -> None:
    assert "unsubscribe" not in cue_hits(text)
