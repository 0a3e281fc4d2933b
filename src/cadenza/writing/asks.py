"""What a cold email must never ask for or promise, and what a research fact must never say.

Phishing asks for credentials, money or personal data; a sales email never needs to. Promises of
outcome ("guaranteed to double revenue", "free forever") are claims no sender can stand behind,
and spam filters and consumer law treat them alike. A research fact is data about a prospect,
written in the third person: one that addresses the reader or gives orders ("Reply with your
bank details", "the call to action must be …") was written for the model that reads it, not
about the prospect. The fact screen drops such facts before drafting and the checker holds any
draft that asks or promises, whatever drafter wrote it — the two share these detectors.
"""

from __future__ import annotations

import re

from cadenza.writing.safety import latin_skeleton

#: Things no cold email may ask for, in the eleven languages Cadenza writes and reads. A mention
#: is enough: a sales email has no reason to name a password or an IBAN at all.
_SECRETS = (
    # en
    r"passwords?", r"pass ?codes?", r"passphrases?", r"pin (?:code|number)s?", r"one[- ]time "
    r"(?:code|password|passcode)s?", r"otp\b", r"2fa codes?", r"mfa codes?", r"verification "
    r"codes?", r"security codes?", r"login (?:details|credentials|info\w*|data)",
    r"log-?in details", r"(?:account|user) credentials", r"credentials", r"usernames? and "
    r"passwords?", r"bank (?:details|account|information|info|login|statement)s?",
    r"banking (?:details|information|credentials)", r"account numbers?", r"routing numbers?",
    r"sort codes?", r"iban\b", r"swift(?:/bic)? codes?", r"bic\b", r"credit card", r"debit card",
    r"card (?:number|details)s?", r"cvv\b", r"cvc\b", r"expiry date", r"social security",
    r"ssn\b", r"national insurance number", r"tax (?:id|identification) number", r"passport "
    r"(?:number|copy|scan|details)", r"driver'?s licen[cs]e", r"date of birth", r"mother'?s "
    r"maiden name", r"seed phrase", r"private key", r"recovery phrase", r"gift cards?",
    # de
    r"passwort", r"kennwort", r"zugangsdaten", r"anmeldedaten", r"login-?daten", r"bankdaten",
    r"bankverbindung", r"kontonummer", r"kontodaten", r"kreditkarte", r"geburtsdatum",
    r"ausweisnummer", r"personalausweis", r"steuer-?id", r"tan-?nummer",
    # fr
    r"mot de passe", r"identifiants", r"codes? d'accès", r"coordonnées bancaires", r"\brib\b",
    r"relevé d'identité bancaire", r"numéro de (?:compte|carte)", r"carte (?:bancaire|bleue|de "
    r"crédit)", r"date de naissance", r"numéro de sécurité sociale",
    # es / pt
    r"contraseña", r"credenciales", r"datos bancarios", r"cuenta bancaria", r"número de cuenta",
    r"tarjeta de crédito", r"fecha de nacimiento", r"clave de acceso", r"senha", r"credenciais",
    r"dados bancários", r"conta bancária", r"cartão de crédito", r"data de nascimento",
    r"número do cartão", r"\bcpf\b",
    # nl / it
    r"wachtwoord", r"inloggegevens", r"bankgegevens", r"rekeningnummer", r"bankrekening",
    r"creditcard", r"geboortedatum", r"burgerservicenummer", r"\bbsn\b", r"credenziali",
    r"coordinate bancarie", r"dati bancari", r"conto corrente", r"carta di credito",
    r"codice fiscale", r"data di nascita",
    # pl / sv / da / no
    r"hasło", r"hasla", r"hasła", r"dane logowania", r"dane bankowe", r"numer konta",
    r"karta kredytowa", r"pesel", r"lösenord", r"inloggningsuppgifter", r"bankuppgifter",
    r"kontonummer", r"kreditkort", r"personnummer", r"adgangskode", r"bankoplysninger",
    r"cpr-?nummer", r"passord", r"bankopplysninger", r"fødselsnummer",
)
_SECRET_RE = re.compile(r"(?<!\w)(?:" + "|".join(_SECRETS) + r")(?!\w)", re.IGNORECASE)

