"""Which of our six languages a reply is written in.

Stopword hits carry most of the signal even on two-line replies; letters specific to a
language (ß, ñ, ã, ij …) break ties. Pure Python and one pass over the words, because it
runs on every reply. ``None`` means "too little text to say", not "English".
"""

from __future__ import annotations

import re

LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "pt", "nl")

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset([
        "the", "and", "you", "your", "for", "are", "with", "this", "that", "have", "not",
        "thanks", "thank", "please", "will", "would", "can", "we", "our", "us", "is", "it",
        "be", "on", "at", "in", "of", "to", "me", "my", "i'm", "i'll", "don't", "we're", "it's",
        "let", "know", "about", "from", "but", "just", "out", "office", "back", "until", "next",
        "week", "time", "call", "interested", "no", "yes", "right", "person", "contact",
        "regards", "best", "reach", "could", "should", "any", "there", "them", "they", "what",
        "when"
    ]),
    "de": frozenset([
        "der", "die", "das", "und", "ich", "sie", "nicht", "mit", "ist", "ein", "eine", "für",
        "auf", "wir", "uns", "ihr", "ihre", "ihnen", "bitte", "danke", "vielen", "gerne",
        "gern", "noch", "bis", "zum", "zur", "im", "am", "von", "dem", "den", "des", "bin",
        "sind", "haben", "hat", "wird", "werde", "wieder", "keine", "kein", "auch", "aber",
        "oder", "wenn", "dass", "mich", "mir", "meine", "unser", "unsere", "grüße", "gruß",
        "freundlichen", "woche", "nächste", "termin", "büro", "abwesend", "erreichbar"
    ]),
    "fr": frozenset([
        "le", "la", "les", "et", "je", "vous", "nous", "ne", "pas", "est", "une", "des", "du",
        "au", "aux", "pour", "avec", "sur", "dans", "que", "qui", "merci", "bonjour",
        "cordialement", "mon", "ma", "mes", "votre", "vos", "notre", "nos", "suis", "sera",
        "serai", "être", "avez", "avons", "ce", "cette", "mais", "ou", "si", "plus", "jusqu'au",
        "retour", "absent", "semaine", "prochaine", "bien", "très", "aussi", "moi"
    ]),
    "es": frozenset([
        "el", "la", "los", "las", "y", "yo", "usted", "ustedes", "nosotros", "no", "es", "un",
        "una", "del", "al", "para", "con", "por", "en", "que", "gracias", "hola", "saludos",
        "mi", "mis", "su", "sus", "nuestro", "nuestra", "estoy", "estaré", "está", "será",
        "hasta", "semana", "próxima", "pero", "o", "si", "más", "muy", "también", "me", "le",
        "les", "lo", "fuera", "oficina", "vuelta"
    ]),
    "pt": frozenset([
        "o", "a", "os", "as", "e", "eu", "você", "vocês", "nós", "não", "é", "um", "uma", "do",
        "da", "dos", "das", "ao", "para", "com", "por", "em", "que", "obrigado", "obrigada",
        "olá", "atenciosamente", "meu", "minha", "seu", "sua", "nosso", "nossa", "estou",
        "estarei", "está", "será", "até", "semana", "próxima", "mas", "ou", "se", "mais",
        "muito", "também", "me", "lhe", "escritório", "retorno", "ausente"
    ]),
    "nl": frozenset([
        "de", "het", "een", "en", "ik", "u", "je", "jij", "wij", "we", "niet", "is", "zijn",
        "met", "voor", "op", "in", "van", "dat", "die", "dit", "er", "maar", "of", "als", "ook",
        "nog", "bedankt", "dank", "groet", "groeten", "vriendelijke", "hartelijk", "mijn",
        "onze", "uw", "ben", "bent", "wordt", "word", "tot", "week", "volgende", "kantoor",
        "afwezig", "terug", "graag", "geen", "wel", "hebben", "heb", "heeft"
    ]),
}
_CHARS: dict[str, str] = {
    "de": "äöüß", "fr": "èêëçàâîïôûœ", "es": "ñ¿¡", "pt": "ãõç", "nl": "", "en": "",
}
_BIGRAMS: dict[str, tuple[str, ...]] = {
    "nl": ("ij", "oe", "aa", "uu"), "de": ("sch", "ch"), "pt": ("ção", "ões", "nh", "lh"),
    "es": ("ción", "ll"), "fr": ("eau", "oi", "qu'"),
}
_WORD = re.compile(r"[a-zà-ÿœß']+")
_MIN_HITS = 2


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` among en/de/fr/es/pt/nl, or ``None`` when unsure."""
    sample = text[:3000].lower()
    words = _WORD.findall(sample)
    if not words:
        return None
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for word in words:
        for lang in LANGUAGES:
            if word in _STOPWORDS[lang]:
                scores[lang] += 1.0
    for lang, chars in _CHARS.items():
        if chars:
            scores[lang] += 0.6 * sum(sample.count(c) for c in chars)
    for lang, grams in _BIGRAMS.items():
        scores[lang] += 0.05 * sum(sample.count(g) for g in grams)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, score = ranked[0]
    if score < _MIN_HITS and len(words) > 3:
        return None
    if score <= 0:
        return None
    return best
