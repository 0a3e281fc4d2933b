"""Periods a "not now" reply points to: quarters, half-years, years, seasons and holidays.

By the corpus's labeling rules a period resolves to its first day ("Q3" → 1 July, "segundo
semestre" → 1 July, "after Easter" → Easter Monday, "after the summer" → 1 September), the
next one after the message's ``Date`` unless a year is written. "After <period>" is the start
of the following one ("etter første kvartal" → 1 April).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from cadenza.replies.classify import date_lexicon as lex
from cadenza.replies.classify.date_words import add_months, alternation
from cadenza.writing.language import unaccented_lower

Rule = tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]]

_AFTER_BEFORE = re.compile(
    r"(?:\b(?:" + alternation(lex.AFTER_WORDS) + r")|\buntil|\bbis|\bfino a)\s+"
    r"(?:(?:the\s+)?end\s+of\s+|(?:dem\s+)?ende\s+(?:des\s+)?|(?:la\s+)?fin(?:e)?\s+(?:del?\s+)?|"
    r"(?:el\s+|o\s+)?(?:final|fim)\s+(?:del?|do)\s+|(?:het\s+)?einde\s+van\s+(?:het\s+)?|"
    r"the\s+|dem\s+|der\s+|le\s+|la\s+|el\s+|o\s+|a\s+|il\s+|het\s+|końcu\s+|slutet\s+av\s+|"
    r"udgangen\s+af\s+|slutten\s+av\s+)?$"
)
_END_BEFORE = re.compile(
    r"(?:\b(?:the\s+)?end\s+of|\bende|\bende\s+des|\bfin|\bfine|\bfin\s+du|\bfinal\s+del?|"
    r"\bfinales\s+del?|\bfim\s+do|\bfinal\s+do|\beind|\beinde\s+van(?:\s+het)?|\bkońcem|"
    r"\bkoniec|\bpod\s+koniec|\bslutet\s+av|\budgangen\s+af|\bslutningen\s+af|"
    r"\bslutten\s+av|\butgangen\s+av|\blate|\bultimo)\s+(?:the\s+|del\s+|do\s+|)$"
)
_YEAR_AFTER = r"(?:\s*(?:of\s+|de\s+|do\s+|del\s+|van\s+|des\s+|di\s+|/|-|r\.\s*)?('?\d{2,4})\b)?"


def easter(year: int) -> date:
    """Easter Sunday (Gregorian), by the anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


# "back after Easter", "zurück nach Ostern", "rientro dopo Pasquetta", "frem til etter påske":
# an absence over Easter ends on the first working day after Easter Monday, a public holiday
# in nearly every country we write to (an American office that works it is back a day early)
_AFTER_EASTER = re.compile(
    r"\b(?:after|nach|après|apres|después de|despues de|depois d[aeo]|dopo|na|po|efter|etter)"
    r"\s+(?:(?:the|den|la|le|el|a|o|il|de)\s+)?(?:[^\W\d]+\s+)?"
    r"(?:easter|ostern|oster\w*|påsk\w*|pâques|paques|pascua|semana santa|páscoa|pascoa|pasen|"
    r"paas\w*|pasqua|pasquetta|wielkanoc\w*|świętach wielkanocnych|swietach wielkanocnych)"
)


def after_easter_return(low: str, sent: date) -> date | None:
    """The Tuesday after Easter Monday when an absence notice says it is away until after
    Easter; ``None`` when it does not say so."""
    if not _AFTER_EASTER.search(low):
        return None
    return _next(sent, lambda year: easter(year) + timedelta(days=2))


def _next(sent: date, make: Callable[[int], date]) -> date:
    """The first of ``make(sent.year)``, ``make(sent.year + 1)`` after ``sent``."""
    value = make(sent.year)
    return value if value > sent else make(sent.year + 1)


def _year(text: str | None) -> int | None:
    text = (text or "").lstrip("'")
    if not text:
        return None
    year = int(text)
    year = year + 2000 if year < 100 else year
    return year if 2000 <= year <= 2100 else None


