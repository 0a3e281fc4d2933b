from __future__ import annotations

from email.message import EmailMessage

from reply_mimes import DATE, dsn, reply

from cadenza.mailbox.parse import parse_message
from cadenza.replies.classify.standards import detect_machine, is_own_message


def verdict(raw: bytes):  # type: ignore[no-untyped-def]
    return detect_machine(parse_message(raw))


def test_dsn_hard_bounce_with_original_message_id() -> None:
    v = verdict(dsn(action="failed", status="5.1.1", diagnostic="550 5.1.1 User unknown"))
    assert v is not None and v.intent == "bounce" and v.bounce == "hard"
    assert not v.policy_block
    assert v.recipients == ["jane@prospect.example"]
    assert v.original_message_id == "<touch-1@sender.example>"


def test_dsn_original_id_from_attached_message() -> None:
    v = verdict(dsn(action="failed", status="5.1.1", headers_part=False,
                    original_id="<t-9@sender.example>"))
    assert v is not None and v.original_message_id == "<t-9@sender.example>"


def test_dsn_soft_bounces() -> None:
    # a full mailbox (5.2.2) and a message too large (5.3.4, 5.2.3) are permanent codes, but
    # the same address takes a later or smaller message: soft, as the corpus writers label them
    for action, status in (("delayed", "4.4.1"), ("failed", "4.4.7"), ("failed", "5.2.2"),
                           ("failed", "5.3.4"), ("failed", "5.2.3")):
        v = verdict(dsn(action=action, status=status))
        assert v is not None and (v.intent, v.bounce) == ("bounce", "soft"), status


def test_dsn_policy_block_is_hard_and_flagged() -> None:
    """Permanent for this message (hard), and about our mailbox: the policy-block action."""
    v = verdict(dsn(action="failed", status="5.7.26", diagnostic="550 5.7.26 unauthenticated"))
    assert v is not None and v.bounce == "hard" and v.policy_block


def test_a_5_7_refusal_about_the_address_is_a_plain_hard_bounce() -> None:
    """Some servers answer an unknown user with 5.7.1; a group that takes mail only from its
    own organisation refuses everyone outside: the address is the problem, not our mailbox."""
    for status, diagnostic in (("5.7.1", "550 5.7.1 No such user!"),
                               ("5.7.133", "550 5.7.133 RESOLVER.RST.NotAuthenticated"),
                               ("5.7.1", "550 5.7.1 Le groupe n'accepte que les messages "
                                         "provenant d'expéditeurs de l'organisation")):
        v = verdict(dsn(action="failed", status=status, diagnostic=diagnostic))
        assert v is not None and (v.bounce, v.policy_block) == ("hard", False), diagnostic


