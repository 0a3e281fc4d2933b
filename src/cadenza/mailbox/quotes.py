"""Separate what the prospect wrote now from quoted history and signatures.

The classifier must judge only the new text: a "no thanks" or our own "reply unsubscribe"
footer in the quoted part says nothing about the reply. History is kept (``quoted``) for
context. Markers cover Gmail/Apple/Thunderbird attribution lines, Outlook header blocks and
"Original Message" separators, mobile signatures and sign-offs in the eleven languages Cadenza
reads (English, German, French, Spanish, Portuguese, Dutch, Italian, Polish, Swedish, Danish,
Norwegian), ``>`` quoting and ``--`` separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

_WROTE = (r"(?:wrote|writes|schrieb|a\s+écrit|a\s+ecrit|escribió|escribio|escreveu|schreef|"
          r"ha\s+scritto|skrev|skriver|napisał(?:a)?|napisana|pisze|scrive|geschreven)")
# "On <date>, <name> <addr> wrote:" and its localized forms; may wrap onto two lines.
_ATTRIBUTION = re.compile(
    r"^\s*(?:on|am|le|el|em|op|il|den|dnia)\b.{3,300}?" + _WROTE + r"\b.{0,200}?:?\s*$"
    r"|^.{0,250}\S\s" + _WROTE + r"\s*:\s*$"
    r"|^.{0,160}\b" + _WROTE + r"\s+(?:am|on|le|el|em|op|no|il|den)\b.{3,120}:\s*$"
    # any client's form with a time in it: "ons. 1. sep. 2027 kl. 11:28 skrev Chloe <…>:"
    r"|^.{0,160}\d{1,2}[:.]\d{2}\b.{0,60}\b" + _WROTE + r"\b.{0,200}:\s*$"
    # an address in angle brackets and a time, ending in a colon: Apple Mail in any language
    r"|^.{0,200}<[^<>\s]+@[^<>\s]+>.{0,120}\b\d{1,2}[:.]\d{2}\b.{0,20}:\s*$"
    # Lotus Notes: '-----"Name" <addr> wrote: -----'
    r"|^\s*-{3,}.{0,200}\b" + _WROTE + r"\b\s*:?\s*-*\s*$",
    _I,
)
_ATTRIBUTION_START = re.compile(r"^\s*(?:on|am|le|el|em|op)\s+\S", _I)
_WROTE_END = re.compile(_WROTE + r".{0,120}:\s*$", _I)
_SEPARATOR = re.compile(
    r"^\s*[-_=*]{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|"
    r"message d'origine|message original|mensaje original|mensagem original|"
    r"oorspronkelijk bericht|origineel bericht|messaggio originale|ursprungligt meddelande|"
    r"oprindelig meddelelse|opprinnelig melding|wiadomość oryginalna|oryginalna wiadomość|"
    r"forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|"
    r"mensagem encaminhada|mensagem reencaminhada|doorgestuurd bericht|messaggio inoltrato|"
    r"vidarebefordrat meddelande|videresendt meddelelse|videresendt melding|"
    r"przekazana wiadomość|wiadomość przekazana)\s*[-_=*]*\s*$"
    r"|^\s*(?:begin forwarded message|anfang der weitergeleiteten nachricht|"
    r"début du message réexpédié|début du message transféré|inicio del mensaje reenviado|"
    r"início da mensagem reencaminhada|início da mensagem encaminhada|"
    r"begin doorgestuurd bericht)\s*:\s*$",
    _I,
)
_UNDERSCORES = re.compile(r"^\s*_{8,}\s*$")
_HEADER_FROM = re.compile(r"^\s*\*?(?:from|von|de|van|da|från|od|fra)\s*\*?\s*:\s*\S", _I)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(?:sent|date|to|cc|subject|gesendet|datum|an|betreff|envoyé|envoye|objet|à|"
    r"enviado(?:\s+el)?|enviada(?:\s+em)?|fecha|para|asunto|assunto|data|verzonden|verstuurd|"
    r"aan|onderwerp|inviato|oggetto|skickat|ämne|wysłano|temat|sendt|til|till|do|a|emne|dato|"
    r"kopi|kopia|cc)\s*\*?\s*:",
    _I,
)
_QUOTE_LINE = re.compile(r"^\s*>")
_SIG_DASHES = re.compile(r"^\s*--\s*$|^\s*—\s*$")
_MOBILE = re.compile(
    r"^\s*(?:sent from my|sent from (?:outlook|mail|yahoo|gmail|samsung)|sent via|sent with|"
    r"get outlook for|von meinem \S+ gesendet|gesendet von meinem|gesendet mit|von meinem iphone|"
    r"envoyé de mon|envoyé depuis|envoyé à partir de|enviado desde mi|enviado desde|"
    r"enviado do meu|enviado de meu|enviado pelo|verzonden vanaf mijn|verstuurd vanaf mijn|"
    r"verzonden met|obtenir outlook pour|obtener outlook para|outlook voor|inviato da|"
    r"skickat från min|skickat från|sendt fra min|sendt fra|wysłane z mojego|wysłano z mojego|"
    r"hent outlook til|skaff deg outlook|scarica outlook)\b",
    _I,
)
_SIGNOFF = re.compile(
    r"^\s*(?:best|best regards|kind regards|warm regards|regards|many thanks|thanks|thank you|"
    r"thanks again|thx|cheers|all the best|sincerely|yours sincerely|yours|respectfully|"
    r"talk soon|br|kr|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|"
    r"viele grüße|viele grüsse|beste grüße|beste grüsse|liebe grüße|schöne grüße|grüße|gruß|"
    r"vg|lg|mfg|danke|vielen dank|cordialement|bien cordialement|bien à vous|salutations|"
    r"meilleures salutations|bonne journée|merci|merci beaucoup|amicalement|"
    r"saludos|un saludo|saludos cordiales|atentamente|cordialmente|gracias|muchas gracias|"
    r"un abrazo|atenciosamente|abraços|abraço|obrigado|obrigada|cumprimentos|"
    r"met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groeten|groet|mvg|"
    r"hartelijke groet(?:en)?|bedankt|dank je|dank u|cordiali saluti|distinti saluti|saluti|"
    r"un saluto|grazie|grazie mille|buona giornata|med vänliga hälsningar|vänliga hälsningar|"
    r"vänlig hälsning|hälsningar|mvh|tack|med venlig hilsen|venlig hilsen|hilsen|tak|"
    r"med vennlig hilsen|vennlig hilsen|takk|pozdrawiam|z poważaniem|pozdrowienia|"
    r"dziękuję|dzięki|serdecznie pozdrawiam)\s*[,.!]*\s*$",
    _I,
)
_UNSUB_WORD = (r"(?:unsubscribe|opt[- ]?out|hear from|abmelden|austragen|abbestellen|"
               r"désinscri|desinscri|désabonn|baja|descadastr|afmeld|uitschrijv|stop|"
               r"e-?mails?|nachrichten|messages?|mensajes|mensagens|correos|berichten)")
# Our compliance footer is conditional ("if you'd rather not…") or an instruction ("reply …").
_FOOTER = re.compile(
    r"(?:\bif you(?:'d|’d| would)?\s+(?:rather|prefer)?\s*(?:not|no longer)\b"
    r"|\bif you (?:don't|don’t|do not) (?:want|wish)"
    r"|\bto (?:unsubscribe|opt[- ]out)\b|\bclick here to unsubscribe|\bunsubscribe here\b"
    r"|\b(?:just |simply )?reply (?:with )?[\"'“‘«]\s*(?:unsubscribe|stop|remove)"
    r"|\bwenn sie (?:keine|nicht)|\bantworten sie (?:einfach |bitte )?(?:mit|„|\")"
    r"|\bsi vous (?:ne |préférez ne )|\brépondez (?:simplement )?(?:«|\"|par|avec)"
    r"|\bsi (?:no|prefiere no|prefieres no) (?:desea|quiere|deseas|quieres)"
    r"|\bresponda (?:con|com|simplemente|simplesmente|apenas)?\s*[«\"“]"
    r"|\bse (?:não|preferir não) (?:quiser|deseja|desejar)"
    r"|\bals u (?:geen|niet)|\bantwoord (?:dan )?(?:met|„|\"))"
    r".{0,160}" + _UNSUB_WORD,
    _I,
)
_DISCLAIMER = re.compile(
    r"^\s*(?:confidentiality notice|disclaimer|this (?:e-?mail|message|communication)(?: and any "
    r"attachments?)? (?:is|are|may|contains)|the information (?:contained )?in this|"
    r"vertraulichkeitshinweis|diese e-?mail (?:enthält|ist|kann)|haftungsausschluss|"
    r"ce (?:message|courriel|e-mail)(?: et (?:ses|toutes ses) pièces jointes)? (?:est|sont|peut|"
    r"contient)|avis de confidentialit|este (?:mensaje|correo)(?: y sus anexos)? (?:es|contiene|"
    r"puede|va dirigido)|aviso de confidencialidad|esta (?:mensagem|comunicação) (?:é|pode|contém)|"
    r"aviso legal|dit (?:bericht|e-?mailbericht) (?:is|kan|bevat)|de informatie (?:in|verzonden))",
    _I,
)
_MAX_SIG_LINES = 8


@dataclass(frozen=True)
class StrippedReply:
    """The new text of a reply, and what was removed from it."""

    text: str
    quoted: str
    signature: str


def strip_reply(text: str) -> StrippedReply:
    """Split ``text`` into new text, quoted history and signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _history_start(lines)
    head, history = lines[:cut], lines[cut:]
    new = [ln for ln in head if not _QUOTE_LINE.match(ln)]
    quoted = [ln for ln in head if _QUOTE_LINE.match(ln)] + history
    if not "".join(new).strip() and history:
        new, quoted = _bottom_posted(history)
    new, footer = _drop_footer(new)
    body, signature = _split_signature(new)
    return StrippedReply(
        text=_tidy(body),
        quoted=_tidy(quoted + footer),
        signature=_tidy(signature),
    )


