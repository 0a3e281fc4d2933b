"""Return dates of absence notices and follow-up dates of "not now" replies, in eleven languages.

A date in a reply only matters relative to when the reply was sent, so every mention is
resolved against the message's ``Date`` header: "next Monday", "in zwei Wochen", "le 14 avril"
(a year-less date is its next occurrence). Out-of-office dates in the past or more than
``OOO_HORIZON_DAYS`` out are rejected, as sales tools do, because they are almost always
typos or unrelated dates; a notice that names a long leave (parental, sabbatical) may say up to
``LONG_LEAVE_HORIZON_DAYS``. Word tables live in :mod:`.date_lexicon`, patterns in
:mod:`.date_words` and periods (quarters, seasons, holidays) in :mod:`.date_periods`.
"back on X" is X; "until X" is X; "until X inclusive", "from W to X", "back after X" and
"out on X" are the business day after X; "away in week N" is the Monday after it; "until X,
back on Y" is Y when Y is within two weeks of X; "back after Easter" is the Tuesday after
Easter Monday. A numeric date with a weekday before it ("tirsdag d. 7/4") takes the order
that falls on that weekday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cadenza.replies.classify.date_events import (
    after_day,
    after_end,
    after_event,
    after_event_day,
    not_before,
    restated,
    says_after,
)
from cadenza.replies.classify.date_lexicon import UNTIL_WORDS
from cadenza.replies.classify.date_periods import (
    NEXT_YEAR_AFTER,
    PERIOD_RULES,
    VAGUE_RULES,
    after_easter_return,
    follows,
)
from cadenza.replies.classify.date_words import (
    ANY_WEEKDAY_PATTERN,
    BACK_CUE,
    CONTACT_CUE,
    FOR_UNITS,
    IN_UNITS,
    INCLUSIVE,
    INCLUSIVE_BEFORE,
    MONTH_ABBR,
    MONTH_HEDGED,
    MONTH_ONLY,
    MONTH_PATTERN,
    NEXT_WEEK_CUE,
    ONE_UNIT,
    RELATIVE_DAY,
    RETURN_CUE,
    THIS_WEEK,
    TODAY,
    UNTIL_ARTICLE,
    UNTIL_CUE,
    UNTIL_MONTH,
    WEEK_NUMBER,
    add_months,
    alternation,
    month_number,
    next_monday,
    number_value,
    resolve_month_only,
    resolve_week,
    unit_of,
    weekday_number,
)

OOO_HORIZON_DAYS = 120  # ~100 days: further out is almost always a typo or another date
LONG_LEAVE_HORIZON_DAYS = 400  # parental leave and sabbaticals, when the notice says so
_LONG_LEAVE = re.compile(
    r"parental|maternity|paternity|sabbatical|research leave|elternzeit|mutterschutz|"
    r"congé (?:maternité|parental|paternité)|baja (?:maternal|por maternidad)|licença "
    r"(?:maternidade|parental)|zwangerschapsverlof|ouderschapsverlof|maternità|congedo "
    r"parentale|macierzyńsk|rodzicielsk|wychowawcz|föräldraledig|barsel|foreldrepermisjon|"
    r"permisjon|orlov"
)
_RETURN_GAP_DAYS = 14  # a holiday weekend and a bridge day between the last day away and back
FOLLOW_UP_HORIZON_DAYS = 800  # "contract ends in June 2027": two-year renewals
_DAY_FIRST_TLDS = (".uk", ".ie", ".au", ".nz", ".in", ".za", ".eu")

_ISO = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_NUMERIC = re.compile(
    r"(?<![\d./-])(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(\.)?(?![\d/-]|\.\d)"
)
_DAY_MONTH = re.compile(
    r"(?<![\d])(\d{1,2})(?:st|nd|rd|th|er|ème|eme|e|º|°|\.)?\s*(?:de\s+|of\s+|di\s+|-\s*)?"
    r"(" + MONTH_PATTERN + r")\b\.?(?:,?\s*(?:de\s+|del\s+)?(\d{4}))?",
)
_MONTH_DAY = re.compile(
    r"\b(" + MONTH_PATTERN + r")\.?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
    r"(?:,?\s*(\d{4}))?",
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_HOURS_AFTER = re.compile(r"\s*(?:uhr|h\b|hrs?\b|hours|am\b|pm\b|[:.]\d|u\b|timer|tim)")
# A day of the month without a month: "the 17th", "de 28e", "lunedì 24", "el lunes 20".
_ORDINAL_DAY = re.compile(
    r"(?:\bthe (\d{1,2})(?:st|nd|rd|th)\b|\bde (\d{1,2})e\b|"
    r"(?<!\w)(?:" + ANY_WEEKDAY_PATTERN + r"),?\s+(?:the\s+|den\s+|il\s+)?(\d{1,2})"
    r"(?:st|nd|rd|th|er|e|º|\.)?(?![\d./:-]\d)"
    # "de retour le 19", "volto dia 19", "ab dem 19.", "tilbage den 19.", "vuelvo el 19"
    r"|(?:\ble|\bel(?:\s+d[ií]a)?|\bil(?:\s+giorno)?|\bdia|\bab dem|\bbis zum|\bden)\s+(\d{1,2})"
    r"(?:er|º|°|\.)?(?![\d./:,-]?\d|\s*(?:%|€|\$|h\b|uhr|heures|horas|ore|timer|kl))"
    r")(?!\s*(?:of\s+|de\s+|di\s+)?(?:" + MONTH_PATTERN + r"))"
)
# "5-16.10", "5.–16.10.": the range's last day, with the month written once
_RANGE_END = re.compile(r"(?<![\d.])\d{1,2}\.?\s*[–-]\s*(\d{1,2})\.(\d{1,2})\.?(?:(\d{4}|\d{2})\b)?"
                        r"(?![\d:])")
_WEEKDAY = re.compile(r"(?<!\w)(" + ANY_WEEKDAY_PATTERN + r")(?!\w)")
_WEEKDAY_BEFORE = re.compile(r"(?<!\w)(?:" + ANY_WEEKDAY_PATTERN + r")\.?,?\s+"
                             r"(?:(?:den|d\.|the|le|el|il|o|dia|de)\s+)?$")
@dataclass(frozen=True)
class DateMention:
    """One resolved date in a text, where it was, and what kind of cue introduced it."""

    value: date
    start: int
    cue: int  # see _RANK
    end: int = 0
    week: bool = False  # a week number ("KW 42"): the value is its Monday
    calendar: bool = False  # a date written out ("16. Oktober", "16/10", "2026-10-16")
    ordinal: bool = False  # a day of the month alone ("on the 18th", "am 18.")
    weekday: bool = False  # a weekday alone ("od poniedziałku", "back Monday")


# How much a cue says about the return: "back on X" right before X, "until X inclusive",
# "until X", a return word elsewhere in the sentence ("del 4 al 15, a mi vuelta el 18"), none.
# "Out on Friday", "am 8. und 9. Oktober nicht im Büro": the day(s) away, back the next
# business day; weaker than any return or until cue.
RETURN, UNTIL_INCLUSIVE, UNTIL, NEAR_RETURN, NO_CUE, ON_DAY = 4, 3, 1, 2, 0, 5
_RANK = {RETURN: 5, UNTIL_INCLUSIVE: 4, UNTIL: 3, NEAR_RETURN: 2, ON_DAY: 1, NO_CUE: 0}
_NEGATION = re.compile(r"(?:\b(?:not|nicht|pas|no|não|nao|niet|non|nie|inte|ikke|ikkje|ei)|n't)"
                       r"\s+(?:\w+\s+)?$")
_ON_BEFORE = re.compile(
    r"(?:\b(?:on|am|le|el|il|op|em|no dia|na|w|we|på|den)\s+(?:the\s+)?"
    r"|\d{1,2}(?:\.|st|nd|rd|th|er|e)?\s+(?:and|und|et|y|e|en|og|och|oraz|i)\s+)$")


def extract_return_date(text: str, sent: date | None, *, language: str | None = None,
                        sender_domain: str | None = None) -> date | None:
    """The return date stated in an absence notice, or ``None``."""
    if sent is None or not text:
        return None
    low = text.lower()
    horizon = LONG_LEAVE_HORIZON_DAYS if _LONG_LEAVE.search(low) else OOO_HORIZON_DAYS
    every = _mentions(low, sent, language, sender_domain, horizon)
    mentions = [m for m in every
                if sent <= m.value <= sent + timedelta(days=horizon)
                and (m.cue != NO_CUE or m.value <= sent + timedelta(days=OOO_HORIZON_DAYS))]
    easter_return = after_easter_return(low, sent)
    if easter_return is not None and not any(
            m.calendar and m.cue in (RETURN, NEAR_RETURN) for m in mentions):
        return easter_return
    if not mentions:
        return None
    best = max(_RANK[m.cue] for m in mentions)
    chosen = max((m for m in mentions if _RANK[m.cue] == best), key=lambda m: m.value)
    # "bis zum 2.1. im Urlaub und ab Montag, 5. Januar, wieder im Büro", "hasta el 7 de
    # enero. Vuelvo el día 8": a date written with a word of coming back, shortly after the
    # last day away, is the return itself, whatever the "until" says about the day before
    if chosen.cue != RETURN:
        # ("do piątku, od poniedziałku będę dostępny", "tot en met week 30. Vanaf week 31 ben
        # ik er weer": a weekday or a week of coming back does the same)
        returns = [m for m in mentions if m.cue == NEAR_RETURN
                   and (m.calendar or m.week or m.weekday)
                   and chosen.value < m.value <= chosen.value + timedelta(days=_RETURN_GAP_DAYS)]
        if returns:
            return min(returns, key=lambda m: m.value).value
    # "until X inclusive" names the last day away: back the next business day. A plain
    # "until X" is X as written, unless X closes a month ("until 31 August", "end of May").
    if chosen.week and chosen.cue in (UNTIL, UNTIL_INCLUSIVE):
        return chosen.value + timedelta(days=7)  # "bis KW 30", "t/m week 30": the week after
    if chosen.cue == UNTIL_INCLUSIVE or (chosen.cue == UNTIL and _range_end(low, chosen,
                                                                           every)):
        return next_business_day(chosen.value)
    if chosen.cue == UNTIL and (chosen.value + timedelta(days=1)).day == 1:
        return chosen.value + timedelta(days=1)
    # "Urlaub in KW 42", "ferie uke 42": away that week, back the Monday after ("back in
    # week 42", "ab KW 42 wieder da" carry a cue and are that Monday)
    if chosen.week and chosen.cue in (NO_CUE, ON_DAY):
        return chosen.value + timedelta(days=7)
    if chosen.cue == ON_DAY or (chosen.calendar and says_after(low, chosen.start)):
        return next_business_day(chosen.value)
    return chosen.value


_RANGE_JOIN = re.compile(r"^\s*(?:[–-]|\b(?:" + alternation(UNTIL_WORDS) + r")\b)\s*"
                         + UNTIL_ARTICLE + "$")


def _range_end(low: str, chosen: DateMention, mentions: list[DateMention]) -> bool:
    """Whether ``chosen`` closes a range of two written dates ("vom 30.03. bis 10.04.",
    "del 1 al 15 de agosto", "from 3 to 14 August"): its last day away, not the day back."""
    return any(m.calendar and m.end <= chosen.start and chosen.start - m.end <= 14
               and _RANGE_JOIN.match(low[m.end: chosen.start]) for m in mentions)


def announces_return(text: str, sent: date | None) -> bool:
    """Whether an automatic answer says when its writer is back: a date written out after a
    word of coming back ("back on 16 October", "zurück am 16.10.") or closing an inclusive
    "until" ("bis einschließlich 16.10."). A receipt's opening hours ("available Monday to
    Friday") and reply times ("we reply within two days") are not that."""
    if sent is None or not text:
        return False
    low = text.lower()
    for m in _mentions(low, sent, None, None, LONG_LEAVE_HORIZON_DAYS):
        if not m.calendar or not sent <= m.value <= sent + timedelta(
                days=LONG_LEAVE_HORIZON_DAYS):
            continue
        if m.cue == UNTIL_INCLUSIVE or BACK_CUE.search(low[max(0, m.start - 35): m.start]):
            return True
    return False


