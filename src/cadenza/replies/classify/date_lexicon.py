"""Word tables for dates in the eleven languages Cadenza reads (en de fr es pt nl it pl sv da no).

Pure data, so adding a language or a form is a data change and the patterns in
:mod:`cadenza.replies.classify.date_words` and :mod:`cadenza.replies.classify.date_periods`
stay language-blind. Language detection is unreliable on two-line replies (Norwegian is often
read as Dutch or Portuguese), so every table is applied to every message: forms are chosen so
that one language's date word is not another's everyday word. Inflected forms are listed
because Polish and the Nordic languages decline month names ("w styczniu", "15 sierpnia",
"i augusti"). Ambiguous abbreviations that are everyday words ("set", "ago", "sie", "lis")
are left out on purpose.
"""

from __future__ import annotations

MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "janeiro",
        "januari", "gennaio", "styczeń", "styczen", "stycznia", "styczniu"),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "fév", "febrero", "fevereiro",
        "fev", "februari", "febbraio", "luty", "lutego", "lutym"),
    3: ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "mrt",
        "marzec", "marca", "marcu", "marts"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwiecień", "kwiecien",
        "kwietnia", "kwietniu"),
    5: ("may", "mai", "mayo", "maio", "mei", "maggio", "maj", "maja", "maju"),
    6: ("june", "jun", "juni", "juin", "junio", "junho", "giugno", "czerwiec", "czerwca",
        "czerwcu"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho", "luglio", "lipiec", "lipca",
        "lipcu"),
    8: ("august", "aug", "août", "aout", "agosto", "augustus", "augusti", "sierpień", "sierpien",
        "sierpnia", "sierpniu"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "setembro",
        "settembre", "wrzesień", "wrzesien", "września", "wrzesnia", "wrześniu", "wrzesniu"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "outubro", "ottobre", "ott",
         "październik", "pazdziernik", "października", "pazdziernika", "październiku",
         "pazdzierniku"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "listopad", "listopada",
         "listopadzie"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
         "dezembro", "dicembre", "grudzień", "grudzien", "grudnia", "grudniu", "desember"),
}

WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("monday", "montag", "lundi", "lunes", "segunda-feira", "maandag", "lunedì", "lunedi",
        "poniedziałek", "poniedzialek", "poniedziałku", "måndag", "måndagen", "mandag",
        "mandagen"),
    1: ("tuesday", "dienstag", "mardi", "martes", "terça-feira", "terca-feira", "dinsdag",
        "martedì", "martedi", "wtorek", "wtorku", "tisdag", "tisdagen", "tirsdag", "tirsdagen"),
    2: ("wednesday", "mittwoch", "mercredi", "miércoles", "miercoles", "quarta-feira", "woensdag",
        "mercoledì", "mercoledi", "środa", "środę", "sroda", "srode", "onsdag", "onsdagen"),
    3: ("thursday", "donnerstag", "jeudi", "jueves", "quinta-feira", "donderdag", "giovedì",
        "giovedi", "czwartek", "czwartku", "torsdag", "torsdagen"),
    4: ("friday", "freitag", "vendredi", "viernes", "sexta-feira", "vrijdag", "venerdì",
        "venerdi", "piątek", "piatek", "piątku", "fredag", "fredagen"),
    5: ("saturday", "samstag", "sonnabend", "samedi", "sábado", "sabado", "zaterdag", "sabato",
        "sobota", "sobotę", "lördag", "lørdag"),
    6: ("sunday", "sonntag", "dimanche", "domingo", "zondag", "domenica", "niedziela",
        "niedzielę", "söndag", "søndag"),
}

