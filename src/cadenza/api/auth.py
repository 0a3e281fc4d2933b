"""Who is asking: a token scoped to one workspace and one role, however it is presented.

The JSON API reads ``Authorization: Bearer …`` only; the web pages read a session cookie
(HttpOnly, SameSite=Strict) that the login form sets to a web session opened with the token
it was given (:mod:`cadenza.store.tokens`), and every form they post carries a CSRF token
derived from that cookie. Either way the caller is refused when the token is unknown,
revoked, expired or a deactivated rep's, and each token is held to its own request rate
(:mod:`cadenza.api.throttle`). Tokens are never logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cadenza.api.throttle import RateLimit
from cadenza.api.unsubscribe import NowDep, get_database, get_settings
from cadenza.config import Settings
from cadenza.store import Database
from cadenza.store.models import ApiToken
from cadenza.store.tokens import Role, end_session, open_session, usable_token

log = logging.getLogger(__name__)

COOKIE_NAME = "cadenza_session"

bearer_scheme = HTTPBearer(scheme_name="bearer", auto_error=False,
                           description="An API token: `Authorization: Bearer cz_…`.")


@dataclass(frozen=True)
class Principal:
    """Who is asking: a workspace, a role, and for a rep the rep's id."""

    workspace_id: int
    role: Role
    rep_id: int | None
    name: str
    token_id: int

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"

    @property
    def actor(self) -> str:
        """How this caller is named in events and ``approved_by``."""
        return self.name or f"{self.role}-token-{self.token_id}"


def principal_of(row: ApiToken) -> Principal:
    """The caller a usable token row stands for."""
    role: Role = "rep" if row.role == "rep" else "operator"
    return Principal(workspace_id=row.workspace_id, role=role, rep_id=row.rep_id,
                     name=row.name, token_id=row.id or 0)


def _unauthorized(detail: str = "a valid API token is required") -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail,
                         headers={"WWW-Authenticate": "Bearer"})


def _lookup(db: Database, token: str, now: dt.datetime, *,
            web_session: bool) -> Principal | None:
    with db.session() as session:
        row = usable_token(session=session, token=token, now=now, web_session=web_session)
        return principal_of(row) if row is not None else None


def get_token_throttle(request: Request) -> RateLimit:
    """The per-token request limit the app factory put on ``app.state.token_throttle``."""
    throttle = getattr(request.app.state, "token_throttle", None)
    if not isinstance(throttle, RateLimit):
        raise RuntimeError("app.state.token_throttle must be a cadenza.api.throttle.RateLimit")
    return throttle


ThrottleDep = Annotated[RateLimit, Depends(get_token_throttle)]


def _within_rate(throttle: RateLimit, principal: Principal) -> Principal:
    throttle.take(principal.token_id, f"more than {throttle.limit} requests a minute with "
                                      "this token")
    return principal


def api_principal(
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    db: Annotated[Database, Depends(get_database)], now: NowDep, throttle: ThrottleDep,
) -> Principal:
    """The caller of a JSON endpoint: a bearer token, nothing else (no cookie, so no CSRF)."""
    if creds is None or creds.scheme.lower() != "bearer":
        raise _unauthorized()
    principal = _lookup(db, creds.credentials, now, web_session=False)
    if principal is None:
        raise _unauthorized("unknown, expired or revoked API token")
    return _within_rate(throttle, principal)


def require_operator(principal: Annotated[Principal, Depends(api_principal)]) -> Principal:
    """Operator-only endpoints: a rep token gets 403 (it is valid, just not allowed here)."""
    if not principal.is_operator:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this endpoint needs an operator token")
    return principal


AnyCaller = Annotated[Principal, Depends(api_principal)]
Operator = Annotated[Principal, Depends(require_operator)]


# -- the web pages: a session opened with the token, in a cookie -------------------------------

class LoginRequired(Exception):
    """Raised by page dependencies; the app turns it into a redirect to the login form."""


class PageForbidden(Exception):
    """Raised by operator-only pages for a rep's cookie; rendered as a 403 page."""


def page_principal(request: Request, db: Annotated[Database, Depends(get_database)],
                   now: NowDep, throttle: ThrottleDep) -> Principal:
    """The caller of a web page: a live session cookie, else a redirect to ``/login``."""
    token = request.cookies.get(COOKIE_NAME)
    principal = _lookup(db, token, now, web_session=True) if token else None
    if principal is None:
        raise LoginRequired
    return _within_rate(throttle, principal)


def page_operator(principal: Annotated[Principal, Depends(page_principal)]) -> Principal:
    if not principal.is_operator:
        raise PageForbidden
    return principal


PageCaller = Annotated[Principal, Depends(page_principal)]
PageOperator = Annotated[Principal, Depends(page_operator)]


def log_in(db: Database, token: str, now: dt.datetime) -> str | None:
    """For the login form: a new web session's clear token when ``token`` is a usable API
    token (the cookie gets the session, never the token itself), else None."""
    with db.session() as session:
        row = usable_token(session=session, token=token.strip(), now=now)
        return open_session(session=session, token=row, now=now) if row is not None else None


def log_out(db: Database, session_token: str, now: dt.datetime) -> bool:
    """End the web session the cookie holds, server-side: the cookie is dead even if kept."""
    with db.session() as session:
        return end_session(session=session, token=session_token, now=now)


def csrf_token(settings: Settings, session_token: str) -> str:
    """A per-session CSRF token: HMAC of the cookie under the app's signing key."""
    return hmac.new(settings.signing_key(), b"csrf:" + session_token.encode(),
                    hashlib.sha256).hexdigest()


def verify_csrf(request: Request, settings: Annotated[Settings, Depends(get_settings)],
                submitted: str) -> None:
    """Refuse a form post whose CSRF token does not match the session cookie (403)."""
    cookie = request.cookies.get(COOKIE_NAME) or ""
    if not cookie or not hmac.compare_digest(csrf_token(settings, cookie), submitted):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "bad or missing CSRF token")
