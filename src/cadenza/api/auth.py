"""API tokens and who is asking: a token is scoped to one workspace and one role.

The clear token is shown once, when it is created; the database keeps only its SHA-256 hash, so a
copy of the database grants nothing. The JSON API reads ``Authorization: Bearer …`` only; the web
pages read the same token from an HttpOnly, SameSite=Strict cookie set by the login form, and every
form they post carries a CSRF token derived from that cookie. Tokens are never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, select

from cadenza.api.unsubscribe import get_database, get_settings
from cadenza.config import Settings
from cadenza.errors import InputError
from cadenza.store import Database
from cadenza.store.events import record_event
from cadenza.store.models import ApiToken, Rep

log = logging.getLogger(__name__)

Role = Literal["operator", "rep"]
TOKEN_PREFIX = "cz_"
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


def hash_token(token: str) -> str:
    """SHA-256 hex: tokens are 256 random bits, so a fast unsalted hash is enough."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(*, session: Session, workspace_id: int, role: Role, rep_id: int | None = None,
                 name: str) -> str:
    """Store a new token's hash and return the clear token, the only time it exists."""
    if role not in ("operator", "rep"):
        raise InputError(f"unknown role {role!r}: use 'operator' or 'rep'", field="role")
    if role == "rep":
        rep = session.get(Rep, rep_id) if rep_id is not None else None
        if rep is None or rep.workspace_id != workspace_id:
            raise InputError("a rep token needs the id of a rep of this workspace",
                             field="rep_id")
    elif rep_id is not None:
        raise InputError("an operator token is not tied to a rep", field="rep_id")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(workspace_id=workspace_id, role=role, rep_id=rep_id, name=name,
                   token_hash=hash_token(clear))
    session.add(row)
    session.flush()
    record_event(session=session, kind="token.created", workspace_id=workspace_id,
                 subject_type="api_token", subject_id=row.id, role=role, rep_id=rep_id,
                 name=name)
    return clear


def revoke_token(*, session: Session, token_id: int) -> bool:
    """Revoke a token by id; False when there is none."""
    row = session.get(ApiToken, token_id)
    if row is None:
        return False
    row.revoked = True
    session.add(row)
    record_event(session=session, kind="token.revoked", workspace_id=row.workspace_id,
                 subject_type="api_token", subject_id=row.id)
    return True


def resolve_token(*, session: Session, token: str) -> Principal | None:
    """The principal a clear token stands for, or None when unknown or revoked."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None or row.revoked or row.id is None:
        return None
    role: Role = "rep" if row.role == "rep" else "operator"
    if role == "rep" and row.rep_id is None:
        return None  # a rep token without a rep would see nothing; refuse it outright
    return Principal(workspace_id=row.workspace_id, role=role, rep_id=row.rep_id,
                     name=row.name, token_id=row.id)


def _unauthorized(detail: str = "a valid API token is required") -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail,
                         headers={"WWW-Authenticate": "Bearer"})


def _lookup(db: Database, token: str) -> Principal | None:
    with db.session() as session:
        return resolve_token(session=session, token=token)


def api_principal(
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    db: Annotated[Database, Depends(get_database)],
) -> Principal:
    """The caller of a JSON endpoint: a bearer token, nothing else (no cookie, so no CSRF)."""
    if creds is None or creds.scheme.lower() != "bearer":
        raise _unauthorized()
    principal = _lookup(db, creds.credentials)
    if principal is None:
        raise _unauthorized("unknown or revoked API token")
    return principal


def require_operator(principal: Annotated[Principal, Depends(api_principal)]) -> Principal:
    """Operator-only endpoints: a rep token gets 403 (it is valid, just not allowed here)."""
    if not principal.is_operator:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this endpoint needs an operator token")
    return principal


AnyCaller = Annotated[Principal, Depends(api_principal)]
Operator = Annotated[Principal, Depends(require_operator)]


# -- the web pages: the same token, in a cookie ------------------------------------------------

class LoginRequired(Exception):
    """Raised by page dependencies; the app turns it into a redirect to the login form."""


class PageForbidden(Exception):
    """Raised by operator-only pages for a rep's cookie; rendered as a 403 page."""


def page_principal(request: Request,
                   db: Annotated[Database, Depends(get_database)]) -> Principal:
    """The caller of a web page: the session cookie, else a redirect to ``/login``."""
    token = request.cookies.get(COOKIE_NAME)
    principal = _lookup(db, token) if token else None
    if principal is None:
        raise LoginRequired
    return principal


def page_operator(principal: Annotated[Principal, Depends(page_principal)]) -> Principal:
    if not principal.is_operator:
        raise PageForbidden
    return principal


PageCaller = Annotated[Principal, Depends(page_principal)]
PageOperator = Annotated[Principal, Depends(page_operator)]


def check_token(db: Database, token: str) -> Principal | None:
    """For the login form: is this token valid? (The form then stores it in the cookie.)"""
    return _lookup(db, token.strip())


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
