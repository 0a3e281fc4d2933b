"""Bounces from every common mail system, through the path the watcher classifies them by.

Each sample under ``bounces/`` is classified by ``classify_message`` (offline, as the watcher
does without an LLM) and its failed recipients read as ``processing.process_reply`` reads them;
``labels.jsonl`` says what must come out. Human messages that merely talk about bounces must not.
"""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest
from bounce_samples import Sample, samples

from cadenza.mailbox.parse import parse_message
from cadenza.replies.classify.message import classify_message
from cadenza.replies.classify.standards import detect_machine

OURS = frozenset({"sam@sender.example"})
SAMPLES = samples()


def classify(sample: Sample):  # type: ignore[no-untyped-def]
    result = classify_message(sample.raw, own_addresses=OURS, threshold=0.55)
    assert result.parsed is not None and result.error is None
    machine = detect_machine(result.parsed)
    return result.classification, (machine.recipients if machine else [])


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.bounce],
                         ids=lambda s: s.file.removesuffix(".eml"))
def test_bounce_sample(sample: Sample) -> None:
    c, recipients = classify(sample)
    assert (c.intent, c.method) == ("bounce", "standards"), c.reason
    assert (c.bounce, c.policy_block) == {"hard": ("hard", False), "soft": ("soft", False),
                                          "policy": ("hard", True)}[sample.bounce or ""]
    assert recipients == sample.recipients
    assert c.original_message_id == sample.original_message_id


@pytest.mark.parametrize("sample", [s for s in SAMPLES if not s.bounce],
                         ids=lambda s: s.file.removesuffix(".eml"))
def test_human_message_about_a_bounce_is_not_one(sample: Sample) -> None:
    c, recipients = classify(sample)
    assert c.intent != "bounce", c.reason
    assert c.original_message_id is None and recipients == []


def test_every_mail_system_has_hard_and_soft_or_policy_samples() -> None:
    kinds: dict[str, set[str]] = {}
    for s in SAMPLES:
        if s.mta:
            kinds.setdefault(s.mta, set()).add(s.bounce or "")
    assert set(kinds) == {"postfix", "exim", "sendmail", "qmail", "exchange", "office365",
                          "gmail", "yahoo", "domino", "amazonses", "mimecast"}
    assert all("hard" in k and k & {"soft", "policy"} for k in kinds.values()), kinds


def by_name(file: str) -> Sample:
    return next(s for s in SAMPLES if s.file == file)


def test_ses_notification_in_an_sns_envelope_and_broken_by_sendmail() -> None:
    """email-json topics wrap the notification in an SNS envelope; sendmail's line limit
    breaks long lines with "!" + newline + space."""
    parsed = parse_message(by_name("ses-sns-hard.eml").raw)
    notification = parsed.text[: parsed.text.rindex("}") + 1]
    envelope = json.dumps({"Type": "Notification", "MessageId": "5f0c", "Message": notification},
                          indent=2)
    for body in (envelope, notification[:700] + "!\n " + notification[700:]):
        msg = EmailMessage()
        msg["From"] = "AWS Notifications <no-reply@sns.amazonaws.com>"
        msg["To"] = "sam@sender.example"
        msg["Subject"] = "AWS Notification Message"
        msg.set_content(body)
        v = detect_machine(parse_message(msg.as_bytes()))
        assert v is not None and (v.intent, v.bounce, v.evidence) == (
            "bounce", "hard", "ses-notification")
        assert v.recipients == ["t.oduya@meridian-clinics.example"]
        assert v.original_message_id == "<cz.35709f680a7dbae7e121@sender.example>"


def test_hostile_json_is_not_a_notification() -> None:
    msg = EmailMessage()
    msg["From"] = "x@else.example"
    msg["Subject"] = "hi"
    msg.set_content('{"notificationType": ' + "[" * 100_000)
    result = classify_message(msg.as_bytes(), threshold=0.55)
    assert result.error is None and result.classification.intent != "bounce"


def test_forwarded_bounce_without_return_path_is_still_a_person() -> None:
    raw = by_name("human-forwarded-bounce.eml").raw.replace(
        b"Return-Path: <jane@prospect.example>\n", b"")
    assert b"Return-Path" not in raw
    assert classify_message(raw, own_addresses=OURS).classification.intent != "bounce"


def test_attached_original_with_a_broken_header_still_gives_its_message_id() -> None:
    raw = by_name("sendmail-hard.eml").raw.replace(  # an unindented continuation line
        b"\tfor <r.castillo@mesa-verde-ag.example>;", b"for <r.castillo@mesa-verde-ag.example>;")
    v = detect_machine(parse_message(raw))
    assert v is not None and v.original_message_id == "<cz.9641c7e984d27a4566d2@sender.example>"
