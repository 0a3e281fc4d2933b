"""Reply classification in layers: standards, then the LLM when configured, else offline.

This is the one entry point the watcher, ``cadenza classify`` and the eval call. Machine
messages are decided from standards before any model sees them (bounce before auto-reply);
human replies are stripped of quotes and signatures, then classified by the LLM (falling back
to the offline classifier when it fails) or offline. Bad input never raises: it becomes
``unclear`` with an ``error``, so a person looks at it and nothing is lost.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.utils import getaddresses
from pathlib import Path
from typing import Any, Literal, cast

from cadenza.errors import LLMError
from cadenza.llm import LLM
from cadenza.mailbox.parse import ParsedMessage, ParseError, parse_message
from cadenza.mailbox.quotes import StrippedReply, strip_reply
from cadenza.replies.classify.classifier import (
    DEFAULT_THRESHOLD,
    classify_text,
    reply_features,
    reply_input,
)
from cadenza.replies.classify.contacts import referral_contact
from cadenza.replies.classify.cues import cue_hits, opt_out_in_doubt
from cadenza.replies.classify.dates import (
    announces_return,
    extract_follow_up_date,
    extract_return_date,
)
from cadenza.replies.classify.intents import Classification, Intent
from cadenza.replies.classify.language import detect_language
from cadenza.replies.classify.llm import ask_llm
from cadenza.replies.classify.model import ReplyModel, load_model
from cadenza.replies.classify.names import referral_name
from cadenza.replies.classify.standards import MachineVerdict, detect_machine, is_own_message

log = logging.getLogger(__name__)

_EMAIL_LIKE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
OUTPUT_KEYS = ("file", "intent", "confidence", "return_date", "follow_up_after",
               "referral_email", "referral_name", "bounce", "language")


@dataclass
class ClassifiedReply:
    """A parsed message (when parseable), its new text, and what it means."""

    classification: Classification
    parsed: ParsedMessage | None = None
    stripped: StrippedReply | None = None
    error: str | None = None


def classify_message(raw: bytes, *, llm: LLM | None = None,
                     own_addresses: frozenset[str] = frozenset(),
                     threshold: float = DEFAULT_THRESHOLD,
                     model: ReplyModel | None = None) -> ClassifiedReply:
    """Classify one raw message; never raises on bad input.

    Whatever one message makes the layers below raise (a codec it names, a stdlib corner) is
    contained to that message: it becomes ``unclear`` with an ``error`` and no parsed form, so
    the watcher triages it and ``cadenza classify`` goes on with the next file.
    """
    try:
        return _classify(raw, llm=llm, own_addresses=own_addresses, threshold=threshold,
                         model=model)
    except ParseError as exc:
        return _unreadable(str(exc))
    except Exception as exc:  # one hostile message must not take the batch or the mailbox down
        log.warning("classifying a message failed: %s: %s", type(exc).__name__, exc,
                    exc_info=True)
        return _unreadable(f"cannot classify: {type(exc).__name__}: {exc}")


def _unreadable(error: str) -> ClassifiedReply:
    return ClassifiedReply(
        Classification(intent="unclear", confidence=0.0, reason=error[:500], method="parse"),
        error=error,
    )


def _classify(raw: bytes, *, llm: LLM | None, own_addresses: frozenset[str],
              threshold: float, model: ReplyModel | None = None) -> ClassifiedReply:
    parsed = parse_message(raw)
    if is_own_message(parsed, own_addresses):
        return ClassifiedReply(Classification(
            intent="auto_reply", confidence=1.0, reason="our own sent message",
            method="standards", own_message=True), parsed=parsed)
    stripped = strip_reply(parsed.text)
    new_text = stripped.text
    language = detect_language(new_text) or detect_language(parsed.text)
    sent = parsed.date.date() if parsed.date else None
    machine = detect_machine(parsed)
    if machine is not None:
        machine = _absence_or_not(machine, new_text or parsed.text, parsed.subject or "", model,
                                  sent)
        result = _from_machine(machine, parsed, new_text or parsed.text, language, sent,
                               own_addresses)
    elif llm is not None:
        result = _from_llm(llm, parsed, new_text, language, sent, threshold, own_addresses)
    else:
        result = _offline(parsed, new_text, language, sent, threshold, own_addresses, model)
    return ClassifiedReply(result, parsed=parsed, stripped=stripped)


def classify_files(paths: list[Path], *, llm: LLM | None = None,
                   own_addresses: frozenset[str] = frozenset(),
                   threshold: float = DEFAULT_THRESHOLD,
                   model: ReplyModel | None = None) -> Iterator[dict[str, Any]]:
    """One ``cadenza classify`` output object per ``.eml`` file (folders expand to *.eml)."""
    for path in _expand(paths):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            yield _line(path.name, Classification(intent="unclear", confidence=0.0),
                        error=f"cannot read {path}: {exc.strerror or exc}")
            continue
        result = classify_message(raw, llm=llm, own_addresses=own_addresses,
                                  threshold=threshold, model=model)
        yield _line(path.name, result.classification, error=result.error)


def _expand(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.glob("*.eml") if p.is_file())
        else:
            yield path


def _line(name: str, c: Classification, *, error: str | None) -> dict[str, Any]:
    line: dict[str, Any] = {
        "file": name, "intent": c.intent, "confidence": round(c.confidence, 4),
        "return_date": c.return_date, "follow_up_after": c.follow_up_after,
        "referral_email": c.referral_email, "referral_name": c.referral_name,
        "bounce": c.bounce, "language": c.language,
    }
    if error is not None:
        line["error"] = error
    return line


def _absence_or_not(machine: MachineVerdict, text: str, subject: str,
                    model: ReplyModel | None, sent: date | None) -> MachineVerdict:
    """An automatic answer the standards could not place: an absence notice, or another kind?

    The headers say a machine answered; whether it announces an absence is a question about
    its words, in any language, so the model (trained on both kinds in eleven languages)
    decides between the two when the absence phrases did not, and an answer that says on
    which date its writer is back is an absence whatever the model says. It never turns a
    machine message into a person's, and a departure notice stays what the standards said.
    """
    if machine.intent != "auto_reply" or machine.left_company or machine.evidence in (
            "disposition-notification",):
        return machine
    model = model or load_model()
    if model is not None:
        scores = model.predict(reply_features(text, subject))
        if scores.get("out_of_office", 0.0) > scores.get("auto_reply", 0.0):
            return dataclasses.replace(machine, intent="out_of_office",
                                       evidence=f"{machine.evidence}; absence by the model")
    if announces_return(text, sent) or announces_return(subject, sent):
        return dataclasses.replace(machine, intent="out_of_office",
                                   evidence=f"{machine.evidence}; states the day back")
    return machine


def _from_machine(machine: MachineVerdict, parsed: ParsedMessage, text: str,
                  language: str | None, sent: date | None,
                  own_addresses: frozenset[str]) -> Classification:
    fields: dict[str, Any] = {}
    if machine.intent == "out_of_office":
        fields["return_date"] = _iso(_return_date(parsed, text, language, sent))
    if machine.left_company:
        contact = referral_contact(text, sender=parsed.from_addr,
                               own_addresses=_ours(parsed, own_addresses))
        fields["successor_email"] = contact.email if contact else None
    return Classification(
        intent=cast(Intent, machine.intent),
        confidence=0.99 if machine.intent == "bounce" else 0.97,
        bounce=cast(Literal["hard", "soft"] | None, machine.bounce), language=language,
        reason=machine.evidence, method="standards", policy_block=machine.policy_block,
        complaint=machine.complaint, original_message_id=machine.original_message_id, **fields,
    )


def _from_llm(llm: LLM, parsed: ParsedMessage, text: str, language: str | None,
              sent: date | None, threshold: float,
              own_addresses: frozenset[str]) -> Classification:
    clean, _, _ = reply_input(text, parsed.subject or "")
    if "unsubscribe" in cue_hits(clean):
        if opt_out_in_doubt(clean):
            # "… nearly hit unsubscribe. But first: does it …?": neither reading is safe
            # to act on, whatever the LLM says
            return _with_fields(Classification(
                intent="unclear", confidence=0.5, method="rules",
                reason="an opt-out word, then a question: a person decides"),
                parsed, text, language, sent, own_addresses)
        # An opt-out is a legal event: a phrase match decides, whatever a model would say.
        return _with_fields(Classification(intent="unsubscribe", confidence=0.95,
                                           reason="opt-out phrasing", method="rules"),
                            parsed, text, language, sent, own_addresses)
    try:
        decision = ask_llm(llm, text, subject=parsed.subject, sent=sent, language=language)
    except LLMError as exc:
        log.warning("LLM classification failed, using the offline classifier: %s", exc)
        result = _offline(parsed, text, language, sent, threshold, own_addresses)
        return result.model_copy(update={"reason": f"{result.reason}; llm failed: {exc}"})
    intent: Intent = decision.intent
    confidence = decision.confidence
    if confidence < threshold:
        intent = "unclear"
    result = Classification(intent=intent, confidence=confidence, reason=decision.reasoning[:500],
                            method="llm", language=language)
    result = _with_fields(result, parsed, text, language, sent, own_addresses)
    # a reply a person decides on keeps every field, whatever they decide
    return result.model_copy(update={
        "return_date": decision.return_date or result.return_date
        if intent in ("out_of_office", "unclear") else None,
        "follow_up_after": decision.follow_up_after or result.follow_up_after
        if intent in ("not_now", "unclear") else None,
        "referral_email": decision.referral_email or result.referral_email
        if intent in ("referral", "unclear") else None,
    })


def _offline(parsed: ParsedMessage, text: str, language: str | None, sent: date | None,
             threshold: float, own_addresses: frozenset[str],
             model: ReplyModel | None = None) -> Classification:
    contact = referral_contact(text, sender=parsed.from_addr,
                               own_addresses=_ours(parsed, own_addresses))
    verdict = classify_text(text, threshold=threshold, third_party_email=contact is not None,
                            model=model, subject=parsed.subject or "")
    result = Classification(intent=cast(Intent, verdict.intent),
                            confidence=min(1.0, max(0.0, verdict.confidence)),
                            reason=verdict.reason + ("; injection removed" if verdict.injection
                                                     else ""),
                            method=verdict.method, language=language)
    return _with_fields(result, parsed, text, language, sent, own_addresses)


def _return_date(parsed: ParsedMessage, text: str, language: str | None,
                 sent: date | None) -> date | None:
    """The body's return date, else the subject's: "Out of office - back 12/08" may be all."""
    domain = _domain(parsed)
    return (extract_return_date(text, sent, language=language, sender_domain=domain)
            or extract_return_date(parsed.subject or "", sent, language=language,
                                   sender_domain=domain))


def _with_fields(result: Classification, parsed: ParsedMessage, text: str,
                 language: str | None, sent: date | None,
                 own_addresses: frozenset[str]) -> Classification:
    """The fields of the intent; of every intent that has some when a person decides
    (``unclear``): a triaged "not now" then opens its task on the stated date, a triaged
    referral creates the named prospect, as if the classifier had been sure
    (:mod:`cadenza.replies.triage` reads the stored fields). Nothing acts on them before."""
    update: dict[str, Any] = {"language": language}
    domain = _domain(parsed)
    unclear = result.intent == "unclear"
    if result.intent == "out_of_office" or unclear:
        update["return_date"] = _iso(_return_date(parsed, text, language, sent))
    if result.intent == "not_now" or unclear:
        update["follow_up_after"] = _iso(extract_follow_up_date(text, sent, language=language,
                                                                sender_domain=domain))
    if result.intent == "referral" or unclear:
        update.update(_referral(parsed, text, language, own_addresses))
    return result.model_copy(update=update)


def _referral(parsed: ParsedMessage, text: str, language: str | None,
              own_addresses: frozenset[str]) -> dict[str, str | None]:
    """The referred colleague's address and name: from the text, else from Cc ("I've copied
    the right person"); the name also when no address is given."""
    ours = _ours(parsed, own_addresses)
    mine = _our_domains(parsed) | {a.rsplit("@", 1)[-1] for a in ours}
    skip = {*ours, (parsed.from_addr or "").lower()}
    copied: list[tuple[str, str]] = []  # third parties in To/Cc: (display name, address)
    ourselves: list[str] = []
    for name, address in getaddresses([*parsed.header_all("to"), *parsed.header_all("cc")]):
        address = address.lower()
        if "@" not in address:
            continue
        if address in skip or _at_our_domain(address, mine):
            ourselves.append(name)
        else:
            copied.append((name, address))
    contact = referral_contact(text, sender=parsed.from_addr, own_addresses=ours)
    email = contact.email if contact else copied[0][1] if copied else None
    person = referral_name(text, email=email, cc_names=[n for n, _ in copied if n],
                           exclude=[parsed.from_name or "", *ourselves], language=language,
                           copied_name=None if contact or not copied else copied[0][0] or None)
    return {"referral_email": email, "referral_name": person}


