"""People a reply points to: the referral contact, or a departed prospect's successor.

Only the new text is searched, and the sender's own and our addresses are excluded: a
signature or our quoted "From:" line is not a referral. A name is taken only when it is
written right next to the address ("Sarah Miller <sarah@…>", "Sarah Miller (sarah@…)",
"contact Sarah Miller at sarah@…"), because guessing names creates wrong prospects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
_NAME_BEFORE = re.compile(
    r"([A-ZÀ-Ý][\w'À-ÿ-]+(?:\s+(?:van der|van|de|von|da|dos|del|la|le)?\s*[A-ZÀ-Ý][\w'À-ÿ-]+){0,2})"
    r"\s*(?:<|\(|\[|at|an|à|en|em|op|via|:|,|-|–)?\s*$"
)
_ROLE_LOCAL = re.compile(r"^(?:no-?reply|donotreply|mailer-daemon|postmaster|bounces?)\b", re.I)
_STOP_NAMES = frozenset({
    "Please", "Contact", "Kontakt", "Bitte", "Email", "E-Mail", "Mail", "Thanks", "Hi", "Hello",
    "Hallo", "Bonjour", "Hola", "Olá", "Dear", "Her", "His", "Their", "Our", "Unser", "Unsere",
    "Notre", "Nuestro", "Nuestra", "Nosso", "Nossa", "Onze", "The", "Die", "Der", "Le", "La",
    "El", "Het", "De", "Write", "Reach", "Send", "Schreiben", "Écrivez", "Escriba", "Contacte",
    "Mijn", "Mein", "Meine", "My", "Mon", "Ma", "Mi", "Meu", "Minha", "Sie", "Vous", "At", "An",
})


@dataclass(frozen=True)
class Contact:
    """An address named in a reply, with the name written beside it when there is one."""

    email: str
    name: str | None = None


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
        before = text[max(0, match.start() - 60): match.start()]
        found.append(Contact(address, _name_before(before)))
    return found


def referral_contact(text: str, *, sender: str | None,
                     own_addresses: Iterable[str] = ()) -> Contact | None:
    """The first address in the new text that is neither the sender's nor ours."""
    contacts = find_contacts(text, exclude=[*(own_addresses or ()), sender or ""])
    return contacts[0] if contacts else None


def _name_before(window: str) -> str | None:
    window = window.split("\n")[-1]
    match = _NAME_BEFORE.search(window)
    if not match:
        return None
    words = [w for w in match.group(1).split() if w not in _STOP_NAMES]
    if not words or not words[0][:1].isupper():
        return None
    return " ".join(words)
