"""Who may get an email at all."""

import pytest

from cadenza.agent.eligibility import check_eligibility, validate_email_address
from cadenza.prospects import ProspectIn


@pytest.mark.parametrize(("raw", "expected"), [
    ("  Liam.Ng@Brightwave.EXAMPLE  ", "Liam.Ng@brightwave.example"),
    ("dana@example.com", "dana@example.com"),
    ("user+tag@sub.example.co.uk", "user+tag@sub.example.co.uk"),
    ("jörg@bücher.de", None),  # non-ASCII local part: not deliverable everywhere
    ("info@bücher.de", "info@xn--bcher-kva.de"),  # the domain IDNA-encoded, as SMTP needs
    ("a@sandbox.test", "a@sandbox.test"),
    ("a@host.invalid", None),  # special-use names never deliver
])
def test_valid(raw: str, expected: str | None) -> None:
    assert validate_email_address(raw) == expected


@pytest.mark.parametrize("raw", [
    "not-an-email", "jane@", "jane@@example.com", "jane doe@example.com", "jane@example",
    "bob@example.com\nBcc: all@example.com", "bob@example.com\r\n", "a@b.c", "@example.com",
    "a..b@example.com", "a@-example.com", "<a@example.com>", "a@example.com, b@example.com", "",
])
def test_invalid(raw: str) -> None:
    assert validate_email_address(raw) is None


def _p(pid: str, email: str, domain: str | None = None) -> ProspectIn:
    return ProspectIn(id=pid, email=email, company_domain=domain)


def test_batch_rules() -> None:
    result = check_eligibility([
        _p("ok", "dana@example.com", "example.com"),
        _p("dup", "Dana@Example.com", "example.com"),
        _p("bad", "jane@"),
        _p("role", "info@kestrel.example"),
        _p("role2", "sales+emea@orbital.example"),
        _p("webmail", "tom.becker@gmail.com", "acme.io"),
        _p("solo", "nadia@gmail.com", None),
        _p("supp", "gone@optout.example"),
        _p("suppdom", "x@blocked.example"),
    ], suppressed={"gone@optout.example", "blocked.example"})
    assert {k: (v.status, v.reason) for k, v in result.items()} == {
        "ok": ("ok", None), "dup": ("skipped", "duplicate"), "bad": ("skipped", "invalid_email"),
        "role": ("skipped", "role_account"), "role2": ("skipped", "role_account"),
        "webmail": ("held", "personal_email"), "solo": ("ok", None),
        "supp": ("skipped", "suppressed"), "suppdom": ("skipped", "suppressed"),
    }
