"""Date patterns compiled once from the word tables in :mod:`.date_lexicon`.

Kept apart from the extraction logic in :mod:`cadenza.replies.classify.dates` so adding a
language is a data change. A month name only counts next to a day number or after a
preposition, because several are everyday words ("may", "mars", "maj").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from cadenza.replies.classify import date_lexicon as lex


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so "bis zum" beats "bis".

    Ties in alphabetical order, so the pattern is the same string in every process (a set's
    order is not), which the model's fingerprint of the cue lists relies on.
    """
    return "|".join(sorted({re.escape(w) for w in words}, key=lambda w: (-len(w), w)))


_MONTH_INDEX = {name: number for number, names in lex.MONTHS.items() for name in names}
MONTH_PATTERN = alternation(_MONTH_INDEX)
# Full month names only (no abbreviations): for a month standing without a day number.
MONTH_WORD_PATTERN = alternation(n for n in _MONTH_INDEX if len(n) > 3 or n in ("mai", "maj",
                                                                                "mei", "may"))
_WEEKDAY_INDEX = {name: number for number, names in lex.WEEKDAYS.items() for name in names}
ANY_WEEKDAY_PATTERN = alternation(_WEEKDAY_INDEX)
COUNT_PATTERN = r"\d{1,2}|" + alternation(lex.NUMBERS)

# The intent cues (cues.py, classifier.py) keep the six-language vocabulary the reply model
# was trained with; the date extraction uses the eleven-language tables above.
WEEKDAY_PATTERN = alternation(
    ("monday", "montag", "lundi", "lunes", "segunda-feira", "maandag", "tuesday", "dienstag",
     "mardi", "martes", "terça-feira", "terca-feira", "dinsdag", "wednesday", "mittwoch",
     "mercredi", "miércoles", "miercoles", "quarta-feira", "woensdag", "thursday", "donnerstag",
     "jeudi", "jueves", "quinta-feira", "donderdag", "friday", "freitag", "vendredi", "viernes",
     "sexta-feira", "vrijdag", "saturday", "samstag", "sonnabend", "samedi", "sábado", "sabado",
     "zaterdag", "sunday", "sonntag", "dimanche", "domingo", "zondag"))
NUMBER_PATTERN = r"\d{1,2}|" + alternation(
    ("a", "an", "one", "two", "three", "four", "five", "six", "eight", "ten", "twelve",
     "a couple of", "couple of", "ein", "eine", "einer", "einem", "einen", "zwei", "drei",
     "vier", "fünf", "sechs", "acht", "zehn", "zwölf", "un", "une", "deux", "trois", "quatre",
     "cinq", "huit", "dix", "douze", "quelques", "una", "uno", "dos", "tres", "cuatro", "cinco",
     "seis", "ocho", "diez", "doce", "um", "uma", "dois", "duas", "três", "oito", "dez", "doze",
     "een", "één", "twee", "drie", "vijf", "zes", "tien", "twaalf"))

RETURN_CUE = re.compile(r"\b(?:" + alternation((*lex.RETURN_WORDS, *lex.AVAILABLE_WORDS,
                                                  *lex.ANSWER_WORDS)) + r")\b")
#: Only the words of coming back ("back on", "zurück am", "tilbage den").
BACK_CUE = re.compile(r"\b(?:" + alternation(lex.RETURN_WORDS) + r")\b")
_LETTERS = "[a-zà-ÿąćęłńóśźż]+"
#: Articles between an "until" word and its date ("bis zum", "hasta el", "do dnia").
UNTIL_ARTICLE = r"(?:(?:the|dem|zum|le|el|o|dia|de|il|lo|la|den|dnia)\s+)?"
UNTIL_CUE = re.compile(
    r"(?:\b(?:" + alternation(lex.UNTIL_WORDS) + r"))\s+"
    + UNTIL_ARTICLE + r"(?:" + _LETTERS + r"\.?,?\s+"
    # a holiday's name in apposition: "til og med 2. påskedag, 21. april", "until Easter
    # Monday, 6 April"
    r"|(?:" + _LETTERS + r"\.?\s+)?(?:\d{1,2}\.\s*)?" + _LETTERS + r"\.?,\s+)?$"
    r"|\s[–-]\s*$"
)
INCLUSIVE = re.compile(r"^\s*,?\s*\(?(?:" + alternation(lex.INCLUSIVE_AFTER) + r")\b")
INCLUSIVE_BEFORE = re.compile(r"(?:^|\W)(?:" + alternation(lex.INCLUSIVE_BEFORE) + r")(?:\W|$)")
CONTACT_CUE = re.compile(r"\b(?:" + alternation(lex.CONTACT_STEMS) + r")")

_PARTS = alternation(lex.PART_WORDS)
# "until September", "end of May", "mid-November", "w styczniu", "i augusti", "a gennaio".
_AFTER = alternation(lex.AFTER_WORDS)
# "say June", "maybe September?", "vielleicht im Mai": a month named on its own, hedged.
_HEDGES = ("say", "maybe", "perhaps", "probably", "around", "roughly", "sometime in",
           "vielleicht", "etwa", "eher", "peut-être", "plutôt", "vers", "quizás", "quizá",
           "tal vez", "hacia", "talvez", "lá para", "misschien", "rond", "forse", "verso",
           "może", "około", "kanske", "omkring", "måske", "kanskje", "rundt")
