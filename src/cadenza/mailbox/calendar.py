"""Meeting invitations inside a reply: an iCalendar ``METHOD:REQUEST`` (RFC 5545/5546) part.

When a prospect answers by sending a calendar invitation, the meeting is booked whatever the
text says; the watcher records it without a person (:mod:`cadenza.replies.processing`). Only the
few properties that matter are read — the method, the event's start, its UID, its summary — with
line unfolding and the three forms of DTSTART (UTC, a named time zone, a whole day). A
cancellation (``METHOD:CANCEL``) or a reply to our own invitation (``METHOD:REPLY``) is not a
booking. A malformed part is ignored, never an error: the reply is still processed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.message import Message
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CALENDAR_TYPES = frozenset({"text/calendar", "application/ics"})
_MAX_BYTES = 256_000
_STAMP = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$")


@dataclass(frozen=True)
class Invitation:
    """A meeting request found in a message."""

    start: dt.datetime
    uid: str
    summary: str


def find_invitation(message: Message) -> Invitation | None:
    """The first ``METHOD:REQUEST`` event in the message's calendar parts, if any."""
    for part in message.walk():
        if part.get_content_type() not in CALENDAR_TYPES:
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or len(payload) > _MAX_BYTES:
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            text = payload.decode(charset, errors="replace")
        except LookupError:
            text = payload.decode("utf-8", errors="replace")
        invitation = parse_invitation(text, method_hint=str(part.get_param("method") or ""))
        if invitation is not None:
            return invitation
    return None


def parse_invitation(text: str, *, method_hint: str = "") -> Invitation | None:
    """Read an iCalendar text; None unless it is a request with a usable start."""
    lines = _unfold(text)
    method = method_hint.upper()
    event: dict[str, tuple[dict[str, str], str]] = {}
    in_event = False
    for line in lines:
        name, params, value = _property(line)
        if name == "METHOD" and not in_event:
            method = value.strip().upper()
        elif name == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event = True
        elif name == "END" and value.strip().upper() == "VEVENT":
            break
        elif in_event and name not in event:
            event[name] = (params, value)
    if method != "REQUEST" or "DTSTART" not in event:
        return None
    start = _when(*event["DTSTART"])
    if start is None:
        return None
    return Invitation(start=start, uid=event.get("UID", ({}, ""))[1].strip()[:200],
                      summary=event.get("SUMMARY", ({}, ""))[1].strip()[:200])


def _unfold(text: str) -> list[str]:
    """RFC 5545 §3.1: a line break followed by a space or a tab continues the line."""
    return re.sub(r"\r?\n[ \t]", "", text).replace("\r", "").split("\n")


def _property(line: str) -> tuple[str, dict[str, str], str]:
    head, sep, value = line.partition(":")
    if not sep:
        return "", {}, ""
    name, *raw = head.split(";")
    params = {}
    for item in raw:
        key, _, val = item.partition("=")
        params[key.strip().upper()] = val.strip().strip('"')
    return name.strip().upper(), params, value


def _when(params: dict[str, str], value: str) -> dt.datetime | None:
    match = _STAMP.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        if hour is None:  # VALUE=DATE: a whole day
            return dt.datetime(int(year), int(month), int(day), tzinfo=dt.UTC)
        zone: dt.tzinfo = dt.UTC
        if not utc and params.get("TZID"):
            try:
                zone = ZoneInfo(params["TZID"])
            except (ZoneInfoNotFoundError, ValueError):
                zone = dt.UTC  # a Windows zone name or a made-up one: read as UTC
        local = dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                            int(second or 0), tzinfo=zone)
    except ValueError:
        return None
    return local.astimezone(dt.UTC)