# Small counts in "in two weeks", "om tre veckor", "za dwa tygodnie". Vague words ("a few",
# "quelques", "kilka") are left out: "in a few months" is no date by the labeling rules.
NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8,
    "ten": 10, "twelve": 12, "a couple of": 2, "couple of": 2,
    "ein": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4,
    "fünf": 5, "sechs": 6, "acht": 8, "zehn": 10, "zwölf": 12,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "huit": 8, "dix": 10,
    "douze": 12,
    "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "ocho": 8,
    "diez": 10, "doce": 12,
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "oito": 8, "dez": 10, "doze": 12,
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vijf": 5, "zes": 6, "tien": 10, "twaalf": 12,
    "due": 2, "tre": 3, "quattro": 4, "sei": 6, "otto": 8, "dieci": 10, "dodici": 12,
    "jeden": 1, "jedna": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "pięć": 5, "sześć": 6,
    "osiem": 8, "dziesięć": 10,
    "en": 1, "ett": 1, "et": 1, "två": 2, "to": 2, "fyra": 4, "fire": 4, "fem": 5, "sex": 6,
    "seks": 6, "åtta": 8, "otte": 8, "åtte": 8, "tio": 10, "ti": 10, "tolv": 12,
    "ett par": 2, "et par": 2, "par": 2,
    # "a couple of" in the other languages; "a few" / "ein paar" / "quelques" stay out: the
    # labelers read them as too vague for a date
    "un par de": 2, "un paio di": 2, "un paio d'": 2, "parę": 2, "kilka": 3,
}

# "in/within <n> <unit>" in each language.
IN_WORDS = (
    "in", "within", "binnen", "dans", "d'ici", "d’ici", "en", "dentro de", "em", "daqui a",
    "over", "tra", "fra", "entro", "za", "w ciągu", "om", "inom", "inden for", "innen",
)
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "day": ("day", "days", "tag", "tage", "tagen", "jour", "jours", "día", "días", "dia", "dias",
            "dag", "dagen", "giorno", "giorni", "dzień", "dni", "dagar", "dage", "dager"),
    "week": ("week", "weeks", "woche", "wochen", "semaine", "semaines", "semana", "semanas",
             "weken", "settimana", "settimane", "tydzień", "tygodnie", "tygodni", "vecka",
             "veckor", "uge", "uger", "uke", "uker"),
    "month": ("month", "months", "monat", "monaten", "monate", "mois", "mes", "meses", "mês",
              "maand", "maanden", "mese", "mesi", "miesiąc", "miesiące", "miesięcy", "månad",
              "månader", "måned", "måneder"),
    # "in a year", "om et års tid", "dans un an", "za rok": a contract or a budget cycle
    "year": ("year", "years", "jahr", "jahren", "jahre", "an", "ans", "año", "años", "ano",
             "anos", "jaar", "anno", "anni", "rok", "lata", "lat", "år", "års", "åren"),
}

# Words that stand before a week number ("week 14", "KW 22", "uge 33", "vecka 40",
# "tydzień 10", "semaine 12", "settimana 12") or after an ordinal one ("36. tygodniu").
WEEK_WORDS = (
    "week", "wk", "kw", "kalenderwoche", "woche", "semaine", "sem", "semana", "settimana",
    "tydzień", "tydzien", "tygodniu", "tygodnia", "vecka", "veckan", "uge", "ugen", "uke",
    "uka", "uken",
)

QUARTER_WORDS = (
    "quarter", "quartal", "quartals", "trimestre", "kwartaal", "kwartał", "kwartal", "kwartale",
    "kwartału", "kvartal", "kvartalet", "kvartalen",
)
# Ordinal words for quarters and half-years: "third quarter", "troisième trimestre",
# "terzo trimestre", "trzecim kwartale", "tredje kvartalet", "første kvartal".
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4,
    "ersten": 1, "erste": 1, "zweiten": 2, "zweite": 2, "dritten": 3, "dritte": 3, "vierten": 4,
    "vierte": 4,
    "premier": 1, "deuxième": 2, "deuxieme": 2, "troisième": 3, "troisieme": 3,
    "quatrième": 4, "quatrieme": 4,
    "primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4,
    "primeiro": 1, "terceiro": 3, "quarto": 4,
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4,
    "primo": 1, "secondo": 2, "terzo": 3,
    "pierwszy": 1, "pierwszym": 1, "pierwszej": 1, "drugi": 2, "drugim": 2, "drugiej": 2,
    "trzeci": 3, "trzecim": 3,
    "czwarty": 4, "czwartym": 4,
    "första": 1, "andra": 2, "tredje": 3, "fjärde": 4,
    "første": 1, "andet": 2, "anden": 2, "andre": 2, "fjerde": 4,
}
HALF_WORDS = (
    "half", "halbjahr", "jahreshälfte", "semestre", "helft", "halfjaar", "półrocze", "półroczu",
    "polrocze", "halvåret", "halvår", "połowie roku", "połowa roku", "połowie tego roku",
)

