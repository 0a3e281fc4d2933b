"""API tokens from issue to revocation, and the web sessions opened with them.

The clear token is shown once, when it is issued; the database keeps only its SHA-256 hash, so
a copy of the database grants nothing. A token is usable while it is not revoked, not past its
``expires_at`` (on the caller's clock), and — for a rep's token — while the rep is active: a
deactivated rep's token is refused even if nobody revoked it, whichever way the rep was
deactivated (the API, a routing-rules file, a hand edit), and deactivating a rep through Cadenza
also revokes their tokens, so bringing the rep back does not bring old tokens back.

A web session is a row of the same table with ``session_of`` set: the login form issues one
for the token it was given and the cookie carries the session, never the API token itself.
A session is accepted only as the cookie (an API token only as a bearer token, or at the login
form), and only while both it and its token are usable; logging out revokes it, so a
copied cookie dies with it.

This lives in ``store`` rather than ``api`` because the routing rules (``handoff``) deactivate
reps too, and they may not import the API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, delete, or_, select

from cadenza.errors import InputError
from cadenza.store.events import record_event
from cadenza.store.models import ApiToken, Rep

Role = Literal["operator", "rep"]
TOKEN_PREFIX = "cz_"
MAX_TOKEN_LENGTH = 200
#: Last use is written at most this often per token: a request is not a write.
LAST_USED_STEP = dt.timedelta(minutes=1)
#: How long a web session lasts at most (the token's own expiry can end it sooner).
SESSION_LIFETIME = dt.timedelta(hours=12)


def hash_token(token: str) -> str:
    """SHA-256 hex: tokens are 256 random bits, so a fast unsalted hash is enough."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the clear text (its only appearance) and the stored row."""

    token: str
    row: ApiToken


def issue_token(*, session: Session, workspace_id: int, role: Role, rep_id: int | None = None,
                name: str, expires_at: dt.datetime | None = None) -> IssuedToken:
    """Store a new token's hash; the caller shows the clear token once.

    ``expires_at`` is an aware instant after which the token is refused like a revoked one
    (the API and the CLI check that it lies in the future on their own clock).
    """
    if role not in ("operator", "rep"):
        raise InputError(f"unknown role {role!r}: use 'operator' or 'rep'", field="role")
    if role == "rep":
        rep = session.get(Rep, rep_id) if rep_id is not None else None
        if rep is None or rep.workspace_id != workspace_id:
            raise InputError("a rep token needs the id of a rep of this workspace",
                             field="rep_id")
        if not rep.active:
            raise InputError(f"rep {rep.email} is deactivated: reactivate them before "
                             "giving them a token", field="rep_id")
    elif rep_id is not None:
        raise InputError("an operator token is not tied to a rep", field="rep_id")
    if expires_at is not None and expires_at.utcoffset() is None:
        raise InputError("an expiry needs a time zone (e.g. 2027-01-31T00:00:00Z)",
                         field="expires_at")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(workspace_id=workspace_id, role=role, rep_id=rep_id, name=name,
                   token_hash=hash_token(clear), expires_at=expires_at)
    session.add(row)
    session.flush()
    record_event(session=session, kind="token.created", workspace_id=workspace_id,
                 subject_type="api_token", subject_id=row.id, role=role, rep_id=rep_id,
                 name=name, expires_at=expires_at.isoformat() if expires_at else None)
    return IssuedToken(clear, row)


def create_token(*, session: Session, workspace_id: int, role: Role, rep_id: int | None = None,
                 name: str, expires_at: dt.datetime | None = None) -> str:
    """:func:`issue_token`, for callers that only need the clear token."""
    return issue_token(session=session, workspace_id=workspace_id, role=role, rep_id=rep_id,
                       name=name, expires_at=expires_at).token


def list_tokens(*, session: Session, workspace_id: int) -> list[ApiToken]:
    """The workspace's API tokens, oldest first, revoked ones included (web sessions are not
    listed: they end with their token or at logout)."""
    return list(session.exec(select(ApiToken).where(
        ApiToken.workspace_id == workspace_id, col(ApiToken.session_of).is_(None))
        .order_by(col(ApiToken.id))).all())


def _live(row: ApiToken, now: dt.datetime) -> bool:
    return not row.revoked and (row.expires_at is None or now < row.expires_at)


_Parent = aliased(ApiToken)