def _history_start(lines: list[str]) -> int:
    """Index of the first line of quoted history (``len(lines)`` when there is none)."""
    n = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or len(stripped) > 400:
            continue
        if _SEPARATOR.match(line):
            return i
        if _ATTRIBUTION.match(line):
            return i
        if (_ATTRIBUTION_START.match(line) and i + 1 < n and _WROTE_END.search(lines[i + 1])
                and len(stripped) < 200):
            return i
        if _UNDERSCORES.match(line) and _header_block(lines, i + 1):
            return i
        if _HEADER_FROM.match(line) and _header_block(lines, i):
            return i
    return n


def _header_block(lines: list[str], start: int) -> bool:
    """True when ``start`` opens an Outlook-style header block (From: then Sent:/To:/Subject:)."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not _HEADER_FROM.match(lines[index]):
        return False
    others = sum(1 for ln in lines[index + 1: index + 7] if _HEADER_OTHER.match(ln))
    return others >= 2 or (others == 1 and _quoted_after(lines, index))


def _quoted_after(lines: list[str], start: int) -> bool:
    return any(_QUOTE_LINE.match(ln) for ln in lines[start: start + 10])


def _bottom_posted(history: list[str]) -> tuple[list[str], list[str]]:
    """Replies written below the quote: keep the unquoted lines after the first block."""
    new: list[str] = []
    quoted: list[str] = []
    seen_quote = False
    for index, line in enumerate(history):
        if index == 0 or _QUOTE_LINE.match(line):
            quoted.append(line)
            seen_quote = seen_quote or index > 0
            continue
        if seen_quote and _history_start(history[index:index + 1]) == 0:
            quoted.extend(history[index:])
            break
        (new if seen_quote else quoted).append(line)
    if not "".join(new).strip():
        return [], history
    return new, quoted


def _drop_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    dropped: list[str] = []
    for line in lines:
        (dropped if _FOOTER.search(line) else kept).append(line)
    return kept, dropped


def _split_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    if not content:
        return lines, []
    first = content[0]
    for i in content:
        line = lines[i]
        if i == first:
            continue
        if _SIG_DASHES.match(line) or _MOBILE.match(line):
            return lines[:i], lines[i:]
        if _DISCLAIMER.match(line):
            body, signature = _split_signature(lines[:i])
            return body, signature + lines[i:]
    for i in content:
        if i == first or not _SIGNOFF.match(lines[i]):
            continue
        tail = [ln for ln in lines[i + 1:] if ln.strip()]
        if len(tail) <= _MAX_SIG_LINES and all(len(ln.strip()) <= 80 for ln in tail):
            return lines[:i], lines[i:]
    return lines, []


def _tidy(lines: list[str]) -> str:
    return "\n".join(ln.rstrip() for ln in lines).strip()
