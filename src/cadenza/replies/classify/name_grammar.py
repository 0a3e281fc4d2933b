"""How replies introduce a person, in the eleven languages: the words around a referred name.

Grammar, not phrase lists fitted to examples: a verb of addressing with its preposition before
the name ("talk to", "wenden Sie sich an", "fale com o", "prata med"), a relation ("my
colleague", "ma collègue", "my wife"), and after it a copula with "the right person" ("X est la
bonne personne") or a third-person pronoun or relative that goes on to describe the person
("Elin, hon har hand om det", "Jean-Baptiste qui gère"). Each is evidence that a single
capitalised word is someone's name; :mod:`cadenza.replies.classify.names` weighs it.
"""

from __future__ import annotations

import re

# An article a name may carry after its preposition ("fale com o João", "parla con la Giulia").
_ARTICLE = r"(?:\s+(?:the|o|a|os|as|la|el|il|lo|de|den|der|die|dem))?"
_VERBS_TO = (
    # English
    r"ask|want|need|try|talk (?:to|with)|speak (?:to|with)|contact|reach out to|e-?mail|"
    r"write to|(?:forward|pass|send)(?:ed|ing)? (?:this |it |that |your (?:e-?mail|message|"
    r"note) )?(?:on )?to|copied|cc'?(?:e)?d|cc'?ing|loop(?:ing|ed)? in|adding|call|ring|"
    # German
    r"an|wenden sie sich an|sprechen sie mit|mit|fragen sie|schreiben sie|"
    r"(?:weiter)?geleitet an|ansprechpartner(?:in)? ist|zuständig ist|kontaktieren sie|"
    # French
    r"à|avec|contactez|contacter|écrivez à|écrire à|parlez (?:à|avec)|voyez (?:avec)?|"
    r"transf[ée]r[ée]e? (?:votre (?:message|mail|e-mail) )?à|transmis à|transmets à|"
    r"c'est (?:plutôt )?|c’est (?:plutôt )?|"
    # Spanish, Portuguese, Italian
    r"con|com|a|para|habla con|hable con|escribe a|escríbele a|escriba a|pregunta a|"
    r"contacta (?:con|a)|reenviado (?:tu|su) (?:correo|mensaje) a|fale com|fala com|"
    r"escreva (?:para|ao|à)|contacte|encaminhei (?:para|ao|à)|parla con|parli con|"
    r"rivolgiti a|si rivolga a|scrivi a|scriva a|inoltrato a|chiedi a|contatta|"
    # Dutch
    r"met|naar|aan|spreek (?:even )?met|neem contact op met|doorgestuurd naar|vraag (?:het )?aan|"
    # Polish
    r"się z|z|do|napisać do|napisz do|przekazał(?:em|am)? (?:wiadomość )?do|"
    # Swedish, Norwegian, Danish
    r"med|till|til|prata med|kontakta|kontakt|hör med|skriv till|skriv til|"
    r"vidarebefordrat till|videresendt til|snakk med|tal med|"
    # "Moet je bij Joost zijn": you need to be with Joost
    r"moet je bij|moet u bij|je moet bij|u moet bij|moet jij bij|"
    # the verb before the name: "Eso lo lleva Maite", "tam siedzi Marek", "Tym zajmuje się
    # Ewa", "de eso se encarga Lucía", "se ne occupa Paolo"
    r"lo lleva|la lleva|los lleva|se encarga|se ocupa|lo gestiona|siedzi|"
    r"zajmuje się(?: tym)?|s'en occupe|s’en occupe|se ne occupa|"
    r"trata disso|cuida disso|sköter det|har hand om det|håndterer det|tar seg av det|"
    r"regelt dat"
)
_RELATIONS = (
    r"colleagues?|collega|kolleg(?:e|en|in|a|aen|an)|collègue|colega|koleg(?:a|ą|ę)|"
    r"koleżank[aąę]|compañer[oa]|(?:my|our|his|her) (?:wife|husband|partner|boss|assistant|"
    r"associate)"
)
#: A possessive and a role before a name: "our ops manager Fredrik Nyström", "vår
#: musikansvarige Amir", "vores indkøber Mikkel", "mi hermano Alberto", "mio figlio Matteo",
#: "ma gestionnaire de bureau, Manon" — one to three lower-case words, none a preposition of
#: place ("our office in Madrid" names a city).
_OWN_ROLE = (
    r"(?:our|my|vår|vårt|våra|vores|vor|min|mitt|mine|onze|mijn|unser\w*|mein\w*|notre|"
    r"ma|mon|mi|mis|nuestr[oa]s?|mio|mia|il mio|la mia|nosso|nossa|meu|minha|nasz\w*|"
    r"mój|moja|moim|moją)\s+(?!(?:in|at|on|en|à|au|i|på|bei|im|w|we|a|na|em|no|nel|"
    r"op|te)\b)[a-zà-ÿæøåäöüłśżźćńęąó&-]+(?:\s+(?!(?:in|at|on|en|à|au|i|på|bei|im|w|we|a|"
    r"na|em|no|nel|op|te)\b)[a-zà-ÿæøåäöüłśżźćńęąó&-]+){0,2},?"
)
#: Words before a name that introduce a person (to be searched at the end of the 40
#: characters before it, lower-cased).
INTRODUCED = re.compile(r"(?:\b(?:" + _RELATIONS + r")|(?<!\w)(?:" + _VERBS_TO + r")"
                        + _ARTICLE + r"|\+|(?<!\w)" + _OWN_ROLE + r")\s*$")
