"""One hostile message (a charset it names, a codec that raises anything) stays its own problem."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cadenza.cli import app
from cadenza.mailbox.parse import decode_bytes, parse_message
from cadenza.replies.classify.message import classify_files, classify_message
from cadenza.replies.processing import message_key, process_stored
from cadenza.store import Database
from cadenza.store.models import Reply

from support.mail_builders import make_world, store

NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
HOSTILE_CODEC = "cadenza-test-hostile"


class _Hostile(Exception):
    """Neither a LookupError nor a UnicodeError: what a foreign codec may raise."""


def _hostile_decode(data: object, errors: str = "strict") -> tuple[str, int]:
    raise _Hostile("codec exploded")


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("_", "-") != HOSTILE_CODEC:
        return None
    return codecs.CodecInfo(encode=lambda s, e="strict": (b"", 0), decode=_hostile_decode,
                            name=HOSTILE_CODEC)


@pytest.fixture
def hostile_codec() -> Iterator[None]:
    codecs.register(_search)
    yield
    codecs.unregister(_search)


def message(charset: str, body: bytes = b"Sure.xn--zz interested, tell me more\n",
            subject: bytes = b"Re: hello") -> bytes:
    return (b"From: Jane <jane@prospect.example>\r\nTo: sam@sender.example\r\n"
            b"Subject: " + subject + b"\r\nMessage-ID: <h1@prospect.example>\r\n"
            b"Content-Type: text/plain; charset=" + charset.encode() + b"\r\n\r\n" + body)


CHARSETS = ["idna", "punycode", "utf-7", "rot13", "undefined", "base64", "zlib", HOSTILE_CODEC]


@pytest.mark.usefixtures("hostile_codec")
@pytest.mark.parametrize("charset", CHARSETS)
def test_any_declared_charset_is_contained(charset: str) -> None:
    for raw in (message(charset), message("utf-8", subject=f"=?{charset}?q?xn--zz?=".encode()),
                message(charset, body="caf\u00e9 +2D8- \x00".encode("latin-1"))):
        parse_message(raw)  # never raises anything but ParseError
        result = classify_message(raw)
        assert result.classification.intent  # a verdict, not an exception
    assert isinstance(decode_bytes(b"xn--zz", charset, []), str)


@pytest.mark.usefixtures("hostile_codec")
def test_text_and_headers_are_storable() -> None:
    raw = message("utf-7", body=b"+2D8- interested\x00 really\n",
                  subject=b"=?utf-7?q?+2D8-x?= =?utf-8?q?a=00b?=")
    parsed = parse_message(raw)
    for text in (parsed.text, parsed.subject):
        assert "\x00" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)
        text.encode("utf-8")


def test_one_bad_message_does_not_abort_the_batch(tmp_path: Path,
                                                  hostile_codec: None) -> None:
    good = message("utf-8", body=b"Interested, tell me more about pricing.\n")
    for i in range(3):
        (tmp_path / f"{i:02d}-good.eml").write_bytes(good)
    (tmp_path / "05-idna.eml").write_bytes(message("idna"))
    (tmp_path / "06-hostile.eml").write_bytes(message(HOSTILE_CODEC))
    (tmp_path / "07-good.eml").write_bytes(good)
    result = CliRunner().invoke(app, ["classify", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 6
    by_file = {line["file"]: line for line in lines}
    assert all(by_file[f"{i:02d}-good.eml"]["intent"] != "unclear" for i in range(3))
    assert by_file["07-good.eml"]["intent"] != "unclear"
    lines = list(classify_files([tmp_path]))
    assert len(lines) == 6


def test_a_classifier_layer_crash_is_one_unclear_line(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import cadenza.replies.classify.message as classify

    def boom(*_: object, **__: object) -> None:
        raise _Hostile("standards layer bug")

    monkeypatch.setattr(classify, "detect_machine", boom)
    (tmp_path / "a.eml").write_bytes(message("utf-8"))
    (line,) = classify_files([tmp_path])
    assert line["intent"] == "unclear" and "standards layer bug" in line["error"]


def test_the_watcher_triages_hostile_messages(database: Database, hostile_codec: None) -> None:
    world = make_world(database, now=NOW)
    ids = [store(database, world, message(cs, body=b"+2D8- interested\x00\n",
                                          subject=b"=?utf-8?q?a=00b?=")) for cs in
           ("idna", "utf-7", HOSTILE_CODEC)]
    outcomes = process_stored(db=database, classify=classify_message, threshold=0.55,
                              reply_ids=ids, now=lambda: NOW)
    assert [o.reply_id for o in outcomes] == ids
    with database.session() as s:
        assert all(s.get(Reply, i).state != "stored" for i in ids)


def test_an_unstorable_message_id_is_keyed_by_hash() -> None:
    for raw in (b"Message-ID: <a\x00b@x>\r\nSubject: x\r\n\r\nhi",
                b"Message-ID: <a\x1bb@x>\r\nSubject: x\r\n\r\nhi"):
        assert message_key(raw).startswith("sha256:")
    assert message_key(b"Message-ID: <ok@x>\r\n\r\nhi") == "<ok@x>"
