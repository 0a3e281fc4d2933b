"""What a reader notices in a draft, measured: pasted facts, broken sentences, repeated texts.

The hard rules say a draft is safe; a head of sales reads it for other things. A fact pasted
whole ("I noticed that Acme raised SEK 310M in growth funding led by …"), a quote opened and
never closed, "Sie" beside "du", a sentence with no verb, a fact and a product in two
sentences that never meet, and the same sentence in forty prospects' mail. Each is measured
here per draft (:func:`prose_metrics`) or across a whole run (:func:`sequence_metrics`).
Written apart from :mod:`cadenza.writing.fluency` on purpose, like every eval metric: an
eval that reused the checker's detectors could never catch their blind spots.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

from cadenza.evals.draft_metrics import MetricResult
from cadenza.evals.draft_text import (
    content_words,
    expected_language,
    normalized,
    sender_texts,
    sentences_of,
    split_main,
    words_of,
)
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.polish import polish_address


def _split(text: str) -> list[str]:
    """The words of a word list written as one string."""
    return text.split()


#: Words in a row copied from a fact that make it pasted rather than mentioned (careful SDRs
#: quote a short headline clause, rarely ten words of it).
PASTE_RUN = 10
#: Prospects that may share one touch text (main text with names masked) before it is a
#: mail merge.
SHARED_TEXT_LIMIT = 3
#: Shorter fragments are idiomatic ("Congrats on the new DC in Reno.", "No rush at all.");
#: a pasted noun phrase is longer.
VERBLESS_MIN_WORDS = 9

_VERBS = {
    "en": set(_split(
        "is are was were be been am 'm 's 're 've 'll 'd has have had do does did can "
        "could will would should may might must need needs get gets got make makes made "
        "help helps see saw read noticed take takes took give gives put puts keep keeps "
        "let lets run runs know think thought hope want wonder look looks sounds seems "
        "mean means tend tends bring brings turn turns spend spends cut cuts save saves "
        "find found work works write wrote send sent say said ask asked happen happens "
        "pick connect connects handle handles grow grows grew build builds show shows "
        "hear heard try use uses start started join joined lead leads move raise open "
        "own land fit ship launch hire add lose pay stay spot catch reach share worth "
        "go goes went come comes came matter matters sit sits records alerts lets gives "
        "helps shows tells runs stays needs takes stuck resonated caught stayed hope "
        "matter came starts start")),
    "de": set(_split(
        "ist sind war waren bin hat habe haben hatte wird werden wurde kann können "
        "könnte möchte möchten würde sollte muss gibt geht macht sucht hilft bringt "
        "sehe sah gesehen gelesen schreibe melde passt lohnt zeigt zeige spart nutzt "
        "arbeitet freue will läuft bleibt heißt bedeutet kostet hätte wäre folgen folgt "
        "verschieben verschiebt prüft informiert dokumentiert bucht buchen sieht sehen")),
    "fr": set(_split(
        "est sont était suis êtes a ai avons avez ont avait fait peut peuvent pourrait "
        "pourriez serait sera vais va aide permet vu lu écrit recrute lance ouvert levé "
        "propose travaille réduit prend semble doit vois souhaite voudrais veux passe "
        "reste demande coûte montrer envoie seriez rejoint affiche évite partager "
        "réservent valide déclenche")),
    "es": set(_split(
        "es son era fue soy está están estoy ha han he hay puede pueden podría puedo "
        "quiero tiene tienen hace vi leí busca ayuda ayudamos permite reduce ahorra "
        "lanzó cerró abrió contrata escribo parece interesa sería va encaja trabaja "
        "cuesta sigue gustaría usa usan espera encajan redujo vendría enviara reserven "
        "avisa registra")),
    "pt": set(_split(
        "é são era foi sou estou está estão tem têm tenho há pode podem poderia posso "
        "quero faz vi li busca contrata ajuda permite reduz lançou captou abriu escrevo "
        "parece interessa seria vai encaixa trabalha fica custa segue gostaria usa "
        "valha")),
    "nl": set(_split(
        "is zijn was waren ben heb heeft hebben had wordt worden kan kunnen zou moet "
        "mag wil zag las schreef zoekt helpt brengt maakt werkt lijkt past loopt "
        "blijft gaat kost opende lanceerde haalde startte staat komt kom werk scheelt "
        "volgen legt uitkomt kies plant")),
    "it": set(_split(
        "è sono era erano ho ha hai hanno abbiamo avete sarà sarebbe può possono posso "
        "vuole vorrei interessa interesserebbe lavora lavorano lavoriamo aiuta permette "
        "scrivo letto visto cerca sta stanno state va conviene fa mostro mando trova "
        "riduce collega raccoglie serve resta sembra usa usano utilizza")),
    "pl": set(_split(
        "jest są był była było mam ma mają może mogą mogę można pracuję pracujemy pracuje "
        "korzysta korzystają pomaga działa widzę piszę gratuluję zajmujemy warto trwa "
        "pokażę prześlę byłaby byłoby będzie zakładam chcę jestem rozwijamy nawiążę "
        "znajdzie pasuje zwrócił zwróciły zapadł używa używają szukają szuka przyglądają "
        "sprawdza")),
    "sv": set(_split(
        "är var har hade kan kunde ska skulle vill får fick gör gjorde ser såg läste "
        "byggde arbetar jobbar växer rekryterar finns används passar hjälper lönar "
        "liknar visar skickar kopplar utvecklar vore fångade hittar blir går kommer")),
    "da": set(_split(
        "er var har havde kan kunne skal skulle vil må får fik gør gjorde ser så læste "
        "bygget arbejder vokser ansætter bruges passer hjælper betale minder skriver går "
        "viser sender udvikler fangede giver finder bliver kommer ville være")),
    "no": set(_split(
        "er var har hadde kan kunne skal skulle vil må får fikk gjør gjorde ser så leste "
        "laget jobber vokser ansetter brukes passer hjelper lønner ligner tar viser "
        "sender utvikler fanget gir finner går blir kommer hadde vært")),
}
_ENDINGS = {"en": ("ed",), "de": ("te", "iert", "ieren"), "fr": ("ez", "é", "ent", "ait"),
            "es": ("ó", "amos", "ía", "aba", "aron"), "pt": ("ou", "amos", "ia", "ava"),
            "nl": ("de", "te"), "it": ("iamo", "ato", "ebbe"), "pl": ("ują", "emy", "ał", "ła"),
            "sv": ("ar", "ade"), "da": ("er", "ede"), "no": ("er", "et")}
#: After these, an English word ending in -s is a verb ("DockPilot records", "it sits").
_SUBJECTS = frozenset({"it", "that", "which", "who", "this", "he", "she", "one"})
_REGISTERS = {
    "de": (r"\b(?:du|dich|dir|dein\w*)\b", r"(?<=[a-zäöü] )(?:Sie|Ihnen|Ihr\w*)\b"),
    "fr": (r"\b(?:tu|toi|ton|ta|tes)\b", r"\b(?:vous|votre|vos)\b"),
    "es": (r"\b(?:tú|te|ti|tu|tus|contigo)\b", r"\b(?:usted|ustedes|le parece|le escribo)\b"),
    "pt": (r"\b(?:tu|teu|tua|teus|tuas)\b", r"\b(?:você|vocês)\b"),
    "nl": (r"\b(?:jij|jou|jouw)\b", r"\b(?:u|uw)\b"),
    # the formal forms of these are told by their capital: matched case-sensitively
    "it": (r"\b(?:tu|ti|tuo|tua|tuoi|tue)\b", r"(?<=[a-z,] )(?:Lei|Le|La|Suo|Sua)\b"),
    "pl": (r"\b(?:ty|cię|ciebie|tobie|twój|twoja|twoje)\b",
           r"\b(?:Pan|Pani|Pana|Panu|Panią|Państwo|Państwa|Państwu)\b"),
    "sv": (r"\b(?:du|dig|din|ditt|dina)\b", r"(?<=[a-zåäö,] )(?:Ni|Er|Ert|Era)\b"),
    "da": (r"\b(?:du|dig|din|dit|dine)\b", r"(?<=[a-zæøå,] )(?:De|Dem|Deres)\b"),
    "no": (r"\b(?:du|deg|din|ditt|dine)\b", r"(?<=[a-zæøå,] )(?:De|Dem|Deres)\b"),
}
#: Languages whose formal "you" is told by its capital ("Sie", "Lei", "Pani", "Ni").
_CASED_FORMAL = frozenset({"de", "it", "pl", "sv", "da", "no"})
_ANAPHORA = re.compile(
    r"^(?:that|this|those|which|so|when|with|after|if|usually|often|growing|as|it|"
    r"das|dies|damit|dabei|gerade|wenn|mit|cela|ce|c'est|avec|quand|eso|esto|con|cuando|"
    r"isso|isto|com|quando|dat|dit|met|als|è|spesso|in una fase|to|właśnie|na takim|det|"
    r"i en sådan|i sådan|i en slik|netop|nettopp|just då)\b", re.IGNORECASE)
#: "A round like that …", "Such a move …": a sentence that points back, wherever it starts.
_BACK_REFERENCE = re.compile(r"(?i)\b(?:like that|like this|such an?|that many|that much|"
                             r"that fast|so wie|comme celle-ci|como esa|como essa|zoals die)\b")
#: Exclamations are fragments by nature ("Congrats on the new DC in Reno.").
_EXCLAMATION = re.compile(r"(?i)^(?:congrats|congratulations|thanks|thank you|glückwunsch|"
                          r"félicitations|enhorabuena|parabéns|gefeliciteerd|complimenti|"
                          r"gratuluję|grattis|tillykke|gratulerer)\b")
_RECRUITER = re.compile(r"(?i)\b(?:hiring|recruit\w*|job|jobs|vacanc\w*|talent|candidates?|"
                        r"stellen|contrataci\w*|contrata\w*|recrute\w*|vacatures?|vagas?)\b")


def _main(record: dict[str, Any], sender: SenderProfile) -> str:
    body = str(record.get("body") or "")
    return split_main(body, sender) if record.get("channel") == "email" else body


def _used_facts(record: dict[str, Any], prospect: ProspectIn) -> list[str]:
    used = {str(i) for i in record.get("fact_ids") or []}
    return [f.text for f in prospect.facts if f.id in used]


def pasted_fact(record: dict[str, Any], prospect: ProspectIn,
                sender: SenderProfile) -> MetricResult:
    """The longest run of words copied from a used fact (10 or more is pasted, not mentioned)."""
    facts = _used_facts(record, prospect)
    if not facts:
        return MetricResult(None, None, "no fact used")
    main = [w.casefold() for w in words_of(_main(record, sender))]
    best, where = 0, ""
    for text in facts:
        fact = [w.casefold() for w in words_of(text)]
        run = _longest_common_run(main, fact)
        if run[0] > best:
            best, where = run[0], " ".join(main[run[1]:run[1] + run[0]])
    return MetricResult(best, best < PASTE_RUN, f"{best} words in a row from the fact"
                        + (f": {where!r}" if best >= PASTE_RUN else ""))


def _longest_common_run(a: list[str], b: list[str]) -> tuple[int, int]:
    """Length and start (in ``a``) of the longest common run of words of ``a`` and ``b``."""
    best, start = 0, 0
    prev = [0] * (len(b) + 1)
    for i, wa in enumerate(a, 1):
        cur = [0] * (len(b) + 1)
        for j, wb in enumerate(b, 1):
            if wa == wb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best, start = cur[j], i - cur[j]
        prev = cur
    return best, start


def unclosed_quotes(record: dict[str, Any], sender: SenderProfile) -> MetricResult:
    """Quotation marks opened and not closed within a paragraph."""
    found: list[str] = []
    for para in re.split(r"\n\s*\n", _main(record, sender)):
        curly = para.count("“") + para.count("”") + para.count("„")
        if para.count('"') % 2 or curly % 2 or para.count("«") != para.count("»"):
            found.append(para[:40])
            continue
        opens = len(re.findall(r"(?:^|(?<=[\s(]))['‘](?=\w)", para))
        closes = len(re.findall(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)]|$)", para))
        if opens > closes:
            found.append(para[:40])
    return MetricResult(len(found), not found, "; ".join(found), tuple(found))


def register_mix(record: dict[str, Any], prospect: ProspectIn,
                 sender: SenderProfile) -> MetricResult:
    """The informal and the formal "you" in one draft (n/a in English)."""
    lang = record_language(record, prospect)
    pair = _REGISTERS.get(lang)
    if pair is None:
        return MetricResult(None, None, f"no register in {lang}")
    text = _main(record, sender)
    informal = re.search(pair[0], text, re.IGNORECASE)
    formal = re.search(pair[1], text, 0 if lang in _CASED_FORMAL else re.IGNORECASE)
    mixed = bool(informal and formal)
    detail = f"{informal.group(0)!r} and {formal.group(0)!r}" if informal and formal else ""
    return MetricResult(int(mixed), not mixed, detail)


def record_language(record: dict[str, Any], prospect: ProspectIn) -> str:
    """The language a record says it is in, else the one the prospect should get."""
    return str(record.get("language") or expected_language(prospect))


def verbless(record: dict[str, Any], prospect: ProspectIn,
             sender: SenderProfile) -> MetricResult:
    """Sentences of six words or more with no verb: pasted noun phrases, not prose."""
    lang = record_language(record, prospect)
    if lang not in _VERBS:
        return MetricResult(None, None, f"no verb list for {lang}")
    verbs, endings = _VERBS[lang], _ENDINGS.get(lang, ())
    found = []
    for sentence in sentences_of(_main(record, sender)):
        if len(sentence.split()) < VERBLESS_MIN_WORDS or sentence.rstrip().endswith(",") \
                or _EXCLAMATION.match(sentence.strip()):
            continue
        raw = words_of(sentence)
        words = [part for w in raw for part in re.split(r"[-'’]", w.casefold()) if part]
        after_subject = any(w.endswith("s") and (prev[:1].isupper()
                                                 or prev.casefold() in _SUBJECTS)
                            for prev, w in pairwise(raw)) and lang == "en"
        if not after_subject and not any(
                w in verbs or "'" + w in verbs
                or any(w.endswith(e) and len(w) > len(e) + 2 for e in endings)
                for w in words):
            found.append(sentence[:60])
    return MetricResult(len(found), not found, "; ".join(found), tuple(found))


def bridge(record: dict[str, Any], prospect: ProspectIn, sender: SenderProfile) -> MetricResult:
    """Whether the draft connects its fact to the product: one sentence holds words of both,
    or the sentence after the fact's refers back to it ("That usually means …")."""
    facts = _used_facts(record, prospect)
    if not facts:
        return MetricResult(None, None, "no fact used")
    if record.get("channel") == "linkedin_connect":
        return MetricResult(None, None, "a connection note does not pitch")
    own = content_words(" ".join(sender_texts(sender)))
    all_fact_words = content_words(" ".join(facts))
    fact_words = all_fact_words - own
    pitch = content_words(" ".join([sender.product_description, sender.product_name,
                                    *(vp.text for vp in sender.value_propositions)]))
    names = {normalized(n) for n in (sender.product_name, sender.company) if n}
    sentences = sentences_of(_main(record, sender))
    if sentences and sentences[0].rstrip().endswith((",", ":")):
        sentences = sentences[1:]  # the greeting
    hook = next((i for i, s in enumerate(sentences) if content_words(s) & fact_words), None)
    if hook is None:
        return MetricResult(0, False, "the fact is not mentioned")
    if hook + 1 < len(sentences) and (_ANAPHORA.match(sentences[hook + 1].strip())
                                      or _BACK_REFERENCE.search(sentences[hook + 1])):
        return MetricResult(1, True, "the next sentence refers back to the fact")
    for sentence in sentences[hook:hook + 3]:
        words = content_words(sentence)
        product = bool(words & (pitch - all_fact_words)) or any(
            n and n in normalized(sentence) for n in names)
        if product and words & all_fact_words:
            return MetricResult(1, True, "fact and product in one sentence")
    return MetricResult(0, False, "fact and product never meet")