# Words that move a period to the one after it: "after Q1", "etter første kvartal",
# "after the end of Q2", "nach Ostern", "po wakacjach".
AFTER_WORDS = (
    "after", "nach", "après", "apres", "después de", "despues de", "depois de", "depois do",
    "depois da", "após", "apos", "tras", "na", "dopo", "po", "efter", "etter", "over",
)
# "early / beginning of / end of / mid" in each language; the value says which part.
PART_WORDS: dict[str, str] = {
    "early": "start", "beginning of": "start", "start of": "start", "the beginning of": "start",
    "the start of": "start", "anfang": "start", "beginn": "start", "zu beginn": "start",
    "début": "start", "debut": "start", "au début de": "start", "principios de": "start",
    "inicios de": "start", "comienzos de": "start", "a principios de": "start",
    "início de": "start", "inicio de": "start", "começo de": "start", "no início de": "start",
    "begin": "start", "inizio": "start", "all'inizio di": "start", "a inizio": "start",
    "ad inizio": "start", "inizi di": "start", "primi di": "start",
    "początek": "start", "na początku": "start", "początkiem": "start",
    "början av": "start", "i början av": "start", "starten af": "start", "i starten af": "start",
    "begyndelsen af": "start", "i begyndelsen af": "start", "starten av": "start",
    "i starten av": "start", "begynnelsen av": "start", "i begynnelsen av": "start",
    "primo": "start",
    "mid": "mid", "mid-": "mid", "middle of": "mid", "mitte": "mid", "mi-": "mid",
    "mediados de": "mid", "meados de": "mid", "half": "mid", "medio": "mid", "midden": "mid",
    "metà": "mid", "a metà": "mid", "w połowie": "mid", "połowa": "mid", "mitten av": "mid",
    "i mitten av": "mid", "midten af": "mid", "i midten af": "mid", "midten av": "mid",
    "i midten av": "mid",
    "end of": "end", "the end of": "end", "late": "end", "ende": "end", "fin": "end",
    "fin de": "end", "finales de": "end", "final de": "end", "fines de": "end", "fim de": "end",
    "eind": "end", "einde": "end", "fine": "end", "a fine": "end", "koniec": "end",
    "końcem": "end", "pod koniec": "end", "do końca": "end", "slutet av": "end",
    "i slutet av": "end", "slutningen af": "end", "udgangen af": "end", "slutten av": "end",
    "utgangen av": "end", "ultimo": "end",
}

