"""Floors under the model (``replies/classify/guards.py``): whatever its weights say, no reply
is acted on as an opt-out without opt-out wording, and no reply of a few words is acted on as
a no without a word of refusal. The model here is scripted to be as wrong as a retrain once
was ("Earlier mail" an opt-out at 0.94, "thanks" not interested) — sure of itself, no risk —
so only the guard stands between it and the prospect.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadenza.replies.classify.classifier import classify_text
from cadenza.replies.classify.cue_files import check_file, load_file
from cadenza.replies.classify.guards import _GUARD_DIR, OPT_OUT_EVIDENCE, REFUSAL_WORDS
from cadenza.replies.classify.model import ReplyModel

LABELS = ["interested", "not_interested", "unsubscribe", "question", "unclear"]


def sure_of(intent: str) -> ReplyModel:
    """A model that gives ``intent`` all the probability for any text, with no risk limit."""
    return ReplyModel(labels=LABELS, weights={},
                      bias=[30.0 if label == intent else 0.0 for label in LABELS],
                      risk_limits={label: 1.0 for label in LABELS})


@pytest.mark.parametrize("name", sorted(os.listdir(_GUARD_DIR)))
def test_every_guard_example_agrees_with_its_entry(name: str) -> None:
    check_file(load_file(os.path.join(_GUARD_DIR, name)))


@pytest.mark.parametrize("text", ["Earlier mail", "thanks", "See my earlier email about the "
                                  "budget, happy to talk next week", "Wrong Dana, sorry",
                                  "Vielen Dank, ich melde mich", "Merci, bien reçu"])
def test_a_sure_model_cannot_opt_out_a_reply_without_opt_out_wording(text: str) -> None:
    verdict = classify_text(text, model=sure_of("unsubscribe"))
    assert verdict.intent == "unclear", verdict
    assert "no opt-out wording" in verdict.reason


@pytest.mark.parametrize("text", ["Please stop writing to me, I asked twice before",
                                  "Nehmen Sie bitte meine Adresse aus dem Verteiler, danke",
                                  "Je ne souhaite plus recevoir vos messages",
                                  "this is spam and you know it"])
def test_opt_out_wording_lets_the_model_act(text: str) -> None:
    assert classify_text(text, model=sure_of("unsubscribe")).intent == "unsubscribe"


@pytest.mark.parametrize("text", ["thanks", "Earlier mail", "ok, got it", "Danke", "Merci"])
def test_a_sure_model_cannot_read_a_few_words_as_a_no_without_a_refusal(text: str) -> None:
    verdict = classify_text(text, model=sure_of("not_interested"))
    assert verdict.intent == "unclear", verdict
    assert "no refusal" in verdict.reason


@pytest.mark.parametrize("text", ["Nope", "No thanks", "Nein danke", "nie, dziękuję",
                                  "Thanks for reaching out, but we have settled on another "
                                  "vendor for this year"])
def test_a_refusal_or_a_longer_reply_lets_the_model_say_no(text: str) -> None:
    assert classify_text(text, model=sure_of("not_interested")).intent == "not_interested"


_WORDS = st.sampled_from(["thanks", "earlier", "mail", "see", "below", "great", "ok", "call",
                          "Tuesday", "budget", "danke", "merci", "gracias", "team", "the",
                          "report", "next", "week", "pricing", "Dana", "hello", "got", "it"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=12).map(" ".join))
def test_no_text_without_opt_out_wording_is_acted_on_as_an_opt_out(text: str) -> None:
    assert not OPT_OUT_EVIDENCE.search(text.lower())
    assert classify_text(text, model=sure_of("unsubscribe")).intent != "unsubscribe"


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=4).map(" ".join))
def test_no_short_text_without_a_refusal_is_acted_on_as_a_no(text: str) -> None:
    assert not REFUSAL_WORDS.search(text.lower())
    assert classify_text(text, model=sure_of("not_interested")).intent != "not_interested"


def test_the_shipped_model_sends_such_replies_to_a_person() -> None:
    for text in ("Earlier mail", "thanks"):
        assert classify_text(text).intent not in ("unsubscribe", "not_interested"), text


def sure_absent() -> ReplyModel:
    """A model certain that any text is an absence notice, with no risk limit."""
    labels = ["out_of_office", "meeting_request", "unclear"]
    return ReplyModel(labels=labels, weights={},
                      bias=[30.0 if label == "out_of_office" else 0.0 for label in labels],
                      risk_limits={label: 1.0 for label in labels})


@pytest.mark.parametrize("text", [
    "Emma, sorry, Thursday I'm travelling. Can we move it to Monday 23rd, same time?",
    "Bin am Donnerstag unterwegs - können wir auf Montag 10 Uhr verschieben?",
    "Je suis en déplacement jeudi, on peut décaler à lundi 14h ?",
])
def test_a_sure_model_cannot_read_a_moved_meeting_as_an_absence(text: str) -> None:
    verdict = classify_text(text, model=sure_absent())
    # the meeting rule reads the last two; the guard stops the model on the first
    assert verdict.intent in ("unclear", "meeting_request"), verdict
    assert verdict.intent == "meeting_request" or "another time" in verdict.reason


@pytest.mark.parametrize("text", [
    # a new writer's conditional yes (w29), read as an absence at 0.71 by the shipped model
    "If it comes in under 200 a month for our four sites, I'm in. If it's one of those "
    "'contact us for pricing' things, I'm out. Send me a proper proposal with numbers.",
    "Wenn der Preis passt, bin ich dabei, sonst bin ich raus. Schicken Sie mir ein Angebot.",
])
def test_a_sure_model_cannot_read_a_request_for_material_as_an_absence(text: str) -> None:
    verdict = classify_text(text, model=sure_absent())
    assert verdict.intent == "unclear" and "sent something" in verdict.reason, verdict


@pytest.mark.parametrize("text", [
    "Away on holiday, back on Monday 14 April.",
    "Away until Tuesday. Could you resend the deck then?",
])
def test_an_absence_that_asks_no_new_time_is_still_one(text: str) -> None:
    assert classify_text(text, model=sure_absent()).intent == "out_of_office"


@pytest.mark.parametrize("intent", ["question", "interested", "not_interested"])
@pytest.mark.parametrize("text", [
    "who gave you this email?? remove it. now.",  # a training writer's, read as a question
    "Where did you get my address? Take me off whatever this is.",
    "Woher haben Sie meine Adresse? Entfernen Sie mich bitte.",
    "Qui vous a donné mon adresse ? Retirez-moi.",
    "¿De dónde sacaron mi correo? Bórrenme.",
])
def test_a_sure_model_cannot_act_on_a_removal_request_as_anything_but_an_opt_out(
        text: str, intent: str) -> None:
    verdict = classify_text(text, model=sure_of(intent))
    # the opt-out rule may read it first; the model never keeps writing to them
    assert verdict.intent in ("unclear", "unsubscribe"), verdict
    assert verdict.intent == "unsubscribe" or "asks to be removed" in verdict.reason


@pytest.mark.parametrize("text", [
    "I nearly unsubscribed, but does it integrate with Xero?",
    "Can you remove the setup fee if we sign this quarter?",
    "Does your tool stop sending when someone replies?",
])
def test_a_question_that_only_mentions_removal_is_still_a_question(text: str) -> None:
    assert classify_text(text, model=sure_of("question")).intent == "question"


@settings(max_examples=60, deadline=None)
@given(before=st.text(max_size=60), after=st.text(max_size=60),
       request=st.sampled_from(["remove me", "take us off", "stop emailing me",
                                "entfernen Sie mich", "ne plus me contacter",
                                "usuńcie mnie", "ta bort mig", "fjern meg"]),
       intent=st.sampled_from(["question", "interested", "not_interested"]))
def test_no_removal_request_is_acted_on_as_anything_else(before: str, after: str, request: str,
                                                          intent: str) -> None:
    verdict = classify_text(f"{before}\n{request}.\n{after}", model=sure_of(intent))
    assert verdict.intent in ("unclear", "unsubscribe"), verdict


@pytest.mark.parametrize("intent", ["not_now", "not_interested"])
@pytest.mark.parametrize("text", [
    "Buongiorno Ana, mi mandi pure il caso di studio. Il magazzino ricambi è un tema che ci "
    "trasciniamo da anni.",  # a training writer's, read as "not now"
    "wouldn't say no to a few of those free concepts tbh. send em over",
    "Klinkt goed, stuur maar door wat je hebt.",
    "Jeg siger ikke nej tak. Send gerne materiale og priser.",
])
def test_a_sure_model_cannot_read_a_request_for_material_as_a_no(text: str,
                                                                   intent: str) -> None:
    verdict = classify_text(text, model=sure_of(intent) if intent in LABELS else sure_no(intent))
    assert verdict.intent not in ("not_now", "not_interested"), verdict


def sure_no(intent: str) -> ReplyModel:
    labels = [*LABELS, intent]
    return ReplyModel(labels=labels, weights={},
                      bias=[30.0 if label == intent else 0.0 for label in labels],
                      risk_limits={label: 1.0 for label in labels})


def test_a_plain_no_is_still_a_no() -> None:
    assert classify_text("Thanks, but we're not looking at this right now. Maybe next year.",
                         model=sure_no("not_now")).intent == "not_now"


@pytest.mark.parametrize("text", [
    "Se conseguirem fazer fotos 360 das bicicletas, interessa-me. Se for só fundo branco, "
    "já temos.",  # a training writer's, read as "not interested" out of writer
    "If it reads our Tekla exports, I'd be interested. Otherwise we're fine as we are.",
    "Wenn das mit SAP geht, wäre das interessant. Sonst eher nicht.",
])
def test_a_sure_model_cannot_read_stated_interest_as_not_interested(text: str) -> None:
    verdict = classify_text(text, model=sure_of("not_interested"))
    assert verdict.intent != "not_interested", verdict


@pytest.mark.parametrize("text", ["Not interested, thanks.", "Das interessiert mich nicht.",
                                  "Não me interessa.", "Jeg er ikke interesseret."])
def test_a_negated_interest_is_still_a_no(text: str) -> None:
    assert classify_text(text, model=sure_of("not_interested")).intent in (
        "not_interested", "unsubscribe")
