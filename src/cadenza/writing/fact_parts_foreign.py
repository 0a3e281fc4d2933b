"""What a fact in another language than the draft's can still say: a place, an amount, a kind.

A German fact in an English draft cannot be quoted, and translating it would be guessing;
"Hanseatische Getränkelogistik eröffnet neues Zentrallager in Bremen" still says that a site
opened in Bremen. This module reads, in the languages Cadenza meets in prospect records, the
kind of event (a site, hiring, funding, a launch) from its verbs and nouns, the place after a
preposition, the amount, and — for a draft in the fact's own language — the first few words
of a post, to quote.
"""

from __future__ import annotations

import re

from cadenza.writing.fact_parts import FactParts, cleaned, money, unattributed

_EVENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("funding", re.compile(
        r"(?i)\b(?:lève|levé|finanzierung\w*|kapitalrunde|captou|rodada|ronda|haalde\b.*\bop|"
        r"investering|raccoglie|round|pozyska\w*|finansiering|levantó|recaud\w*)")),
    ("hiring", re.compile(
        r"(?i)\b(?:sucht|stellenanzeige|recrute\w*|busca\b|buscamos|contrata\w*|zoekt|vacature|"
        r"cerca\b|assume|szuka\w*|rekrutuje|söker|rekryterar|procura|offerta di lavoro)")),
    ("launch", re.compile(
        r"(?i)\b(?:lanc\w*|startet|gestartet|führt\b.*\bein|lanza\w*|lançou|lança|lanceert|"
        r"lanceerde|lancia\w*|uruchamia|uruchomi\w*|lanserar|introduz\w*|einführung)")),
    ("site", re.compile(
        r"(?i)\b(?:eröffne\w*|neue[sn]? (?:werk|lager|zentrallager|logistikzentrum|"
        r"verteilzentrum|standort)|ouvr\w*|ouvert|inaugur\w*|nouvel(?:le)? (?:entrepôt|site|"
        r"usine|plateforme)|abr(?:e|ió|iu)\b|nuevo centro|nueva (?:nave|planta)|opent|opende|"
        r"in gebruik|nieuwe? (?:distributiecentrum|dc|magazijn|vestiging)|apre|amplia\w*|"
        r"nuovo (?:magazzino|stabilimento)|otwiera|otworzy\w*|nowe centrum|öppnar|nytt "
        r"(?:lager|centrallager)|nova (?:unidade|fábrica)|erweitert|agrandit|amplía|"
        r"uitbreid\w*|rozbudow\w*|bygger ut)")),
)
#: What the templates call "a new site" must be one: a plant, a warehouse, an office. "Opens"
#: alone is not enough — round 3 congratulated a lace museum on a "nouveau site" because it
#: called itself "un lieu ouvert à tous", a museum on a "neuer Standort" for a new machine
#: hall, and a castle on a "new site" for a renovated tower.
SITE_NOUN = re.compile(
    r"(?i)\b(?:standort\w*|werk|werks|lager|zentrallager|logistikzentrum|verteilzentrum|"
    r"niederlassung|filiale|fabrik|produktionsstätte|abfüllstandort|site|entrepôt|usine|"
    r"plateforme|agence|planta|nave|almac[eé]n|f[aá]brica|sede|oficina|unidade|armaz[eé]m|"
    r"centro (?:de distribuci[oó]n|log[ií]stic\w*)|centro di distribuzione|locatie|vestiging|"
    r"distributiecentrum|dc|magazijn|fabriek|kantoor|magazzino|stabilimento|zak[łl]ad\w*|"
    r"magazyn\w*|oddzia[łl]\w*|centrum (?:logistyczne|dystrybucyjne)|rosteri|pakkeri|"
    r"anl[äa]ggning|anlegg|fabrikk|kontor|terminal|hub|warehouse|plant|office|"
    r"distribution cent(?:er|re)|fulfil+ment cent(?:er|re)|"
    # the places of work the English reader also calls a site: homes, clinics, shops, schools
    r"\w*heim|klinik\w*|krankenhaus|praxis|schule|hotel\w*|maison de retraite|ehpad|"
    r"clinique|h[ôo]pital|[ée]cole|magasin|residencia|cl[ií]nica|hospital|tienda|escuela|"
    r"lar|loja|escola|verpleeghuis|zorglocatie|kliniek|ziekenhuis|winkel|school|"
    r"casa (?:di riposo|de repouso)|ospedale|negozio|scuola|szpital|sklep|szko[łl]\w*|"
    r"boende|sjukhus|butik|skola)\b")
_PLACE = re.compile(
    r"(?<!\w)(?:in|à|au|en|em|no|na|a|w|we|i|på|te|bei|nach|para|per|di|da|op)\s+"
    r"(?P<place>[A-ZÀ-ÝŁŚŻŹĆ][\w'’.-]+(?:[ -](?:[A-ZÀ-ÝŁŚŻŹĆ][\w'’-]+|(?:de|del|di|am|an|sur|"
    r"upon)\b(?=[ -][A-ZÀ-Ý])))*)")
#: Capitalised words after "in" that are no place (German nouns, mostly).
_NOT_PLACES = frozenset({"Betrieb", "Zukunft", "Kürze", "Höhe", "Zusammenarbeit", "Summe",
                         "Excel", "Europa", "Deutschland", "Zeiten", "Ladetoren",
                         "Telefon", "Teilzeit", "Vollzeit"})
_FIRST_WORDS = re.compile(r"^[^.!?,;:—–(]+")


def read_foreign(kind: str, text: str, *, company_words: frozenset[str]) -> FactParts:
    """The parts of a fact written in another language than the draft's that need no
    translation; ``quote`` is the first few words of a post or a stated pain."""
    text = cleaned(text)
    event = {"pain_point": "pain", "post": "post", "role_change": "role",
             "tech_stack": "stack", "funding": "funding", "hiring": "hiring",
             "product_launch": "launch"}.get(kind, "news")
    if event == "news":
        for name, pattern in _EVENTS:
            if pattern.search(text):
                event = name
                break
        if event == "site" and not SITE_NOUN.search(text):
            event = "news"  # opened something, but not a site: not "a new site"
    place = None
    for m in _PLACE.finditer(text):
        candidate = m.group("place").rstrip(".")
        if candidate not in _NOT_PLACES and not any(
                w.lower() in company_words for w in candidate.split()):
            place = candidate
            break
    quote = None
    if event in ("post", "pain"):
        first = _FIRST_WORDS.match(unattributed(text).lstrip("\"“„«'"))
        words = first.group(0).split() if first else []
        if 3 <= len(words) <= 16:  # a stated pain is often one long sentence
            quote = " ".join(words)
    return FactParts(event, place=place if event != "stack" else None,
                     amount=money(text) if event == "funding" else None, quote=quote)
