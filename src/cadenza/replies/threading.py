"""Match an inbound message to the touch that caused it, and say how it was matched.

Headers first, because they are exact: In-Reply-To, then References (split on whitespace *and*
commas, since Exchange and iOS write commas), looked up against the Message-IDs we sent. A DSN
carries the bounced message's id in its third part, which beats anything else for a bounce. Only
when headers fail do we fall back to the sender's address (the prospect with that email in the
workspace, and its most recent touch within a window) and then to the subject, and last to the
sender's full name when exactly one prospect we recently wrote to has it (the same person
writing from a phone or a home account). The method is
recorded on the reply so a person can see how sure the link was.

Our own sent copies (From is one of our mailboxes, or the Message-ID is one we generated) turn up
when a mailbox's Sent folder is watched or a client Bcc's itself: they are never replies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from cadenza.mailbox.parse import ParsedMessage
from cadenza.replies.classify.intents import Classification
from cadenza.store.models import Mailbox, Prospect, Touch

METHODS = ("in_reply_to", "references", "bounce_original", "bounce_recipient", "sender",
           "subject", "name", "own", "none")
MAX_REFERENCES = 10  # clients keep the chain; the newest ids are the ones we can match
SENDER_WINDOW_DAYS = 60
_SENT_STATES = ("sent", "sending")
_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|vs|antw|odp|r|fwd?|wg|tr|rv|enc|i)\s*(?:\[\d+\])?\s*"
                     r"[:：]\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class ThreadMatch:
    """The touch and prospect a message belongs to (either may be unknown) and how we know."""

    method: str
    touch: Touch | None = None
    prospect: Prospect | None = None

    @property
    def own(self) -> bool:
        return self.method == "own"


def own_addresses(session: Session, workspace_id: int) -> frozenset[str]:
    """Every mailbox address of the workspace, lower-case: mail from these is ours."""
    rows = session.exec(select(Mailbox.email).where(Mailbox.workspace_id == workspace_id)).all()
    return frozenset(r.strip().lower() for r in rows if r)


def normalise_subject(subject: str) -> str:
    """``Re: AW: Fwd: Hello`` → ``hello``: reply prefixes in the languages we serve removed."""
    return " ".join(_PREFIX.sub("", subject or "").split()).casefold()


def _id_forms(ids: Iterable[str]) -> list[str]:
    """Each id with and without angle brackets, since stored and parsed forms may differ."""
    forms: list[str] = []
    for raw in ids:
        bare = raw.strip().strip("<>")
        if not bare:
            continue
        for form in (f"<{bare}>", bare):
            if form not in forms:
                forms.append(form)
    return forms


def _touches_by_id(session: Session, workspace_id: int, ids: Sequence[str]) -> dict[str, Touch]:
    forms = _id_forms(ids)
    if not forms:
        return {}
    rows = session.exec(select(Touch).where(Touch.workspace_id == workspace_id,
                                            col(Touch.message_id).in_(forms))).all()
    return {t.message_id.strip("<>"): t for t in rows}


def _lookup(session: Session, workspace_id: int, ids: Sequence[str]) -> Touch | None:
    found = _touches_by_id(session, workspace_id, ids)
    for raw in ids:  # the caller's order is the preference order
        touch = found.get(raw.strip().strip("<>"))
        if touch is not None:
            return touch
    return None


def is_own_copy(session: Session, workspace_id: int, parsed: ParsedMessage,
                own: frozenset[str]) -> bool:
    """True for a copy of mail we sent: our address in From, or one of our Message-IDs."""
    if parsed.from_addr and parsed.from_addr.lower() in own:
        return True
    return bool(parsed.message_id and _lookup(session, workspace_id, [parsed.message_id]))


def prospect_by_address(session: Session, workspace_id: int, address: str) -> Prospect | None:
    """The workspace's prospect with ``address`` (exact, then without a ``+tag``)."""
    address = address.strip().lower()
    candidates = [address]
    local, _, domain = address.partition("@")
    if "+" in local and domain:
        candidates.append(f"{local.split('+', 1)[0]}@{domain}")
    for candidate in candidates:
        prospect = session.exec(select(Prospect).where(
            Prospect.workspace_id == workspace_id, Prospect.email == candidate)).first()
        if prospect is not None:
            return prospect
    return None


