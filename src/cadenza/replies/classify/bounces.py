"""Bounces in the words of the mail system that sent them, with or without an RFC 3464 report.

qmail, Exim, old Sendmail and Postfix, Exchange 2003, Gmail's and Yahoo's notices, Lotus
Domino, Mimecast and Amazon SES's SNS notifications often send plain text: a notice naming the
failed recipients and the reason, then (usually) a copy of our message below a marker line.
This module reads that text: whether it is a bounce at all, how bad it is (RFC 3463 status
first, then the reason's words, where the template's "permanent error" means nothing), who
failed, and the Message-ID in the copy's headers so threading can find the touch. Text below
the marker is our own words and is never read for signals.

A person who writes about a bounce ("my last email bounced", a forwarded NDR) is not one: a
reply or forward prefix without a null return path or X-Failed-Recipients ends the check, and
a bounce subject from an ordinary sender also needs a status code, a returned copy or an
Auto-Submitted header.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any

from cadenza.mailbox.parse import ParsedMessage, split_ids

_I = re.IGNORECASE
_IM = re.IGNORECASE | re.MULTILINE
STATUS = re.compile(r"(?<![\d.])([245])\.([0-7])\.(\d{1,3})(?![\d.]\d)")
_SMTP_CODE = re.compile(r"\b([45])([0-5])([0-9])[ :-]")
_DAEMON = re.compile(r"^(?:mailer[-_]?daemon|post[-_]?master|mail[-_]?delivery[-_]?(?:system|"
                     r"subsystem)?|bounces?|mdaemon|microsoftexchange[0-9a-f]{32})@", _I)
_PERSON_PREFIX = re.compile(r"^\s*(?:re|aw|sv|vs|antw|odp|r|fwd?|wg|tr|rv|enc|i)\s*(?:\[\d+\])?"
                            r"\s*[:：]", _I)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered mail|returned mail|delivery status notification|"
    r"delivery (?:status )?(?:failure|failed|has failed|problem|incomplete|delayed)|"
    r"mail delivery (?:failed|failure|problem|subsystem)|failure notice|message not delivered|"
    r"could not be delivered|non[- ]?delivery|nondeliverable|delivery notification|"
    r"unzustellbar|nicht zustellbar|unzustellbare|übermittlungsfehler|zustellung fehlgeschlagen|"
    r"non remis|non distribuable|échec de (?:la )?(?:remise|distribution)|"
    r"no se puede entregar|no entregado|error de entrega|devuelto|"
    r"não (?:é possível|foi possível) entregar|não entregue|falha na entrega|"
    r"onbestelbaar|niet bezorgd|kan niet worden bezorgd|bezorging mislukt", _I,
)
_BOUNCE_TEXT = re.compile(
    r"could not be delivered|couldn't be delivered|wasn't delivered|was not delivered|"
    r"delivery (?:to the following recipients? )?(?:has )?failed|permanent (?:fatal )?error|"
    r"the following address(?:es)? failed|address not found|user unknown|unknown user|"
    r"no such user|mailbox (?:unavailable|not found|is full|full|does not exist)|"
    r"recipient address rejected|does not exist|this is the qmail-send program|"
    r"delivery has failed|undeliverable|returned to sender|message (?:could not|cannot) be|"
    r"konnte nicht zugestellt|nicht zugestellt werden|unbekannter empfänger|"
    r"n'a pas pu être remis|n'a pas pu être distribué|destinataire inconnu|"
    r"no se pudo entregar|no ha podido ser entregado|não pôde ser entregue|"
    r"não foi possível entregar|kon niet worden bezorgd|kan niet worden bezorgd", _I,
)
_DELAY_SUBJECT = re.compile(r"delay|verzögert|retard|retrasad|vertraagd", _I)
_DELAY_TEXT = re.compile(r"this is a warning|has not yet been delivered|has been delayed|"
                         r"delivery is delayed|delivery attempts will continue|"
                         r"will continue to be attempted|still being retried", _I)
_HARD_REASON = re.compile(
    r"no such (?:user|mailbox|recipient|address|domain)|user(?:name)? unknown|"
    r"unknown (?:user|recipient|address)|does not exist|doesn't exist|address not found|"
    r"recipient not found|invalid (?:recipient|address|mailbox)|no mailbox here|not listed in|"
    r"account (?:has been |is )?(?:disabled|deactivated|closed|suspended)|"
    r"(?:does not|doesn't) have an? [\w.-]+ account|mailbox (?:unavailable|not found)|"
    r"host unknown|unknown host|couldn't find any host|host (?:or domain name )?not found|"
    r"domain name not found|nxdomain|"
    r"unbekannt|inexistant|n'existe pas|no existe|não existe|bestaat niet", _I)
_FULL_MAILBOX = re.compile(
    r"mailbox (?:is )?full|over (?:its |the )?quota|quota exceeded|exceeded (?:its |the )?quota|"
    r"insufficient (?:system )?storage|postfach (?:ist )?voll|boîte (?:aux lettres )?pleine", _I)
_TOO_LARGE = re.compile(
    r"message (?:is )?too (?:large|big)|message size exceeds|exceeds (?:the )?(?:maximum |"
    r"max\.? )?(?:message |allowed )?size|size limit|message length exceeds|"
    r"(?:nachricht|e-mail) (?:ist )?zu gro(?:ß|ss)|trop volumineux|taille (?:maximale|limite)|"
    r"demasiado grande|tamaño máximo|muito grande|tamanho máximo|te groot|troppo grande|"
    r"za duża|för stor|for stor", _I)
#: A refusal by the recipient's own rule about who may write to it: the address, not us.
_RECIPIENT_POLICY = re.compile(
    r"only (?:accepts?|receives?) (?:e-?mail|mail|messages) from|internal senders|"
    r"restricted to (?:internal|authori[sz]ed)|not (?:authori[sz]ed|allowed|permitted) to "
    r"send (?:e-?mail |messages )?to (?:this|the) (?:recipient|group|address)|"
    r"(?:group|list|recipient) (?:only )?accepts? (?:mail|messages) (?:only )?from|"
    r"posta elettronica certificata|\bPEC\b|n'accepte que les messages|"
    r"nimmt nur (?:Nachrichten|E-Mails) von|nur (?:interne|Absender innerhalb)|"
    r"solo acepta (?:mensajes|correos)|accetta solo (?:messaggi|e-?mail)|"
    r"aceita apenas mensagens|accepteert alleen berichten|tar bara emot|"
    r"accepterer kun|godtar bare|przyjmuje tylko wiadomości", _I)
#: Exchange's codes for a group or mailbox that takes mail only from senders it knows.
_RECIPIENT_POLICY_CODES = frozenset({"133", "134", "135", "136"})
#: Permanent codes another attempt may still pass: a full mailbox, a message too large.
_RETRY_HELPS = frozenset({("2", "2"), ("3", "4"), ("2", "3")})
_TEMPORARY = re.compile(
    r"gr[ae]ylist|try again later|temporar|deferr|timed out|timeout|connection refused|delay|"
    r"will (?:continue|keep) trying|will retry|verzögert|retard|retrasad|atrasad|vertraagd", _I)
# The line where the returned copy of our message starts, in the words of each MTA.
_COPY = re.compile(
    r"^[ \t>]{0,10}(?:-{2,}.{0,40}(?:copy of (?:the|your) message|original message|"
    r"undelivered message|unsent message|returned message|message headers? follow)|"
    r".{0,20}below this line is a copy|original message (?:headers|follows)|"
    r"(?:the )?header of the original message|message headers follow|return-path:)", _IM)
_MESSAGE_ID = re.compile(r"^[ \t>]*message-id:[ \t]*(<[^<>\s]+>)", _IM)
_HEADER = re.compile(r"^([!-9;-~]+):[ \t]*(.*)$")
_ADDR = r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+"
# A failed recipient alone on its line, as every notice lists them: "<a@b>:", "  a@b",
# "-- a@b", "a@b<mailto:a@b>", "a@b on <date>" (Exchange 2003), "<a@b>: host x said: ...".
_LISTED = re.compile(rf"^[ \t]*(?:--[ \t]*)?['\"<]?({_ADDR})['\">]?"
                     rf"(?:[ \t]*(?:\({_ADDR}\)|<mailto:[^>\s]*>|\(expanded from [^)]*\)))*"
                     r"[ \t]*(?::.*|on[ \t].*)?$", re.MULTILINE)
_INLINE = re.compile(rf"(?:message to|delivered to|RCPT TO:)[ \t]*<?({_ADDR})"
                     rf"|^\d{{3}}[ -](?:\d\.\d\.\d+[ \t]+)?<({_ADDR})>\.\.\.", _IM)


@dataclass
class TextBounce:
    """A bounce read from its text: severity, who failed, and which message of ours."""

    bounce: str  # hard | soft
    policy_block: bool = False
    status: str | None = None
    recipients: list[str] = field(default_factory=list)
    original_message_id: str | None = None
    evidence: str = "heuristic-bounce"


def read_bounce(parsed: ParsedMessage) -> TextBounce | None:
    """``parsed`` read as a bounce without a delivery-status report; ``None`` if it is not one."""
    ses = _ses_notification(parsed.text)
    if ses is not None:
        return ses
    failed = parsed.header("x-failed-recipients")
    sender = parsed.from_addr or ""
    subject = parsed.subject
    return_path = (parsed.header("return-path") or "").strip()
    null_path = return_path in ("<>", "", "<MAILER-DAEMON>")
    daemon = bool(_DAEMON.match(sender))
    subject_hit = bool(_BOUNCE_SUBJECT.search(subject))
    if not (failed or daemon or subject_hit):
        return None  # the cheap signals come first: this runs on every reply
    if _PERSON_PREFIX.match(subject) and not (failed or return_path in ("<>", "<MAILER-DAEMON>")):
        return None  # a person replying to or forwarding a bounce, or writing about one
    notice, copy = split_copy(parsed.text)
    text_hit = bool(_BOUNCE_TEXT.search(notice))
    coded = bool(STATUS.search(notice))
    automatic = (parsed.header("auto-submitted") or "no").strip().lower() != "no"
    if not (failed or (daemon and (subject_hit or text_hit or coded or null_path))
            or (subject_hit and (null_path or (text_hit and (coded or copy or automatic))))):
        return None
    status = worst([m.group(0) for m in STATUS.finditer(notice)])
    delayed = bool(_DELAY_SUBJECT.search(subject) or _DELAY_TEXT.search(notice))
    kind, policy = severity(status, delayed=delayed, text=notice)
    recipients = [a.strip().lower() for a in (failed or "").split(",") if "@" in a]
    return TextBounce(
        kind, policy, status,
        recipients or failed_recipients(notice, copy, ours=message_parties(parsed)),
        original_message_id=copy_message_id(copy),
    )


def split_copy(text: str) -> tuple[str, str]:
    """(the notice, the returned copy of our message) of a bounce's text; the copy may be ""."""
    text = text[:20_000]
    copy = _COPY.search(text)
    if copy is None:
        return text[:6000], ""
    return text[: min(copy.start(), 6000)], text[copy.start():]


