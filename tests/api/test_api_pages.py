"""The web pages end to end in real headless Chromium, against the app served by uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api_world import approval_world, monday, seed_tenant, settings_for
from conftest_browser import LiveServer, log_in

from cadenza.api import create_app
from cadenza.store import Database
from cadenza.store.models import Handoff, Touch
from cadenza.store.tokens import create_token

from support.browser import png_is_blank
from support.smtp import SmtpServer


def test_rep_logs_in_opens_a_ticket_and_accepts_it(page: Any, database: Database,
                                                   tmp_path: Path) -> None:
    t = seed_tenant(database, "alpha")
    rep, other = t.reps
    with LiveServer(create_app(settings_for(database, tmp_path), database, clock=monday)) as server:
        page.goto(f"{server.url}/queue")
        assert page.url.endswith("/login")  # no cookie: the login form, not data
        log_in(page, server.url, t.rep_tokens[rep])
        assert page.url.endswith("/queue")
        links = page.locator("a.ticket-link")
        assert links.count() == 1  # only this rep's own ticket
        assert "due in" in page.locator("td.sla").inner_text()
        cookie = next(c for c in page.context.cookies() if c["name"] == "cadenza_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        links.first.click()
        assert page.url.endswith(f"/tickets/{t.handoffs[rep]}")
        assert "Hi Dana, happy to" in page.locator("main").inner_text()
        page.click("button.btn-accept")
        page.wait_for_load_state()
        assert page.locator("#state").inner_text() == "accepted"
        # another rep's ticket is a 404 page, as for a ticket that does not exist
        response = page.goto(f"{server.url}/tickets/{t.handoffs[other]}")
        assert response.status == 404
        # a form post without the CSRF token is refused
        status = page.evaluate("""async (url) => (await fetch(url, {method: 'POST',
            headers: {'Content-Type': 'application/x-www-form-urlencoded'},
            body: 'csrf=forged'})).status""", f"{server.url}/tickets/{t.handoffs[rep]}/contacted")
        assert status == 403
    with database.session() as s:
        assert s.get(Handoff, t.handoffs[rep]).state == "accepted"  # type: ignore[union-attr]
        assert s.get(Handoff, t.handoffs[other]).state == "new"  # type: ignore[union-attr]


def test_operator_approves_a_draft_and_it_is_delivered(page: Any, sqlite_db: Database,
                                                       tmp_path: Path,
                                                       smtp_server: SmtpServer) -> None:
    settings = settings_for(sqlite_db, tmp_path)
    workspace_id, (first, second) = approval_world(sqlite_db, settings,
                                                   smtp_port=smtp_server.port)
    with sqlite_db.session() as s:
        token = create_token(session=s, workspace_id=workspace_id, role="operator",
                             name="olivia")
    with LiveServer(create_app(settings, sqlite_db, clock=monday)) as server:
        log_in(page, server.url, token)
        assert page.url.endswith("/approvals")
        card = page.locator(f"#touch-{first}")
        assert card.locator(".draft pre.text").inner_text().strip()
        assert card.locator(".facts-used").count() == 1
        assert smtp_server.sink.messages == []
        card.locator("button.btn-approve").click()
        page.wait_for_load_state()
        assert f"touch {first} sent" in page.locator(".notice").inner_text()
        assert page.locator(f"#touch-{first}").count() == 0
        assert page.locator(f"#touch-{second}").count() == 1
    assert len(smtp_server.sink.messages) == 1
    assert smtp_server.sink.messages[0].rcpt_tos == ["dana@kestrelfreight.example"]
    with sqlite_db.session() as s:
        touch = s.get(Touch, first)
        assert touch is not None and touch.state == "sent" and touch.approved_by == "olivia"


HOSTILE = ('Great, call me.<script>window.__pwned=1</script>'
           '<img src="http://127.0.0.2:9/x.png" onerror="window.__pwned=2">')


def test_hostile_reply_renders_as_inert_text(page: Any, sqlite_db: Database,
                                             tmp_path: Path) -> None:
    t = seed_tenant(sqlite_db, "alpha", reply_text=HOSTILE,
                    prospect_name='Dana<img src="http://127.0.0.2:9/y.png">')
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    app = create_app(settings_for(sqlite_db, tmp_path), sqlite_db, clock=monday)
    with LiveServer(app) as server:
        log_in(page, server.url, t.rep_tokens[t.reps[0]])
        response = page.goto(f"{server.url}/tickets/{t.handoffs[t.reps[0]]}")
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        text = page.locator("main").inner_text()
        assert "<script>window.__pwned=1</script>" in text  # shown, as text
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("main img").count() == 0
        assert page.evaluate("() => document.querySelectorAll('script').length") == 0
        shot = page.screenshot(full_page=True)
        # the operator's timeline shows the same reply, just as inert
        log_in(page, server.url, t.operator)
        page.goto(f"{server.url}/enrollments/{t.enrollment_id}")
        page.wait_for_load_state("networkidle")
        assert "<script>" in page.locator("main").inner_text()
        assert page.evaluate("() => window.__pwned") is None
    (tmp_path / "hostile-ticket.png").write_bytes(shot)
    assert not png_is_blank(shot)
    assert not [u for u in requests if "127.0.0.2" in u], requests
    assert all(u.startswith(server.url) for u in requests), requests


def test_triage_form_has_no_preselected_answer(page: Any, sqlite_db: Database,
                                               tmp_path: Path) -> None:
    """A person must choose: a pre-selected best guess would be one click from an action the
    classifier was not sure of. Submitting without a choice is refused by the form itself."""
    t = seed_tenant(sqlite_db, "alpha")
    app = create_app(settings_for(sqlite_db, tmp_path), sqlite_db, clock=monday)
    with LiveServer(app) as server:
        log_in(page, server.url, t.operator)
        page.goto(f"{server.url}/triage")
        form = page.locator(f"#reply-{t.triage_reply_id} form")
        select = form.locator("select[name=intent]")
        assert select.evaluate("s => s.value") == ""
        assert select.evaluate("s => s.required") is True
        assert form.locator("option[selected]:not([disabled])").count() == 0
        form.locator("button[type=submit]").click()
        assert page.url.endswith("/triage")  # not sent: the browser asks for a choice
        assert page.locator(f"#reply-{t.triage_reply_id}").count() == 1
        select.select_option("not_interested")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert page.locator(f"#reply-{t.triage_reply_id}").count() == 0
