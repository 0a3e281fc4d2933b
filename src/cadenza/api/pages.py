"""The web pages: login, the rep's queue and ticket, approvals, LinkedIn tasks, triage, timeline.

Server-rendered HTML with plain forms (no JavaScript needed). Everything that came from a
prospect or a reply is untrusted and reaches the page only through jinja2's autoescaping, as
text; links from prospect data are shown only when they are http(s). Every form that changes
something carries a CSRF token bound to the session cookie, and every action goes through the
same functions as the JSON API, so the pages cannot do what the API forbids.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, FastAPI, Form, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from cadenza.api import actions, tickets, views
from cadenza.api.auth import (
    COOKIE_NAME,
    LoginRequired,
    PageCaller,
    PageForbidden,
    PageOperator,
    Principal,
    csrf_token,
    log_in,
    log_out,
    verify_csrf,
)
from cadenza.api.routes_records import DbDep
from cadenza.api.routes_work import ApprovalsDep, decide
from cadenza.api.schemas import HandoffAction, IdPath, Intent, TriageResolveIn
from cadenza.api.throttle import RateLimit, same_origin
from cadenza.api.unsubscribe import NowDep, get_settings
from cadenza.config import Settings

router = APIRouter(include_in_schema=False)
SettingsDep = Annotated[Settings, Depends(get_settings)]
CsrfField = Annotated[str, Form(max_length=128)]
NO_STORE = {"Cache-Control": "no-store"}


def safe_url(value: str) -> str:
    """An http(s) URL from untrusted data, or '' (no ``javascript:`` or ``data:`` links)."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return ""
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else ""


def when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def pct(value: float | None) -> str:
    """A rate as people read it: ``12.5%``; ``–`` when there is nothing to divide by."""
    return "–" if value is None else f"{value * 100:.1f}%"


def duration(minutes: float | None) -> str:
    """Minutes as the largest unit that reads well: ``45 min``, ``5.2 h``, ``3.1 days``."""
    if minutes is None:
        return "–"
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h" if minutes < 48 * 60 else f"{minutes / 1440:.1f} days"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("cadenza.api", "templates"), autoescape=True,
                      undefined=StrictUndefined)
    env.filters["safe_url"] = safe_url
    env.filters["when"] = when
    env.filters["pct"] = pct
    env.filters["duration"] = duration
    return env


def render(request: Request, name: str, principal: Principal | None, settings: Settings,
           status_code: int = 200, **context: Any) -> HTMLResponse:
    cookie = request.cookies.get(COOKIE_NAME) or ""
    html = _env().get_template(name).render(
        me=principal, csrf=csrf_token(settings, cookie) if cookie and principal else "",
        **context)
    return HTMLResponse(html, status_code=status_code, headers=NO_STORE)


def back(path: str) -> RedirectResponse:
    """Post/redirect/get: a reload never repeats an action."""
    return RedirectResponse(path, status_code=status.HTTP_303_SEE_OTHER)


# -- login -------------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(request, "login.html", None, settings, error="")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, db: DbDep, settings: SettingsDep, now: NowDep,
          token: Annotated[str, Form(max_length=300)]) -> Response:
    """Open a web session for a valid token: the HttpOnly, SameSite=Strict cookie carries the
    session, not the token. A post from another site is refused (403), and failed tries are
    limited per client (429). A session the browser already had is ended first."""
    if not same_origin(request, settings.public_base_url):
        raise StarletteHTTPException(status.HTTP_403_FORBIDDEN, "cross-site login refused")
    throttle: RateLimit = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    throttle.check(client, "too many failed logins")
    session_token = log_in(db, token, now)
    if session_token is None:
        throttle.record(client)
        return render(request, "login.html", None, settings, status_code=401,
                      error="That token is unknown, expired or revoked.")
    previous = request.cookies.get(COOKIE_NAME)
    if previous:
        log_out(db, previous, now)
    response = back("/")
    response.set_cookie(COOKIE_NAME, session_token, **_cookie_flags(settings))
    return response


def _cookie_flags(settings: Settings) -> dict[str, Any]:
    """The session cookie's attributes, the same when it is set and when it is removed:
    HttpOnly, SameSite=Strict, and Secure whenever the public address is https (the README's
    ``CADENZA_PUBLIC_BASE_URL``)."""
    return {"httponly": True, "samesite": "strict", "path": "/",
            "secure": settings.public_base_url.startswith("https://")}


@router.post("/logout")
def logout(request: Request, db: DbDep, settings: SettingsDep, csrf: CsrfField,
           now: NowDep) -> Response:
    """End the session server-side, then drop the cookie: a copy of it, replayed, no longer
    opens anything."""
    verify_csrf(request, settings, csrf)
    log_out(db, request.cookies.get(COOKIE_NAME) or "", now)
    response = back("/login")
    response.delete_cookie(COOKIE_NAME, **_cookie_flags(settings))
    return response


@router.get("/")
def home(p: PageCaller) -> Response:
    return back("/queue" if not p.is_operator else "/approvals")


# -- the rep's queue and tickets ---------------------------------------------------------------

@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request, p: PageCaller, db: DbDep, settings: SettingsDep,
               now: NowDep) -> Response:
    with db.session() as s:
        items = tickets.queue(s, p, limit=200, now=now)
    return render(request, "queue.html", p, settings, items=items)