def next_business_day(value: date) -> date:
    """The first Monday–Friday after ``value``."""
    value += timedelta(days=1)
    while value.weekday() >= 5:
        value += timedelta(days=1)
    return value


def extract_follow_up_date(text: str, sent: date | None, *, language: str | None = None,
                           sender_domain: str | None = None) -> date | None:
    """When a "not now" reply asks to be contacted again, or ``None``."""
    if sent is None or not text:
        return None
    low = text.lower()
    found: list[tuple[int, int, date]] = []
    vague: set[int] = set()
    for rules, is_vague in ((PERIOD_RULES, False), (VAGUE_RULES, True)):
        for pattern, resolve in rules:
            for match in pattern.finditer(low):
                value = resolve(match, sent)
                if value is not None:
                    found.append((match.start(), match.end(), value))
                    if is_vague:
                        vague.add(match.start())
    # "after week 36", "the freeze runs until week 36": the Monday of the week after
    found.extend((m.start, m.end, m.value + timedelta(days=7)
                  if m.week and follows(low[max(0, m.start - 40): m.start])
                  else _after_day_or_event(low, m) if m.calendar or m.ordinal else m.value)
                 for m in _mentions(low, sent, language, sender_domain, FOLLOW_UP_HORIZON_DAYS,
                                    absence=False))
    found.extend(not_before(low, sent))
    purpose = [f for f in found if f[2] == date(sent.year + 1, 1, 1)
               and _FOR_NEXT_YEAR.search(low, max(0, f[0] - 12), f[0])]
    if len(purpose) < len(found):  # "after the fair in May … tools for next year": the year
        # is what the tools are for; alone ("scheduled for next year") it is the date
        found = [f for f in found if f not in purpose]
    found = _next_year_merged(low, found, sent)
    found = _longest(found)
    found = [(start, end, _after_month_event(low, start, end, value))
             for start, end, value in found]
    valid = sorted((start, end, value) for start, end, value in found
                   if sent < value <= sent + timedelta(days=FOLLOW_UP_HORIZON_DAYS))
    if not valid:
        return None
    # "Go-live is in September, contact me in October": the date next to the ask wins,
    # otherwise the last one (people end with the ask).
    asked = [m for m in valid if CONTACT_CUE.search(_sentence_before(low, m[0]))]
    chosen = asked[0] if asked else valid[-1]
    if chosen[2] == date(chosen[2].year, 1, 1):
        # "next year, after Carnival": a later date of the same year in the same sentence
        # says when in that year
        sentence_end = _SENTENCE_END.search(low, chosen[1])
        stop = sentence_end.start() if sentence_end else len(low)
        finer = [m for m in valid if chosen[1] <= m[0] < stop and m[2].year == chosen[2].year
                 and m[2] > chosen[2]]
        if finer:
            chosen = finer[0]
    return restated(low, chosen, valid, vague, sent)


