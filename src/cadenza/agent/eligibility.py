"""Who may get an email at all: address syntax, role accounts, duplicates, suppression, webmail.

Runs before any drafting (nothing is written for a prospect who must not be contacted) and is
importable by the prospect importer, which reports invalid addresses per row. Header injection
("bob@x.com\\nBcc: …") is an invalid address, never split into two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from cadenza.addresses import (
    is_personal_webmail,
    is_role_account,
    validate_email_address,
)
from cadenza.prospects import ProspectIn

__all__ = ["Eligibility", "check_eligibility", "is_personal_webmail", "is_role_account",
           "validate_email_address"]

Status = Literal["ok", "skipped", "held"]

@dataclass(frozen=True)
class Eligibility:
    """Whether a prospect may be emailed: ``ok``, ``skipped`` or ``held`` with a reason."""

    status: Status
    reason: str | None
    address: str | None


def _suppressed(address: str, suppressed: frozenset[str]) -> bool:
    low = address.lower()
    domain = low.rsplit("@", 1)[-1]
    return low in suppressed or domain in suppressed or f"@{domain}" in suppressed


def check_eligibility(prospects: Iterable[ProspectIn], *,
                      suppressed: Iterable[str] = ()) -> dict[str, Eligibility]:
    """Eligibility of every prospect of a batch (duplicates are judged in batch order)."""
    blocked = frozenset(s.strip().lower() for s in suppressed if s and s.strip())
    seen: set[str] = set()
    out: dict[str, Eligibility] = {}
    for prospect in prospects:
        address = validate_email_address(prospect.email)
        if address is None:
            out[prospect.id] = Eligibility("skipped", "invalid_email", None)
            continue
        key = address.lower()
        if key in seen:
            out[prospect.id] = Eligibility("skipped", "duplicate", address)
            continue
        seen.add(key)
        if _suppressed(address, blocked):
            out[prospect.id] = Eligibility("skipped", "suppressed", address)
        elif is_role_account(address):
            out[prospect.id] = Eligibility("skipped", "role_account", address)
        elif is_personal_webmail(address, prospect.company_domain):
            out[prospect.id] = Eligibility("held", "personal_email", address)
        else:
            out[prospect.id] = Eligibility("ok", None, address)
    return out