_FROM = ("ab", "from", "starting", "vanaf", "à partir de", "a partir de", "à partir",
         "a partir", "dal", "da", "od", "från", "fra", "fom", "f.o.m.")
MONTH_ONLY = re.compile(
    r"\b(?P<kind>until|till|through|bis|jusqu'en|jusqu’en|jusqu'à|hasta|até|tot|fino a|"
    r"till och med|til og med|t\.o\.m\.|frem til|fram til|do|in|im|en|em|i|w|we|a|ad|nel|"
    r"til|" + alternation(_FROM) + "|" + _AFTER + "|" + _PARTS + "|" + alternation(_HEDGES)
    + r")(?:\s+|(?<=-))"
    r"(?:(?:de|d'|d’|of|van|di|av|af)\s*)?"
    r"(?P<month>" + MONTH_WORD_PATTERN + r")\b(?!\s*\d{1,2}\b(?![.,]?\s*\d{3}))"
    r"(?:,?\s*(?:de\s+|del\s+)?(?P<year>20\d\d))?"
)
# "mid-Feb", "early Sept": a three-letter month only right after a part of the month (on its
# own "mar", "jan" or "dec" is too often another word)
MONTH_ABBR = re.compile(
    r"\b(?P<kind>mid|early|late)[- ](?P<month>jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"\b\.?(?:\s*(?P<year>20\d\d))?")
# "January, maybe.", "September perhaps": a month said on its own with a hedge after it
MONTH_HEDGED = re.compile(
    r"(?:^|[.!?:]\s+|\n\s*)(?P<month>" + MONTH_WORD_PATTERN + r")\s*,?\s*(?:"
    + alternation(("maybe", "perhaps", "probably", "vielleicht", "peut-être", "quizás",
                   "talvez", "misschien", "forse", "może", "kanske", "måske", "kanskje")) + r")\b"
    # "Hör av dig efter skörden, säg september", "October then, give me a shout",
    # "September is realistic", "sagen wir Oktober": a month named casually as the time
    r"|(?:^|[.!?:,]\s*|\n\s*)(?:"
    + alternation(("say", "let's say", "säg", "sig", "si", "sagen wir", "disons", "digamos",
                   "diciamo", "powiedzmy", "zeg maar", "la oss si", "lad os sige")) + r")\s+"
    r"(?P<month2>" + MONTH_WORD_PATTERN + r")\b"
    r"|(?:^|[.!?:]\s+|\s[-–—]\s+|\n\s*)(?P<month3>" + MONTH_WORD_PATTERN + r")\s*,?\s*"
    r"(?:then|is realistic|would work|works|dann|alors|entonces|então|dan|allora|wtedy|då|så|"
    r"is more realistic)\b")
_MID = {k for k, v in lex.PART_WORDS.items() if v == "mid"}
_END = {k for k, v in lex.PART_WORDS.items() if v == "end"}
_AFTER_SET = set(lex.AFTER_WORDS)
# "till och med oktober", "t.o.m. oktober": the whole month is away, back on the 1st after.
UNTIL_MONTH_INCLUSIVE = {"till och med", "til og med", "t.o.m."}
UNTIL_MONTH = {"until", "till", "through", "bis", "jusqu'en", "jusqu’en", "jusqu'à", "hasta",
               "até", "tot", "fino a", "frem til", "fram til", "do", "til",
               *UNTIL_MONTH_INCLUSIVE}
_ENGLISH_HOMOGRAPHS = {"may", "mar", "march"}  # "I may", "i mars" is Swedish
# "may" is an English verb as well: it is the month only after an English word ("in May",
# "until May", "end of May"), never after another language's preposition ("a may", "do may")
_NOT_ENGLISH_KINDS = {"i", "a", "ad", "do", "en", "em", "w", "we", "im", "nel", "til", "tot",
                      "bis", "hasta", "até", "od", "ab", "dal", "fra", "från", "fom"}


def resolve_month_only(match: re.Match[str], sent: date) -> date | None:
    """First day of the month; the 15th for "mid-"; the next month's first for "end of"."""
    month = month_number(match.group("month"))
    if month is None:
        return None
    kind = match.group("kind")
    if kind == "i" and match.group("month") in _ENGLISH_HOMOGRAPHS:
        return None
    if match.group("month") == "may" and kind in _NOT_ENGLISH_KINDS:
        return None
    if kind in _AFTER_SET:
        month = month % 12 + 1
    year = match.group("year")
    if year:
        start = date(int(year), month, 1)
    else:
        start = _month_start(month, sent) if month != sent.month else date(sent.year, month, 1)
    if kind in _MID:
        value = start.replace(day=15)
        return value if value > sent or year else date(start.year + 1, month, 15)
    if kind in _END or kind in UNTIL_MONTH_INCLUSIVE:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start if start > sent or year else _month_start(month, sent)


def month_number(name: str) -> int | None:
    """1–12 for a month name in any of our languages."""
    return _MONTH_INDEX.get(name.rstrip("."))


def weekday_number(name: str) -> int:
    """0 (Monday) – 6 for a weekday name in any of our languages."""
    return _WEEKDAY_INDEX[name]


def number_value(word: str) -> int | None:
    """An integer written in digits or as a small number word."""
    return int(word) if word.isdigit() else lex.NUMBERS.get(word)


def add_months(value: date, months: int) -> date:
    """``value`` moved by ``months`` calendar months, clamped to the month's last day."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    return date(year, month, min(value.day, calendar.monthrange(year, month)[1]))


def next_monday(sent: date) -> date:
    """The Monday of the week after ``sent``."""
    return sent + timedelta(days=7 - sent.weekday())


def first_of_next_month(sent: date) -> date:
    """The 1st of the month after ``sent``."""
    return date(sent.year + sent.month // 12, sent.month % 12 + 1, 1)


def _month_start(month: int, sent: date) -> date:
    year = sent.year if month > sent.month else sent.year + 1
    return date(year, month, 1)


def _phrase(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + alternation(words) + r")(?!\w)")


RELATIVE_DAY: tuple[tuple[re.Pattern[str], Callable[[date], date]], ...] = (
    (re.compile(r"\b(?:tomorrow|demain|amanhã|amanha|domani|jutro|imorgon|i morgon|i morgen)\b|"
                r"(?<!guten )(?<!goede )(?<!i )\bmorgen\b|(?<!la )(?<!pasado )\bmañana\b"),
     lambda d: d + timedelta(days=1)),
    (re.compile(r"\b(?:übermorgen|après-demain|pasado mañana|depois de amanhã|overmorgen|"
                r"day after tomorrow|dopodomani|pojutrze|i övermorgon|i overmorgen)\b"),
     lambda d: d + timedelta(days=2)),
    (_phrase(lex.NEXT_WEEK), next_monday),
    (_phrase(lex.REST_OF_WEEK), next_monday),
    (_phrase(lex.NEXT_MONTH), first_of_next_month),
    (_phrase(lex.REST_OF_MONTH), first_of_next_month),
    (_phrase(lex.REST_OF_YEAR), lambda d: date(d.year + 1, 1, 1)),
)
#: Read in absence notices only: "away this week", "out for two weeks", "za tydzień".
THIS_WEEK = _phrase(lex.THIS_WEEK)
TODAY = _phrase(lex.TODAY)
NEXT_WEEK_CUE = re.compile(r"(?:" + alternation((*lex.NEXT_WEEK, "week after next",
                                                 "übernächste", "over twee weken")) + r")")

_UNIT_INDEX = {word: unit for unit, words in lex.UNIT_WORDS.items() for word in words}
IN_UNITS = re.compile(
    r"(?<!\w)(?:" + alternation(lex.IN_WORDS) + r")\s+(?:(?:ca\.?|about|etwa|environ|unas?|"
    r"umas?|uns|cerca de|circa|około|omkring|ungefär|cirka)\s+)?(" + COUNT_PATTERN + r")"
    # "in 6–8 weeks", "in three or four weeks": the first of the two (as the writers read it)
    r"(?:\s*[–-]\s*(?:" + COUNT_PATTERN + r")|\s+(?:or|to|oder|bis|ou|à|a|o|y|of|tot|eller|"
    r"lub|do|till|til)\s+(?:" + COUNT_PATTERN + r"))?\s+"
    r"(" + alternation(_UNIT_INDEX) + r")\b"
)


FOR_UNITS = re.compile(
    r"(?<!\w)(?:" + alternation(lex.FOR_WORDS) + r")\s+(" + COUNT_PATTERN + r")\s+"
    r"(" + alternation(_UNIT_INDEX) + r")\b"
)
#: Polish has no article: "za miesiąc", "za tydzień" are one month, one week.
ONE_UNIT = re.compile(r"(?<!\w)za\s+(miesiąc|tydzień|tydzien|rok)(?!\w)")


def unit_of(word: str) -> str:
    """"day", "week", "month" or "year" for a unit word of :data:`IN_UNITS`."""
    return _UNIT_INDEX[word]


WEEK_NUMBER = re.compile(
    r"(?<!\w)(?:(?:" + alternation(lex.WEEK_WORDS) + r")\.?\s*(?:nr\.?\s*|no\.?\s*)?"
    r"|v\.?\s?(?=\d))(\d{1,2})(?!\s*[–-]\s*\d)(?![\d.,:/]\d)\b"
    r"|(?<![\d.])(\d{1,2})\.\s*(?:" + alternation(lex.WEEK_WORDS) + r")\b"
)


def resolve_week(match: re.Match[str], sent: date) -> date | None:
    """The Monday of ISO week N: this year's if still ahead of ``sent``, else next year's."""
    week = int(match.group(1) or match.group(2))
    if not 1 <= week <= 53:
        return None
    for year in (sent.year, sent.year + 1):
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            continue
        if monday + timedelta(days=6) >= sent:
            return monday
    return None