NEXT_YEAR = (
    "next year", "nächstes jahr", "nächsten jahres", "nächstem jahr", "nächsten jahr",
    "kommendes jahr", "kommenden jahres", "l'année prochaine", "l’année prochaine",
    "l'an prochain", "l’an prochain", "année prochaine", "año que viene", "próximo año",
    "proximo año", "año próximo", "próximo ano", "proximo ano", "ano que vem", "volgend jaar",
    "komend jaar", "volgende jaar", "anno prossimo", "prossimo anno", "l'anno prossimo",
    "przyszłym roku", "przyszły rok", "przyszłego roku", "nästa år", "næste år", "neste år",
    "til næste år", "til neste år",
)
NEXT_QUARTER = (
    "next quarter", "nächste quartal", "nächsten quartal", "nächstes quartal",
    "kommenden quartal", "prochain trimestre", "trimestre prochain", "próximo trimestre",
    "proximo trimestre", "siguiente trimestre", "trimestre que viene", "volgend kwartaal",
    "komend kwartaal", "prossimo trimestre", "trimestre prossimo", "przyszłym kwartale",
    "kolejnym kwartale", "następnym kwartale", "nästa kvartal", "næste kvartal",
    "neste kvartal",
)
NEXT_WEEK = (
    "next week", "nächste woche", "nächster woche", "kommende woche", "kommenden woche",
    "semaine prochaine", "prochaine semaine", "próxima semana", "proxima semana",
    "semana que viene", "semana que vem", "volgende week", "komende week", "settimana prossima",
    "prossima settimana", "przyszłym tygodniu", "przyszły tydzień", "nästa vecka", "næste uge",
    "neste uke",
)
NEXT_MONTH = (
    "next month", "nächsten monat", "nächster monat", "kommenden monat", "mois prochain",
    "próximo mes", "proximo mes", "mes que viene", "próximo mês", "mês que vem",
    "volgende maand", "komende maand", "mese prossimo", "prossimo mese", "przyszłym miesiącu",
    "nästa månad", "næste måned", "neste måned",
)
# "until the end of the week / month" in an absence: back the next Monday / the 1st.
REST_OF_WEEK = (
    "rest of the week", "end of the week", "ende der woche", "fin de la semaine",
    "final de la semana", "fin de semana", "fim da semana", "einde van de week",
    "fine della settimana", "resto della settimana", "końca tygodnia", "resten av veckan",
    "resten af ugen", "resten av uka", "resten av uken",
)
REST_OF_MONTH = (
    "end of the month", "ende des monats", "monatsende", "fin du mois", "final del mes",
    "fin de mes", "fim do mês", "einde van de maand", "fine del mese", "fine mese",
    "końca miesiąca", "slutet av månaden", "udgangen af måneden", "slutten av måneden",
)
# "until the end of the year", "after year end": the 1st of January.
REST_OF_YEAR = (
    "end of the year", "end of this year", "year end", "year-end", "jahresende",
    "ende des jahres", "ende dieses jahres", "fin d'année", "fin d’année", "fin de l'année",
    "fin de l’année", "final del año", "fin de año", "finales de año", "fim do ano",
    "final do ano", "einde van het jaar", "eind dit jaar", "jaareinde", "fine anno",
    "fine dell'anno", "fine dell’anno", "końca roku", "koniec roku", "slutet av året",
    "årsslutet", "slutningen af året", "udgangen af året", "slutten av året", "årsslutt",
)
# An absence "this week" is over the Monday after; only read in absence notices.
THIS_WEEK = (
    "this week", "diese woche", "dieser woche", "cette semaine", "esta semana", "essa semana",
    "nesta semana", "deze week", "questa settimana", "w tym tygodniu", "denna vecka",
    "den här veckan", "i denne uge", "denne uge", "denne uka", "denne uken", "i denne uka",
)
# "Out of the office today": back the next business day; only read in absence notices.
TODAY = ("today", "heute", "aujourd'hui", "aujourd’hui", "hoy", "hoje", "vandaag", "oggi",
         "dzisiaj", "dziś", "idag", "i dag")
# "away for two weeks", "für drei Tage", "i två veckor": an absence's length, in each language.
FOR_WORDS = (
    "for", "for the next", "for the coming", "für", "für die nächsten", "pendant",
    "pendant les", "pendant les prochains", "pendant les prochaines", "durante",
    "durante las próximas", "durante los próximos", "durante as próximas", "durante os próximos",
    "voor", "de komende", "per", "per le prossime", "per i prossimi", "przez", "przez najbliższe",
    "i", "de närmaste", "de næste", "de neste",
)