def _after_day_or_event(low: str, m: DateMention) -> date:
    """A written-out day: the day after it when "after" comes right before it or the ask is
    for after the event on it (:func:`after_event_day`)."""
    value = after_day(low, m.start, m.value)
    return value if value != m.value else after_event_day(low, m.start, m.end, m.value)


def _after_month_event(low: str, start: int, end: int, value: date) -> date:
    """A period's end, an event's month, or a month named alone and then pointed back at
    ("our trade fair in May … after the show"): the first day after it."""
    moved = after_end(low, start, after_event(low, start, value))
    if moved == value and value.day == 1 and MONTH_ONLY.match(low, start):
        return after_event_day(low, start, end, value)
    return moved


#: "look at tools for next year": a purpose, not a time to call again.
_FOR_NEXT_YEAR = re.compile(r"\b(?:for|für|pour|para|voor|per|dla|för|til)\s+(?:the\s+)?$")


def _longest(found: list[tuple[int, int, date]]) -> list[tuple[int, int, date]]:
    """Of mentions that overlap, the longest: "après les vacances de la Toussaint" is not also
    "après les vacances", nor "rentrée de janvier" "à la rentrée"."""
    kept: list[tuple[int, int, date]] = []
    for span in sorted(found, key=lambda f: f[0] - f[1]):
        if not any(span[0] < k[1] and k[0] < span[1] for k in kept):
            kept.append(span)
    return sorted(kept)