def test_a_message_too_large_without_a_status_is_soft() -> None:
    msg = EmailMessage()
    msg["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example>"
    msg["To"] = "sam@sender.example"
    msg["Subject"] = "Undelivered Mail Returned to Sender"
    msg.set_content("I'm sorry to have to inform you that your message could not\n"
                    "be delivered to one or more recipients.\n\n<jane@prospect.example>: "
                    "host mx said: 552 Message size exceeds fixed maximum message size")
    v = verdict(msg.as_bytes())
    assert v is not None and (v.intent, v.bounce) == ("bounce", "soft")


def test_exim_heuristic_bounce_without_report() -> None:
    msg = EmailMessage()
    msg["From"] = "Mail Delivery System <Mailer-Daemon@mx.example>"
    msg["To"] = "sam@sender.example"
    msg["Subject"] = "Mail delivery failed: returning message to sender"
    msg["X-Failed-Recipients"] = "jane@prospect.example"
    msg.set_content("This message was created automatically by mail delivery software.\n\n"
                    "A message that you sent could not be delivered to one or more of its\n"
                    "recipients. This is a permanent error. The following address(es) failed:\n\n"
                    "  jane@prospect.example\n    550 5.1.1 No such user here")
    v = verdict(msg.as_bytes())
    assert v is not None and v.intent == "bounce" and v.bounce == "hard"
    assert v.recipients == ["jane@prospect.example"]


def test_arf_complaint_is_unsubscribe() -> None:
    raw = (
        b"From: feedback@isp.example\r\nTo: abuse@sender.example\r\nSubject: Complaint\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=feedback-report; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nThis is an abuse report.\r\n"
        b"--B\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n"
        b"User-Agent: isp/1.0\r\nVersion: 1\r\n\r\n"
        b"--B\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <touch-7@sender.example>\r\n"
        b"From: sam@sender.example\r\nSubject: hi\r\n\r\nHi\r\n--B--\r\n"
    )
    v = verdict(raw)
    assert v is not None and v.intent == "unsubscribe" and v.complaint
    assert v.original_message_id == "<touch-7@sender.example>"


def test_read_receipt_is_auto_reply() -> None:
    raw = (
        b"From: jane@prospect.example\r\nTo: sam@sender.example\r\nSubject: Read: hi\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/report; '
        b'report-type=disposition-notification; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nYour message was read.\r\n"
        b"--B\r\nContent-Type: message/disposition-notification\r\n\r\n"
        b"Disposition: manual-action/MDN-sent-manually; displayed\r\n\r\n--B--\r\n"
    )
    v = verdict(raw)
    assert v is not None and v.intent == "auto_reply"


def test_gmail_vacation_is_out_of_office() -> None:
    raw = reply("I'm out of the office until Monday, 27 April, with limited access to email.",
                subject="Out of Office Re: Quick question",
                headers={"Auto-Submitted": "auto-replied", "Precedence": "bulk",
                         "X-Autoreply": "yes"})
    v = verdict(raw)
    assert v is not None and v.intent == "out_of_office"


def test_exchange_oof_auto_generated_and_rules_agent() -> None:
    headers = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All",
               "X-MS-Exchange-Inbox-Rules-Loop": "jane@prospect.example",
               "X-MS-Exchange-Generated-Message-Source": "Mailbox Rules Agent"}
    raw = reply("Ich bin bis einschließlich 14.04.2026 nicht im Büro.",
                subject="Automatische Antwort: Quick question", headers=headers)
    v = verdict(raw)
    assert v is not None and v.intent == "out_of_office"
    only_agent = reply("Vielen Dank für Ihre Nachricht. Ich bin im Urlaub.",
                       headers={"X-MS-Exchange-Generated-Message-Source": "Mailbox Rules Agent"})
    agent = verdict(only_agent)
    assert agent is not None and agent.intent == "out_of_office"


def test_localized_subject_without_headers() -> None:
    v = verdict(reply("Je suis absente jusqu'au 14 avril.",
                      subject="Réponse automatique : Quick question"))
    assert v is not None and v.intent == "out_of_office"


def test_left_company_and_ticket_receipts_are_auto_reply() -> None:
    left = verdict(reply("Jane is no longer with ACME. Please contact sales@prospect.example.",
                         headers={"Auto-Submitted": "auto-replied"}))
    assert left is not None and left.intent == "auto_reply" and left.left_company
    ticket = verdict(reply("We have received your request. Ticket #4711 was created.",
                           headers={"Auto-Submitted": "auto-generated"}))
    assert ticket is not None and ticket.intent == "auto_reply"


def test_x_auto_response_suppress_alone_stays_human() -> None:
    raw = reply("Thanks Sam, can you send pricing?",
                headers={"X-Auto-Response-Suppress": "All", "X-MS-Has-Attach": ""})
    assert verdict(raw) is None


def test_bounce_wins_over_auto_reply_headers() -> None:
    v = verdict(dsn(action="failed", status="5.1.1"))  # carries Auto-Submitted: auto-replied
    assert v is not None and v.intent == "bounce"


def test_own_message_detection() -> None:
    parsed = parse_message(reply("hi", sender="Sam <SAM@sender.example>"))
    assert is_own_message(parsed, frozenset({"sam@sender.example"}))
    assert not is_own_message(parsed, frozenset({"other@sender.example"}))
    assert DATE
