"""The outgoing message: headers, MIME structure, RFC 8058 headers on the wire."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

from cadenza.errors import DeliveryError
from cadenza.mailbox.compose import compose_email, message_bytes, message_id_for

KEY = b"k" * 32
LONG_URL = "https://unsub.acme-sales.com/u/" + "Zx9" * 60  # ~210 characters


def _compose(**overrides: Any) -> EmailMessage:
    args: dict[str, Any] = dict(
        from_name="Ana Souza", from_address="ana@acme-sales.com",
        to_address="jordan.lee@prospect.io", subject="Quick question about hiring",
        text="Hi Jordan,\n\nSaw the Berlin office news.\n", html="<p>Hi Jordan,</p>",
        message_id="<cz.0123456789abcdef0123@acme-sales.com>",
        unsubscribe_url=LONG_URL, unsubscribe_mailto="unsub+Zx9@acme-sales.com",
        date=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
    )
    args.update(overrides)
    return compose_email(**args)


def _header_block(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0]


def test_message_id_is_deterministic_per_touch() -> None:
    a = message_id_for(workspace_id=1, enrollment_id=7, step=1, domain="Acme-Sales.com", key=KEY)
    again = message_id_for(workspace_id=1, enrollment_id=7, step=1, domain="acme-sales.com",
                           key=KEY)
    step2 = message_id_for(workspace_id=1, enrollment_id=7, step=2, domain="acme-sales.com",
                           key=KEY)
    other_key = message_id_for(workspace_id=1, enrollment_id=7, step=1, domain="acme-sales.com",
                               key=b"other")
    assert a == again
    assert a != step2 and a != other_key
    assert a.startswith("<cz.") and a.endswith("@acme-sales.com>")
    assert len(a.split("@")[0]) == len("<cz.") + 20


def test_message_id_refuses_a_non_domain() -> None:
    with pytest.raises(DeliveryError) as info:
        message_id_for(workspace_id=1, enrollment_id=1, step=1, domain="not a domain", key=KEY)
    assert info.value.permanent


def test_headers_and_mime_structure() -> None:
    msg = _compose()
    parsed = message_from_bytes(message_bytes(msg), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["From"] == "Ana Souza <ana@acme-sales.com>"
    assert parsed["To"] == "jordan.lee@prospect.io"
    assert parsed["Subject"] == "Quick question about hiring"
    assert parsed["Message-ID"] == "<cz.0123456789abcdef0123@acme-sales.com>"
    assert parsed["Date"] == "Mon, 02 Mar 2026 09:30:00 +0000"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["List-Unsubscribe"] == f"<{LONG_URL}>, <mailto:unsub+Zx9@acme-sales.com>"
    assert parsed.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in parsed.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    for part in parsed.iter_parts():
        assert part.get_content_charset() == "utf-8"
    for name in ("Auto-Submitted", "X-Auto-Response-Suppress", "Cc", "Bcc", "In-Reply-To",
                 "References", "Precedence"):
        assert name not in parsed


def test_list_unsubscribe_is_one_unencoded_line_on_the_wire() -> None:
    raw = message_bytes(_compose())
    headers = _header_block(raw)
    expected = (b"List-Unsubscribe: <" + LONG_URL.encode() + b">, "
                b"<mailto:unsub+Zx9@acme-sales.com>\r\n")
    assert expected in headers + b"\r\n"
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers
    assert b"=?utf-8?" not in headers  # nothing RFC 2047-encoded (the stdlib default would)
    for line in headers.split(b"\r\n"):
        assert len(line) <= 998


def test_follow_up_threads_under_the_first_touch() -> None:
    first = "<cz.aaaaaaaaaaaaaaaaaaaa@acme-sales.com>"
    second = "<cz.bbbbbbbbbbbbbbbbbbbb@acme-sales.com>"
    long_refs = [f"<cz.{c * 20}@acme-sales.com>" for c in "cdefg"]
    msg = _compose(subject="Re: Quick question about hiring", in_reply_to=second,
                   references=[first, *long_refs])
    raw = message_bytes(msg)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["In-Reply-To"] == second
    refs = str(parsed["References"]).split()
    assert refs == [first, *long_refs, second]
    headers = _header_block(raw)
    assert b"=?utf-8?" not in headers
    # Folded at most between ids, never inside one.
    ref_block = headers.split(b"References: ", 1)[1].split(b"\r\nList-", 1)[0]
    for line in ref_block.split(b"\r\n"):
        for token in line.split():
            assert token.startswith(b"<") and token.endswith(b">")
        assert len(line) <= 78


def test_html_part_is_kept_exactly_and_unicode_survives() -> None:
    html = "<p>Hi Zoë, &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>"
    text = "Hi Zoë — 20 % faster.\n"
    msg = _compose(html=html, text=text, from_name="Çağrı Öz", subject="Grüße aus Köln")
    parsed = message_from_bytes(message_bytes(msg), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    plain, rich = list(parsed.iter_parts())
    assert isinstance(plain, EmailMessage) and isinstance(rich, EmailMessage)
    assert rich.get_content().replace("\r\n", "\n") == html + "\n"
    assert plain.get_content().replace("\r\n", "\n") == text
    assert parsed["Subject"] == "Grüße aus Köln"
    assert parsed["From"].addresses[0].display_name == "Çağrı Öz"
    assert message_bytes(msg).isascii()  # 7-bit clean on the wire


def test_text_only_when_no_html() -> None:
    msg = _compose(html="")
    assert msg.get_content_type() == "text/plain"


@pytest.mark.parametrize("field, value", [
    ("subject", "Hello\r\nBcc: victim@evil.com"),
    ("subject", "Hello\nX-Injected: 1"),
    ("from_name", "Ana\rBcc: x@evil.com"),
    ("to_address", "jordan@prospect.io\r\nBcc: x@evil.com"),
    ("message_id", "<a@b.com>\r\nBcc: x@evil.com"),
    ("in_reply_to", "<a@b.com>\nX: y"),
    ("unsubscribe_url", "https://u.acme-sales.com/u/x\r\nBcc: x@evil.com"),
])
def test_header_injection_is_refused(field: str, value: str) -> None:
    with pytest.raises(DeliveryError) as info:
        _compose(**{field: value})
    assert info.value.permanent


def test_extra_headers_cannot_add_forbidden_or_own_headers() -> None:
    assert _compose(extra_headers={"X-Cadenza-Touch": "42"})["X-Cadenza-Touch"] == "42"
    for name in ("Bcc", "cc", "Auto-Submitted", "X-Auto-Response-Suppress", "From",
                 "List-Unsubscribe", "Bad Name:"):
        with pytest.raises(DeliveryError):
            _compose(extra_headers={name: "x"})
    with pytest.raises(DeliveryError):
        _compose(extra_headers={"X-Note": "a\r\nBcc: x@evil.com"})


@pytest.mark.parametrize("to", ["not-an-address", "a@b", "x y@prospect.io", "<a@prospect.io>"])
def test_invalid_recipient_is_refused(to: str) -> None:
    with pytest.raises(DeliveryError):
        _compose(to_address=to)


def test_bad_unsubscribe_values_are_refused() -> None:
    with pytest.raises(DeliveryError):
        _compose(unsubscribe_url="ftp://x.com/u")
    with pytest.raises(DeliveryError):
        _compose(unsubscribe_url="https://x.com/u/a>b")
    with pytest.raises(DeliveryError):
        _compose(unsubscribe_mailto="not an address")
    assert "mailto:" not in _compose(unsubscribe_mailto=None)["List-Unsubscribe"]


def test_naive_date_is_refused() -> None:
    with pytest.raises(DeliveryError):
        _compose(date=dt.datetime(2026, 3, 2, 9, 30))