def worst(statuses: list[str]) -> str | None:
    """Permanent failures win over transient ones (flufl.bounce's lesson)."""
    for prefix in ("5", "4"):
        for status in statuses:
            if status.startswith(prefix):
                return status
    return statuses[0] if statuses else None


def severity(status: str | None, *, delayed: bool, text: str) -> tuple[str, bool]:
    """(hard|soft, policy_block) from an RFC 3463 status and the notice's words.

    Soft is what another attempt of the same message may get through: a temporary failure, a
    full mailbox (x.2.2) and a message too large (x.3.4, x.2.3 — a smaller one would pass,
    though servers answer it with 5xx). Every other permanent failure is hard. A permanent
    x.7.x refusal is hard too (this message will never be accepted), and a policy block —
    our mailbox's problem (a blocklisted sender, failed authentication), which alerts and
    rests the mailbox instead of losing the prospect — unless its words say the address
    itself is the problem: "No such user" (Yandex answers it with 5.7.1), a group or mailbox
    that takes mail only from inside.

    Without a status the reason decides: a named hard reason, then a full mailbox or a message
    too large, then the worst SMTP reply code, then words of a temporary failure. The
    template's own words never do: qmail and Exim call every failure they give up on "a
    permanent error", a full mailbox included.
    """
    if status is None:
        if delayed:
            return "soft", False
        if _HARD_REASON.search(text):
            return "hard", False
        if _FULL_MAILBOX.search(text) or _TOO_LARGE.search(text):
            return "soft", False
        codes = {m.group(1) for m in _SMTP_CODE.finditer(text)}
        if codes:
            return ("hard" if "5" in codes else "soft"), False
        return ("soft" if _TEMPORARY.search(text) else "hard"), False
    klass, subject, detail = status.split(".")
    if klass == "4" or delayed:
        return "soft", False
    if (subject, detail) in _RETRY_HELPS:
        return "soft", False
    if subject == "7":
        address_problem = bool(detail in _RECIPIENT_POLICY_CODES or _HARD_REASON.search(text)
                               or _RECIPIENT_POLICY.search(text))
        return "hard", not address_problem
    return "hard", False