def subject_tone(record: dict[str, Any]) -> MetricResult:
    """A subject that reads like a recruiter's ("hiring at Acme") sends the mail to HR."""
    if record.get("channel") != "email":
        return MetricResult(None, None, "no subject on this channel")
    found = _RECRUITER.findall(str(record.get("subject") or ""))
    return MetricResult(len(found), not found, ", ".join(found), tuple(found))


def prose_metrics(record: dict[str, Any], prospect: ProspectIn,
                  sender: SenderProfile) -> dict[str, MetricResult]:
    """The per-draft reader measures."""
    return {
        "pasted_fact": pasted_fact(record, prospect, sender),
        "unclosed_quotes": unclosed_quotes(record, sender),
        "register_mix": register_mix(record, prospect, sender),
        "verbless": verbless(record, prospect, sender),
        "bridge": bridge(record, prospect, sender),
        "subject_tone": subject_tone(record),
    }


# -- across drafts ------------------------------------------------------------------------------
def masked_sentences(record: dict[str, Any], prospect: ProspectIn,
                     sender: SenderProfile) -> list[str]:
    """The draft's sentences with the prospect's names and company masked, so that a template
    filled for forty people counts as one text."""
    text = _main(record, sender)
    # a Polish greeting names the prospect in the vocative ("Pani Agnieszko")
    vocative = polish_address(prospect).vocative if record_language(record, prospect) == "pl" \
        else None
    for value, mark in ((prospect.company, "<company>"), (vocative, "<name>"),
                        (prospect.first_name, "<name>"), (prospect.last_name, "<name>")):
        if value and value.strip():
            text = re.sub(re.escape(value.strip()), mark, text, flags=re.IGNORECASE)
    return [normalized(s) for s in sentences_of(text)]