def _recent_touch(session: Session, prospect: Prospect, now: dt.datetime,
                  subject: str) -> tuple[Touch | None, str]:
    """The prospect's touch this message answers: by subject when it tells, else the latest."""
    sent = list(session.exec(select(Touch).where(
        Touch.prospect_id == prospect.id, col(Touch.state).in_(_SENT_STATES),
        Touch.channel == "email").order_by(col(Touch.sent_at).desc(), col(Touch.id).desc())))
    wanted = normalise_subject(subject)
    if wanted:
        for touch in sent:
            if touch.subject and normalise_subject(touch.subject) == wanted:
                return touch, "subject"
    since = now - dt.timedelta(days=SENDER_WINDOW_DAYS)
    for touch in sent:
        when = touch.sent_at or touch.updated_at
        if when is not None and _aware(when) >= since:
            return touch, "sender"
    return None, "sender"


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for aware columns; they were written as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _with_prospect(session: Session, touch: Touch, method: str) -> ThreadMatch:
    return ThreadMatch(method, touch, session.get(Prospect, touch.prospect_id))


def match_reply(*, session: Session, workspace_id: int, parsed: ParsedMessage,
                classification: Classification, now: dt.datetime,
                own: frozenset[str] = frozenset(),
                bounce_recipients: Sequence[str] = ()) -> ThreadMatch:
    """Find the touch and prospect ``parsed`` belongs to; ``method`` says how (see METHODS)."""
    if classification.own_message or is_own_copy(session, workspace_id, parsed, own):
        return ThreadMatch("own")
    if classification.intent == "bounce" or classification.complaint:
        if classification.original_message_id:
            touch = _lookup(session, workspace_id, [classification.original_message_id])
            if touch is not None:
                return _with_prospect(session, touch, "bounce_original")
        for address in bounce_recipients:
            prospect = prospect_by_address(session, workspace_id, address)
            if prospect is not None:
                touch, _ = _recent_touch(session, prospect, now, "")
                return ThreadMatch("bounce_recipient", touch, prospect)
    if parsed.in_reply_to:
        touch = _lookup(session, workspace_id, parsed.in_reply_to[:MAX_REFERENCES])
        if touch is not None:
            return _with_prospect(session, touch, "in_reply_to")
    if parsed.references:
        newest_first = list(reversed(parsed.references))[:MAX_REFERENCES]
        touch = _lookup(session, workspace_id, newest_first)
        if touch is not None:
            return _with_prospect(session, touch, "references")
    senders = [parsed.from_addr] if parsed.from_addr else []
    senders += [a for a in parsed.reply_to if a not in senders]
    for address in senders:
        prospect = prospect_by_address(session, workspace_id, address)
        if prospect is not None:
            touch, method = _recent_touch(session, prospect, now, parsed.subject)
            return ThreadMatch(method, touch, prospect)
    prospect = _prospect_by_name(session, workspace_id, parsed.from_name or "")
    if prospect is not None:  # the same person from another address (a phone, a home account)
        touch, _ = _recent_touch(session, prospect, now, parsed.subject)
        if touch is not None:  # only someone we actually wrote to
            return ThreadMatch("name", touch, prospect)
    return ThreadMatch("none")


def _prospect_by_name(session: Session, workspace_id: int, display: str) -> Prospect | None:
    """The one prospect of the workspace with this full name (first and last), if exactly one:
    a reply from an address we do not know, signed with a name we wrote to."""
    words = display.replace('"', " ").split()
    if len(words) < 2:
        return None
    first, last = words[0].lower(), " ".join(words[1:]).lower()
    found = session.exec(select(Prospect).where(
        Prospect.workspace_id == workspace_id, func.lower(col(Prospect.first_name)) == first,
        func.lower(col(Prospect.last_name)) == last).limit(2)).all()
    return found[0] if len(found) == 1 else None
