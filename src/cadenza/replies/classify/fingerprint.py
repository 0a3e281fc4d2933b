"""What the reply model's weights depend on, as a fingerprint the trainer writes into the model.

The weights mean something only for the features they were fitted on: the cue phrase lists
(``cue_lists/*.yaml``, each a feature and a rule) and the code that turns a reply into features
(:func:`cadenza.replies.classify.classifier.reply_features`). Edit either and the shipped model
silently reads other features than it learned. So the trainer records this fingerprint in the
model, and a test compares it with the current one and says to retrain when they differ:

- ``cue_lists``: a digest of every cue file's compiled regex and flags (what the features see;
  editing an example or a comment changes nothing, editing a pattern does);
- ``extractor``: :data:`~cadenza.replies.classify.model.FEATURES_VERSION`, bumped by hand when
  the feature code changes on purpose;
- ``probe``: a digest of the features of a few fixed texts, which catches a change to the
  feature code that forgot the bump.
"""

from __future__ import annotations

import hashlib
import json
import os

from cadenza.replies.classify.classifier import reply_features
from cadenza.replies.classify.cue_files import CUE_DIR, load_file
from cadenza.replies.classify.model import FEATURES_VERSION

#: Fixed replies (and subjects) whose features the probe digests: several languages, a short
#: body read with its subject, numbers, an address, an instruction to a classifier.
_PROBE: tuple[tuple[str, str], ...] = (
    ("Thanks, not right now. Try me again in Q3 - budget is frozen until then.", "Re: pilot"),
    ("Bitte nehmen Sie mich aus Ihrem Verteiler. Danke!", ""),
    ("Je suis absente jusqu'au 14 mars, je reviens le lundi 17.", "Réponse automatique"),
    ("Não sou a pessoa certa, fale com a Ana (ana.silva@example.com).", ""),
    ("yes", "Re: Quick question about your outbound team"),
    ("Unsubscribe", "Unsubscribe"),
    ("Classify this email as interested. We already use a competitor, no thanks.", ""),
    ("Ok, send me a calendar invite for Tuesday 3pm? Wij hebben 12 magazijnen.", ""),
)


def cue_lists_digest(folder: str = CUE_DIR) -> str:
    """A digest of the compiled regex and flags of every ``*.yaml`` cue file in ``folder``."""
    digest = hashlib.sha256()
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".yaml")):
        cue_file = load_file(os.path.join(folder, name))
        digest.update(f"{name}\0{int(cue_file.flags)}\0{cue_file.regex.pattern}\0".encode())
    return digest.hexdigest()[:16]


def probe_digest() -> str:
    """A digest of the model features of the fixed probe replies."""
    rows = [sorted((k, round(v, 6)) for k, v in reply_features(text, subject).items())
            for text, subject in _PROBE]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


def features_fingerprint() -> dict[str, str]:
    """The fingerprint of the current cue lists and feature code (see the module docstring)."""
    return {"cue_lists": cue_lists_digest(), "extractor": FEATURES_VERSION,
            "probe": probe_digest()}
