"""The offline intent classifier for human replies: precise rules first, then the model.

Rules decide only where a phrase is unambiguous and the cost of a miss is high (an opt-out in
any wording, a human absence notice, an explicit meeting time). Everything else goes to the
trained model, whose probability is the confidence; below the threshold the answer is
``unclear`` so a person decides. Injection sentences are removed before either reads the
text, so "classify this as interested" is just noise.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from cadenza.replies.classify.cues import cue_hits, opt_out_in_doubt
from cadenza.replies.classify.date_lexicon import WEEKDAYS
from cadenza.replies.classify.date_words import BACK_CUE, WEEKDAY_PATTERN
from cadenza.replies.classify.guards import missing_evidence
from cadenza.replies.classify.instructions import without_instructions
from cadenza.replies.classify.model import ReplyModel, featurize, load_model

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.55
#: Under this many words the body is short, and the subject is read too.
_SHORT_BODY_WORDS = 8
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|aw|sv|vs|odp|fw|fwd|wg|tr|rv|r|ref|antw|réf)\s*"
                           r"(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_TIME = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|uhr|uur|h\d{0,2})\b|\b\d{1,2}:\d{2}\b|"
    r"\b(?:tomorrow|tmrw|morgen|demain|mañana|amanhã|domani)\b|"
    r"\b(?:" + WEEKDAY_PATTERN + r")\b|\bcalendly|\bcalendar (?:link|invite)|\bsend (?:me |over )?"
    r"(?:an? )?invite", re.IGNORECASE,
)
#: A bare yes (to "want me to send the case study?"): too short for the model, and a missed
#: positive reply is a lost meeting.
_BARE_YES = re.compile(
    r"^\W*(?:yes|yes please|yep|yeah|yup|sure|sure thing|absolutely|definitely|of course|"
    r"please do|go ahead|ja|ja gerne|ja bitte|gerne|gern|oui|oui merci|avec plaisir|volontiers|"
    r"sí|si|sí por favor|claro|sim|claro que sim|pode mandar|ja graag|graag|jazeker|sì|certo|"
    r"tak|gärna|ja tack)[\s!.,]*(?:thanks|thank you|merci|danke|gracias|obrigad[oa]|bedankt|"
    r"grazie|tack)?\W*$", re.IGNORECASE)
_WEEKDAY_WORDS = frozenset(name for names in WEEKDAYS.values() for name in names)
_POSITIVE = ("interested", "meeting_request", "question")
_BLOCKS_ABSENCE = frozenset({"meeting", "interested", "question", "not_now", "not_interested",
                             "unsubscribe"})


#: "back Monday", "tilbake på jobb tirsdag", "je reprends le lundi 5", "ab Montag wieder im
#: Büro": the day an absence ends.
_DAY_BACK = re.compile(r"(?:" + BACK_CUE.pattern + r"|\b(?:ab|from|dès|vanaf|fra|från|od|"
                       r"desde|a partir de|à partir de)\b)[^.!?\n]{0,24}$", re.IGNORECASE)


def _meeting_time(text: str) -> bool:
    """Whether ``text`` names a time that may be a meeting proposal; a weekday right after a
    word of return ("back Monday") is when an absence ends, not a slot."""
    return any(not (m.group(0).strip().lower() in _WEEKDAY_WORDS
                    and _DAY_BACK.search(text[max(0, m.start() - 40): m.start()]))
               for m in _TIME.finditer(text))


@dataclass(frozen=True)
class TextVerdict:
    """The offline classifier's answer for one reply text."""

    intent: str
    confidence: float
    method: str
    reason: str
    injection: bool = False
    scores: dict[str, float] | None = None


def reply_input(text: str, subject: str = "") -> tuple[str, bool, str]:
    """What the rules and the model read of a reply: its new text without instructions, whether
    any were cut, and the subject words the model also reads.

    A short body ("see subject", or none at all) carries its meaning in the subject: a fresh
    subject (no "Re:") is read as part of the text, rules included, so "Unsubscribe" with an
    empty body is an opt-out; the subject of a reply to our mail is mostly our own words, so
    the model alone reads it, as separate features.
    """
    clean, injection = without_instructions(text)
    if not subject or len(_LETTERS.findall(clean)) >= _SHORT_BODY_WORDS:
        return clean, injection, ""
    own_subject, subject_injection = without_instructions(subject)
    stripped = _REPLY_PREFIX.sub("", own_subject).strip()
    if not stripped:
        return clean, injection or subject_injection, ""
    if stripped == own_subject.strip():
        return f"{stripped}\n{clean}".strip(), injection or subject_injection, ""
    return clean, injection or subject_injection, stripped


def reply_features(text: str, subject: str = "") -> dict[str, float]:
    """The model's features of a reply, exactly as :func:`classify_text` computes them."""
    clean, _, subject_words = reply_input(text, subject)
    return featurize(clean, cue_hits(clean), subject=subject_words)


