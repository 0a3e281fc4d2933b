"""Addresses a reply points to: the referral contact, or a departed prospect's successor.

Only the new text is searched, and the sender's own and our addresses are excluded: a
signature or our quoted "From:" line is not a referral. The referred person's name is
:mod:`cadenza.replies.classify.names`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
_ROLE_LOCAL = re.compile(r"^(?:no-?reply|donotreply|mailer-daemon|postmaster|bounces?)\b", re.I)


@dataclass(frozen=True)
class Contact:
    """An address named in a reply."""

    email: str


def find_contacts(text: str, *, exclude: Iterable[str] = ()) -> list[Contact]:
    """Addresses in ``text`` (in order, de-duplicated), minus ``exclude`` and role senders."""
    skip = {e.lower() for e in exclude if e}
    found: list[Contact] = []
    seen: set[str] = set()
    for match in _EMAIL.finditer(text):
        address = match.group(1).strip(".").lower()
        local = address.split("@", 1)[0]
        if address in skip or address in seen or _ROLE_LOCAL.match(local):
            continue
        seen.add(address)
        found.append(Contact(address))
    return found


def referral_contact(text: str, *, sender: str | None,
                     own_addresses: Iterable[str] = ()) -> Contact | None:
    """The first address in the new text that is neither the sender's nor ours."""
    contacts = find_contacts(text, exclude=[*(own_addresses or ()), sender or ""])
    return contacts[0] if contacts else None
