"""Draft languages: which ones Cadenza writes natively, and a tiny detector for fact text.

A German email must not paste an English fact sentence into German grammar, so the drafter asks
what language a fact is written in before quoting it. A stop-word vote is enough for that: facts
are short sentences, and the only question is "same language as the draft, or not".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def unaccented_lower(text: str) -> str:
    """``text`` in lower case without combining accents ("Después" → "despues"; "ø" and "ł",
    letters of their own, stay)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da",
                                         "no")
#: Norwegian written as Bokmål or Nynorsk is drafted in Norwegian (Bokmål).
_ALIASES = {"nb": "no", "nn": "no"}
DEFAULT_LANGUAGE = "en"

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
    "the and of to in for with on is are was has have its their our new by "
                    "from at"
),
    "de": _words(
    "der die das und mit für von ist sind hat ein eine einen im auf neue den "
                    "des dem zu bei nach sucht über"
),
    "fr": _words(
    "le la les et des du une pour avec est sont dans sur nouvelle nouveau au "
                    "aux par à sa ses son leur leurs qui désormais auprès de"
),
    "es": _words(
    "el los las y del una para con es son por nueva nuevo al que sus está "
                    "busca antes de en"
),
    "pt": _words(
    "o os as e do da dos das um uma para com é são no na por nova novo ao que "
                    "seus em está de"
),
    "nl": _words(
    "de het een en van voor met is zijn op nieuwe naar bij ook aan haar "
                    "zoekt"
),
    # only words the other languages of the table do not share: Danish and Norwegian
    # share most of theirs, so each keeps the spellings that tell them apart
    "it": _words("il lo gli della delle degli dei nel nella sono è che anche nuovo nuova "
                 "alla dal ogni su per questo questa nostro nostra nostri siamo abbiamo"),
    "pl": _words("w z się że jest są dla oraz nie od po przez nowe nowy nową który która "
                 "jak"),
    "sv": _words("och att är för inte ett också från till nya utan vid"),
    "da": _words("af mig dig hvad nu blev vores meget"),
    "no": _words("av meg deg hva etter nå ble våre veldig mye"),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def normalize_language(code: str | None) -> str:
    """``"de-DE"``, ``"DE"``, ``"de_AT"`` → ``"de"``; unknown or missing → English."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.strip().lower().replace("_", "-").split("-")[0]
    base = _ALIASES.get(base, base)
    return base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def raw_language(code: str | None) -> str:
    """``"it-IT"`` → ``"it"``: the prospect's language, also one Cadenza has no templates for
    (English when missing)."""
    if not code or not code.strip():
        return DEFAULT_LANGUAGE
    base = code.strip().lower().replace("_", "-").split("-")[0] or DEFAULT_LANGUAGE
    return _ALIASES.get(base, base)


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str | None:
    """The supported language whose stop words ``text`` uses most, or ``None`` if unclear."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    scores = {lang: sum(w in stops for w in words) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] == 0 or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return best