def follows(before: str) -> bool:
    """Whether ``before`` ends so that the period named next is over: "after Q1", "until
    week 36", "until the end of H1", and "end of Q1" alone (as "end of May" is 1 June)."""
    before = before[-40:]
    return bool(_AFTER_BEFORE.search(before) or _END_BEFORE.search(before))


def _after(match: re.Match[str]) -> bool:
    return follows(match.string[max(0, match.start() - 40): match.start()])


#: "locked until Q3", "a freeze until H2": until the period begins (its first day), unlike
#: "until the end of Q3" or "after Q3".
_UNTIL_ONLY = re.compile(r"(?:\buntil|\btill|\bbis|\bfino al?|\bjusqu'(?:au|à|en)|\bhasta(?: el)?|"
                         r"\baté(?: ao)?|\btot|\bdo|\bfram till|\bfrem til)\s+(?:the\s+)?$")


def _period_after(match: re.Match[str]) -> bool:
    """Whether a quarter or half named at ``match`` is over when contact is wanted."""
    before = match.string[max(0, match.start() - 40): match.start()]
    return _after(match) and not _UNTIL_ONLY.search(before)


def _period_start(first_month: int, months: int, year: int | None, after: bool,
                  sent: date) -> date:
    """First day of a period (or of the one after it), the next one unless ``year`` is set."""
    def make(y: int) -> date:
        start = date(y, first_month, 1)
        return add_months(start, months) if after else start
    if year is not None:
        return make(year)
    value = make(sent.year)
    if value <= sent:
        value = make(sent.year + 1)
    return value


_ORD = alternation(lex.ORDINALS)
_QUARTER_WORD = alternation(lex.QUARTER_WORDS)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
QUARTER = re.compile(
    r"(?<!\w)(?:q([1-4])|([1-4])q|t([1-4])|([1-4])t"
    r"|([1-4])\.?\s*(?:st|nd|rd|th|er|e|ème|eme|º|°|o)?\s*(?:" + _QUARTER_WORD + r")"
    r"|(?:" + _QUARTER_WORD + r")\s+([1-4])(?!\d)"
    r"|(iv|iii|ii|i)\.?\s+(?:kwarta\w*|quartal)"
    r"|(" + _ORD + r")\s+(?:" + _QUARTER_WORD + r"))(?!\w)" + _YEAR_AFTER
)


def _resolve_quarter(match: re.Match[str], sent: date) -> date | None:
    digits = next((g for g in match.groups()[:6] if g), None)
    if digits:
        quarter = int(digits)
    elif match.group(7):
        quarter = _ROMAN[match.group(7)]
    else:
        quarter = lex.ORDINALS.get(match.group(8) or "", 0)
    if not quarter:
        return None
    return _period_start(3 * (quarter - 1) + 1, 3, _year(match.group(9)), _period_after(match),
                         sent)


HALF = re.compile(
    r"(?<!\w)(?:h([12])|([12])h|([12])\.?\s*(?:st|nd|e|º|o)?\s*(?:" + alternation(lex.HALF_WORDS)
    + r")|(" + _ORD + r")\s+(?:half(?:\s+of)?(?:\s+the\s+year)?|" + alternation(lex.HALF_WORDS)
    + r"))(?!\w)" + _YEAR_AFTER
)


def _resolve_half(match: re.Match[str], sent: date) -> date | None:
    digits = next((g for g in match.groups()[:3] if g), None)
    half = int(digits) if digits else lex.ORDINALS.get(match.group(4) or "", 0)
    if half not in (1, 2):
        return None
    return _period_start(1 if half == 1 else 7, 6, _year(match.group(5)), _period_after(match),
                         sent)


def _phrase(words: tuple[str, ...]) -> re.Pattern[str]:
    """The phrases, also as people type them without accents ("despues de Reyes", "apres
    Paques")."""
    bare = tuple(w for w in (unaccented_lower(w) for w in words) if w not in words)
    return re.compile(r"(?<!\w)(?:" + alternation((*words, *dict.fromkeys(bare))) + r")(?!\w)")



