"""What a fact in another language than the draft's can still say: a place, an amount, a kind.

A German fact in an English draft cannot be quoted, and translating it would be guessing;
"Hanseatische Getränkelogistik eröffnet neues Zentrallager in Bremen" still says that a site
opened in Bremen. This module reads, in the languages Cadenza meets in prospect records, the
kind of event (a site, hiring, funding, a launch) from its verbs and nouns, the place after a
preposition, the amount, and — for a draft in the fact's own language — a few words of a
post to quote: the clause most about what the sender does, never a lead-in that only announces
the point ("Vi har satt ett mål:") nor the first two words before a comma ("Cette année,").
"""

from __future__ import annotations

import re

from cadenza.writing.fact_parts import FactParts, cleaned, money, unattributed
from cadenza.writing.sender_copy import stems

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
    r"(?<!\w)(?P<prep>in|à|au|en|em|no|na|a|w|we|i|på|te|bei|nach|para|per|di|da|op)\s+"
    r"(?P<place>[A-ZÀ-ÝŁŚŻŹĆ][\w'’-]+(?:\.[\w'’-]+)*"  # "Kolding. Erfaring" is two sentences
    r"(?:[ -](?:[A-ZÀ-ÝŁŚŻŹĆ][\w'’-]+|(?:de|del|di|am|an|sur|upon)\b(?=[ -][A-ZÀ-Ý])))*)")
#: Capitalised words after "in" that are no place (German nouns, mostly).
_NOT_PLACES = frozenset({"Betrieb", "Zukunft", "Kürze", "Höhe", "Zusammenarbeit", "Summe",
                         "Excel", "Europa", "Deutschland", "Zeiten", "Ladetoren",
                         "Telefon", "Teilzeit", "Vollzeit"})
#: Where a post's sentences break into clauses a quote may stand alone by.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_BREAK = re.compile(r"(\s*[:;]\s+|\s+[—–-]\s+)")
_COMMA_BREAK = re.compile(r",\s+")
_QUOTE_CHARS = re.compile(r"[\"“”„«»]")
_WORD = re.compile(r"[^\W\d_]{2,}")
#: "…, but at the till we still sell time slots by hand": the clause after it is the point.
_BUT = re.compile(r"(?i)(?:but|aber|doch|mais|pero|mas|maar|ma|men|ale)\s+"
                  # not "ma che acquistiamo …": a clause that opens on "that" leans on the
                  # sentence before it
                  r"(?!(?:che|que|dass|that|qui|dat|att|som|at|że|which)\b)(.+)$")
#: A number that says something ("31 kitchens", "27%"), not a year.
_NUMBER = re.compile(r"\b(?!(?:19|20)\d\d\b)\d")
#: Words of a problem one has, in the eleven languages ("our biggest time sink", "c'est encore
#: du papier", "hvor vi taber penge"): the clause that says it is the one worth quoting, not
#: the one around it about what works ("Kranerne og hejsene har vi styr på"), which round 8's
#: reviewers called quoting the wrong half.
_PAIN = re.compile(
    r"(?i)\b(?:headache|nightmare|bottleneck|time[- ]sink|struggl\w*|biggest (?:problem|issue|"
    r"challenge)|still (?:on )?paper|los(?:e|ing) (?:money|time|track)|costs? us|"
    r"zeitfresser|zettelwirtschaft|kopfschmerz\w*|engpass|(?:gr(?:ö|oe)(?:ß|ss)te[sn]?|"
    r"eigentliche[sn]?) problem|noch (?:auf |immer )?papier|verlieren (?:geld|zeit)|"
    r"kostet uns|casse-t(?:ê|e)te|gal(?:è|e)re|encore (?:du |sur )?papier|on perd|nous co(?:û|u)te|"
    r"dolor de cabeza|cuello de botella|todav(?:í|i)a (?:en |con )?papel|perdemos|"
    r"dor de cabe(?:ç|c)a|gargalo|ainda (?:em |no )?papel|"
    r"hoofdpijn|knelpunt|nog (?:op |altijd )?papier|verliezen (?:geld|tijd)|"
    r"mal di testa|collo di bottiglia|ancora (?:su |di )?carta|perdiamo|"
    r"b(?:ó|o)l g(?:ł|l)owy|w(?:ą|a)skie gard(?:ł|l)o|nadal na papierze|tracimy|"
    r"huvudv(?:ä|a)rk|flaskhals|fortfarande (?:på|pa) papper|tappar (?:pengar|tid)|f(?:ö|o)rlorar|"
    r"hovedpine|flaskehals|stadig (?:på|pa) papir|taber (?:penge|tid)|"
    r"hodepine|fortsatt (?:på|pa) papir|taper (?:penger|tid))")