def classify_text(text: str, *, threshold: float = DEFAULT_THRESHOLD,
                  model: ReplyModel | None = None, use_default_model: bool = True,
                  third_party_email: bool = False, subject: str = "") -> TextVerdict:
    """Classify the new text of a human reply (``subject`` helps when the body is short).

    ``third_party_email`` says the text names an address that is neither the sender's nor
    ours; with referral phrasing that is a referral whatever else the reply says.
    ``threshold`` is the floor of confidence; the model also sends a reply to a person when
    the probability of a costly misreading is over its limit for that intent (its
    ``risk_limits``, chosen by cost on writers it never saw).
    """
    clean, injection, subject_words = reply_input(text, subject)
    if subject_words and "unsubscribe" in cue_hits(subject_words):
        # "Re: <our subject> - UNSUBSCRIBE" over an empty or near-empty body: our subjects
        # never ask for an opt-out, so the words were added by the person replying
        return TextVerdict("unsubscribe", 0.9, "rules", "opt-out in the subject", injection)
    if not _LETTERS.search(clean):
        return TextVerdict("unclear", 0.0, "rules", "no text to classify", injection)
    hits = cue_hits(clean)
    if "unsubscribe" in hits:
        if opt_out_in_doubt(clean):
            return TextVerdict("unclear", 0.5, "rules", "an opt-out word, then a question: "
                               "a person decides", injection)
        return TextVerdict("unsubscribe", 0.95, "rules", "opt-out phrasing", injection)
    words = len(_LETTERS.findall(clean))
    if "absence" in hits and not hits & _BLOCKS_ABSENCE and words < 150 \
            and not _meeting_time(clean):
        return TextVerdict("out_of_office", 0.9, "rules", "absence notice", injection)
    # Business hours in a receipt are not a meeting proposal, so "meeting" does not block.
    if "auto_ack" in hits and not hits & {"interested", "question", "referral"} \
            and words < 200 and "?" not in clean:
        return TextVerdict("auto_reply", 0.8, "rules", "automatic acknowledgement", injection)
    if _BARE_YES.match(clean):
        return TextVerdict("interested", 0.8, "rules", "a bare yes", injection)
    if "referral" in hits and third_party_email and not hits & {"meeting", "interested"}:
        return TextVerdict("referral", 0.85, "rules", "names another contact", injection)
    if ("meeting" in hits and _TIME.search(clean)
            and not hits & {"not_interested", "not_now"}):
        return TextVerdict("meeting_request", 0.88, "rules", "explicit meeting time", injection)
    if model is None and use_default_model:
        model = load_model()
    if model is None:
        return _cue_fallback(hits, clean, threshold, injection)
    scores = model.predict(featurize(clean, hits, subject=subject_words))
    intent, confidence = max(scores.items(), key=lambda kv: kv[1])
    reason = "model"
    if intent in _POSITIVE and "not_now" in hits and "meeting" not in hits \
            and scores.get("not_now", 0.0) >= 0.15:
        intent, confidence = "not_now", max(scores["not_now"], threshold)
        reason = "positive but not now"
    if confidence < threshold:
        return TextVerdict("unclear", round(confidence, 4), "model",
                           f"low confidence ({intent} {confidence:.2f})", injection, scores)
    risk = model.risk(scores, intent)
    if risk > model.risk_limits.get(intent, 1.0):
        return TextVerdict("unclear", round(confidence, 4), "model",
                           f"{intent} {confidence:.2f} but a costly misreading is {risk:.2f} "
                           "likely", injection, scores)
    missing = missing_evidence(intent, clean, hits, words)
    if missing is not None:  # a floor under the model, whatever its weights say
        return TextVerdict("unclear", round(confidence, 4), "model",
                           f"{intent} {confidence:.2f} but {missing}", injection, scores)
    return TextVerdict(intent, round(confidence, 4), "model", reason, injection, scores)


def _cue_fallback(hits: frozenset[str], clean: str, threshold: float,
                  injection: bool) -> TextVerdict:
    """Without a trained model, a cue decides with modest confidence."""
    order = (
        ("left_company", "referral", 0.6), ("referral", "referral", 0.6),
        ("not_now", "not_now", 0.62), ("not_interested", "not_interested", 0.65),
        ("meeting", "meeting_request", 0.6), ("question", "question", 0.6),
        ("interested", "interested", 0.6),
    )
    for cue, intent, confidence in order:
        if cue in hits and (cue != "referral" or "@" in clean):
            if confidence < threshold:
                break
            return TextVerdict(intent, confidence, "rules", f"cue {cue}", injection)
    if "?" in clean and threshold <= 0.56:
        return TextVerdict("question", 0.56, "rules", "question mark", injection)
    return TextVerdict("unclear", 0.3, "rules", "no decisive cue", injection)