def _next_quarter(_: re.Match[str], sent: date) -> date:
    quarter = (sent.month - 1) // 3 + 2
    if quarter > 4:
        return date(sent.year + 1, 1, 1)
    return date(sent.year, 3 * (quarter - 1) + 1, 1)


def _holiday(kind: str) -> Callable[[re.Match[str], date], date]:
    makers: dict[str, Callable[[int], date]] = {
        "sep1": lambda y: date(y, 9, 1),
        "jan1": lambda y: date(y, 1, 1),
        "jan7": lambda y: date(y, 1, 7),
        "aug16": lambda y: date(y, 8, 16),
        "may4": lambda y: date(y, 5, 4),
        "labor": lambda y: date(y, 9, 1) + timedelta(days=(7 - date(y, 9, 1).weekday()) % 7 + 1),
        "easter": lambda y: easter(y) + timedelta(days=1),
        "easter_tue": lambda y: easter(y) + timedelta(days=2),
        "ash": lambda y: easter(y) - timedelta(days=46),
        "toussaint": lambda y: date(y, 11, 2) + timedelta(days=(7 - date(y, 11, 2).weekday()) % 7),
        "janmon": lambda y: date(y, 1, 2) + timedelta(days=(7 - date(y, 1, 2).weekday()) % 7),
    }
    make = makers[kind]
    return lambda _m, sent: _next(sent, make)


def _season(month: int) -> Callable[[re.Match[str], date], date]:
    return lambda _m, sent: _next(sent, lambda y: date(y, month, 1))


_START_PARTS = alternation(k for k, v in lex.PART_WORDS.items() if v == "start")
_END_PARTS = alternation(k for k, v in lex.PART_WORDS.items() if v == "end")
# "early 2027", "i början av 2027", "inizio 2027", "in 2027", "Anfang nächsten Jahres".
_YEAR_START = re.compile(
    r"(?<!\w)(?:" + _START_PARTS + r"|in|im|en|em|ab|from|nel|w|i|på|vanaf|à partir de|"
    r"a partir de|dal)\s+(?:(?:de|del|di|of|van|av|af|the year|dell'anno)\s+)?(20\d\d)(?!\w)"
)
_YEAR_END = re.compile(r"(?<!\w)(?:" + _END_PARTS + r")\s+(?:(?:de|del|di|of|van|av|af)\s+)?"
                       r"(20\d\d)(?!\w)")


# Seasons and holidays are vague: a precise date written right after one restates it.
VAGUE_RULES: tuple[Rule, ...] = (
    *((_phrase(words), _holiday(kind)) for kind, words in lex.SEASON_AFTER.items()),
    *((_phrase(words), _season(month)) for month, words in lex.SEASONS.items()),
)
NEXT_YEAR_AFTER = re.compile(r"\s*,?\s*(?:(?:del|do|of|de|di|van)\s+)?(?:the\s+)?(?:"
                             + alternation(lex.NEXT_YEAR) + r")(?!\w)")
PERIOD_RULES: tuple[Rule, ...] = (
    (QUARTER, _resolve_quarter),
    (HALF, _resolve_half),
    (_phrase(lex.NEXT_QUARTER), _next_quarter),
    (_phrase(lex.NEXT_YEAR), lambda _m, sent: date(sent.year + 1, 1, 1)),
    (_YEAR_START, lambda m, _sent: date(int(m.group(1)), 1, 1)),
    (_YEAR_END, lambda m, _sent: date(int(m.group(1)) + 1, 1, 1)),
    (re.compile(r"\b(?:in|within)\s+(?:half a year|six months)|in einem halben jahr|"
                r"dans six mois|en seis meses|dentro de seis meses|em seis meses|"
                r"over een half jaar|over zes maanden|tra sei mesi|za pół roku|om ett halvår|"
                r"om et halvt år|om et halvår"),
     lambda _m, sent: add_months(sent, 6)),
)