# Addressing verbs that take a bare preposition ("an", "à", "a", "con", "med", "z") are
# evidence only after a verb: "Bitte wenden Sie sich an X", not "Grüße an X".
_PREPOSITION_ONLY = frozenset({"an", "mit", "à", "avec", "con", "com", "a", "para", "met", "naar",
                               "aan", "z", "do", "med", "till", "til", "się z"})
_ADDRESSING = re.compile(
    r"\b(?:wenden|sprechen|schreiben|geleitet|leite|kontakt\w*|contact\w*|écri\w*|parl\w*|"
    r"adress\w*|transf\w*|transm\w*|habl\w*|escrib\w*|escrev\w*|reenvi\w*|encaminh\w*|"
    r"fal[ae]|rivolg\w*|scriv\w*|inoltr\w*|chied\w*|spreek|neem|stuur\w*|doorgestuurd|vraag|"
    r"mail\w*|skontakt\w*|napisa\w*|napisz|przekaza\w*|pisać|prata|hör|skriv|vidarebefordra\w*|"
    r"videresend\w*|snakk|tal|ring\w*|send\w*|forward\w*|pass\w*|ask\w*|ask)\b")
#: "X is the right person", "X est la bonne personne", "X ist der richtige Ansprechpartner"
_RIGHT_PERSON = (
    r"(?:is|est|ist|es|è|é|är|er|jest)\s+(?:(?:the|la|le|der|die|el|o|a|il|de|den|det)\s+)?"
    r"(?:right|bonne|richtige|persona|pessoa|juiste|rätt|rette|riktige|właściw\w+|adecuad\w+|"
    r"indicad\w+|giust\w+|correct\w+|cert\w+|one)"
)
#: A personal pronoun going on about the person ("Elin, hon har hand om det"); relatives such
#: as "que", "som", "qui" also follow places and products ("Madrid, que …"), so they do not count
_DESCRIBED = (
    r"(?:who|he|she|il|elle|er|él|ella|ele|ela|lui|lei|è lei|è lui|é (?:ela|ele)|hij|zij|han|"
    r"hon|hun|ona)\b"
)
#: What the named person does for the company ("Aisha runs all our VO", "Per Olsen som
#: håndterer", "Manon, qui décide"), optionally after a relative pronoun.
_IN_CHARGE = (
    r"(?:(?:who|som|que|qui|die|der|che|który|która|og|and)\s+)?(?:runs|handles|owns|"
    r"decides|looks after|takes care|is in charge|manages|does (?:all|our|the)|håndterer|"
    r"hanterar|sköter|styr|tar hand|har ansvar|har ansvaret|doet|regelt|beslist|beslissen|"
    r"gère|s'occupe|décide|lleva|gestiona|se encarga|decide|segue|gestisce|si occupa|"
    r"zajmuje się|odpowiada|decyduje|kümmert sich|entscheidet|verantwortet|ist zuständig|"
    r"cuida|é responsável|es responsable|è responsabile|est responsable)\b"
)
DESCRIBED_AFTER = re.compile(r"\s*,?\s*(?:" + _RIGHT_PERSON + "|" + _DESCRIBED + "|"
                             + _IN_CHARGE + ")")
#: "I'm replying on behalf of Helen Morris": the person the writer stands in for, not the
#: referral (titles between are allowed: "im Auftrag von Dr. Pfeil").
ON_BEHALF = re.compile(
    r"(?:\bon behalf of|\bim (?:auftrag|namen) von|\bau nom de|\bpour le compte de"
    r"|\ben nombre de|\bem nome d[aeo]|\bper conto di|\bnamens|\bw imieniu"
    r"|\bpå vegne av|\bpå vegne af|\bpå uppdrag av)\s+(?:[\w.]{1,9}\.\s*){0,2}$")


def introduced(before: str) -> bool:
    """Whether ``before`` (lower case, the text just before a name) introduces a person."""
    match = INTRODUCED.search(before)
    if match is None:
        return False
    words = match.group(0).strip().split()
    bare = " ".join(w for w in words if w not in ("the", "o", "a", "os", "as", "la", "el", "il",
                                                   "lo", "de", "den", "der", "die", "dem"))
    if bare in _PREPOSITION_ONLY or (not bare and words and words[0] in _PREPOSITION_ONLY):
        # a bare preposition: only when a verb of addressing comes before it in the clause
        clause = re.split(r"[.!?\n;]", before)[-1]
        return bool(_ADDRESSING.search(clause[: max(0, len(clause) - len(match.group(0)))]))
    return True


def described(text: str, end: int) -> bool:
    """Whether the words after a name describe a person ("X, she runs payroll"), in the same
    sentence ("Thanks, Mark. He said no" is not)."""
    return text[end - 1: end] != "." and DESCRIBED_AFTER.match(text.lower(), end) is not None
