"""Floors under the model: what a reply's text must hold before the model may act on it.

The model is trained to be right on average; these guards make two costly readings impossible
whatever its weights say (a retrain once learned to read "Earlier mail" as an opt-out at 0.94
and "thanks" as not interested, which no held-out figure showed):

- an **opt-out** is acted on only when the text holds some opt-out evidence — a word of
  removal, unsubscribing, stopping, lists, data-protection law, spam or "no more mails" in any
  of the eleven languages (``guard_lists/opt_out_evidence.yaml``, broad on purpose: it is a
  floor, not a rule that acts);
- a **no** to a reply of a few words is acted on only when a not-interested (or opt-out) phrase
  or a word of refusal is there (``guard_lists/refusal_words.yaml``: "nope", "nein", "nej" …):
  a two-word reply carries too little for the model's reading alone to stop a prospect who may
  have meant "thanks, got it".

- nothing but an **opt-out** is acted on when the text asks in so many words to be removed or
  not written to ("remove me", "take us off", "stop emailing", "entfernen Sie mich":
  ``guard_lists/removal_request.yaml``, narrow on purpose): "who gave you this email?? remove
  it. now." read as a question would have left the address open, and one such reading set the
  question's risk limit so low that most questions went to a person;
- a **no** ("not now", "not interested") is acted on only when the reply asks to be sent
  nothing ("mi mandi pure il caso di studio", "send em over", "stuur maar door wat je hebt":
  ``guard_lists/send_request.yaml``): a request for material is interest, however the model
  reads the rest; nor is "not interested" acted on when the reply says, un-negated, that it is
  ("…, interessa-me", "I'd be interested", ``guard_lists/stated_interest.yaml``);
- an **absence** is acted on only when the reply asks to be sent nothing ("… I'm in. If it's
  'contact us for pricing', I'm out. Send me a proper proposal": a new writer's conditional
  yes, read as an absence at 0.71 — the cadence would have waited for a return date) and does
  not ask for another time ("Thursday I'm travelling. Can we move it to Monday 23rd, same
  time?" is a meeting moved, not an absence notice, however sure the model is: read as one,
  the meeting is lost while the cadence waits for a return date).

A guarded reply goes to a person (``unclear``); the cadence waits meanwhile, so the guard
costs a person's minute, never a send. The lists are not model features: editing them needs no
retrain.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from cadenza.replies.classify.cue_files import load_file
from cadenza.replies.classify.date_words import WEEKDAY_PATTERN

_GUARD_DIR = os.path.join(os.path.dirname(__file__), "guard_lists")
OPT_OUT_EVIDENCE = load_file(os.path.join(_GUARD_DIR, "opt_out_evidence.yaml")).regex
REFUSAL_WORDS = load_file(os.path.join(_GUARD_DIR, "refusal_words.yaml")).regex
REMOVAL_REQUEST = load_file(os.path.join(_GUARD_DIR, "removal_request.yaml")).regex
SEND_REQUEST = load_file(os.path.join(_GUARD_DIR, "send_request.yaml")).regex
STATED_INTEREST = load_file(os.path.join(_GUARD_DIR, "stated_interest.yaml")).regex
OPT_OUT_TURN = load_file(os.path.join(_GUARD_DIR, "opt_out_turn.yaml")).regex
OPT_OUT_LINK = load_file(os.path.join(_GUARD_DIR, "opt_out_link.yaml")).regex
#: How far either side of an opt-out word a link or button is looked for.
_LINK_REACH = 25
#: What a reply asking to be removed may not be acted on as: whatever keeps writing to the
#: person, or stops without suppressing the address.
_NOT_AN_OPT_OUT = frozenset({"interested", "meeting_request", "question", "referral",
                             "not_now", "not_interested"})
#: Up to this many words a reply is too short for the model alone to read it as a no.
SHORT_REPLY_WORDS = 4
_NO_CUES = frozenset({"not_interested", "unsubscribe", "unsubscribe_mention"})
#: A question naming a day or a time: "Can we move it to Monday 23rd?", "Könnten wir auf
#: Dienstag 10 Uhr verschieben?" (one sentence, up to its question mark).
_ASKS_ANOTHER_TIME = re.compile(
    r"(?i)(?:\b(?:" + WEEKDAY_PATTERN + r")\b|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:am|pm|uhr|h)\b|"
    r"\bsame time\b|\btomorrow\b|\bmorgen\b|\bdemain\b|\bmañana\b|\bdomani\b)[^.!?\n]{0,80}\?")


def opt_out_beside_question(text: str, hits: Sequence[tuple[int, int]]) -> bool:
    """Whether every opt-out word at ``hits`` (start and end offsets, at least one) sits
    beside a question in a reply that does not ask in so many words to be removed: followed
    by a turn and a question ("…
    hätte ich fast geklickt. Aber eine Frage doch: …?"), or naming our link or button in a
    reply that asks something ("Where does your data come from? … P.S. the unsubscribe link
    in your footer 404s").

    Read as an opt-out, the prospect who asked is lost; read as a question, a real opt-out
    would be written to again: neither reading may be acted on without a person, whatever the
    cue lists or the model say. Six such replies of three new writers were read as opt-outs.
    """
    low = text.lower()
    question = low.rfind("?")
    if not hits or question < 0 or REMOVAL_REQUEST.search(low):
        return False
    return all(OPT_OUT_LINK.search(low[max(0, start - _LINK_REACH): end + _LINK_REACH])
               or (question > end and OPT_OUT_TURN.search(low, end, question) is not None)
               for start, end in hits)


def missing_evidence(intent: str, text: str, hits: frozenset[str], words: int) -> str | None:
    """Why the model may not act on ``text`` as ``intent``, or None when it may.

    ``hits`` are the text's cue hits and ``words`` its count of words, as the classifier
    computed them."""
    low = text.lower()
    if intent == "unsubscribe" and not OPT_OUT_EVIDENCE.search(low):
        return "no opt-out wording in the text"
    if intent in _NOT_AN_OPT_OUT and REMOVAL_REQUEST.search(low):
        return "it asks to be removed"
    if intent in ("not_now", "not_interested", "out_of_office") and SEND_REQUEST.search(low):
        return "it asks to be sent something"
    if intent == "not_interested" and STATED_INTEREST.search(low):
        return "it says it is interested"
    if intent == "out_of_office" and _ASKS_ANOTHER_TIME.search(text):
        return "it asks for another time"
    if intent == "not_interested" and words <= SHORT_REPLY_WORDS and not hits & _NO_CUES \
            and not REFUSAL_WORDS.search(low):
        return f"a reply of {words} words with no refusal in it"
    return None
