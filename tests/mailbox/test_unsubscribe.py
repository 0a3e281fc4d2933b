"""Unsubscribe tokens, the opt-out on both databases, and the pages over a real HTTP server."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlmodel import select

from cadenza.api.unsubscribe import unsubscribe_router
from cadenza.config import Settings
from cadenza.mailbox.compose import compose_email, message_id_for
from cadenza.mailbox.smtp import SMTPSender
from cadenza.mailbox.unsubscribe import (
    RecipientRef,
    UnsubscribeClaim,
    claim_for,
    make_token,
    read_token,
    unsubscribe_url,
)
from cadenza.replies.optout import apply_opt_out
from cadenza.store import Database
from cadenza.store.models import (
    Enrollment,
    Event,
    Playbook,
    Prospect,
    Suppression,
    Touch,
    Workspace,
)
from cadenza.store.suppressions import is_suppressed

from support.dovecot import free_port
from support.smtp import SmtpServer

SENT_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # the messages' Date
OPTED_OUT_AT = SENT_AT + dt.timedelta(days=2)
KEY = b"test-signing-key-0123456789"
ADDRESS = "jordan.lee@prospect.io"


# ---------------------------------------------------------------- tokens

def _v1_token(key: bytes, workspace_id: int, address: str, touch_id: int | None = None) -> str:
    """A link as Cadenza wrote them before v2 (``base64url(1:ws:touch:address).tag``), built
    from that format here so the test does not lean on code that no longer issues them."""
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    payload = f"1:{workspace_id}:{touch_id or ''}:{address}".encode()
    tag = hmac.new(key, b"cadenza-unsubscribe:" + payload, hashlib.sha256).digest()[:16]
    return f"{b64(payload)}.{b64(tag)}"


#: A v1 link for jordan in workspace 1, touch 7, exactly as the pre-v2 code issued it.
SENT_V1 = "MToxOjc6am9yZGFuLmxlZUBwcm9zcGVjdC5pbw.jdbhqVO6ve1GRDIIystTiA"


def test_token_round_trip_names_the_recipient_without_the_address() -> None:
    token = make_token(key=KEY, prospect_id=17, touch_id=42)
    assert read_token(token, key=KEY) == RecipientRef(17, 42)
    prefix, prospect, touch, tag = token.split(".")
    assert (prefix, prospect, touch) == ("2", "17", "42") and len(tag) == 22
    assert all(c.isalnum() or c in "-_" for c in tag)
    no_touch = make_token(key=KEY, prospect_id=17)
    assert no_touch.startswith("2.17.0.") and read_token(no_touch, key=KEY) == RecipientRef(17)
    # the same recipient under another key, or another recipient: unrelated tags
    assert make_token(key=b"k2", prospect_id=17, touch_id=42) != token
    with pytest.raises(ValueError):
        make_token(key=KEY, prospect_id=0)


def test_links_already_sent_still_read() -> None:
    assert _v1_token(KEY, 1, ADDRESS, 7) == SENT_V1
    assert read_token(SENT_V1, key=KEY) == UnsubscribeClaim(1, ADDRESS, 7)
    assert read_token(_v1_token(KEY, 3, ADDRESS), key=KEY) == UnsubscribeClaim(3, ADDRESS, None)


def test_tampered_truncated_or_foreign_tokens_are_refused() -> None:
    token = _v1_token(KEY, 3, ADDRESS, 42)
    body, tag = token.split(".")
    forged_body = _v1_token(b"attacker", 4, ADDRESS).split(".")[0]
    flipped = body[:-1] + ("A" if body[-1] != "A" else "B")
    v2 = make_token(key=KEY, prospect_id=17, touch_id=42)
    _, _, _, v2_tag = v2.split(".")
    v1_tag_on_v2 = _v1_token(KEY, 17, ADDRESS, 42).split(".")[1]
    for bad in (f"{forged_body}.{tag}", f"{flipped}.{tag}", f"{body}.{tag[:-2]}", body,
                f"{body}.{tag}.x", "", "not-a-token", "%%%.***", "a" * 5000, f"{body}.{tag}=",
                f"2.18.42.{v2_tag}", f"2.17.43.{v2_tag}", f"2.17.0.{v2_tag}", v2[:-1],
                f"2.017.42.{v2_tag}", f"2.17.42.{v2_tag}.", f"{v2}=", f"2.17.42.{v1_tag_on_v2}",
                f"3.17.42.{v2_tag}", f"2.-17.42.{v2_tag}", f"2.99999999999.42.{v2_tag}"):
        assert read_token(bad, key=KEY) is None, bad
    assert read_token(token, key=b"another key") is None
    assert read_token(v2, key=b"another key") is None


def test_a_v2_claim_is_the_prospect_rows_address(database: Database) -> None:
    with database.session() as s:
        ws = Workspace(slug="acme", name="Acme")
        s.add(ws)
        s.flush()
        jordan = Prospect(workspace_id=ws.id, email=ADDRESS)
        s.add(jordan)
        s.flush()
        assert ws.id and jordan.id
        token = make_token(key=KEY, prospect_id=jordan.id, touch_id=9)
        assert claim_for(s, token, key=KEY) == UnsubscribeClaim(ws.id, ADDRESS, 9)
        assert claim_for(s, make_token(key=KEY, prospect_id=jordan.id + 1), key=KEY) is None
        assert claim_for(s, _v1_token(KEY, ws.id, ADDRESS), key=KEY) == \
            UnsubscribeClaim(ws.id, ADDRESS, None)
        assert claim_for(s, token[:-1] + "x", key=KEY) is None


def test_unsubscribe_url() -> None:
    token = make_token(key=KEY, prospect_id=1)
    assert unsubscribe_url("https://go.acme.com/", token) == f"https://go.acme.com/u/{token}"


# ---------------------------------------------------------------- the opt-out

@dataclass
class Seeded:
    ws: int
    jordan: int  # the prospect row the links name
    other_ws: int
    stop: list[int]  # enrollments that must stop
    keep: list[int]  # enrollments that must not change
    cancel: list[int]  # touches that must be cancelled
    untouched: dict[int, str]  # touch id -> state it must keep


def _seed(db: Database) -> Seeded:
    with db.session() as s:
        ws = Workspace(slug="acme", name="Acme", sender={"company": "Acme <Sales> & Co"})
        ws2 = Workspace(slug="other", name="Other")
        s.add_all([ws, ws2])
        s.flush()
        assert ws.id and ws2.id
        pb_a, pb_b = (Playbook(workspace_id=ws.id, name=n, content_hash=n) for n in "ab")
        pb_x = Playbook(workspace_id=ws2.id, name="x", content_hash="x")
        jordan = Prospect(workspace_id=ws.id, email=ADDRESS)
        colleague = Prospect(workspace_id=ws.id, email="sam@prospect.io")
        jordan_elsewhere = Prospect(workspace_id=ws2.id, email=ADDRESS)
        s.add_all([pb_a, pb_b, pb_x, jordan, colleague, jordan_elsewhere])
        s.flush()

        def enrol(p: Prospect, pb: Playbook, state: str) -> Enrollment:
            e = Enrollment(workspace_id=p.workspace_id, prospect_id=p.id, playbook_id=pb.id,
                           state=state)
            s.add(e)
            s.flush()
            return e

        e_a = enrol(jordan, pb_a, "active")
        e_b = enrol(jordan, pb_b, "paused")
        e_done = enrol(jordan, pb_a, "completed")
        e_colleague = enrol(colleague, pb_a, "active")
        e_elsewhere = enrol(jordan_elsewhere, pb_x, "active")

        def touch(e: Enrollment, step: int, state: str) -> Touch:
            t = Touch(workspace_id=e.workspace_id, enrollment_id=e.id, prospect_id=e.prospect_id,
                      step=step, channel="email", state=state, to_address=ADDRESS)
            s.add(t)
            s.flush()
            return t

        sent = touch(e_a, 1, "sent")
        pending = touch(e_a, 2, "pending")
        approval = touch(e_b, 1, "awaiting_approval")
        deferred = touch(e_b, 2, "deferred")
        in_flight = touch(e_b, 3, "sending")
        held = touch(e_b, 4, "held")  # a draft waiting for a person's edit: called off too
        colleague_t = touch(e_colleague, 1, "pending")
        elsewhere_t = touch(e_elsewhere, 1, "approved")
        return Seeded(
            ws=ws.id, jordan=jordan.id, other_ws=ws2.id,  # type: ignore[arg-type]
            stop=[e_a.id, e_b.id],  # type: ignore[list-item]
            keep=[e_done.id, e_colleague.id, e_elsewhere.id],  # type: ignore[list-item]
            cancel=[pending.id, approval.id, deferred.id, held.id],  # type: ignore[list-item]
            untouched={sent.id: "sent", in_flight.id: "sending",  # type: ignore[dict-item]
                       colleague_t.id: "pending", elsewhere_t.id: "approved"},
        )


def _assert_opted_out(db: Database, seeded: Seeded) -> None:
    with db.session() as s:
        assert is_suppressed(session=s, workspace_id=seeded.ws, address=ADDRESS)
        assert not is_suppressed(session=s, workspace_id=seeded.other_ws, address=ADDRESS)
        row = s.exec(select(Suppression).where(Suppression.workspace_id == seeded.ws)).one()
        assert row.reason == "unsubscribe" and row.value == ADDRESS
        for eid in seeded.stop:
            e = s.get(Enrollment, eid)
            assert e is not None
            assert (e.state, e.stop_reason, e.next_due_at) == ("stopped", "unsubscribe", None)
            assert e.updated_at.replace(tzinfo=dt.UTC) == OPTED_OUT_AT
        assert [s.get(Enrollment, i).state for i in seeded.keep] == [  # type: ignore[union-attr]
            "completed", "active", "active"]
        for tid in seeded.cancel:
            t = s.get(Touch, tid)
            assert t is not None and (t.state, t.reason) == ("cancelled",
                                                             "enrollment stopped: unsubscribe")
        for tid, state in seeded.untouched.items():
            assert s.get(Touch, tid).state == state  # type: ignore[union-attr]


def _events(db: Database, kind: str) -> list[Event]:
    with db.session() as s:
        return list(s.exec(select(Event).where(Event.kind == kind)).all())


def test_opt_out_stops_everything_for_the_address_and_is_idempotent(database: Database) -> None:
    seeded = _seed(database)
    claim = UnsubscribeClaim(seeded.ws, ADDRESS, None)
    with database.session() as s:
        first = apply_opt_out(session=s, claim=claim, source="test", now=OPTED_OUT_AT)
    assert first.newly_suppressed and sorted(first.stopped_enrollments) == sorted(seeded.stop)
    assert sorted(first.cancelled_touches) == sorted(seeded.cancel)
    _assert_opted_out(database, seeded)
    assert len(_events(database, "enrollment.stopped")) == 2
    assert len(_events(database, "touch.cancelled")) == len(seeded.cancel)
    with database.session() as s:
        again = apply_opt_out(session=s, claim=claim, source="test", now=OPTED_OUT_AT)
    assert not again.changed
    _assert_opted_out(database, seeded)
    assert len(_events(database, "prospect.opted_out")) == 1
    assert len(_events(database, "suppression.added")) == 1


# ---------------------------------------------------------------- the pages, over HTTP

@dataclass
class Site:
    base: str
    db: Database
    seeded: Seeded


@pytest.fixture(scope="module")
def _server() -> Iterator[tuple[FastAPI, str]]:
    """The router in a minimal app, served by a real uvicorn on loopback, once a module
    (starting and stopping uvicorn took ~0.25 s a test); each test gives it its database."""
    app = FastAPI()
    app.state.clock = lambda: OPTED_OUT_AT
    app.include_router(unsubscribe_router)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.002)
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def site(_server: tuple[FastAPI, str], database: Database) -> Iterator[Site]:
    """The unsubscribe pages over HTTP, reading and writing this test's database."""
    app, base = _server
    app.state.db = database
    app.state.settings = Settings(secret_key=KEY.decode(), database_url=database.url)
    try:
        yield Site(base=base, db=database, seeded=_seed(database))
    finally:
        del app.state.db, app.state.settings


