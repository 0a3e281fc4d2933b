"""Person names as a person would write them in a greeting.

CRM exports hold names in ALL CAPS, all lower case, with stray spaces, invisible characters, or
not a name at all ("{{first_name}}", "Sales Team", an instruction to the model). A greeting with a
wrong name is worse than "Hi there,", so anything doubtful becomes ``None`` and the drafter falls
back to a nameless greeting. Names are never guessed from email addresses.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from cadenza.prospects import ProspectIn
from cadenza.writing.links import contact_spans
from cadenza.writing.safety import (
    breaks_line,
    clean_line,
    has_instruction,
    has_markup,
    mixed_script,
)

MAX_NAME_LEN = 40
MAX_NAME_WORDS = 4

#: Lower-case particles of family names (kept lower case unless they start the name).
PARTICLES = frozenset({
    "van", "der", "den", "de", "del", "della", "delle", "dei", "degli", "di", "da", "das", "do",
    "dos", "du", "des", "la", "le", "lo", "von", "zu", "vom", "zum", "zur", "ten", "ter", "te",
    "y", "e", "bin", "ibn", "al", "el", "af", "av", "op", "'t",
})
#: Honorifics: stripped from the front; a value that is only an honorific is no name.
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "herr", "frau", "m", "mme",
    "mlle", "sr", "sra", "srta", "dona", "dom", "dhr", "mevr",
})
#: Values that appear in name columns but are not names.
_NOT_NAMES = frozenset({
    "n/a", "na", "none", "null", "nil", "unknown", "test", "tbd", "-", "first", "last", "name",
    "firstname", "first name", "lastname", "last name", "user", "customer", "sir or madam",
    "team", "sales", "info", "admin", "support", "contact", "hello", "office", "marketing",
    "there", "undefined", "nan", "prospect", "lead", "owner", "hr", "no name", "noreply",
    "sales team", "support team", "the team", "hiring team", "dear", "hi", "hello there",
})
#: Salutation words: "Dear Sir" or "Sehr geehrte Frau" in a name column is not a name.
_SALUTATIONS = frozenset({
    "dear", "hi", "hello", "hey", "to", "whom", "it", "may", "concern", "sehr", "geehrte",
    "geehrter", "liebe", "lieber", "estimado", "estimada", "querido", "querida", "caro", "cara",
    "cher", "chère", "beste", "geachte", "madame", "monsieur", "señor", "señora", "signor",
    "signora", "or",
})
#: Bidirectional overrides reorder what is displayed ("Sam\u202egnp.exe" shows as
#: "Samexe.png"): a name that needs one is a spoof. (Isolates and embeddings, which CRMs put
#: around right-to-left names, are only stripped.)
_BIDI_OVERRIDES = frozenset("\u202d\u202e")
#: "Mac" names that are not Mac+Name (Machado is not MacHado).
_MAC_EXCEPTIONS = frozenset({
    "mack", "macy", "mace", "macey", "machado", "macias", "machin", "mackie", "macedo",
    "macario", "macon", "macha", "machuca", "maciel", "macri", "macek", "macklin", "macau",
})
_ALLOWED_PUNCT = frozenset("'’-. ")
_DIGIT_OR_SYMBOL = re.compile(r"[\d@<>{}\[\]()/\\|#$%^&*_=+~`\"!?;:,]")


def _is_letter(ch: str) -> bool:
    return ch.isalpha() or ch in _ALLOWED_PUNCT or _is_mark(ch)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower() if word else word


def _title_part(part: str, *, first: bool, kind: Literal["first", "last"]) -> str:
    """Title-case one hyphen-free word, honouring particles, O'/D' and Mc/Mac prefixes."""
    low = part.lower()
    if kind == "last" and not first and low in PARTICLES:
        return low
    for sep in ("'", "’"):
        if sep in low:
            head, _, tail = low.partition(sep)
            if kind == "last" and not first and head in {"d", "l", "dell"}:
                return head + sep + _cap(tail)  # de la Tour d'Auvergne
            return _cap(head) + sep + _title_part(tail, first=True, kind=kind)
    if kind == "last" and low.startswith("mc") and len(low) > 3:
        return "Mc" + _cap(low[2:])
    if (kind == "last" and low.startswith("mac") and len(low) > 5
            and low not in _MAC_EXCEPTIONS):
        return "Mac" + _cap(low[3:])
    return _cap(low)


def _fix_case(name: str, kind: Literal["first", "last"]) -> str:
    """Title-case names typed in ALL CAPS or all lower case; leave mixed case alone."""
    cased = [ch for ch in name if ch.isalpha() and (ch.isupper() or ch.islower())]
    if not cased:
        return name  # scripts without case (山田, مريم) are left untouched
    if not (all(c.isupper() for c in cased) or all(c.islower() for c in cased)):
        return name  # "McDonald", "van der Berg", "DeShawn" are already as the person writes
    if len(name) <= 2 and name.isupper() and kind == "first":
        return name  # "JJ", "AJ"; initials stay capitals
    words = name.split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        pieces = word.split("-")
        out.append("-".join(_title_part(p, first=(i == 0 and j == 0) or j > 0, kind=kind)
                            for j, p in enumerate(pieces)))
    return " ".join(out)


def clean_name(value: str | None, *, kind: Literal["first", "last"] = "first") -> str | None:
    """``value`` as a printable person name, or ``None`` when it is not a name.

    Trims and collapses whitespace, drops invisible characters, strips honorifics, fixes all-caps
    or all-lower-case, and refuses digits, addresses, links, markup, instructions, placeholders
    and anything longer than a name can plausibly be.
    """
    if not value:
        return None
    # the drafter and the checker both ask for the same names of a touch
    return _clean_name(value, kind)


@lru_cache(maxsize=4096)
def _clean_name(value: str, kind: Literal["first", "last"]) -> str | None:
    if breaks_line(value) or _BIDI_OVERRIDES.intersection(value):
        return None  # a line break (header injection) or a display spoof
    text = clean_line(value)
    if not text:
        return None
    if len(text) > MAX_NAME_LEN or has_instruction(text) or has_markup(text):
        return None
    if contact_spans(text) or _DIGIT_OR_SYMBOL.search(text) or mixed_script(text):
        return None
    text = text.strip(" .'-’")
    words = text.split(" ")
    if all(w.lower().rstrip(".") in HONORIFICS | _SALUTATIONS for w in words):
        return None  # "Dear Sir", "Sehr geehrte Frau": a salutation, no name in it
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS | _SALUTATIONS:
        words = words[1:]
    text = " ".join(words)
    if not text or len(words) > MAX_NAME_WORDS:
        return None
    if text.lower() in _NOT_NAMES or text.lower().rstrip(".") in HONORIFICS:
        return None
    if not all(_is_letter(ch) for ch in text):
        return None
    if not any(ch.isalpha() for ch in text):
        return None
    if re.search(r"[-'’.]{2,}", text):
        return None
    return _fix_case(text, kind)


def display_first_name(prospect: ProspectIn) -> str | None:
    """The first name to greet ``prospect`` with, or ``None`` for a nameless greeting."""
    name = clean_name(prospect.first_name, kind="first")
    if name is None:
        return None
    if (len(name) == 1 and not _logographic(name)) or (len(name) == 2 and name.endswith(".")):
        return None  # an initial is not a greeting name (伟 is a whole given name, J is not)
    return name


#: A German job title's role noun in its feminine form ("Leiterin", "Geschäftsführerin",
#: "Pflegedirektorin", "Referentin") or its masculine one ("Leiter", "Werkleiter",
#: "Küchendirektor", "Finanzvorstand"): German titles say the holder's gender.
_FEMININE_ROLE = re.compile(r"(?:er|or|ent|ant|eur|ist)in$")
_MASCULINE_ROLE = re.compile(r"(?:leiter|führer|direktor|vorstand|meister|einkäufer|referent|"
                             r"ingenieur|inhaber|gründer|koordinator|berater|disponent|"
                             r"prokurist)$")
_DOCTOR = re.compile(r"(?<!\w)Dr\.")


def formal_name(prospect: ProspectIn) -> str | None:
    """"Frau Hofer" / "Herr Dr. Kersting" for a formal German greeting when the German job
    title says the gender ("Leiterin Einkauf", "Dr. rer. nat., Leiter Probenmanagement"),
    else "Sabine Hofer" ("Guten Tag Sabine Hofer,"), or ``None``.

    Reviewers read "Hallo Sabine" beside "Sie" as a register slip and "Guten Tag Stefanie
    Brandl" as stiff; "Frau Brandl" needs a gender, which only a German title gives here (an
    English title, "Head of Procurement", keeps the full name, correct without one)."""
    first = display_first_name(prospect)
    last = clean_name(prospect.last_name, kind="last")
    if not (first and last and len(last) > 1):
        return None
    title = prospect.title or ""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", title)]
    doctor = "Dr. " if _DOCTOR.search(f"{title} {prospect.first_name or ''}") else ""
    if any(_FEMININE_ROLE.search(w) for w in words):
        return f"Frau {doctor}{last}"
    if any(_MASCULINE_ROLE.search(w) for w in words):
        return f"Herr {doctor}{last}"
    return f"{first} {last}"


def _logographic(ch: str) -> bool:
    """A character that is a whole syllable or word (Han, kana, Hangul), not an initial."""
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK ", "HIRAGANA", "KATAKANA", "HANGUL"))


def display_full_name(prospect: ProspectIn) -> str | None:
    """First and last name for places that need both (LinkedIn tasks, rep views)."""
    first = display_first_name(prospect)
    last = clean_name(prospect.last_name, kind="last")
    parts = [p for p in (first, last) if p]
    return " ".join(parts) or None


_KEEP_UPPER = frozenset({
    "IT", "VP", "CEO", "CTO", "CFO", "COO", "CIO", "CMO", "CRO", "HR", "QA", "AB", "AG", "SA",
    "BV", "NV", "LLC", "LLP", "PLC", "UK", "US", "EU", "EMEA", "APAC", "SVP", "EVP", "AI", "B2B",
    "SaaS", "GMBH", "SE", "AS", "ASA", "OY", "SRL", "SPA", "CX", "UX", "RevOps", "PR", "R&D",
})
_LOWER_WORDS = frozenset({"and", "of", "the", "for", "de", "la", "du", "des", "del", "y", "e",
                          "und", "für", "van", "der", "en", "et", "da", "do", "di", "at", "in"})


def fix_field_case(text: str) -> str:
    """ALL CAPS or all-lower-case company names and titles, title-cased; acronyms kept."""
    cased = [c for c in text if c.isalpha() and (c.isupper() or c.islower())]
    if not cased or not (all(c.isupper() for c in cased) or all(c.islower() for c in cased)):
        return text
    if all(c.isupper() for c in cased) and len(cased) <= 4:
        return text  # "IBM", "SAP": an acronym, not shouting
    out = []
    for i, word in enumerate(text.split(" ")):
        upper = word.upper()
        if upper in _KEEP_UPPER and (word.isupper() or len(word) <= 3):
            out.append("GmbH" if upper == "GMBH" else upper)
        elif i > 0 and word.lower() in _LOWER_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(_cap(p) for p in word.split("-")))
    return " ".join(out)
