"""Builders of real MIME messages for the reply-pipeline tests (stdlib only)."""

from __future__ import annotations

from email.message import EmailMessage

DATE = "Wed, 01 Apr 2026 10:00:00 +0200"  # a Wednesday


def reply(body: str, *, subject: str = "Re: Quick question",
          sender: str = "Jane Doe <jane@prospect.example>",
          date: str | None = DATE, headers: dict[str, str] | None = None,
          charset: str = "utf-8", cte: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Sam SDR <sam@sender.example>"
    msg["Subject"] = subject
    if date:
        msg["Date"] = date
    msg["Message-ID"] = "<reply-1@prospect.example>"
    msg["In-Reply-To"] = "<touch-1@sender.example>"
    for name, value in (headers or {}).items():
        msg[name] = value
    if cte:
        msg.set_content(body, charset=charset, cte=cte)
    else:
        msg.set_content(body, charset=charset)
    return msg.as_bytes()


def dsn(*, action: str, status: str, diagnostic: str = "",
        original_id: str = "<touch-1@sender.example>", headers_part: bool = True) -> bytes:
    """An RFC 3464 report built as text, the way MTAs write it."""
    original = (f"Message-ID: {original_id}\nFrom: sam@sender.example\n"
                "To: jane@prospect.example\nSubject: Quick question\n")
    if headers_part:
        third = f"Content-Type: text/rfc822-headers\n\n{original}"
    else:
        third = f"Content-Type: message/rfc822\n\n{original}\nHi Jane\n"
    text = f"""Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.sender.example>
To: sam@sender.example
Subject: Undelivered Mail Returned to Sender
Date: {DATE}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.sender.example

Final-Recipient: rfc822; jane@prospect.example
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {diagnostic or status}

--BOUNDARY
{third}
--BOUNDARY--
"""
    return text.replace("\n", "\r\n").encode()