def _link(site: Site, key: bytes = KEY) -> str:
    return unsubscribe_url(site.base, make_token(key=key, prospect_id=site.seeded.jordan))


def test_get_shows_a_confirmation_and_changes_nothing(site: Site) -> None:
    for _ in range(3):  # a scanner fetching the link repeatedly
        response = httpx.get(_link(site))
        assert response.status_code == 200
    html = response.text
    assert "<form method=\"post\">" in html and ADDRESS in html
    assert "Acme &lt;Sales&gt; &amp; Co" in html  # autoescaped
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    with site.db.session() as s:
        assert not is_suppressed(session=s, workspace_id=site.seeded.ws, address=ADDRESS)
        assert all(s.get(Enrollment, i).state in ("active", "paused")  # type: ignore[union-attr]
                   for i in site.seeded.stop)
    assert _events(site.db, "prospect.opted_out") == []


def test_one_click_post_opts_out_and_a_replay_is_idempotent(site: Site) -> None:
    link = _link(site)
    response = httpx.post(link, content=b"List-Unsubscribe=One-Click",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200 and "unsubscribed" in response.text
    _assert_opted_out(site.db, site.seeded)
    [event] = _events(site.db, "prospect.opted_out")
    assert event.data["source"] == "web:one-click"
    replay = httpx.post(link, content=b"List-Unsubscribe=One-Click",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert replay.status_code == 200 and "unsubscribed" in replay.text
    _assert_opted_out(site.db, site.seeded)
    assert len(_events(site.db, "prospect.opted_out")) == 1


def test_a_link_sent_before_v2_still_unsubscribes(site: Site) -> None:
    """Mail already in inboxes carries v1 links: a scanner's GET still changes nothing, and
    the one-click POST opts the address out as it always did."""
    assert site.seeded.ws == 1  # SENT_V1 was issued for workspace 1
    link = unsubscribe_url(site.base, SENT_V1)
    page = httpx.get(link)
    assert page.status_code == 200 and ADDRESS in page.text
    with site.db.session() as s:
        assert not is_suppressed(session=s, workspace_id=site.seeded.ws, address=ADDRESS)
    response = httpx.post(link, content=b"List-Unsubscribe=One-Click",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200 and "unsubscribed" in response.text
    _assert_opted_out(site.db, site.seeded)
    [event] = _events(site.db, "prospect.opted_out")
    assert (event.data["source"], event.subject_id) == ("web:one-click", 7)


def test_the_confirmation_form_posts_an_empty_body(site: Site) -> None:
    response = httpx.post(_link(site), headers={"Content-Type":
                                                "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    _assert_opted_out(site.db, site.seeded)
    [event] = _events(site.db, "prospect.opted_out")
    assert event.data["source"] == "web:unsubscribe-page"


def test_bad_tokens_get_a_404_page_without_detail(site: Site) -> None:
    good = _link(site)
    foreign = _link(site, key=b"some other key")
    for url in (foreign, good[:-3], f"{site.base}/u/nonsense",
                unsubscribe_url(site.base, make_token(key=KEY, prospect_id=999)),
                unsubscribe_url(site.base, _v1_token(KEY, 999, ADDRESS)),
                unsubscribe_url(site.base, _v1_token(b"other", site.seeded.ws, ADDRESS))):
        for response in (httpx.get(url), httpx.post(url, content=b"List-Unsubscribe=One-Click")):
            assert response.status_code == 404
            assert "not valid" in response.text and ADDRESS not in response.text
    with site.db.session() as s:
        assert s.exec(select(Suppression)).all() == []


@pytest.mark.slow  # end to end: delivered over SMTP, then the mail client's one-click POST
def test_a_mail_client_one_click_from_a_delivered_message(site: Site,
                                                          smtp_server: SmtpServer) -> None:
    """Compose, deliver over SMTP, then do what Gmail does with the received headers."""
    token = make_token(key=KEY, prospect_id=site.seeded.jordan, touch_id=7)
    message = compose_email(
        from_name="Ana", from_address="ana@acme-sales.com", to_address=ADDRESS,
        subject="Hello", text="Hi\n", html="<p>Hi</p>",
        message_id=message_id_for(workspace_id=site.seeded.ws, enrollment_id=1, step=1,
                                  domain="acme-sales.com", key=KEY),
        unsubscribe_url=unsubscribe_url(site.base, token),
        unsubscribe_mailto="unsubscribe@acme-sales.com", date=SENT_AT,
    )
    with SMTPSender(host=smtp_server.host, port=smtp_server.port, security="none") as sender:
        sender.send(message, envelope_from="ana@acme-sales.com", recipients=[ADDRESS])
    [received] = smtp_server.sink.messages
    headers = received.message
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    uris = [u.strip().strip("<>") for u in str(headers["List-Unsubscribe"]).split(",")]
    [http_uri] = [u for u in uris if u.startswith("http")]
    response = httpx.post(http_uri, content=b"List-Unsubscribe=One-Click",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    _assert_opted_out(site.db, site.seeded)
    [event] = _events(site.db, "prospect.opted_out")
    assert event.subject_type == "touch" and event.subject_id == 7
