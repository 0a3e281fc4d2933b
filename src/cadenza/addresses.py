"""Email address syntax and normalisation, role accounts and personal webmail.

One home for these rules, shared by the importer (which reports invalid addresses per row) and
the agent's eligibility check (which decides who may get an email at all). Deliberately
stricter than RFC 5322: a cold-email product refuses anything odd (quoted local parts,
comments, CR/LF that could inject headers) rather than try to deliver it.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

ROLE_LOCAL_PARTS = frozenset({
    "info", "sales", "support", "admin", "administrator", "hello", "contact", "office", "team",
    "marketing", "noreply", "no-reply", "donotreply", "do-not-reply", "billing", "hr", "careers",
    "jobs", "recruiting", "recruitment", "help", "helpdesk", "service", "services", "enquiries",
    "inquiries", "enquiry", "inquiry", "mail", "email", "webmaster", "postmaster", "hostmaster",
    "abuse", "security", "privacy", "legal", "compliance", "accounts", "accounting", "finance",
    "invoices", "invoice", "orders", "press", "media", "pr", "news", "newsletter", "feedback",
    "general", "reception", "root", "all", "everyone", "staff", "customerservice", "customercare",
    "partners", "partnerships", "ops", "operations", "it", "devnull", "bounce", "bounces",
    "kontakt", "vertrieb", "buero", "büro", "contacto", "ventas", "contato", "vendas",
    "commercial", "bonjour", "hallo", "hola", "ola", "welcome", "investors", "ir",
})
PERSONAL_WEBMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
    "yahoo.es", "yahoo.com.br", "ymail.com", "outlook.com", "outlook.de", "outlook.fr",
    "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.es", "hotmail.it",
    "live.com", "live.co.uk", "live.fr", "live.nl", "msn.com", "icloud.com", "me.com", "mac.com",
    "aol.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com", "web.de", "t-online.de",
    "freenet.de", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "libero.it",
    "virgilio.it", "tiscali.it", "uol.com.br", "bol.com.br", "terra.com.br", "ig.com.br",
    "proton.me", "protonmail.com", "pm.me", "zoho.com", "yandex.ru", "yandex.com", "mail.ru",
    "mail.com", "qq.com", "163.com", "126.com", "naver.com", "seznam.cz", "wp.pl", "o2.pl",
    "interia.pl", "ziggo.nl", "kpnmail.nl", "telenet.be", "skynet.be", "sapo.pt", "hey.com",
    "fastmail.com", "tutanota.com", "btinternet.com", "sky.com", "comcast.net", "att.net",
    "verizon.net", "rediffmail.com",
})
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_domain(domain: str) -> str | None:
    """Lower-case, IDNA-encoded host name, or ``None`` when it is not a public host name."""
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
    if not all(_LABEL.match(label) for label in labels):
        return None
    tld = labels[-1]
    if not (tld.isalpha() or tld.startswith("xn--")) or len(tld) < 2:
        return None
    return ascii_domain


@lru_cache(maxsize=4096)  # pure, and asked 4 times per email sent (compose, envelope)
def validate_email_address(value: str | None) -> str | None:
    """A normalised address (trimmed, domain lower-cased and IDNA-encoded) or ``None``.

    The syntax is the maintained ``email-validator``'s (RFC 5321/5322 dot-atom local part, no
    quoted forms, no internationalised local part since not every server speaks SMTPUTF8),
    with no DNS look-up; on top, the domain must be a public-looking host name
    (:func:`normalise_domain`). The local part keeps its case (RFC 5321 says it may matter).
    """
    if not value or "\r" in value or "\n" in value:
        return None  # header injection ("…\nBcc: …"), never trimmed into validity
    text = value.strip()
    if not text or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None
    try:
        # test_environment: accept the reserved ``.test`` names (sandboxes, staging) as
        # ``.example`` already is; it only turns off DNS checks, which we never make anyway
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False,
                                allow_quoted_local=False, allow_domain_literal=False,
                                globally_deliverable=False, test_environment=True)
    except EmailNotValidError:
        return None
    domain = normalise_domain(result.ascii_domain)
    if domain is None or result.ascii_email is None:
        return None
    return f"{result.ascii_local_part}@{domain}"


def is_loopback_host(host: str) -> bool:
    """``localhost`` or a loopback address: the only place a clear-text login is harmless."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_role_account(address: str) -> bool:
    """A shared inbox (info@, sales+emea@, no-reply@ …), not a person."""
    local = address.split("@", 1)[0].lower()
    base = re.split(r"[+]", local, maxsplit=1)[0]
    return base in ROLE_LOCAL_PARTS or base.replace("-", "").replace("_", "").replace(
        ".", "") in ROLE_LOCAL_PARTS


def is_personal_webmail(address: str, company_domain: str | None) -> bool:
    """A webmail address for someone whose company has its own domain."""
    domain = address.rsplit("@", 1)[-1].lower()
    company = (company_domain or "").strip().lower().removeprefix("www.")
    if domain not in PERSONAL_WEBMAIL_DOMAINS or not company:
        return False  # a solo consultant on gmail.com with no company domain: their address
    return company != domain


def address_key(value: str) -> str:
    """The deduplication key of an address: case-insensitive as mail systems treat it."""
    return value.strip().lower()
