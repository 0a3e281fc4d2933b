"""Return dates of absence notices and follow-up dates of "not now" replies, in six languages.

A date in a reply only matters relative to when the reply was sent, so every mention is
resolved against the message's ``Date`` header: "next Monday", "in zwei Wochen", "le 14 avril"
(a year-less date is its next occurrence). Out-of-office dates in the past or more than
``OOO_HORIZON_DAYS`` out are rejected, as sales tools do, because they are almost always
typos or unrelated dates. "until X" and "back on X" both yield X as written; the action layer
adds the business day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cadenza.replies.classify.date_words import (
    CONTACT_CUE,
    INCLUSIVE,
    MONTH_ONLY,
    MONTH_PATTERN,
    NUMBER_PATTERN,
    PERIOD_RULES,
    RELATIVE_DAY,
    RETURN_CUE,
    UNTIL_CUE,
    WEEKDAY_PATTERN,
    add_months,
    month_number,
    number_value,
    resolve_month_only,
    weekday_number,
)

OOO_HORIZON_DAYS = 120  # ~100 days, with room for parental leave and sabbaticals
FOLLOW_UP_HORIZON_DAYS = 550
_DAY_FIRST_TLDS = (".uk", ".ie", ".au", ".nz", ".in", ".za", ".eu")

_ISO = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_NUMERIC = re.compile(
    r"(?<![\d./-])(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(\.)?(?![\d/-]|\.\d)"
)
_DAY_MONTH = re.compile(
    r"(?<![\d])(\d{1,2})(?:st|nd|rd|th|er|ème|eme|e|º|°|\.)?\s*(?:de\s+|of\s+|-\s*)?"
    r"(" + MONTH_PATTERN + r")\b\.?(?:,?\s*(?:de\s+|del\s+)?(\d{4}))?",
)
_MONTH_DAY = re.compile(
    r"\b(" + MONTH_PATTERN + r")\.?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
    r"(?:,?\s*(\d{4}))?",
)
_INCLUSIVE_BEFORE = re.compile(r"einschließlich|einschl\.|\bt/m\b|\bt\.m\.|tot en met|inclusive|"
                               r"up to and including")
_SENTENCE_END = re.compile(r"[.!?\n]")
_ORDINAL_DAY = re.compile(
    r"\bthe (\d{1,2})(?:st|nd|rd|th)\b(?!\s*(?:of\s+)?(?:" + MONTH_PATTERN + r"))"
)
_WEEKDAY = re.compile(r"\b(" + WEEKDAY_PATTERN + r")\b")
_IN_UNITS = re.compile(
    r"\b(?:in|within|dans|en|em|over|binnen|daqui a|dentro de|d'ici)\s+(?:(?:ca\.?|about|"
    r"etwa|environ|unas?|cerca de)\s+)?(" + NUMBER_PATTERN + r")\s+"
    r"(days?|tagen?|jours?|días?|dias?|dagen?|weeks?|wochen?|semaines?|semanas?|weken?|"
    r"months?|monaten?|mois|meses|mês|maanden?)\b"
)


@dataclass(frozen=True)
class DateMention:
    """One resolved date in a text, where it was, and what kind of cue introduced it."""

    value: date
    start: int
    cue: int  # 2 = return cue ("back on"), 1 = "until", 3 = "until … inclusive", 0 = none


def extract_return_date(text: str, sent: date | None, *, language: str | None = None,
                        sender_domain: str | None = None) -> date | None:
    """The return date stated in an absence notice, or ``None``."""
    if sent is None or not text:
        return None
    low = text.lower()
    mentions = [m for m in _mentions(low, sent, language, sender_domain, OOO_HORIZON_DAYS)
                if sent <= m.value <= sent + timedelta(days=OOO_HORIZON_DAYS)]
    if not mentions:
        return None
    rank = {2: 3, 3: 2, 1: 1, 0: 0}  # return cue, "until X inclusive", "until X", none
    best = max(rank[m.cue] for m in mentions)
    chosen = max((m for m in mentions if rank[m.cue] == best), key=lambda m: m.value)
    # "until X inclusive" names the last day away: back the next business day. A plain
    # "until X" is X as written, unless X closes a month ("until 31 August", "end of May").
    if chosen.cue == 3:
        return next_business_day(chosen.value)
    if chosen.cue == 1 and (chosen.value + timedelta(days=1)).day == 1:
        return chosen.value + timedelta(days=1)
    return chosen.value


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
    found: list[tuple[int, date]] = []
    for pattern, resolve in PERIOD_RULES:
        for match in pattern.finditer(low):
            value = resolve(match, sent)
            if value is not None:
                found.append((match.start(), value))
    found.extend((m.start, m.value)
                 for m in _mentions(low, sent, language, sender_domain, FOLLOW_UP_HORIZON_DAYS,
                                    weekdays=False))
    valid = sorted((pos, value) for pos, value in found
                   if sent < value <= sent + timedelta(days=FOLLOW_UP_HORIZON_DAYS))
    if not valid:
        return None
    # "Go-live is in September, contact me in October": the date next to the ask wins,
    # otherwise the last one (people end with the ask).
    asked = [(pos, value) for pos, value in valid
             if CONTACT_CUE.search(_sentence_before(low, pos))]
    return asked[0][1] if asked else valid[-1][1]


def _sentence_before(low: str, pos: int) -> str:
    """Up to 60 characters before ``pos``, not crossing a sentence end."""
    window = low[max(0, pos - 60): pos]
    ends = list(_SENTENCE_END.finditer(window))
    return window[ends[-1].end():] if ends else window


def _mentions(low: str, sent: date, language: str | None, sender_domain: str | None,
              horizon: int, *, weekdays: bool = True) -> list[DateMention]:
    spans: list[tuple[int, int, date]] = []
    for m in _ISO.finditer(low):
        value = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if value:
            spans.append((m.start(), m.end(), value))
    for m in _DAY_MONTH.finditer(low):
        month = month_number(m.group(2))
        value = _resolve(int(m.group(1)), month, m.group(3), sent)
        if value:
            spans.append((m.start(), m.end(), value))
    for m in _MONTH_DAY.finditer(low):
        if _overlaps(spans, m.start(), m.end()):
            continue
        value = _resolve(int(m.group(2)), month_number(m.group(1)), m.group(3), sent)
        if value:
            spans.append((m.start(), m.end(), value))
    for m in _NUMERIC.finditer(low):
        if _overlaps(spans, m.start(), m.end()):
            continue
        value = _numeric(m, sent, language, sender_domain, horizon)
        if value:
            spans.append((m.start(), m.end(), value))
    for m in _WEEKDAY.finditer(low) if weekdays else ():
        if _near_date(spans, m.start(), m.end()):
            continue
        target = weekday_number(m.group(1))
        ahead = (target - sent.weekday()) % 7 or 7
        window = low[max(0, m.start() - 25): m.end() + 25]
        if re.search(r"\b(?:week after next|übernächste|over twee weken)\b", window):
            ahead += 7
        spans.append((m.start(), m.end(), sent + timedelta(days=ahead)))
    for m in _ORDINAL_DAY.finditer(low):
        if not _overlaps(spans, m.start(), m.end()):
            value = _resolve(int(m.group(1)), sent.month, None, sent)
            if value is None or value < sent:
                value = _resolve(int(m.group(1)), sent.month % 12 + 1, None, sent)
            if value:
                spans.append((m.start(), m.end(), value))
    for m in MONTH_ONLY.finditer(low):
        if not _overlaps(spans, m.start(), m.end()):
            value = resolve_month_only(m, sent)
            if value:
                spans.append((m.start(), m.end(), value))
    for pattern, resolve_day in RELATIVE_DAY:
        for m in pattern.finditer(low):
            spans.append((m.start(), m.end(), resolve_day(sent)))
    for m in _IN_UNITS.finditer(low):
        count = number_value(m.group(1))
        unit = m.group(2)
        if count is None or count > 24:
            continue
        if unit.startswith(("d", "t", "j")):
            spans.append((m.start(), m.end(), sent + timedelta(days=count)))
        elif unit.startswith(("w", "s")):
            spans.append((m.start(), m.end(), sent + timedelta(weeks=count)))
        else:
            spans.append((m.start(), m.end(), add_months(sent, count)))
    return [DateMention(value, start, _cue(low, start, end)) for start, end, value in spans]


def _cue(low: str, start: int, end: int) -> int:
    before = low[max(0, start - 45): start]
    after = low[end: end + 30]
    if RETURN_CUE.search(before[-25:]):
        return 2
    if UNTIL_CUE.search(before[-22:]):
        inclusive = INCLUSIVE.match(after) or _INCLUSIVE_BEFORE.search(before[-25:])
        return 3 if inclusive else 1
    if RETURN_CUE.search(before) or RETURN_CUE.search(after):
        return 2
    return 0


def _numeric(m: re.Match[str], sent: date, language: str | None, sender_domain: str | None,
             horizon: int) -> date | None:
    a, sep, b, year, trailing = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    if year is None and sep == "-":
        return None  # "3-4" is a range of numbers far more often than a date
    if year is None and sep == "." and not trailing:
        return None  # "10.30" is a time; German dates without a year end with a dot
    first, second = int(a), int(b)
    day_first = _resolve(first, second, year, sent)
    month_first = _resolve(second, first, year, sent)
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