#: Money moving from the reader. An act ("wire the funds", "send us $500") is a request by
#: itself; a noun ("bank transfer", "Überweisung") only with a word of asking in its sentence,
#: since a payments prospect's own product is no request.
_MONEY_ACTS = (r"wire (?:the |a |your |us |me )?(?:money|funds|payment|fee|deposit|amount)",
               r"(?:send|transfer|pay|deposit|remit|wire) (?:us |me |the |a |your )?(?:money|"
               r"funds|payment|fee|deposit|bitcoin|crypto|\$|€|£|\d)",
               r"processing fee", r"advance fee", r"refundable deposit")
_MONEY_ACT_RE = re.compile(r"(?<!\w)(?:" + "|".join(_MONEY_ACTS) + ")", re.IGNORECASE)
_MONEY_NOUNS = (r"(?:wire|bank|money|fund|funds|payment|crypto|bitcoin|btc|usdt|ethereum) "
                r"?transfers?", r"upfront (?:fee|payment)", r"überweis\w*", r"virement",
                r"transferencia", r"transferência", r"overboeking", r"overmaken", r"bonifico",
                r"przelew", r"överföring", r"overførsel", r"overføring")
_MONEY_NOUN_RE = re.compile(r"(?<!\w)(?:" + "|".join(_MONEY_NOUNS) + ")", re.IGNORECASE)
_ASKING = re.compile(
    r"(?<!\w)(?:send|reply|respond|provide|share|give|enter|submit|confirm|verify|upload|fill|"
    r"pay|wire|deposit|please|kindly|asap|urgent\w*|immediately|bitte|senden|schicken|"
    r"überweisen|envoy\w*|merci de|veuillez|envía\w*|envie|por favor|stuur|graag|invia\w*|"
    r"per favore|prosz\w*|wyślij|skicka|venligst|vennligst)(?!\w)", re.IGNORECASE)

#: Promises of outcome and "free forever": no sender can stand behind them.
_PROMISES = (
    r"guarantee[sd]?", r"guaranteeing", r"money[- ]back", r"risk[- ]free", r"no risk",
    r"zero risk", r"free forever", r"forever free", r"free for life", r"lifetime free",
    r"100 ?% (?:free|guaranteed|success|results?|satisfaction|safe|secure|certain)",
    r"(?:double|triple|quadruple|\d+x) your", r"(?:will|can|would) (?:\w+ )?(?:double|"
    r"triple|quadruple|\d+x)", r"(?:will|would) (?:definitely|certainly|surely) (?:increase|"
    r"grow|boost)", r"without fail", r"results? in (?:\d+|a few|one|two) (?:days|weeks)",
    r"garantiert", r"garantie\w*", r"für immer kostenlos", r"dauerhaft kostenlos",
    r"gratuit (?:à vie|pour toujours)", r"garanti\w*", r"gratis para siempre", r"garantizad\w*",
    r"grátis para sempre", r"garantid\w*", r"voor altijd gratis", r"gegarandeerd",
    r"gratis per sempre", r"garantit\w*", r"gwarant\w*", r"za darmo na zawsze",
    r"garanter\w*", r"gratis för alltid", r"gratis for altid", r"gratis for alltid",
)
_PROMISE_RE = re.compile(r"(?<!\w)(?:" + "|".join(_PROMISES) + r")(?!\w)", re.IGNORECASE)

#: A sentence that speaks to its reader: second person (English, and the unambiguous pronouns
#: of the other languages).
_SECOND_PERSON = re.compile(  # "rendez-vous" is a meeting, not "vous"
    r"(?<![\w-])(?:you|your|yours|yourself|yourselves|you'?re|you'?ll|you'?ve|you'?d|"
    r"dein\w*|euch|vous|votre|toi|usted\w*|vosotros|vuestr\w*|você\w*|vocês|jij|jouw|"
    r"jullie|vostr\w*|twój|twoja|twoje|ditt|dere|deres)(?!\w)",
    re.IGNORECASE)
