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
