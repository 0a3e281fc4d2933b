"""Whether a draft reads as a person wrote it: whole sentences, closed quotes, one register.

The hard rules keep a draft safe; these keep it from reading like a mail merge gone wrong.
A fact spliced into a sentence leaves the traces this module looks for: a quote opened and
never closed ("I saw that you on LinkedIn: 'the first words"), a sentence that ends on "the",
a headline pasted after a colon inside another colon, "we Raised", "the the", a German mail
that says "Sie" in one sentence and "du" in the next. Each finding is one short reason, so
that the checker can name it, the template drafter can move to another phrasing, and the
LLM can be told what to fix. Both drafters pass through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cadenza.writing.german import continues_greeting
from cadenza.writing.sentences import GREETING_WORDS, sentences, split_lines

# -- quotes -------------------------------------------------------------------------------------
_PAIRS = {"“": "”", "„": "“", "«": "»", "‹": "›", "(": ")", "[": "]", "‚": "‘"}
_QUOTE_CLOSERS = {"”", "»", "›", ")", "]"}
#: The characters :func:`unclosed_quotes` acts on.
_QUOTE_CHAR = re.compile("[" + re.escape("".join(sorted(
    {'"', "'", "‘", "’", "“", "„", "«", *_PAIRS, *_QUOTE_CLOSERS}))) + "]")


def _split(text: str) -> list[str]:
    """The words of a word list written as one string."""
    return text.split()


def unclosed_quotes(text: str) -> list[str]:
    """Quotes and brackets opened and not closed within their paragraph ("'the first words")."""
    problems: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        stack: list[str] = []
        for m in _QUOTE_CHAR.finditer(para):  # every other character leaves the stack alone
            i, ch = m.start(), m.group(0)
            prev = para[i - 1] if i else " "
            nxt = para[i + 1] if i + 1 < len(para) else " "
            if ch == '"':
                if stack and stack[-1] == '"':
                    stack.pop()
                else:
                    stack.append('"')
            elif ch == "'" or ch == "‘":
                if not prev.isalnum() and nxt.isalnum():
                    stack.append("'")  # an opening single quote, not an apostrophe
                elif stack and stack[-1] == "'" and not nxt.isalnum():
                    stack.pop()
            elif ch == "’":
                if stack and stack[-1] == "'" and not nxt.isalnum():
                    stack.pop()
            elif ch == "“" and stack and stack[-1] == "„":
                stack.pop()
            elif ch == "«" and stack and stack[-1] == "»r":
                stack.pop()  # German and Danish »…«
            elif ch in _PAIRS:
                stack.append(ch)
            elif ch in _QUOTE_CLOSERS:
                if stack and (_PAIRS.get(stack[-1]) == ch or (stack[-1], ch) == ("„", "”")):
                    stack.pop()  # Polish closes „…” where German closes „…“
                elif ch == "»" and not stack:
                    stack.append("»r")  # German »…« quotes open with »
                elif ch in ")]":
                    problems.append(f"unmatched {ch!r}")
        problems.extend(f"quote {q.rstrip('r')!r} not closed" for q in stack)
    return problems


# -- words twice, sentence case -----------------------------------------------------------------
_DOUBLED = re.compile(r"(?<!\w)([^\W\d_]+)\s+\1(?!\w)", re.IGNORECASE)
#: Words that may stand twice in a row ("dass Sie sie", "nous nous", "had had").
_MAY_REPEAT = frozenset({"that", "had", "bye", "die", "der", "das", "sie", "nous", "vous",
                         "de", "dat", "is", "bla", "very", "ha"})


def doubled_words(text: str) -> list[str]:
    """The same word twice in a row ("the the"), outside the pairs a language allows."""
    return [f"doubled word {m.group(0)!r}" for m in _DOUBLED.finditer(text)
            if m.group(1).lower() not in _MAY_REPEAT]


#: A subject pronoun followed by a capitalised verb: "we Raised", "you Wrote".
_PRONOUN_CAPITAL = re.compile(r"(?<!\w)(?:we|you|they|I|he|she|it)\s+([A-Z][a-z]+(?:ed|s))\b")


def sentence_case(lines: Iterable[str], names: frozenset[str]) -> list[str]:
    """Sentences that start in lower case, and capitals spliced after a pronoun ("we Cut")."""
    problems: list[str] = []
    for line in lines:
        for sentence in sentences(line):
            first = sentence.lstrip("\"'“„«‘(¿¡ ")
            word = first.split(" ", 1)[0] if first else ""
            if (word[:1].islower() and not any(c.isupper() for c in word[1:])
                    and word.rstrip(",.:;!?") not in names and not _is_link(word)):
                problems.append(f"sentence starts in lower case: {sentence[:40]!r}")
        for m in _PRONOUN_CAPITAL.finditer(line):
            if m.group(1) not in names:
                problems.append(f"capital after a pronoun: {m.group(0)!r}")
    return problems


def _is_link(word: str) -> bool:
    return word.startswith(("http://", "https://", "www."))


# -- complete sentences -------------------------------------------------------------------------
#: Words a sentence cannot end on: it was cut ("… led by the.").
_DANGLING: dict[str, frozenset[str]] = {
    # English may end on a preposition ("the tools they work with."), never on these
    "en": frozenset(_split("the a an and or our your their its my")),
    # German and Dutch end sentences on pronouns and verb particles ("Passt das?", "Das
    # fiel mir auf.", "Ik doe mee."), never on these
    "de": frozenset(_split("ein eine einen einem eines und oder dass für von des")),
    "fr": frozenset(_split("le la les un une des et ou de du à au aux pour avec dans sur par que "
                    "qui")),
    "es": frozenset(_split("el la los las un una y o de del al a para con en por que")),
    "pt": frozenset(_split("o a os as um uma e ou de do da dos das ao para com em no na por que")),
    "nl": frozenset(_split("de het een en of van")),
    "it": frozenset(_split("il lo la gli un uno una e o di del della dei degli delle al alla "
                           "per con nel nella che")),
    "pl": frozenset(_split("i oraz lub albo w we z ze na do dla od że")),
    # Scandinavian sentences end on pronouns and particles ("… gjorde det.", "… ihop oss
    # här."), never on these
    "sv": frozenset(_split("och eller en ett att som")),
    "da": frozenset(_split("og eller en et at som")),
    "no": frozenset(_split("og eller en et å at som")),
}
#: A few finite verbs per language, and the endings of many more: enough to tell a sentence
#: from a pasted noun phrase ("Northwind Flow in one line: one queue for every exception").
_VERBS: dict[str, frozenset[str]] = {
    "en": frozenset(_split(
        "is are was were be been am 'm 's 're 've 'll 'd has have had do does did can could will "
        "would should may might must shall need needs get gets got make makes made help helps "
        "see saw seen read noticed came come comes go goes went take takes took give gives gave "
        "put puts keep keeps let lets run runs runs know knew think thought hope want wanted "
        "wonder look looks looked sounds sound seem seems mean means tend tends bring brings "
        "brought turn turns spend spends cut cuts save saves find finds found work works worked "
        "write wrote written sent send say said tell told ask asked happen happens pick "
        "connect connects handle handles handled grow grows grew build builds built won win "
        "show shows showed shown hear heard feel felt try tried use uses used start starts "
        "started join joined lead leads led move moves moved raise raised open opened close "
        "closes closed own owns owned land lands fit fits set sets ship ships shipped launch "
        "launches launched hire hires hired add adds added leave leaves left lose loses lost "
        "pay pays paid stay stays stayed sit sits sat spot spots stuck catch catches caught "
        "reach reaches reached share shares shared worth cost costs become becomes became "
        "stop stops stopped reduce reduces reduced track tracks tracked measure measures "
        "measured replace replaces replaced")),
    "de": frozenset(_split(
        "ist sind war waren bin bist hat habe haben hatte hatten wird werden wurde wurden kann "
        "können konnte möchte möchten würde würden sollte sollten muss müssen darf dürfen "
        "gibt gab geht ging macht machte sucht suchte hilft half bringt brachte sehe sah "
        "gesehen gelesen las schreibe schrieb melde meldet passt lohnt zeigt zeige bündelt "
        "verbindet spart sparte senkt senkte nutzt nutzen arbeitet arbeiten freue freut "
        "wollte wollen will läuft liefen bleibt bleiben heißt bedeutet entsteht landet "
        "landen kostet kosten hätten hätte wäre wären erleichtert übernimmt")),
    "fr": frozenset(_split(
        "est sont était étaient suis êtes sommes a ai as avons avez ont avait fait font peut "
        "peuvent pourrait pourriez pourrions serait seraient sera seront vais va allez aide "
        "aident aidé permet permettent vu lu écrit écris suis recrute recrutez lance lancé "
        "ouvert levé propose proposons travaille travaillons regroupe relie connecte "
        "réduit gagne gagné prend prennent semble dois doit devons vois voit souhaite "
        "souhaitez serais voudrais voulez veux passe passent arrive arrivent reste "
        "restent demande demandent coûte coûtent indique indiquent donne donnent voit "
        "voient enregistre montre montrent alerte arrêtez arrête")),
    "es": frozenset(_split(
        "es son era eran fue fueron soy eres somos está están estaba estoy ha han he has hemos "
        "había hay puede pueden podría podríamos puedo quiero quería querría tiene tienen "
        "tengo hace hacen hizo vi leí vio busca buscan ayuda ayudan ayudamos permite permiten "
        "reúne conecta reduce ahorra lanzó cerró abrió contrata escribo escribió parece "
        "interesa sería serían va van voy encaja trabaja trabajamos queda quedan supone "
        "cuesta cuestan llega llegan sigue siguen gustaría mencionó comentó dice dicen da "
        "dan ve ven guarda guardan indica indican muestra muestran avisa deja dejan")),
    "pt": frozenset(_split(
        "é são era eram foi foram sou estou está estão estava tem têm tenho tinha há pode "
        "podem poderia poderíamos posso quero queria faz fazem fez vi li viu busca contrata "
        "ajuda ajudam ajudamos permite permitem reúne conecta reduz economiza lançou captou "
        "abriu escrevo escreveu parece interessa seria seriam vai vão vou encaixa trabalha "
        "trabalhamos fica ficam custa custam chega chegam segue seguem gostaria mencionou "
        "comentou digitalizou usa usam")),
    "nl": frozenset(_split(
        "is zijn was waren ben bent heb hebt heeft hebben had hadden wordt worden werd werden "
        "kan kunnen kon zou zouden moet moeten mag mogen wil willen wilde zag gezien las "
        "gelezen schreef schrijf schrijft zoekt zocht helpt hielp helpen brengt bracht maakt "
        "maakte bundelt verbindt bespaart verlaagt werkt werken lijkt past loopt lopen blijft "
        "blijven gaat ging gaan kost kosten opende lanceerde haalde startte staat staan "
        "komt kwam")),
    "it": frozenset(_split(
        "è sono era erano ho ha hai hanno abbiamo avete aveva sarà sarebbe sarebbero può "
        "possono posso potrebbe vuole vorrei voglio interessa interesserebbe lavora lavorano "
        "lavoriamo aiuta aiutano permette permettono scrivo letto visto cerca cercate sta "
        "stanno state stiamo va vanno conviene rivedono fa fanno mostro mando trova riduce "
        "collega raccoglie unisce serve scrive dice costa costano resta restano arriva "
        "arrivano sembra creato sviluppiamo usa usano utilizza utilizzano")),
    "pl": frozenset(_split(
        "jest są był była było byli były mam ma mają może mogą mogę można pracuję pracujemy "
        "pracuje pracują korzysta korzystają pomaga pomagają działa działają widzę piszę "
        "gratuluję stworzyliśmy zajmujemy przyglądają warto rozbudowują trwa sprawdza "
        "pokażę prześlę przesłać byłaby byłoby będzie zakładam chcę jestem rozwijamy "
        "nawiążę znajdzie odezwać wrócić pasuje zwrócił zwróciły zapadł skraca łączy "
        "zbiera oszczędza szukają szuka rekrutuje kosztuje używa używają")),
    "sv": frozenset(_split(
        "är var har hade kan kunde ska skulle vill ville får fick gör gjorde ser såg läste "
        "byggde arbetar jobbar växer rekryterar finns används passar hör hjälper lönar "
        "liknar antar visar skickar kopplar utvecklar vore fångade stannat hittar blir "
        "kostar sparar samlar minskar går kommer")),
    "da": frozenset(_split(
        "er var har havde kan kunne skal skulle vil ville må får fik gør gjorde ser så "
        "læste bygget arbejder vokser ansætter bruges passer hjælper betale minder skriver "
        "går viser sender forbinde udvikler fangede giver finder bliver koster sparer "
        "samler kommer")),
    "no": frozenset(_split(
        "er var har hadde kan kunne skal skulle vil ville må får fikk gjør gjorde ser så "
        "leste laget jobber vokser ansetter brukes passer hjelper lønner ligner tar viser "
        "sender kobler utvikler fanget gir finner går blir koster sparer samler kommer")),
}
_VERB_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("ed", "n't"), "de": ("iert", "te", "ten"), "fr": ("ez", "ons", "é", "ée"),
    "es": ("amos", "emos", "imos", "ó", "aron", "ieron"), "pt": ("amos", "emos", "imos", "ou"),
    "nl": ("de", "te", "den", "ten"),
    "it": ("iamo", "ato", "ata", "ito", "uto", "ebbe", "ano"), "pl": ("ują", "emy", "imy", "ał",
                                                               "ała", "ił", "iła", "uje"),
    "sv": ("ar", "er", "ade", "te"), "da": ("er", "ede", "te"), "no": ("er", "et", "te"),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


#: English verbs no list holds, found by their place: after a plural subject or a pronoun and
#: before a determiner ("managers publish a month", "they book the slot"), or after a name
#: ("Shiftwell builds …").
_EN_VERB_PLACE = re.compile(
    r"\b(?:\w+s|you|we|they|I|people)\s+[a-z]+\s+(?:a|an|the|every|each|their|your|its|our|"
    r"one|all|more|less|her|his|my|them|us|me|it|this|that|these|those)\b"
    r"|\b[A-Z][\w'’-]+\s+[a-z]{3,}s\b"
    # "The counter tells us", "the toolroom plans its week": a determiner, a noun, a verb in -s
    # before its object
    r"|\b(?:[Tt]he|[Oo]ur|[Yy]our|[Tt]heir|[Ii]ts|[Ee]very|[Ee]ach)\s+[a-z]{3,}\s+[a-z]{3,}[^s\W]s"
    r"\s+(?:us|you|them|it|its|their|our|your|the|a|an|every|each|what|when|which|who|how)\b")


def has_verb(sentence: str, language: str) -> bool:
    """Whether ``sentence`` holds a word that is, or ends like, a finite verb of ``language``."""
    if language == "en" and _EN_VERB_PLACE.search(sentence):
        return True
    verbs = _VERBS.get(language, _VERBS["en"])
    endings = _VERB_ENDINGS.get(language, ())
    for word in _WORD.findall(sentence):
        lower = word.lower().replace("’", "'")
        if lower in verbs or any(lower.endswith(e) and len(lower) > len(e) + 2
                                 for e in endings):
            return True
        if "'" in lower and "'" + lower.split("'", 1)[1] in verbs:
            return True
    return False


#: Long enough that a missing verb is a pasted fragment, not an exclamation ("Congrats on
#: the new site in Bath!"), which is exempt at any length.
VERBLESS_MIN_WORDS = 10
_EXCLAMATION = re.compile(r"(?i)^(?:congrats|congratulations|thanks|thank you|great|well done|"
                          r"glad|good luck|happy)\b")


def incomplete_sentences(lines: Iterable[str], language: str) -> list[str]:
    """Sentences that stop on a dangling word, end on a colon, stack two colons, trail off, or
    (eight words or more) have no verb."""
    dangling = _DANGLING.get(language, _DANGLING["en"])
    problems: list[str] = []
    for line in lines:
        for sentence in sentences(line):
            body = sentence.rstrip()
            last = body.split()[-1].rstrip(".!?").lower() if body.split() else ""
            if body.endswith(("...", "…")):
                problems.append(f"trails off: {body[-30:]!r}")
            elif body.endswith(":"):
                problems.append(f"ends on a colon: {body[-30:]!r}")
            elif last in dangling and body.endswith("."):
                problems.append(f"ends on {last!r}: {body[-30:]!r}")
            if _outside_links(body).count(": ") >= 2:
                problems.append(f"two colons in one sentence: {body[:50]!r}")
            if _verbless(body, language):
                problems.append(f"no verb: {body[:50]!r}")
            reported = _REPORTED_THAT.search(body) if language == "en" else None
            if reported and not has_verb(re.sub(r"(\w)['’]s\b", r"\1", reported.group(1)),
                                         "en"):
                problems.append(f"'that' with no clause after it: {body[:50]!r}")
    return problems


#: "You wrote that …", "I read that …": what follows must be a clause, not a pasted noun.
_REPORTED_THAT = re.compile(r"\b(?:wrote|said|mentioned|read|saw|noticed|heard) that (.+)$")


def _verbless(sentence: str, language: str) -> bool:
    """A long English sentence with no verb; in other languages, whose verbs are too many to
    list, the part after a colon ("Kurz gesagt: eine Plattform für …"), where pasted noun
    phrases land."""
    if language == "en":
        return len(sentence.split()) >= VERBLESS_MIN_WORDS and not has_verb(sentence, "en") \
            and not _EXCLAMATION.match(sentence)
    if ": " not in sentence:
        return False
    tail = _outside_links(sentence.split(": ", 1)[1])
    return len(tail.split()) >= VERBLESS_MIN_WORDS - 2 and not has_verb(tail, language)


def _outside_links(text: str) -> str:
    return re.sub(r"https?://\S+", "", text)


# -- register and greeting ----------------------------------------------------------------------
#: The informal and the formal "you" of each language, by words that can only mean one of them.
REGISTER_MARKERS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "de": (re.compile(r"(?<!\w)(?:du|dich|dir|dein\w*|euch|euer|eure\w*)(?!\w)", re.I),
           re.compile(r"(?<=[a-zäöüß,] )(?:Sie|Ihnen|Ihr|Ihre\w*)(?!\w)|(?<!\w)Ihnen(?!\w)")),
    "fr": (re.compile(r"(?<!\w)(?:tu|toi|ton|ta|tes|t'(?=\w))(?!\w)", re.I),
           re.compile(r"(?<!\w)(?:vous|votre|vos)(?!\w)", re.I)),
    "es": (re.compile(r"(?<!\w)(?:tú|contigo|te|ti|tu|tus|tuy[oa]s?|puedes|quieres|tienes|"
                      r"estás|prefieres|avísame|dime|escríbeme|cuéntame)(?!\w)", re.I),
           re.compile(r"(?<!\w)(?:usted|ustedes|le parece|le escribo|le interesa|le gustaría|"
                      r"le envío|le propongo|le comparto|le dejo|disculpe|avíseme|dígame|"
                      r"escríbame|cuénteme)(?!\w)", re.I)),
    "pt": (re.compile(r"(?<!\w)(?:tu|teu|tua|teus|tuas|contigo)(?!\w)", re.I),
           re.compile(r"(?<!\w)(?:você|vocês|o senhor|a senhora)(?!\w)", re.I)),
    "nl": (re.compile(r"(?<!\w)(?:jij|jou|jouw|jullie)(?!\w)", re.I),
           re.compile(r"(?<!\w)(?:u|uw)(?!\w)", re.I)),
    # Lei is written with a capital in business mail, also inside a word ("inviarLe")
    "it": (re.compile(r"(?<!\w)(?:tu|ti|te|tuo|tua|tuoi|tue|puoi|vuoi|hai)(?!\w)", re.I),
           re.compile(r"(?<=[a-zà-ù,] )(?:Lei|Le|La|Suo|Sua|Suoi|Sue)(?!\w)|(?<=[a-z])(?:Le|La)"
                      r"(?!\w)")),
    "pl": (re.compile(r"(?<!\w)(?:ty|ciebie|cię|tobie|tobą|twój|twoja|twoje|twojego|twojej|"
                      r"twoim|twoich|możesz|chcesz|masz)(?!\w)", re.I),
           re.compile(r"(?<!\w)(?:Pan|Pani|Pana|Panu|Panią|Panem|Panie|Państwo|Państwa|"
                      r"Państwu|Państwem)(?!\w)")),
    # du, as Swedish, Danish and Norwegian business mail is written; "Ni" / "De" with a
    # capital inside a sentence is the old formal address
    "sv": (re.compile(r"(?<!\w)(?:du|dig|din|ditt|dina)(?!\w)", re.I),
           re.compile(r"(?<=[a-zåäö,] )(?:Ni|Er|Ert|Era)(?!\w)")),
    "da": (re.compile(r"(?<!\w)(?:du|dig|din|dit|dine)(?!\w)", re.I),
           re.compile(r"(?<=[a-zæøå,] )(?:De|Dem|Deres)(?!\w)")),
    "no": (re.compile(r"(?<!\w)(?:du|deg|din|ditt|dine)(?!\w)", re.I),
           re.compile(r"(?<=[a-zæøå,] )(?:De|Dem|Deres)(?!\w)")),
}


def register_mix(text: str, language: str) -> list[str]:
    """Both the informal and the formal "you" in one text ("Sie" and "dein")."""
    markers = REGISTER_MARKERS.get(language)
    if markers is None:
        return []
    informal = markers[0].search(text)
    formal = next((m for m in markers[1].finditer(text)
                   if not (language in _NAME_DE and _in_name(text, m))), None)
    if informal and formal:
        return [f"mixes {informal.group(0)!r} and {formal.group(0)!r}"]
    return []


#: Languages whose formal "you" is also a word of names ("Brouwerij De Kade", "De Vries").
_NAME_DE = frozenset({"da", "no"})
_CAPITALISED = re.compile(r"[A-ZÀ-ÝÆØÅ][\w'’-]*")


def _in_name(text: str, m: re.Match[str]) -> bool:
    """Whether the word at ``m`` stands between capitalised words of a name (a customer
    "Brouwerij De Kade" named in a Danish draft is no formal "De")."""
    before = text[:m.start()].rstrip().rsplit(None, 1)
    after = text[m.end():].lstrip().split(None, 1)
    prev = before[-1] if before else ""
    nxt = after[0] if after else ""
    sentence_start = not prev or prev[-1:] in ".!?:\n"
    return bool((prev and not sentence_start and _CAPITALISED.fullmatch(prev.strip(",;")))
                or (nxt and _CAPITALISED.match(nxt)))


def greeting_language(first_line: str, language: str) -> list[str]:
    """A greeting word of another language than the draft's ("Hi Jonas," in German)."""
    word = first_line.strip().split(" ", 1)[0].rstrip(",!").lower()
    owner = GREETING_WORDS.get(word)
    if owner is not None and language not in owner:
        return [f"greeting {word!r} is not {language}"]
    return []


# -- all of it ----------------------------------------------------------------------------------
def fluency_problems(text: str, language: str, *, names: frozenset[str] = frozenset()
                     ) -> list[str]:
    """Everything that keeps ``text`` (a draft's main text) from reading as written by a person:
    unclosed quotes, doubled words, sentence case, incomplete sentences."""
    lines = split_lines(text)
    cased = lines
    if language == "de" and lines and continues_greeting(text):
        # a German letter goes on from its greeting's comma in lower case ("ich melde mich")
        cased = [lines[0][:1].upper() + lines[0][1:], *lines[1:]]
    return [*unclosed_quotes(text), *doubled_words(text), *sentence_case(cased, names),
            *incomplete_sentences(lines, language)]


def register_problems(text: str, language: str) -> list[str]:
    """A greeting in another language, or two registers of "you" in one draft."""
    first = text.strip().split("\n", 1)[0]
    return [*greeting_language(first, language), *register_mix(text, language)]