# Seasons and holidays after which people ask to be contacted again, with how each resolves.
# "summer" means after the summer holidays: 1 September, the labeling rule. "After the
# holidays" / "après les fêtes" is left out: the labeling rules read it as too vague for a date.
SEASON_AFTER: dict[str, tuple[str, ...]] = {
    "sep1": (
        "after the summer", "after summer", "after the summer holidays", "after the summer break",
        "nach dem sommer", "nach der sommerpause", "nach den sommerferien", "nach dem urlaub",
        "après l'été", "après l’été", "à la rentrée", "a la rentrée", "après les vacances",
        "después del verano", "tras el verano", "después de las vacaciones",
        "depois do verão", "após o verão", "depois das férias", "após as férias",
        "na de zomer", "na de zomervakantie", "na de vakantie", "na de zomerstop",
        "dopo l'estate", "dopo l’estate", "dopo le ferie", "dopo le vacanze",
        "po wakacjach", "po lecie", "po urlopach",
        "efter sommaren", "efter semestern", "efter sommarsemestern", "efter sommerferien",
        "efter sommeren", "efter ferien", "etter sommeren", "etter sommerferien",
        "etter ferien", "after the summer vacation", "after summer vacation",
        "after the summer holiday", "after summer holidays", "a la vuelta del verano",
        "a la vuelta de las vacaciones", "a la vuelta de vacaciones", "tras las vacaciones",
        "después de vacaciones", "no regresso das férias", "no regresso de férias",
        "na het zomerreces", "dopo la pausa estiva", "después de verano", "tras verano",
    ),
    # the French autumn school holidays end on the first Monday of November
    "toussaint": ("après la toussaint", "après les vacances de la toussaint",
                  "après les vacances de toussaint", "apres la toussaint"),
    # "à la rentrée de janvier": back to work after the New Year, the first Monday of January
    "janmon": ("rentrée de janvier", "rentrée en janvier", "rentree de janvier"),
    "jan1": (
        "after the new year", "after new year", "after new year's", "in the new year",
        "nach neujahr", "nach dem jahreswechsel", "im neuen jahr", "après le nouvel an",
        "después de año nuevo", "depois do ano novo",
        "após o ano novo", "na nieuwjaar", "na de jaarwisseling", "in het nieuwe jaar",
        "dopo capodanno", "nel nuovo anno", "po nowym roku",
        "w nowym roku", "efter nyår", "efter årsskiftet", "efter nytår", "over nytår",
        "etter nyttår", "over nyttår", "after christmas",
        "nach weihnachten", "après noël", "después de navidad",
        "depois do natal", "na kerst", "dopo natale", "po świętach bożego narodzenia",
        "efter jul", "efter julen", "etter jul", "etter julen", "over jul", "over julen",
        "i det nye år", "i det nya året", "i det nye året", "i nya året", "en el año nuevo",
        "no ano novo", "dans la nouvelle année",
    ),
    "jan7": (
        "dopo l'epifania", "dopo l’epifania", "dopo la befana", "después de reyes",
        "nach dreikönig", "efter trettonhelgen", "efter trettondagen", "efter trettondag jul",
    ),
    "aug16": ("dopo ferragosto",),
    "may4": ("po majówce", "po majowce", "po długim weekendzie majowym"),
    "labor": ("after labor day", "after labour day"),
    "easter": (
        "after easter", "after the easter holidays", "after the easter break", "nach ostern",
        "nach den osterferien", "après pâques", "apres paques", "après les vacances de pâques",
        "después de semana santa", "después de pascua", "depois da páscoa", "depois da pascoa",
        "após a páscoa", "na pasen", "na de paasvakantie", "dopo pasqua",
        "dopo le vacanze di pasqua", "po wielkanocy", "po świętach wielkanocnych",
        "efter påsk", "efter påsken", "efter påske", "efter påskeferien",
    ),
    # Norwegian: 2. påskedag is a public holiday, so "etter påske" is the Tuesday (four of the
    # five Norwegian training writers' labels; Danish and Swedish writers were split)
    "easter_tue": ("etter påske", "etter påskeferien", "etter påskehelgen",
                   # after Easter Monday itself: the Tuesday
                   "after easter monday", "etter 2. påskedag", "etter andre påskedag",
                   "efter 2. påskedag", "efter anden påskedag", "nach ostermontag",
                   "après le lundi de pâques", "dopo pasquetta", "na tweede paasdag",
                   "efter annandag påsk", "po poniedziałku wielkanocnym",
                   "después del lunes de pascua", "depois da segunda-feira de páscoa"),
    "ash": ("depois do carnaval", "após o carnaval", "nach fasching", "nach karneval",
            "después de carnaval", "dopo carnevale", "después del carnaval",
            "dopo il carnevale", "après le carnaval", "na carnaval", "nach der fastnacht",
            "passado o carnaval", "depois de carnaval"),
}
SEASONS: dict[int, tuple[str, ...]] = {  # "in the spring" → 1 March of the next spring
    3: ("in the spring", "in spring", "this spring", "im frühjahr", "im frühling",
        "au printemps", "en primavera", "na primavera", "in het voorjaar", "in de lente",
        "in primavera", "wiosną", "na wiosnę", "i vår", "til våren", "om våren", "til foråret",
        "i foråret", "next spring", "nächstes frühjahr", "im nächsten frühjahr",
        "au printemps prochain", "la próxima primavera", "na próxima primavera",
        "volgend voorjaar", "la prossima primavera", "przyszłej wiosny", "nästa vår",
        "næste forår", "neste vår"),
    6: ("in the summer", "this summer", "im sommer", "en été", "cet été", "en verano",
        "no verão", "in de zomer", "in estate", "latem", "w lecie", "i sommar", "til sommer",
        "til sommeren", "i sommer", "next summer", "nächsten sommer", "im nächsten sommer",
        "l'été prochain", "l’été prochain", "el próximo verano", "no próximo verão",
        "volgende zomer", "la prossima estate", "przyszłego lata", "nästa sommar",
        "næste sommer", "neste sommer"),
    9: ("in the autumn", "in autumn", "in the fall", "this fall", "im herbst", "à l'automne",
        "à l’automne", "en otoño", "no outono", "in het najaar", "in de herfst", "in autunno",
        "jesienią", "na jesień", "i höst", "til efteråret", "i efteråret", "i høst",
        "til høsten", "til hösten", "next autumn", "next fall", "nächsten herbst",
        "im nächsten herbst", "à l'automne prochain", "à l’automne prochain",
        "el próximo otoño", "no próximo outono", "volgend najaar", "il prossimo autunno",
        "przyszłej jesieni", "nästa höst", "næste efterår", "neste høst",
        # a school or academic year starts in September
        "next school year", "next academic year", "in the new school year",
        "in the new academic year", "nächstes schuljahr", "im neuen schuljahr",
        "l'année scolaire prochaine", "l’année scolaire prochaine", "el próximo curso",
        "el curso que viene", "el próximo año escolar", "no próximo ano letivo",
        "no próximo ano lectivo", "no novo ano letivo", "volgend schooljaar",
        "in het nieuwe schooljaar", "volgend studiejaar", "il prossimo anno scolastico",
        "il prossimo anno accademico",
        "w przyszłym roku szkolnym", "w nowym roku szkolnym", "nästa läsår", "næste skoleår",
        "neste skoleår"),
    12: ("in the winter", "this winter", "im winter", "en hiver", "cet hiver", "en invierno",
         "no inverno", "in de winter", "in inverno", "zimą", "i vinter", "til vinteren"),
}