#: An order: an opening that is one by itself ("Ignore …", "Make sure …", "Please …"), or a
#: verb of acting on the reader's side followed by what it acts on ("Send your …", "Reply
#: with …", "Call us") — "Call center expansion" and "Email marketing launch" are no orders.
_ORDER = re.compile(
    r"^\W*(?:(?:please|kindly|ignore|disregard|forget|pretend|make sure|do not|don'?t|never|"
    r"always|remember to|be sure to|act as|bitte|veuillez|merci de|por favor|per favore|"
    r"prosz\w*|graag)(?!\w)|(?:now |then |first,? |also )?(?:send|reply|respond|click|visit|"
    r"call|email|e-mail|contact|write|include|add|insert|mention|say|tell|ask|verify|confirm|"
    r"provide|share|enter|submit|update|transfer|wire|pay|buy|download|install|subscribe|"
    r"register|forward|attach|schedule|request|follow|sign|log|use|output|print|repeat|answer|"
    r"return|state|claim|sende\w*|schick\w*|antworte\w*|klicke\w*|besuche\w*|envoye[zr]|"
    r"répondez|cliquez|envía|envíe|responda|envie|clique|stuur|antwoord|klik|invia|rispondi|"
    r"clicca|wyślij|odpowiedz|kliknij|skicka|svara|klicka|svar)\s+(?:us|me|the|a|an|your|this|"
    r"that|these|those|all|every|any|with|to|now|back|here|below|above|immediately|asap|in|"
    r"up|on|uns|mir|ihre?n?|nous|moi|votre|vos|nos|nous|nos|nosotros|sus?|seu|sua|ons|je|uw|"
    r"ci|mi|il|la|le|nam|mi|oss|mig|os)(?!\w))",
    re.IGNORECASE)
#: Talk about the message being written: a fact about a prospect never mentions it.
_META = re.compile(
    r"(?<!\w)(?:call[- ]to[- ]action|cta|subject line|(?:e-?mail|your) signature|p\.s\.|"
    r"(?:this|your|the next|next) (?:email|e-mail|message|draft|reply|response|output)|"
    r"(?:email|e-mail|message|draft|reply|response|output) (?:must|should|shall|needs to|"
    r"has to)|the (?:sender|recipient)|(?:must|should|shall) (?:be|say|read|include|contain)"
    r"\s*:)(?!\w)", re.IGNORECASE)
#: Markdown and code: a fact is plain prose, so any of these is markup. Fences, inline code,
#: links and images, emphasis, headings, quotes, tables and list bullets at a line's start,
#: and the brackets they leave behind when cut ("see [details.").
_MARKDOWN = re.compile(r"```|~~~|`|\[|\]|\{|\}|\*\*|__|(?:^|\n)\s*(?:#{1,6}|>|\||[-*+]\s)"
                       r"|\|\s*:?-{3,}")


def secrets(text: str) -> list[str]:
    """Requests for credentials or personal data (any mention counts)."""
    return [m.group(0) for m in _SECRET_RE.finditer(latin_skeleton(text))]


def money_requests(text: str) -> list[str]:
    """Sentences that ask the reader to move money."""
    skeleton = latin_skeleton(text)
    out = [m.group(0) for m in _MONEY_ACT_RE.finditer(skeleton)]
    for sentence in _sentences(skeleton):
        for found in _MONEY_NOUN_RE.finditer(sentence):
            rest = sentence[:found.start()] + " " + sentence[found.end():]
            if _ASKING.search(rest):
                out.append(found.group(0))
    return out


def requests(text: str) -> list[str]:
    """What ``text`` asks of its reader that no cold email may: credentials, personal data,
    money."""
    return [*secrets(text), *money_requests(text)]


def promises(text: str) -> list[str]:
    """Guarantees of outcome and promises of "free forever"."""
    return [m.group(0) for m in _PROMISE_RE.finditer(latin_skeleton(text))]


#: Markup a draft may never carry: code, markdown links and emphasis, template braces. (A draft
#: may have list bullets; a fact may not — see :data:`_MARKDOWN`.)
_DRAFT_MARKUP = re.compile(r"```|~~~|`|\[|\]|\{|\}|\*\*")


def draft_markup(text: str) -> list[str]:
    """Code, markdown links or emphasis and braces in a draft."""
    return [m.group(0) for m in _DRAFT_MARKUP.finditer(text)]


def has_markdown(text: str) -> bool:
    """Markdown, code or the brackets they leave behind: never in a research fact."""
    return bool(_MARKDOWN.search(text))


def speaks_to_reader(text: str) -> bool:
    """Whether a sentence of ``text`` addresses its reader or gives orders: second person,
    an imperative opening, or talk about the message being written."""
    skeleton = latin_skeleton(text)
    if _SECOND_PERSON.search(skeleton) or _META.search(skeleton):
        return True
    return any(_ORDER.search(s) for s in _sentences(skeleton))


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]