def message_parties(parsed: ParsedMessage) -> frozenset[str]:
    """Addresses on the bounce itself (us, the daemon): never a failed recipient."""
    return frozenset(a.lower() for a in [parsed.from_addr or "", *parsed.to, *parsed.cc,
                                         *parsed.reply_to] if a)


def failed_recipients(notice: str, copy: str, *, ours: frozenset[str]) -> list[str]:
    """The recipients a notice lists as failed; else the To of the returned copy."""
    found: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in _LISTED.finditer(notice)]
    found += [(m.start(), m.group(1) or m.group(2)) for m in _INLINE.finditer(notice)]
    addresses: list[str] = []
    for _, address in sorted(found):
        address = address.lower()
        if address not in ours and not _DAEMON.match(address) and address not in addresses:
            addresses.append(address)
    if addresses:
        return addresses
    headers = _copy_headers(copy)
    values = [v for name, v in headers if name in ("to", "cc")]
    return [a.lower() for _, a in getaddresses(values)
            if "@" in a and a.lower() not in ours]


def copy_message_id(copy: str) -> str | None:
    """The Message-ID in the headers of the returned copy of our message."""
    for name, value in _copy_headers(copy):
        if name == "message-id":
            ids = split_ids(value)
            if ids:
                return ids[0]
    return find_message_id(copy)


