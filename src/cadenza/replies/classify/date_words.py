"""The words dates are written with in en/de/fr/es/pt/nl, compiled once.

Kept apart from the extraction logic in :mod:`cadenza.replies.classify.dates` so adding a
language is a data change. Ambiguous abbreviations that are everyday words ("set", "out",
"ago") are left out on purpose: a month name only counts next to a day number or after a
preposition.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "janeiro",
        "januari"),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "fév", "febrero", "fevereiro",
        "fev", "februari"),
    3: ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "mrt"),
    4: ("april", "apr", "avril", "avr", "abril", "abr"),
    5: ("may", "mai", "mayo", "maio", "mei"),
    6: ("june", "jun", "juni", "juin", "junio", "junho"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho"),
    8: ("august", "aug", "août", "aout", "agosto", "augustus"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "setembro"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "outubro"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
         "dezembro"),
}
_MONTH_INDEX = {name: number for number, names in _MONTHS.items() for name in names}
MONTH_PATTERN = "|".join(sorted(map(re.escape, _MONTH_INDEX), key=len, reverse=True))

_WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("monday", "montag", "lundi", "lunes", "segunda-feira", "maandag"),
    1: ("tuesday", "dienstag", "mardi", "martes", "terça-feira", "terca-feira", "dinsdag"),
    2: ("wednesday", "mittwoch", "mercredi", "miércoles", "miercoles", "quarta-feira", "woensdag"),
    3: ("thursday", "donnerstag", "jeudi", "jueves", "quinta-feira", "donderdag"),
    4: ("friday", "freitag", "vendredi", "viernes", "sexta-feira", "vrijdag"),
    5: ("saturday", "samstag", "sonnabend", "samedi", "sábado", "sabado", "zaterdag"),
    6: ("sunday", "sonntag", "dimanche", "domingo", "zondag"),
}
_WEEKDAY_INDEX = {name: number for number, names in _WEEKDAYS.items() for name in names}
WEEKDAY_PATTERN = "|".join(sorted(map(re.escape, _WEEKDAY_INDEX), key=len, reverse=True))

_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8,
    "ten": 10, "twelve": 12, "a couple of": 2, "couple of": 2,
    "ein": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4,
    "fünf": 5, "sechs": 6, "acht": 8, "zehn": 10, "zwölf": 12,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "huit": 8, "dix": 10,
    "douze": 12, "quelques": 3,
    "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "ocho": 8,
    "diez": 10, "doce": 12,
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "oito": 8, "dez": 10, "doze": 12,
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vijf": 5, "zes": 6, "tien": 10, "twaalf": 12,
}
NUMBER_PATTERN = r"\d{1,2}|" + "|".join(
    sorted(map(re.escape, _NUMBERS), key=len, reverse=True))

RETURN_CUE = re.compile(
    r"\b(?:back|return|returning|returns|zurück|wieder|retour|rentre|rentrerai|reviens|"
    r"reviendrai|de vuelta|regreso|regresaré|regresare|vuelvo|volveré|volvere|de volta|"
    r"retorno|retornarei|retornando|volto|voltarei|terug|weer|available again|"
    r"available from|erreichbar ab|disponible à partir|disponible a partir|disponível a partir|"
    r"beschikbaar vanaf|reincorpor\w*|reprends|reprendrai|kehre|retomo|regreso|"
    r"reinicio|disponible|joignable|erreichbar|bereikbaar|available|reachable|"
    r"im büro|in the office|au bureau|en la oficina|no escritório|op kantoor)\b"
)
UNTIL_CUE = re.compile(
    r"(?:\buntil|\btill|\btil|\bthrough|\bthru|\bto|\bbis(?: zum| einschließlich| einschl\.)?|"
    r"\bjusqu'(?:au|à)|\bjusqu’(?:au|à)|\bau|\bhasta(?: el)?|\bal|\baté(?: o| dia| ao)?|\ba|"
    r"\btot(?: en met)?|\bt/m|\bt\.m\.)\s+(?:(?:the|dem|zum|le|el|o|dia|de)\s+)?"
    r"(?:[a-zà-ÿ]+\.?,?\s+)?$|\s[–-]\s*$"
)


INCLUSIVE = re.compile(
    r"^\s*(?:\(?(?:inclusive|inclusivement|inclus|incluse|inclusive|incluido|incluida|inclusive|"
    r"incluído|incluída|inclusief|einschließlich|einschl\.?))\b"
)
# An until cue that itself says "inclusive" ("bis einschließlich X", "t/m X", "tot en met X").
CONTACT_CUE = re.compile(
    r"(?:reach|check|circle|touch|follow|get) (?:back|out|up|base)|\bcontact|\bping\b|"
    r"\b(?:email|write|call) (?:me|us)|\btry (?:me |us )?again|\brevisit|\bmelden|"
    r"\bkontaktier|\bschreiben sie|\bsprechen wir|\brecontact|\brevenez|\brelancez|\bécrivez|"
    r"\bcontactez|\bescríb|\bcontácta|\bllám|\bvuelv|\bretomar|\bprocur|\bcontat|\bentre em|"
    r"\bneem|\bbenader|\bmail (?:me|ons)|\bbel (?:me|ons)|\bspreken"
)
_MONTH_WORDS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|"
    r"juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|"
    r"julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|"
    r"julho|setembro|outubro|novembro|dezembro|januari|februari|maart|mei|augustus"
)
# "until September", "end of May", "mid-November": a month without a day.
MONTH_ONLY = re.compile(
    r"\b(?P<kind>until|till|through|bis|jusqu'en|jusqu’en|jusqu'à|hasta|até|tot|in|im|en|em|"
    r"end of|ende|fin|fin de|finales de|final de|eind|einde|mid|mid-|mitte|mi-|mediados de|"
    r"meados de|half|medio)\s*(?:(?:de|d'|of|van)\s*)?(?P<month>" + _MONTH_WORDS + r")\b(?!\s*\d)"
)


def resolve_month_only(match: re.Match[str], sent: date) -> date | None:
    """First day of the month; the 15th for "mid-"; the next month's first for "end of"."""
    month = month_number(match.group("month"))
    if month is None:
        return None
    kind = match.group("kind")
    start = _month_start(month, sent) if month != sent.month else date(sent.year, month, 1)
    if kind in ("mid", "mid-", "mitte", "mi-", "mediados de", "meados de", "half", "medio"):
        value = start.replace(day=15)
        return value if value > sent else date(start.year + 1, month, 15)
    if kind in ("end of", "ende", "fin", "fin de", "finales de", "final de", "eind", "einde"):
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start if start > sent else _month_start(month, sent)