# Cues. "Back on X" in each language: the date after it is the return date.
RETURN_WORDS = (
    "back", "return", "returning", "returns", "zurück", "wieder", "retour", "rentre",
    "rentrerai", "reviens", "reviendrai", "de vuelta", "regreso", "regresaré", "regresare",
    "vuelvo", "volveré", "volvere", "vuelta", "de volta", "retorno", "retornarei", "retornando",
    "volto", "voltarei", "terug", "weer", "reprends", "reprendrai", "kehre", "retomo",
    "reinicio", "im büro", "in the office", "au bureau", "en la oficina", "no escritório",
    "op kantoor", "reincorporo", "me reincorporo", "reincorporaré", "me reincorporaré",
    "regresso", "regressarei", "regressando", "regresa", "vuelve", "volta", "rientro",
    "rientrerò", "rientrero", "rientra", "torno", "tornerò", "tornero",
    "di ritorno", "in ufficio", "wracam", "wrócę", "wroce", "powrocie", "tillbaka", "åter",
    "på plats", "på kontoret", "tilbage", "tilbake", "på jobb", "på jobbet", "på arbejde",
    "i tjeneste", "rückkehr", "z powrotem", "riprenderò", "riprendero", "riprendo",
    "w biurze", "w pracy",
    # a business that closes: "will reopen on Friday 2nd January" is the day back
    "reopen", "reopens", "re-open", "re-opens", "reopening", "wieder geöffnet", "rouvrira",
    "rouvre", "réouverture", "reabre", "reabrimos", "reabriremos", "reabertura", "riapre",
    "riapriremo", "riapertura", "weer open", "heropent", "otwieramy", "öppnar igen",
    "åbner igen", "åpner igen",
)
# "Available again from X": a return too, in an absence notice (a receipt's opening hours say
# "available" as well, so these alone do not make an automatic answer an absence).
AVAILABLE_WORDS = (
    "available again", "available from", "erreichbar ab", "disponible à partir",
    "disponible a partir", "disponível a partir", "beschikbaar vanaf", "disponible",
    "joignable", "erreichbar", "bereikbaar", "available", "reachable", "operativo",
    "operativa", "będę dostępn", "będę dostępny", "będę dostępna", "bede dostepny",
    "bede dostepna", "jestem dostępny", "jestem dostępna",
)
# "We will reply on Tuesday, 13 October": the day answers resume is the day back.
ANSWER_WORDS = (
    "reply", "respond", "répondrai", "répondrons", "antworte", "beantworte", "responderé",
    "responderemos", "responderei", "risponderò", "rispondero", "beantwoord", "odpowiem",
    "svarar", "svarer", "odczytywane", "odczytam",
)
UNTIL_WORDS = (
    "until", "till", "til", "through", "thru", "to", "until and including", "till and including",
    "to and including", "through and including", "up to and including", "bis", "bis zum",
    "bis einschließlich",
    "bis einschl.", "jusqu'au", "jusqu'à", "jusqu’au", "jusqu’à", "au", "hasta", "hasta el",
    "al", "até", "até o", "até dia", "até ao", "a", "tot", "tot en met", "t/m", "t.m.",
    "fino al", "fino a", "fino all'", "sino al", "do", "do dnia", "till och med", "t.o.m.",
    "tom", "fram till", "til og med", "frem til", "fram til", "indtil",
)
INCLUSIVE_BEFORE = (
    "einschließlich", "einschl.", "t/m", "t.m.", "tot en met", "inclusive", "up to and including",
    "until and including", "till and including", "to and including", "through and including",
    "till och med", "t.o.m.", "til og med",
)
INCLUSIVE_AFTER = (
    "inclusive", "inclusivement", "inclus", "incluse", "incluido", "incluida", "incluído",
    "incluída", "inclusief", "einschließlich", "einschl", "compreso", "compresa", "incluso",
    "inclusa", "włącznie", "wlacznie",
)
# "Circle back", "Hör av dig", "Ta kontakt", "Ricontattami": an ask to be contacted again.
CONTACT_STEMS = (
    "reach", "check back", "circle back", "touch base", "follow up", "get back", "contact",
    "ping", "email me", "write me", "write to me", "call me", "try me", "try again",
    "try us", "revisit", "ask me", "talk", "come back", "drop me", "get in touch",
    "melden", "kontaktier", "schreiben sie", "sprechen wir", "sprechen sie", "kommen sie",
    "recontact", "revenez", "relancez", "écrivez", "contactez", "reparl", "escríb", "contácta",
    "llám", "vuelv", "búsca", "retomar", "procur", "contat", "entre em", "volte",
    "neem", "benader", "mail me", "mail ons", "bel me", "bel ons", "spreken",
    "ricontatt", "risentiamo", "riscriv", "riparliamo", "riprendiamo", "sentiamoci",
    "scrivimi", "mi scriva", "kontakt", "odezw", "napisa", "wrócić do", "hör av", "höra av",
    "pinga", "mejla", "skriv", "tag fat", "prøv", "prova", "ta kontakt", "hør",
    "send meg", "send mig", "skicka", "send me", "envoyez-moi", "schicken sie", "mándame",
    "mande-me", "stuur me", "mandami", "wyślij", "przyślij",
)