_QUOTED_SPAN = re.compile(r"[\"“„«»]\s*([^\"“”„«»]+?)\s*[\"”“«»]")
#: Stems that are only a Latin prefix in every language ("intercampagne", "interface").
_PREFIXES = frozenset({"inter", "trans", "multi", "super", "contr"})
#: A quote is "a few words": long enough to say something, short enough not to paste the post.
QUOTE_WORDS = (4, 16)


#: A head that waits for the clause after its comma ("merkt man den Schaden oft erst, wenn
#: es zu spät ist", "on ne le voit que, …"): cut there it says the opposite or nothing.
_WAITS = re.compile(r"(?i)(?<!\w)(?:erst|nur|only|just|seulement|que|solo|sólo|apenas|só|"
                    r"pas|alleen|dopiero|tylko|först|bara|først|kun|bare)$")


def quote_of(text: str, interest: frozenset[str] = frozenset()) -> str | None:
    """The clause of a post to quote: whole sentences, else their parts between colons, dashes
    and semicolons, else between commas, of 4 to 16 words, the one sharing most words with
    the sender's copy (``interest``: stems as :func:`cadenza.writing.sender_copy.stems` makes
    them) or naming a problem of one's own (:data:`_PAIN`), then one with a number, then the
    earliest. A clause that ends on a colon only
    announces what follows and ranks last; a question is asked of others, not said."""
    body = unattributed(text).strip()
    spans = [m.group(1) for m in _QUOTED_SPAN.finditer(body)]
    said = max(spans, key=lambda t: len(t.split()), default="")
    if len(said.split()) >= QUOTE_WORDS[0]:
        body = said  # «…» – mówi Name, title: only the words inside were said (not a
        # magazine's „Przemysł Chemiczny Dziś” before them)
    body = body.strip().lstrip("\"“„«'").rstrip("\"”»'")
    low, high = QUOTE_WORDS
    best: tuple[float, int, str] | None = None
    order = 0
    for sentence in _SENTENCE_BREAK.split(body):
        sentence = sentence.strip()
        pieces = [(sentence, False)]
        split = _CLAUSE_BREAK.split(sentence)  # clauses at even places, breaks between
        parts = [p for p in split[0::2] if p.strip()]
        if len(parts) > 1:
            pieces += [(p, i < len(split[1::2]) and split[1::2][i].strip() == ":")
                       for i, p in enumerate(split[0::2]) if p.strip()]
        if len(sentence.split()) > high:  # its head before a comma, and a clause after
            # "but": what else follows a comma mid-sentence ("qui a vraiment le temps …") is
            # no quote of its own
            for part in parts:
                commas = _COMMA_BREAK.split(part)
                if not _WAITS.search(commas[0].rstrip(" ,")):
                    pieces.append((commas[0], False))
                pieces += [(m.group(1), False) for c in commas[1:]
                           if (m := _BUT.match(c))]
        question = sentence.rstrip().endswith("?")
        for piece, announces in pieces:
            clause = piece.strip(" ,;:—–-").rstrip(".!?… ")
            words = clause.split()
            order += 1
            if not low <= len(words) <= high or _QUOTE_CHARS.search(clause) \
                    or len(_WORD.findall(clause)) < 3:
                continue
            shared = len((stems(clause) - _PREFIXES) & interest)
            score = (2.0 * shared + (0.5 if _NUMBER.search(clause) else 0.0)
                     + (2.5 if (pain := _PAIN.search(clause)) else 0.0)
                     # "Ehrlich gesagt: Die Zettelwirtschaft …": the problem without its lead-in
                     - (0.3 if pain and ":" in clause else 0.0)
                     - (1.5 if announces else 0.0)
                     - (0.5 if question else 0.0)
                     + (0.2 if len(words) >= 6 else 0.0))
            if best is None or (score, -order) > (best[0], -best[1]):
                best = (score, order, clause)
    return best[2] if best else None


def read_foreign(kind: str, text: str, *, company_words: frozenset[str],
                 interest: frozenset[str] = frozenset()) -> FactParts:
    """The parts of a fact written in another language than the draft's that need no
    translation; ``quote`` is a few words of a post or a stated pain (:func:`quote_of`)."""
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
    place = prep = None
    for m in _PLACE.finditer(text):
        candidate = m.group("place").rstrip(".")
        before = text[:m.start()].split()
        if m.group("prep") == "i" and before and before[-1][:1].isupper():
            continue  # Polish "and" between two capitalised nouns ("Jakości i Higieny"),
            # not the Nordic "in" ("lager i Kolding")
        if candidate not in _NOT_PLACES and not any(
                w.lower() in company_words for w in candidate.split()):
            place, prep = candidate, m.group("prep")
            break
    quote = quote_of(text, interest) if event in ("post", "pain") else None
    return FactParts(event, place=place if event != "stack" else None,
                     amount=money(text) if event == "funding" else None, quote=quote,
                     place_after=prep.lower() if prep and event != "stack" else None)