def usable_token(*, session: Session, token: str, now: dt.datetime,
                 web_session: bool = False) -> ApiToken | None:
    """The API token a clear credential stands for, or None when it is unknown, revoked,
    expired, a deactivated rep's, or presented the wrong way (a session as a bearer token, a
    token as a session cookie). For a session, that is the token it was opened with.

    Records the token's last use, at most once per :data:`LAST_USED_STEP`.
    """
    if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
        return None
    found = session.exec(
        select(ApiToken, _Parent, Rep)
        .outerjoin(_Parent, col(_Parent.id) == col(ApiToken.session_of))
        .outerjoin(Rep, col(Rep.id) == col(ApiToken.rep_id))
        .where(ApiToken.token_hash == hash_token(token))).first()
    if found is None:
        return None
    row, parent, rep = found
    if (row.session_of is not None) != web_session or not _live(row, now):
        return None
    if web_session and (parent is None or not _live(parent, now)):
        return None
    granted = parent if parent is not None else row
    if granted.role == "rep" and (rep is None or not rep.active or granted.rep_id is None):
        return None  # a rep token without an active rep: refuse it outright
    if granted.last_used_at is None or now - granted.last_used_at >= LAST_USED_STEP:
        granted.last_used_at = now
        session.add(granted)
    return granted


def open_session(*, session: Session, token: ApiToken, now: dt.datetime) -> str:
    """A web session for a usable ``token``: the clear session token, for the cookie only.

    It ends at logout, after :data:`SESSION_LIFETIME`, or when the token's own expiry comes
    first. The token's sessions that have ended are deleted here (the events keep the record),
    so the table holds the live ones, not one row per login ever made.
    """
    session.execute(delete(ApiToken).where(
        col(ApiToken.session_of) == token.id,
        or_(col(ApiToken.revoked).is_(True), col(ApiToken.expires_at) <= now)))
    ends = now + SESSION_LIFETIME
    if token.expires_at is not None:
        ends = min(ends, token.expires_at)
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(workspace_id=token.workspace_id, role=token.role, rep_id=token.rep_id,
                   name=token.name, token_hash=hash_token(clear), expires_at=ends,
                   session_of=token.id, created_at=now)
    session.add(row)
    session.flush()
    record_event(session=session, kind="session.opened", workspace_id=token.workspace_id,
                 subject_type="api_token", subject_id=token.id, session_id=row.id)
    return clear


def end_session(*, session: Session, token: str, now: dt.datetime) -> bool:
    """Log out: revoke the web session whose clear token the cookie held. False when it was
    not a live session (already ended, expired, or not a session at all)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
        return False
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token),
                                              col(ApiToken.session_of).is_not(None))).first()
    if row is None or row.revoked:
        return False
    row.revoked, row.revoked_at = True, now
    session.add(row)
    record_event(session=session, kind="session.ended", workspace_id=row.workspace_id,
                 subject_type="api_token", subject_id=row.session_of, session_id=row.id)
    return True


def revoke_token(*, session: Session, token_id: int, now: dt.datetime,
                 workspace_id: int | None = None, by: str = "",
                 reason: str = "") -> ApiToken | None:
    """Revoke a token by id, and every web session opened with it; None when there is no such
    token (in ``workspace_id``, when given; a web session is not a token to name: it ends at
    logout or with its token). Revoking twice keeps the first time and records nothing new."""
    row = session.get(ApiToken, token_id)
    if row is None or row.session_of is not None or (
            workspace_id is not None and row.workspace_id != workspace_id):
        return None
    if not row.revoked:
        row.revoked, row.revoked_at = True, now
        session.add(row)
        record_event(session=session, kind="token.revoked", workspace_id=row.workspace_id,
                     subject_type="api_token", subject_id=row.id, by=by, reason=reason)
    _revoke_all(session, col(ApiToken.session_of) == token_id, now)
    session.flush()
    return row


def revoke_rep_tokens(*, session: Session, rep_id: int, now: dt.datetime, by: str = "",
                      reason: str = "rep deactivated") -> list[int]:
    """Revoke every live token and session of a rep (called when the rep is deactivated);
    the ids of the tokens revoked."""
    revoked = _revoke_all(session, col(ApiToken.rep_id) == rep_id, now)
    for row in revoked:
        if row.session_of is None:
            record_event(session=session, kind="token.revoked", workspace_id=row.workspace_id,
                         subject_type="api_token", subject_id=row.id, by=by, reason=reason)
    session.flush()
    return [row.id for row in revoked if row.session_of is None and row.id is not None]


def _revoke_all(session: Session, where: ColumnElement[bool],
                now: dt.datetime) -> list[ApiToken]:
    rows = list(session.exec(select(ApiToken).where(
        where, col(ApiToken.revoked).is_(False))).all())
    for row in rows:
        row.revoked, row.revoked_at = True, now
        session.add(row)
    return rows

