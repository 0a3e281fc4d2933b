"""Follow-up dates that hang on an event or on a period's end, in the eleven languages.

"Melden Sie sich nach unserer Messe im Mai", "not before our trade fair in May", "hör av dig
efter vår release i november": the month names when the event happens, and the ask is for
after it, so the follow-up is the first of the next month. "Our financial year ends 31 March",
"Geschäftsjahr endet am 30. Juni": the period is over the day after its last day. "Recontactez-moi
après l'AG du 13 juin", "the trustees meet on the 18th … get back in touch after that",
"Hausmesse am 12. März. Melden Sie sich danach": the ask is for after the event's day, so the
follow-up is the day after it (a month-only event: the first of the next month).
:func:`cadenza.replies.classify.dates.extract_follow_up_date` applies them to what it found.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from cadenza.replies.classify import date_lexicon as lex
from cadenza.replies.classify.date_words import (
    MONTH_ONLY,
    MONTH_WORD_PATTERN,
    add_months,
    alternation,
    month_number,
)

# "after / before" followed by an event (one to four words, no figure) before "in May". Not
# "until": "frozen until the new financial year in April" names when a period starts.
_EVENT_WORDS = (
    "after", "before", "nach", "vor", "après", "avant", "después de", "antes de", "depois de",
    "depois d[ao]", "antes d[ao]", "após", "dopo", "prima di", "prima del", "na", "voor", "po",
    "przed", "efter", "innan", "före", "etter", "før", "innen",
)
_EVENT_BEFORE = re.compile(
    r"\b(?:" + "|".join(_EVENT_WORDS) + r")\s+(?:[^\W\d]+[ \t]+){1,4}$")
# The preposition that puts the event in the month: "in May", "im Mai", "en mayo", "w maju"
_IN_MONTH = frozenset({"in", "im", "en", "em", "i", "w", "we", "a", "nel"})
# "the financial year ends 31 March", "endet am 30. Juni", "se termine le 30 juin"
_ENDS_BEFORE = re.compile(
    r"\b(?:ends?|ending|closes?|endet|enden|endend|se termine|termine|finit|termina|acaba"
    r"|finaliza|eindigt|kończy się|konczy sie|slutar|slutter|ender|avsluttes|afsluttes)"
    r"\s+(?:on\s+|am\s+|le\s+|el\s+|a\s+|il\s+|op\s+|den\s+|dnia\s+|per\s+)?$")
_SENTENCE_END = re.compile(r"[.!?\n]")
_NEXT_YEAR = re.compile(r"(?:" + alternation(lex.NEXT_YEAR) + r")$")

Span = tuple[int, int, date]

# "not before June", "nicht vor März", "pas avant juin", "no antes de junio", "ikke før mai":
# the month is when it may start
_NOT_BEFORE = re.compile(
    r"\b(?:not|nicht|pas|no|não|nao|non|niet|nie|inte|ikke|ikkje)\s+(?:before|vor|avant|"
    r"antes\s+d[eoa]l?|prima\s+d[ie]l?|voor|przed|före|innan|før|innen)\s+"
    r"(?:(?:the|dem|le|el|o|il|de|la|den)\s+)?(?P<month>" + MONTH_WORD_PATTERN + r")\b")


def not_before(low: str, sent: date) -> list[Span]:
    """The first of the month after "not before <month>", its next occurrence after ``sent``."""
    spans: list[Span] = []
    for match in _NOT_BEFORE.finditer(low):
        month = month_number(match.group("month"))
        if month is None:
            continue
        year = sent.year + (1 if month <= sent.month else 0)
        spans.append((match.start(), match.end(), date(year, month, 1)))
    return spans


def restated(low: str, chosen: Span, valid: list[Span], vague: set[int], sent: date) -> date:
    """The chosen follow-up, or the precise date right after it that restates it.

    "efter sommerferien – gerne i uge 33", "po wakacjach, czyli we wrześniu": a season or a
    holiday; "w przyszłym roku, najlepiej w lutym", "next year, ideally in March": next year,
    whose month then falls in that year.
    """
    next_year = chosen[2] == date(sent.year + 1, 1, 1) and bool(
        _NEXT_YEAR.search(low[chosen[0]: chosen[1]]))
    if chosen[0] not in vague and not next_year:
        return chosen[2]
    for start, _end, value in valid:
        if chosen[1] < start <= chosen[1] + 25 and start not in vague and not \
                _SENTENCE_END.search(low[chosen[1]:start]):
            if next_year and value.year <= sent.year:
                return value.replace(year=sent.year + 1) if value.month != 2 or value.day < 29 \
                    else value
            return value
    return chosen[2]


def after_event(low: str, start: int, value: date) -> date:
    """The month after an event's month ("nach unserer Messe im Mai" is 1 June), else ``value``."""
    match = MONTH_ONLY.match(low, start)
    if value.day != 1 or match is None or match.group("kind") not in _IN_MONTH:
        return value
    if _EVENT_BEFORE.search(_clause_before(low, start)):
        return add_months(value, 1)
    return value