@router.get("/tickets/{handoff_id}", response_class=HTMLResponse)
def ticket_page(request: Request, handoff_id: IdPath, p: PageCaller, db: DbDep,
                settings: SettingsDep, now: NowDep) -> Response:
    from cadenza.api.pages_results import outcomes_of

    with db.session() as s:
        t = tickets.ticket(s, p, handoff_id, now=now)
        outcomes = outcomes_of(s, t.prospect.id)
    # a meeting and a disqualification are reported with their date and reason, in the
    # ticket's outcome forms (pages_results), which move the ticket as these buttons did
    return render(request, "ticket.html", p, settings, t=t, outcomes=outcomes,
                  notice=request.query_params.get("notice", "")[:200], actions=[
        (name, label) for name, label in (("accept", "Accept"), ("contacted", "Contacted"),
                                          ("return", "Return to agent"))
        if name in tickets.allowed_actions(t.handoff.state)])


@router.post("/tickets/{handoff_id}/{action}")
def ticket_action(request: Request, handoff_id: IdPath, action: HandoffAction, p: PageCaller,
                  db: DbDep, settings: SettingsDep, csrf: CsrfField, now: NowDep) -> Response:
    verify_csrf(request, settings, csrf)
    with db.session() as s:
        tickets.transition(s, p, handoff_id, action, now=now)
    return back(f"/tickets/{handoff_id}")


# -- operator pages ----------------------------------------------------------------------------

@router.get("/approvals", response_class=HTMLResponse)
def approvals_page(request: Request, p: PageOperator, db: DbDep,
                   settings: SettingsDep) -> Response:
    with db.session() as s:
        items = views.list_approvals(s, p, limit=100, offset=0)
    return render(request, "approvals.html", p, settings, items=items,
                  notice=request.query_params.get("notice", "")[:200])


@router.post("/approvals/{touch_id}/{action}")
def approval_action(request: Request, touch_id: IdPath, action: str, p: PageOperator,
                    db: DbDep, settings: SettingsDep, service: ApprovalsDep, csrf: CsrfField,
                    subject: Annotated[str | None, Form(max_length=200)] = None,
                    body: Annotated[str | None, Form(max_length=20_000)] = None,
                    note: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, settings, csrf)
    if action not in ("approve", "edit", "reject") or (action == "edit" and not body):
        raise StarletteHTTPException(422, "approve, edit (with a body) or reject")
    result = decide(db, service, p, touch_id, action,  # type: ignore[arg-type]
                    subject=subject, body=body, note=note)
    return back(f"/approvals?notice=touch+{touch_id}+{result.outcome}")


@router.get("/linkedin", response_class=HTMLResponse)
def linkedin_page(request: Request, p: PageOperator, db: DbDep,
                  settings: SettingsDep) -> Response:
    with db.session() as s:
        items = views.list_person_tasks(s, p, limit=200, offset=0)
    return render(request, "linkedin.html", p, settings, items=items)


@router.post("/linkedin/{task_id}/done")
def linkedin_done(request: Request, task_id: IdPath, p: PageOperator, db: DbDep,
                  settings: SettingsDep, csrf: CsrfField, now: NowDep) -> Response:
    verify_csrf(request, settings, csrf)
    with db.session() as s:
        actions.task_done(s, p, task_id, now=now)
    return back("/linkedin")


@router.get("/triage", response_class=HTMLResponse)
def triage_page(request: Request, p: PageOperator, db: DbDep,
                settings: SettingsDep) -> Response:
    with db.session() as s:
        items = views.list_triage(s, p, limit=100, offset=0)
    from cadenza.api.schemas import INTENTS

    return render(request, "triage.html", p, settings, items=items, intents=INTENTS)


@router.post("/triage/{reply_id}/resolve")
def triage_resolve(request: Request, reply_id: IdPath, p: PageOperator, db: DbDep,
                   settings: SettingsDep, csrf: CsrfField, intent: Annotated[Intent, Form()],
                   now: NowDep, note: Annotated[str, Form(max_length=200)] = "") -> Response:
    verify_csrf(request, settings, csrf)
    with db.session() as s:
        actions.resolve_triage(s, p, reply_id, TriageResolveIn(intent=intent, note=note),
                               now=now, notifier=getattr(request.app.state, "notifier", None))
    return back("/triage")


@router.get("/enrollments/{enrollment_id}", response_class=HTMLResponse)
def timeline_page(request: Request, enrollment_id: IdPath, p: PageOperator, db: DbDep,
                  settings: SettingsDep) -> Response:
    with db.session() as s:
        e = views.get_enrollment(s, p, enrollment_id)
        prospect = views.get_prospect(s, p, e.prospect_id)
    events: list[tuple[dt.datetime | None, str, Any]] = [
        (t.sent_at or t.created_at, "touch", t) for t in e.touches]
    events += [(r.sent_at or r.received_at, "reply", r) for r in e.replies]
    events.sort(key=lambda x: tickets._aware(x[0]))
    return render(request, "timeline.html", p, settings, e=e, prospect=prospect, events=events)


# -- errors as pages ---------------------------------------------------------------------------

def _is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith(("/api/", "/u/", "/static/")) or path.endswith(".json")
                or path.startswith("/docs"))


def install_page_handlers(app: FastAPI) -> None:
    """Pages answer with HTML (and a login redirect); the JSON API keeps FastAPI's errors."""

    async def login_required(request: Request, exc: Exception) -> Response:
        return back("/login")

    async def forbidden(request: Request, exc: Exception) -> Response:
        return _error_page(request, 403, "This page is for operators.")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not _is_page(request):
            return await http_exception_handler(request, exc)
        page = _error_page(request, exc.status_code, str(exc.detail))
        page.headers.update(exc.headers or {})  # Retry-After on a 429, say
        return page

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(PageForbidden, forbidden)
    app.add_exception_handler(StarletteHTTPException, http_error)


def _error_page(request: Request, code: int, message: str) -> HTMLResponse:
    html = _env().get_template("error.html").render(me=None, csrf="", code=code,
                                                    message=message)
    return HTMLResponse(html, status_code=code, headers=NO_STORE)
