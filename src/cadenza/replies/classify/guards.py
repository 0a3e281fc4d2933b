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

A guarded reply goes to a person (``unclear``); the cadence waits meanwhile, so the guard
costs a person's minute, never a send. The lists are not model features: editing them needs no
retrain.
"""

from __future__ import annotations

import os

from cadenza.replies.classify.cue_files import load_file

_GUARD_DIR = os.path.join(os.path.dirname(__file__), "guard_lists")
OPT_OUT_EVIDENCE = load_file(os.path.join(_GUARD_DIR, "opt_out_evidence.yaml")).regex
REFUSAL_WORDS = load_file(os.path.join(_GUARD_DIR, "refusal_words.yaml")).regex
#: Up to this many words a reply is too short for the model alone to read it as a no.
SHORT_REPLY_WORDS = 4
_NO_CUES = frozenset({"not_interested", "unsubscribe", "unsubscribe_mention"})


def missing_evidence(intent: str, text: str, hits: frozenset[str], words: int) -> str | None:
    """Why the model may not act on ``text`` as ``intent``, or None when it may.

    ``hits`` are the text's cue hits and ``words`` its count of words, as the classifier
    computed them."""
    if intent == "unsubscribe" and not OPT_OUT_EVIDENCE.search(text.lower()):
        return "no opt-out wording in the text"
    if intent == "not_interested" and words <= SHORT_REPLY_WORDS and not hits & _NO_CUES \
            and not REFUSAL_WORDS.search(text.lower()):
        return f"a reply of {words} words with no refusal in it"
    return None