# "après le 30 avril", "dopo il 15 giugno", "after May 15th": the day written is the last one
# before the ask, so the follow-up is the day after it
_AFTER_DAY = re.compile(
    r"\b(?:after|nach|après|después|depois|dopo|na|po|efter|etter|hereafter)\s+"
    r"(?:(?:de|del|do|da|dem|the|le|el|il|den|dnia)\s+)?$")


def after_day(low: str, start: int, value: date) -> date:
    """The day after a written-out date that follows "after" ("après le 30 avril" is 1 May)."""
    if says_after(low, start):
        return value + timedelta(days=1)
    return value


# "after the AG of 13 June", "dopo l'assemblea dei soci del 18 aprile", "after our board
# meeting on the 18th": "after", an event of one to four words, then the day it happens on
_AFTER_EVENT_ON = re.compile(
    r"\b(?:after|nach|après|apres|después de|despues de|depois d[aoe]|após|apos|dopo|na|po|"
    r"efter|etter)\s+(?:[^\W\d]+['’]?\s*){1,4}?"
    r"(?:of|on|du|de la|de|del|della|dello|dell['’]|des|do|da|van|vom|von|am|le|el|il|op|"
    r"z|ze|dnia|fra|från|af|den|på|pa)\s+(?:(?:the|le|la|el|il|den|dnia)\s+)?$")
# Pointing back at a day or a month just named: "after that", "danach", "après cette date",
# "po tym terminie", "efter generalforsamlingen" (the event named before the date)
_AFTER_THAT = re.compile(
    r"\b(?:after (?:that|this|it|the (?:show|fair|meeting|event|tender|vote|decision|"
    r"election|assembly|agm|board meeting|deadline|launch))\b|afterwards|"
    r"danach|nach diesem (?:termin|datum)|im anschluss|"
    r"après (?:cette date|celle-ci|cela|ça|ca|l['’]ag|l['’]assembl[ée]e|le salon)|"
    r"pass[ée]e? cette date|"
    r"despu[ée]s de (?:esa fecha|eso|la junta|la feria)|pasada esa fecha|"
    r"depois (?:dessa data|disso)|ap[óo]s (?:essa data|isso)|"
    r"dopo (?:quella data|tale data|di che|l['’]assemblea|la fiera)|"
    r"daarna|na die datum|na afloop|"
    r"po tym terminie|po tej dacie|po tym\b|"
    r"efter det\b|därefter|efter (?:stämman|mässan|generalforsamlingen|messen)|derefter|"
    r"etter det\b|deretter|etter (?:generalforsamlingen|messen))")


def after_event_day(low: str, start: int, end: int, value: date) -> date:
    """The day after an event's day when the ask is for after it: the date follows "after
    <event> of/on" ("après l'AG du 13 juin"), or a word pointing back at it comes within the
    next sentence ("… am 12. März. Melden Sie sich danach"); for a month named alone ("our
    trade fair in May … after the show") the first of the next month. Else ``value``."""
    if _AFTER_EVENT_ON.search(low[max(0, start - 60): start]):
        return value + timedelta(days=1)
    first_end = _SENTENCE_END.search(low, end)
    stop = len(low)
    if first_end is not None:
        second_end = _SENTENCE_END.search(low, first_end.end())
        stop = second_end.start() if second_end else len(low)
    if not _AFTER_THAT.search(low, end, min(stop, end + 160)):
        return value
    month_only = MONTH_ONLY.match(low, start) is not None and value.day == 1
    return add_months(value, 1) if month_only else value + timedelta(days=1)


def says_after(low: str, start: int) -> bool:
    """Whether the date at ``start`` follows "after" ("back after the 15th of August")."""
    return bool(_AFTER_DAY.search(low[max(0, start - 20): start]))


def after_end(low: str, start: int, value: date) -> date:
    """The day after a period's stated last day ("ends 31 March" is 1 April), else ``value``."""
    if (value + timedelta(days=1)).day != 1:
        return value
    if _ENDS_BEFORE.search(_clause_before(low, start)):
        return value + timedelta(days=1)
    return value


def _clause_before(low: str, pos: int) -> str:
    """Up to 50 characters before ``pos``, not crossing a sentence end or a comma."""
    window = low[max(0, pos - 50): pos]
    cuts = [m.end() for m in _SENTENCE_END.finditer(window)] + [window.rfind(",") + 1]
    return window[max(cuts):]
