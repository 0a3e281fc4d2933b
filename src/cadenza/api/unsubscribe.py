"""The public unsubscribe pages: ``GET /u/{token}`` confirms, ``POST /u/{token}`` opts out.

No authentication: the HMAC-signed token is the credential (RFC 8058 forbids cookies or logins
on the one-click POST). Both token versions are accepted — the opaque v2 tokens Cadenza issues
and the v1 tokens in mail already sent (:mod:`cadenza.mailbox.unsubscribe`) — and the app
factory keeps the token out of every log line (:mod:`cadenza.api.redaction`). A GET never
changes anything, because mail security scanners fetch every link in a message; only the POST —
from the mail client's one-click button (body ``List-Unsubscribe=One-Click``) or from the
confirmation page — opts out.

Include it in the app factory with ``app.state.db`` (a :class:`~cadenza.store.Database`) and
``app.state.settings`` (a :class:`~cadenza.config.Settings`) set, and ``app.state.clock`` when
requests should not take the wall clock as now::

    app.include_router(unsubscribe_router)
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from cadenza.config import Settings
from cadenza.mailbox.unsubscribe import UnsubscribeClaim, claim_for
from cadenza.replies.optout import apply_opt_out
from cadenza.store import Database
from cadenza.store.models import Workspace, utcnow

log = logging.getLogger(__name__)

router = APIRouter(tags=["unsubscribe"], include_in_schema=False)
unsubscribe_router = router

#: Pages that carry a credential in their URL: not cached, not indexed, not leaked as Referer.
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "form-action 'self'; frame-ancestors 'none'",
}


def get_database(request: Request) -> Database:
    """The database the app factory put on ``app.state.db``."""
    db = getattr(request.app.state, "db", None)
    if not isinstance(db, Database):
        raise RuntimeError("app.state.db must be a cadenza.store.Database")
    return db


def get_now(request: Request) -> dt.datetime:
    """The time of this request, from the clock the app factory put on ``app.state.clock``
    (the wall clock when there is none)."""
    clock: Callable[[], dt.datetime] = getattr(request.app.state, "clock", utcnow)
    return clock()


def get_settings(request: Request) -> Settings:
    """The settings the app factory put on ``app.state.settings``."""
    settings = getattr(request.app.state, "settings", None)
    if not isinstance(settings, Settings):
        raise RuntimeError("app.state.settings must be a cadenza.config.Settings")
    return settings


DbDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
NowDep = Annotated[dt.datetime, Depends(get_now)]


@lru_cache(maxsize=1)
def _template() -> Template:
    env = Environment(loader=PackageLoader("cadenza.api", "templates"), autoescape=True,
                      undefined=StrictUndefined)
    return env.get_template("unsubscribe.html")


def _page(state: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("company", "")
    context.setdefault("address", "")
    return HTMLResponse(_template().render(state=state, **context), status_code=status,
                        headers=_HEADERS)


def _resolve(db: Database, token: str, key: bytes) -> tuple[UnsubscribeClaim, str] | None:
    """The token's opt-out and the sender company's name; ``None`` when the token is not
    genuine, or names a prospect or workspace that no longer exists."""
    with db.session() as session:
        claim = claim_for(session, token, key=key)
        workspace = session.get(Workspace, claim.workspace_id) if claim else None
        if claim is None or workspace is None:
            return None
        return claim, str((workspace.sender or {}).get("company") or workspace.name or "")


@router.get("/u/{token}", response_class=HTMLResponse)
def confirm_page(token: str, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    """Show what the button will do; change nothing."""
    found = _resolve(db, token, settings.signing_key())
    if found is None:
        return _page("invalid", status=404)
    claim, company = found
    return _page("confirm", company=company, address=claim.address)


def _opt_out(db: Database, claim: UnsubscribeClaim, source: str, now: dt.datetime) -> None:
    # Two clicks racing on the suppression's unique key: the loser retries and finds it done.
    for attempt in (1, 2):
        try:
            with db.session() as session:
                result = apply_opt_out(session=session, claim=claim, source=source, now=now)
            log.info("opt-out in workspace %s via %s: %d enrollment(s) stopped, "
                     "%d touch(es) cancelled", claim.workspace_id, source,
                     len(result.stopped_enrollments), len(result.cancelled_touches))
            return
        except IntegrityError:
            if attempt == 2:
                raise


@router.post("/u/{token}", response_class=HTMLResponse)
async def opt_out(token: str, request: Request, db: DbDep, settings: SettingsDep,
                  now: NowDep) -> HTMLResponse:
    """RFC 8058 one-click (``List-Unsubscribe=One-Click``) or the confirmation form.

    Any POST carrying a genuine token opts out, whatever its body: refusing an opt-out on a
    technicality would keep mailing someone who asked to stop.
    """
    found = await run_in_threadpool(_resolve, db, token, settings.signing_key())
    if found is None:
        return _page("invalid", status=404)
    claim, company = found
    body = (await request.body())[:1024]
    source = "one-click" if b"List-Unsubscribe=One-Click" in body else "unsubscribe-page"
    await run_in_threadpool(_opt_out, db, claim, f"web:{source}", now)
    return _page("done", company=company, address=claim.address)