def _our_domains(parsed: ParsedMessage) -> set[str]:
    """Domains on our side: those of the Message-IDs the reply answers, else of its To."""
    thread_ids = [*parsed.in_reply_to, *parsed.references]
    domains = {i.strip("<>").rsplit("@", 1)[-1].lower() for i in thread_ids if "@" in i}
    if not domains:
        domains = {a.rsplit("@", 1)[-1] for a in parsed.to if "@" in a}
    return domains - {_domain(parsed)}


# Mail services whose Message-ID domain says nothing about whose side an address is on
_SHARED_MAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
                                  "live.com", "yahoo.com", "icloud.com", "me.com", "gmx.de",
                                  "gmx.net", "web.de", "proton.me", "protonmail.com"})


def _at_our_domain(address: str, our_domains: set[str]) -> bool:
    """Whether ``address`` is at one of our domains, or at the organisation whose mail host
    wrote our Message-IDs ("tom@fieldmark.co" beside "<…@mail.fieldmark.co>")."""
    domain = address.rsplit("@", 1)[-1].lower()
    if domain in our_domains:
        return True
    return "." in domain and domain not in _SHARED_MAIL_DOMAINS and any(
        ours.endswith("." + domain) for ours in our_domains)


def _ours(parsed: ParsedMessage, own_addresses: frozenset[str]) -> frozenset[str]:
    """Addresses on our side: the configured ones plus every address at our domains found in
    the text (a quoted signature of our own SDR is not a referral)."""
    our_domains = _our_domains(parsed)
    quoted = {a for a in _EMAIL_LIKE.findall(parsed.text.lower())
              if _at_our_domain(a, our_domains)}
    return frozenset({a.lower() for a in own_addresses} | quoted)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _domain(parsed: ParsedMessage) -> str | None:
    return parsed.from_addr.rsplit("@", 1)[-1] if parsed.from_addr else None