def _next_year_merged(low: str, found: list[tuple[int, int, date]],
                      sent: date) -> list[tuple[int, int, date]]:
    """"i mars neste år", "Q2 del año que viene": the month or quarter moves to next year."""
    merged: list[tuple[int, int, date]] = []
    absorbed: set[int] = set()
    for start, end, value in found:
        tail = NEXT_YEAR_AFTER.match(low, end)
        if tail and value.year <= sent.year + 1:
            merged.append((start, tail.end(), value.replace(year=sent.year + 1)))
            absorbed.update(range(end, tail.end() + 1))
        else:
            merged.append((start, end, value))
    return [m for m in merged if m[0] not in absorbed]


def _sentence_before(low: str, pos: int) -> str:
    """Up to 60 characters before ``pos``, not crossing a sentence end."""
    window = low[max(0, pos - 60): pos]
    ends = list(_SENTENCE_END.finditer(window))
    return window[ends[-1].end():] if ends else window


def _mentions(low: str, sent: date, language: str | None, sender_domain: str | None,
              horizon: int, *, absence: bool = True) -> list[DateMention]:
    """Every date in ``low``; ``absence`` adds what only an absence notice means by a bare
    weekday ("back Monday"), "this week" (back the Monday after) and a length ("away for two
    weeks")."""
    spans: list[tuple[int, int, date]] = []

    def add(start: int, end: int, value: date | None, *, exclusive: bool = True) -> None:
        if value is not None and not (exclusive and _overlaps(spans, start, end)):
            spans.append((start, end, value))

    for m in _ISO.finditer(low):
        add(m.start(), m.end(), _make(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _DAY_MONTH.finditer(low):
        add(m.start(), m.end(), _resolve(int(m.group(1)), month_number(m.group(2)), m.group(3),
                                         sent))
    for m in _MONTH_DAY.finditer(low):
        add(m.start(), m.end(), _resolve(int(m.group(2)), month_number(m.group(1)), m.group(3),
                                         sent))
    for m in _NUMERIC.finditer(low):
        if not _overlaps(spans, m.start(), m.end()):
            add(m.start(), m.end(), _numeric(m, sent, language, sender_domain, horizon))
    for m in _RANGE_END.finditer(low):
        add(m.start(1), m.end(), _resolve(int(m.group(1)), int(m.group(2)), m.group(3), sent))
    calendar = {start for start, _, _ in spans}
    weeks: set[int] = set()
    for m in WEEK_NUMBER.finditer(low):
        add(m.start(), m.end(), resolve_week(m, sent))
        weeks.add(m.start())
    ordinals: set[int] = set()
    for m in _ORDINAL_DAY.finditer(low):
        if not _overlaps(spans, m.start(), m.end()):
            add(m.start(), m.end(), _day_of_month(m, low, sent))
            ordinals.add(m.start())
    dated = list(spans)  # a weekday next to a date adds nothing; next to a weekday it does
    weekdays: set[int] = set()
    for m in _WEEKDAY.finditer(low) if absence else ():
        if _near_date(dated, m.start(), m.end()):
            continue
        target = weekday_number(m.group(1))
        ahead = (target - sent.weekday()) % 7 or 7
        window = low[max(0, m.start() - 25): m.end() + 25]
        if NEXT_WEEK_CUE.search(window):
            ahead = 7 - sent.weekday() + target
        spans.append((m.start(), m.end(), sent + timedelta(days=ahead)))
        weekdays.add(m.start())
    until_months: set[int] = set()
    for m in MONTH_ONLY.finditer(low):
        add(m.start(), m.end(), resolve_month_only(m, sent))
        if m.group("kind") in UNTIL_MONTH:
            until_months.add(m.start())
    for m in MONTH_ABBR.finditer(low):
        add(m.start(), m.end(), resolve_month_only(m, sent))
    for m in MONTH_HEDGED.finditer(low) if not absence else ():
        group = next(g for g in ("month", "month2", "month3") if m.group(g))
        month = month_number(m.group(group))
        if month is not None and not (m.group(group) == "may" and language not in (None, "en")):
            first = date(sent.year, month, 1)
            add(m.start(group), m.end(), first if first > sent else date(sent.year + 1, month, 1))
    for pattern, resolve_day in RELATIVE_DAY:
        for m in pattern.finditer(low):
            add(m.start(), m.end(), resolve_day(sent), exclusive=False)
    lengths = [*IN_UNITS.finditer(low), *(FOR_UNITS.finditer(low) if absence else ())]
    for m in lengths:
        count = number_value(m.group(1))
        if count is not None and count <= (2 if unit_of(m.group(2)) == "year" else 24):
            add(m.start(), m.end(), _later(sent, count, unit_of(m.group(2))), exclusive=False)
    for m in ONE_UNIT.finditer(low):
        add(m.start(), m.end(), _later(sent, 1, unit_of(m.group(1))), exclusive=False)
    for m in THIS_WEEK.finditer(low) if absence else ():
        add(m.start(), m.end(), next_monday(sent), exclusive=False)
    for m in TODAY.finditer(low) if absence else ():
        add(m.start(), m.end(), next_business_day(sent), exclusive=False)
    return [DateMention(value, start, UNTIL if start in until_months else _cue(low, start, end),
                        end, start in weeks, start in calendar, start in ordinals,
                        start in weekdays)
            for start, end, value in spans]


def _later(sent: date, count: int, unit: str) -> date:
    """``count`` days, weeks or months after ``sent``."""
    if unit == "day":
        return sent + timedelta(days=count)
    if unit == "week":
        return sent + timedelta(weeks=count)
    if unit == "year":
        return add_months(sent, 12 * count)
    return add_months(sent, count)


def _day_of_month(m: re.Match[str], low: str, sent: date) -> date | None:
    """The next date with that day number; with a weekday, the next one falling on it."""
    day = int(next(g for g in m.groups() if g))
    weekday = _WEEKDAY.match(low, m.start())
    candidates = [v for months in range(4)
                  if (v := _make(add_months(sent.replace(day=1), months).year,
                                 add_months(sent.replace(day=1), months).month, day))
                  and v >= sent]
    if weekday:
        matching = [v for v in candidates if v.weekday() == weekday_number(weekday.group(1))]
        if matching:
            return matching[0]
    return candidates[0] if candidates else None


def _cue(low: str, start: int, end: int) -> int:
    # "bis einschließlich Freitag, 16. Oktober", "til og med fredag den 16.": the weekday
    # written before the date stands between the cue and the date
    before = low[max(0, start - 70): start]
    weekday = _WEEKDAY_BEFORE.search(before)
    if weekday:
        before = before[: weekday.start()] + " "
    before = before[-45:]
    after = low[end: end + 30]
    if _says_back(before[-35:]):
        return RETURN
    until = UNTIL_CUE.search(before[-22:]) or UNTIL_CUE.search(before[-40:])
    if until:
        inclusive = (INCLUSIVE.match(after) or INCLUSIVE_BEFORE.search(before[-25:])
                     or INCLUSIVE_BEFORE.search(until.group()))
        return UNTIL_INCLUSIVE if inclusive else UNTIL
    if _says_back(before) or _says_back(after):
        return NEAR_RETURN
    if _ON_BEFORE.search(before):
        return ON_DAY
    return NO_CUE


def _says_back(text: str) -> bool:
    """A word of coming back that is not negated ("nicht im Büro", "not in the office")."""
    return any(not _NEGATION.search(text[max(0, m.start() - 12): m.start()])
               for m in RETURN_CUE.finditer(text))


def _numeric(m: re.Match[str], sent: date, language: str | None, sender_domain: str | None,
             horizon: int) -> date | None:
    a, sep, b, year, trailing = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    if year is None and sep == "-" and not (len(a) == 2 and len(b) == 2
                                            and not _HOURS_AFTER.match(m.string, m.end())):
        return None  # "3-4", "10-12 Uhr" are ranges; "16-10" is a date
    if year is None and sep == "." and not trailing:
        return None  # "10.30" is a time; German dates without a year end with a dot
    first, second = int(a), int(b)
    day_first = _resolve(first, second, year, sent)
    month_first = _resolve(second, first, year, sent)
    weekday = _WEEKDAY_BEFORE.search(m.string[max(0, m.start() - 25): m.start()])
    if weekday and day_first and month_first and day_first != month_first:
        # "tirsdag d. 7/4", "Tuesday 4/7": the weekday written before it tells the order
        named = weekday_number(_WEEKDAY.search(weekday.group()).group(1))  # type: ignore[union-attr]
        fitting = [v for v in (day_first, month_first) if v.weekday() == named]
        if len(fitting) == 1:
            return fitting[0]
    if day_first and month_first and day_first != month_first:
        us = language in (None, "en") and sep == "/" and not (
            sender_domain or "").endswith(_DAY_FIRST_TLDS)
        preferred, other = (month_first, day_first) if us else (day_first, month_first)
        limit = sent + timedelta(days=horizon)
        if not sent <= preferred <= limit and sent <= other <= limit:
            return other
        return preferred
    return day_first or month_first


def _resolve(day: int, month: int | None, year: str | None, sent: date) -> date | None:
    if month is None:
        return None
    if year is not None:
        y = int(year)
        if y < 100:
            y += 2000
        return _make(y, month, day)
    value = _make(sent.year, month, day)
    if value is not None and value < sent:
        value = _make(sent.year + 1, month, day)
    return value


def _make(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 < year < 2200):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _overlaps(spans: list[tuple[int, int, date]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in spans)


def _near_date(spans: list[tuple[int, int, date]], start: int, end: int) -> bool:
    """A weekday written next to a full date ("Monday, 14 April") adds nothing."""
    return any(s - 4 <= end + 12 and start - 12 <= e for s, e, _ in spans)
