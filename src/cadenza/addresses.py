"""Email address syntax and normalisation, shared by the importer and the agent.

Deliberately stricter than RFC 5322: a cold-email product must refuse anything odd (quoted
local parts, comments, CR/LF that could inject headers) rather than try to deliver it.
"""

from __future__ import annotations

import re

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(xn--[a-z0-9-]{2,59}|[a-z]{2,63})$")


def normalise_domain(domain: str) -> str | None:
    """Lower-case, IDNA-encoded domain, or ``None`` when it is not a public host name."""
    domain = domain.strip().rstrip(".").lower()
    if not domain:
        return None
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253:
        return None
    if not all(_LABEL.match(label) for label in labels) or not _TLD.match(labels[-1]):
        return None
    return ascii_domain


def validate_email_address(value: str) -> str | None:
    """The normalised address (local part kept, domain lower-case), or ``None`` if invalid."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or any(c in value for c in "\r\n\t <>\"(),;:\\[]") or len(value) > 254:
        return None
    if value.count("@") != 1:
        return None
    local, domain = value.split("@")
    if not local or len(local) > 64 or not _LOCAL.match(local):
        return None
    norm_domain = normalise_domain(domain)
    if norm_domain is None:
        return None
    return f"{local}@{norm_domain}"


def address_key(value: str) -> str:
    """The deduplication key of an address: case-insensitive as mail systems treat it."""
    return value.strip().lower()


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower() if "@" in address else ""


ROLE_LOCAL_PARTS: frozenset[str] = frozenset({
    "info", "sales", "support", "admin", "administrator", "hello", "contact", "office", "team",
    "marketing", "noreply", "no-reply", "donotreply", "do-not-reply", "billing", "hr", "jobs",
    "careers", "help", "enquiries", "inquiries", "mail", "postmaster", "abuse", "webmaster",
    "hostmaster", "press", "media", "service", "customerservice", "accounts", "finance",
    "legal", "privacy", "security", "it", "ops", "operations", "reception", "feedback",
    "newsletter", "kontakt", "bonjour", "contacto", "contato", "vendas", "ventas", "verkauf",
    "anfragen", "recrutement", "rh", "bureau", "partners", "partnerships", "all", "everyone",
})

PERSONAL_WEBMAIL_DOMAINS: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
    "yahoo.es", "ymail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr",
    "hotmail.de", "hotmail.es", "live.com", "live.fr", "live.nl", "msn.com", "icloud.com",
    "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.de",
    "gmx.net", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de", "orange.fr",
    "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "libero.it", "virgilio.it", "uol.com.br",
    "bol.com.br", "terra.com.br", "ig.com.br", "sapo.pt", "ziggo.nl", "kpnmail.nl",
    "planet.nl", "hetnet.nl", "telefonica.net", "mail.ru", "yandex.ru", "yandex.com",
    "qq.com", "163.com", "126.com", "naver.com", "zoho.com", "tutanota.com", "fastmail.com",
})


def is_role_account(address: str) -> bool:
    """info@, sales@ … : a shared inbox, not a person (cold email to them hurts deliverability)."""
    local = address.split("@", 1)[0].lower()
    base = re.split(r"[+]", local, maxsplit=1)[0]
    return base in ROLE_LOCAL_PARTS


def is_personal_webmail(address: str, company_domain: str | None) -> bool:
    """A consumer mailbox used for a company contact: deliverable, but a person should look."""
    domain = domain_of(address)
    if domain not in PERSONAL_WEBMAIL_DOMAINS:
        return False
    company = (company_domain or "").strip().lower().removeprefix("www.")
    return bool(company) and company != domain