def find_message_id(text: str) -> str | None:
    """The first ``Message-ID:`` line's id anywhere in ``text`` (headers the parser missed)."""
    match = _MESSAGE_ID.search(text)
    return match.group(1) if match else None


def _copy_headers(copy: str) -> list[tuple[str, str]]:
    """The first header block of the copy, unfolded: (lower-case name, value) pairs."""
    lines = copy.replace("\r\n", "\n").split("\n")
    if lines and not lines[0].lower().lstrip(" \t>").startswith("return-path:"):
        lines = lines[1:]  # the marker line itself
    while lines and not lines[0].strip():
        lines = lines[1:]
    headers: list[tuple[str, str]] = []
    for line in lines[:200]:
        if line[:1] in (" ", "\t") and headers and line.strip():
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        match = _HEADER.match(line)
        if match is None:
            break  # the blank line (or prose) that ends the header block
        headers.append((match.group(1).lower(), match.group(2).strip()))
    return headers


def _ses_notification(text: str) -> TextBounce | None:
    """An Amazon SES bounce notification delivered by SNS: JSON, bare or in an SNS envelope."""
    head = text[:3000].lstrip()
    if not head.startswith("{") or "notificationType" not in head:
        return None
    data = _json(text.lstrip())
    if "notificationType" not in data:
        data = _json(str(data.get("Message") or ""))  # the SNS envelope of email-json topics
    if data.get("notificationType") != "Bounce":
        return None
    bounce, mail = _mapping(data.get("bounce")), _mapping(data.get("mail"))
    rows = [_mapping(r) for r in bounce.get("bouncedRecipients") or []]
    recipients = [str(r.get("emailAddress") or "").strip().lower() for r in rows]
    status = worst([m.group(0) for r in rows
                    if (m := STATUS.search(str(r.get("status") or "")))])
    diagnostic = " ".join(str(r.get("diagnosticCode") or "") for r in rows)
    kind, policy = severity(status, delayed=bounce.get("bounceType") == "Transient",
                            text=diagnostic)
    ids = split_ids(str(_mapping(mail.get("commonHeaders")).get("messageId") or ""))
    for header in mail.get("headers") or []:
        if not ids and str(_mapping(header).get("name") or "").lower() == "message-id":
            ids = split_ids(str(_mapping(header).get("value") or ""))
    return TextBounce(kind, policy, status, [r for r in recipients if "@" in r],
                      original_message_id=ids[0] if ids else None,
                      evidence="ses-notification")


def _json(text: str) -> dict[str, Any]:
    # Sendmail breaks lines longer than its limit with "!" + newline + space; undo that.
    for candidate in (text, text.replace("!\n ", "")):
        try:
            data, _ = json.JSONDecoder().raw_decode(candidate)
        except (ValueError, RecursionError):  # hostile nesting is not a notification
            continue
        return _mapping(data)
    return {}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