def sequence_metrics(items: list[dict[str, Any]], records: list[dict[str, Any]],
                     prospects: dict[str, ProspectIn], sender: SenderProfile
                     ) -> dict[str, Any]:
    """Add ``shared_text`` and ``self_repeat`` to each item's metrics; return the run's
    repetition figures (most repeated sentences, texts shared by many prospects)."""
    per_item: list[tuple[dict[str, Any], list[str]]] = []
    for item, rec in zip(items, records, strict=True):
        prospect = prospects.get(item["prospect_id"])
        if item["metrics"] and prospect is not None:
            per_item.append((item, masked_sentences(rec, prospect, sender)))
    sentence_users: defaultdict[str, set[str]] = defaultdict(set)
    text_users: defaultdict[tuple[Any, str], set[str]] = defaultdict(set)
    for item, sentences in per_item:
        body = " ".join(sentences[1:] if sentences and sentences[0].endswith(",")
                        else sentences)
        text_users[(item["step"], body)].add(item["prospect_id"])
        for s in set(sentences):
            if len(s.split()) > 3:
                sentence_users[s].add(item["prospect_id"])
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for item, sentences in sorted(per_item, key=lambda p: (str(p[0]["prospect_id"]),
                                                           str(p[0]["step"]))):
        body = " ".join(sentences[1:] if sentences and sentences[0].endswith(",")
                        else sentences)
        sharing = len(text_users[(item["step"], body)])
        item["metrics"]["shared_text"] = MetricResult(
            sharing, sharing <= SHARED_TEXT_LIMIT,
            f"the same text as {sharing - 1} other prospects' step {item['step']}").as_dict()
        mine = seen[item["prospect_id"]]
        again = sorted(s for s in set(sentences) if mine[s] and len(s.split()) > 3)
        item["metrics"]["self_repeat"] = MetricResult(
            len(again), not again, "; ".join(a[:50] for a in again),
            tuple(again)).as_dict()
        mine.update(set(sentences))
    top = sorted(((len(u), s) for s, u in sentence_users.items()), reverse=True)[:12]
    n = len({item["prospect_id"] for item, _ in per_item}) or 1
    return {
        "prospects": n,
        "top_sentences": [{"sentence": s, "prospects": k, "share": round(k / n, 3)}
                          for k, s in top],
        "max_sentence_share": round(top[0][0] / n, 3) if top else None,
        "texts_shared": sum(1 for users in text_users.values()
                            if len(users) > SHARED_TEXT_LIMIT),
    }