def month_number(name: str) -> int | None:
    """1–12 for a month name in any of our languages."""
    return _MONTH_INDEX.get(name.rstrip("."))


def weekday_number(name: str) -> int:
    """0 (Monday) – 6 for a weekday name in any of our languages."""
    return _WEEKDAY_INDEX[name]


def number_value(word: str) -> int | None:
    """An integer written in digits or as a small number word."""
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def add_months(value: date, months: int) -> date:
    """``value`` moved by ``months`` calendar months, clamped to the month's last day."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    return date(year, month, min(value.day, calendar.monthrange(year, month)[1]))


def _next_monday(sent: date) -> date:
    return sent + timedelta(days=7 - sent.weekday())


def _first_of_next_month(sent: date) -> date:
    return date(sent.year + sent.month // 12, sent.month % 12 + 1, 1)


RELATIVE_DAY: tuple[tuple[re.Pattern[str], Callable[[date], date]], ...] = (
    (re.compile(r"\b(?:tomorrow|demain|amanhã|amanha)\b|(?<!guten )(?<!goede )\bmorgen\b"
                r"|(?<!la )(?<!pasado )\bmañana\b"), lambda d: d + timedelta(days=1)),
    (re.compile(r"\b(?:übermorgen|après-demain|pasado mañana|depois de amanhã|overmorgen|"
                r"day after tomorrow)\b"), lambda d: d + timedelta(days=2)),
    (re.compile(r"\b(?:next week|nächste[nr]? woche|kommende[nr]? woche|semaine prochaine|"
                r"prochaine semaine|próxima semana|proxima semana|semana que viene|"
                r"semana que vem|volgende week|komende week)\b"), _next_monday),
    (re.compile(r"\b(?:next month|nächste[nn]? monat|kommende[nr]? monat|mois prochain|"
                r"próximo mes|proximo mes|mes que viene|próximo mês|proximo mes|mês que vem|"
                r"volgende maand|komende maand)\b"), _first_of_next_month),
)


def _quarter_start(quarter: int, year: int | None, sent: date) -> date:
    start = date(year or sent.year, 3 * (quarter - 1) + 1, 1)
    if year is None and start <= sent:
        start = date(sent.year + 1, start.month, 1)
    return start


_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "ersten": 1, "zweiten": 2, "dritten": 3,
    "vierten": 4, "premier": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "primer": 1,
    "segundo": 2, "tercer": 3, "cuarto": 4, "primeiro": 1, "terceiro": 3, "quarto": 4,
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4,
}
_QUARTER = re.compile(
    r"\b(?:q([1-4])|([1-4])q|([1-4])\.?\s*(?:st|nd|rd|th|er|e|ème|º|°)?\s*(?:quarter|quartal|"
    r"trimestre|kwartaal)|(?:quarter|kwartaal)\s+([1-4])|(" + "|".join(_ORDINALS) + r")\s+"
    r"(?:quarter|quartal|trimestre|kwartaal))\b(?:\s*(?:of\s+|de\s+|do\s+|van\s+)?('?\d{2,4}))?"
)


def _resolve_quarter(match: re.Match[str], sent: date) -> date | None:
    digits = next((g for g in match.groups()[:4] if g), None)
    quarter = int(digits) if digits else _ORDINALS.get(match.group(5) or "", 0)
    if not quarter:
        return None
    year_text = (match.group(6) or "").lstrip("'")
    year = int(year_text) if year_text else None
    if year is not None and year < 100:
        year += 2000
    return _quarter_start(quarter, year, sent)


def _next_quarter(_: re.Match[str], sent: date) -> date:
    quarter = (sent.month - 1) // 3 + 2
    if quarter > 4:
        return date(sent.year + 1, 1, 1)
    return date(sent.year, 3 * (quarter - 1) + 1, 1)


def _next_year(_: re.Match[str], sent: date) -> date:
    return date(sent.year + 1, 1, 1)


def _month_start(month: int, sent: date) -> date:
    year = sent.year if month > sent.month else sent.year + 1
    return date(year, month, 1)


_MONTH_PERIOD = re.compile(
    r"\b(in|im|en|em|ab|from|starting|à partir de|a partir de|vanaf|début|early|beginning of|"
    r"start of|anfang|principios de|inicios de|início de|inicio de|begin|after|nach|après|"
    r"después de|depois de|na|until|bis|jusqu'en|hasta|até|tot)\s+(?:(?:de|d'|of|van)\s*)?"
    r"(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|"
    r"juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|"
    r"julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|"
    r"julho|setembro|outubro|novembro|dezembro|januari|februari|maart|mei|augustus)\b(?!\s*\d)"
)
_AFTER_WORDS = ("after", "nach", "après", "después de", "depois de", "na")


def _resolve_month_period(match: re.Match[str], sent: date) -> date | None:
    month = month_number(match.group(2))
    if month is None:
        return None
    if match.group(1) in _AFTER_WORDS:
        month = month % 12 + 1
    return _month_start(month, sent)


PERIOD_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]], ...] = (
    (_QUARTER, _resolve_quarter),
    (re.compile(r"\b(?:next quarter|nächste[sn]? quartal|kommende[sn]? quartal|"
                r"prochain trimestre|trimestre prochain|próximo trimestre|proximo trimestre|"
                r"siguiente trimestre|trimestre que viene|volgend kwartaal|komend kwartaal)\b"),
     _next_quarter),
    (re.compile(r"\b(?:next year|nächste[sn]? jahr|kommende[sn]? jahr|année prochaine|"
                r"an prochain|año que viene|próximo año|proximo año|año próximo|próximo ano|"
                r"proximo ano|ano que vem|volgend jaar|komend jaar|new year|neuen jahr|"
                r"nouvelle année|año nuevo|ano novo|nieuwe jaar)\b"), _next_year),
    (re.compile(r"(?:after (?:the )?summer|nach dem sommer|nach den sommerferien|après l'été|"
                r"après l’été|à la rentrée|después del verano|depois do verão|após o verão|"
                r"na de zomer)"), lambda _m, sent: _month_start(9, sent)),
    (re.compile(r"\b(?:second half|h2|zweiten jahreshälfte|zweite jahreshälfte|second semestre|"
                r"segundo semestre|tweede helft|2\. halbjahr|zweiten halbjahr)\b"),
     lambda _m, sent: _month_start(7, sent)),
    (re.compile(r"\b(?:début|debut|early|beginning of|start of|anfang|principios de|inicios de|"
                r"início de|inicio de|begin|in|im|en|em|ab|from)\s+(?:de\s+)?(20\d\d)\b"),
     lambda m, sent: date(int(m.group(1)), 1, 1)),
    (re.compile(r"\b(?:in|within)\s+(?:half a year|six months)|in einem halben jahr|"
                r"dans six mois|en seis meses|dentro de seis meses|em seis meses|"
                r"over een half jaar|over zes maanden"),
     lambda _m, sent: add_months(sent, 6)),
    (_MONTH_PERIOD, _resolve_month_period),
)


