"""The sender's own text inside a draft: links, contact data and addresses that are no claims.

A meeting link such as ``https://cal.example.com/maya/30-min`` carries a number, a website may
carry digits or capitals in its domain, and the postal address has a street number and a postcode.
They are the sender's, so the checks of claims (numbers, names) must not read them as facts the
draft invented; the same number written as a claim in prose ("we cut costs by 30%") still needs a
source. The links check and these helpers agree on what is the sender's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from cadenza.sender import SenderProfile
from cadenza.writing.composing import opt_out_sentence
from cadenza.writing.links import contact_spans

#: What the sender's own text is replaced with: one lower-case word, so that the words around
#: it keep their place in the sentence (a name right after a link is still checked as a name).
OWN_MARK = "sender-own"


def contacts(text: str) -> list[str]:
    """Every email address, link and phone number in ``text``, defanged and obfuscated forms
    included (:func:`cadenza.writing.links.contact_spans`)."""
    return contact_spans(text)


def contact_token(span: str) -> str:
    """A link or contact as it is compared with the sender's own (no trailing punctuation)."""
    return span.strip().rstrip(".,;:)").lower().rstrip("/")


def own_tokens(sender: SenderProfile) -> set[str]:
    """The sender's own links and contact data, as :func:`contact_token` writes them."""
    return {contact_token(o) for o in sender.own_contacts()}


def is_own(token: str, own: set[str]) -> bool:
    """Whether ``token`` is one of the sender's links or contacts, or a part of one (its
    domain, a shorter form of a link)."""
    return any(token == o or token in o for o in own)


def _hosts(values: list[str]) -> list[str]:
    """The domains of the sender's own links and email address ("cal.example.com")."""
    out: list[str] = []
    for value in values:
        try:
            host = (value.rsplit("@", 1)[-1] if "@" in value and "/" not in value else
                    urlsplit(value if "//" in value else f"//{value}").hostname or "")
        except ValueError:  # not a URL at all ("[::1"): the value itself is still masked
            continue
        if "." in host:
            out += [host, host.removeprefix("www.")]
    return out


@lru_cache(maxsize=64)
def _literal_pattern(literals: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the sender's own strings (any spacing, any case, whole words)."""
    parts = [r"\s+".join(map(re.escape, lit.split()))
             for lit in sorted(set(literals), key=len, reverse=True) if lit.split()]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _mark(m: re.Match[str]) -> str:
    # a masked sentence (the opt-out) keeps its full stop, so the next sentence still starts
    return OWN_MARK + (m.group(0)[-1] if m.group(0)[-1] in ".!?" else "")


def without_own(text: str, sender: SenderProfile, language: str) -> str:
    """``text`` with the sender's own links, contact data and their domains, postal address
    (and each part of it), opt-out sentence, company and product name each replaced by
    :data:`OWN_MARK`."""
    own = own_tokens(sender)
    for span in contacts(text):
        found = span.strip().rstrip(".,;:)")
        if found and is_own(contact_token(found), own):
            text = text.replace(found, OWN_MARK)
    values = sender.own_contacts()
    address = sender.postal_address
    # a part of the address ("415 Alder Street", "Suite 300") is the sender's too; a part with
    # no letter ("300") would let that number through anywhere, so it is not one
    parts = [p for p in address.split(",") if any(c.isalpha() for c in p)]
    pattern = _literal_pattern(tuple([*values, *_hosts(values), address, *parts,
                                      opt_out_sentence(sender, language), sender.company,
                                      sender.product_name]))
    return pattern.sub(_mark, text) if pattern else text
