"""Idempotency keys: a write request retried with the same key is answered, not done again.

A client that lost the answer to a write (a timeout, a dropped connection) cannot tell whether
it happened; it sends the request again with the same ``Idempotency-Key`` header. The first
request claims the key in the same transaction as its work and stores its answer there, so
either both are committed or neither is: a retry finds the stored answer and gets it back,
a request that failed left no key behind and runs again. A key is per workspace, and bound to
the fingerprint of its first request: reusing it for a different request is refused, never
answered with the wrong result. A key lives :data:`KEY_LIFETIME` (24 hours, as Stripe keeps
them): a retry comes within minutes, and kept for ever the table would only grow. Each
request under a key first removes its workspace's expired keys, so an old key is a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from cadenza.errors import ConflictError
from cadenza.store.database import Database
from cadenza.store.models import utcnow

#: How long a key's answer is kept for its retries.
KEY_LIFETIME = dt.timedelta(hours=24)


class IdempotencyRecord(SQLModel, table=True):
    """A request that ran under an idempotency key, and the answer it got."""

    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    status_code: int = 200
    response: Any = Field(default=None, sa_column=Column(JSON))
    created_at: dt.datetime = Field(default_factory=utcnow)


@dataclass(frozen=True)
class Answer:
    """What to send back: the status and body, and whether they are a stored first answer."""

    status_code: int
    body: Any
    replayed: bool = False


Work = Callable[[Session], tuple[int, Any]]


def run_once(*, db: Database, workspace_id: int, key: str, request_hash: str,
             work: Work, now: dt.datetime) -> Answer:
    """Run ``work`` (which returns a status code and a JSON-ready body) once per key.

    A known key with the same ``request_hash`` returns the stored answer without calling
    ``work``; with another hash it is a :class:`~cadenza.errors.ConflictError` (the key is
    bound to its first request) naming the header. A request with the same key that is still
    running elsewhere is waited for by the database (the unique key), and its answer is
    returned once it commits.
    """
    with db.session() as session:
        session.execute(delete(IdempotencyRecord).where(
            col(IdempotencyRecord.workspace_id) == workspace_id,
            col(IdempotencyRecord.created_at) < now - KEY_LIFETIME))
    for _ in range(2):
        with db.session() as session:
            # The claim comes first, before any read: a concurrent request with the same key
            # then waits on the unique key until the first one commits (PostgreSQL's row
            # lock, SQLite's write lock) and finds its answer, rather than reading too early.
            row = IdempotencyRecord(workspace_id=workspace_id, key=key,
                                    request_hash=request_hash, created_at=now)
            session.add(row)
            try:
                session.flush()
            except IntegrityError:  # the key is taken: answer with what its request got
                session.rollback()
                found = _find(session, workspace_id, key)
                if found is None:  # its request rolled back meanwhile: claim it again
                    continue
                return _replay(found, request_hash)
            row.status_code, row.response = work(session)
            session.add(row)
            return Answer(row.status_code, row.response)
    raise ConflictError("a request with this Idempotency-Key is still running; send it again "
                        "in a moment to get its answer", field="Idempotency-Key")


def _find(session: Session, workspace_id: int, key: str) -> IdempotencyRecord | None:
    return session.exec(select(IdempotencyRecord).where(
        IdempotencyRecord.workspace_id == workspace_id,
        IdempotencyRecord.key == key)).first()


def _replay(row: IdempotencyRecord, request_hash: str) -> Answer:
    if row.request_hash != request_hash:
        raise ConflictError("this Idempotency-Key was already used for a different request "
                            "(another endpoint or another body); use a new key for a new "
                            "request", field="Idempotency-Key")
    return Answer(row.status_code, row.response, replayed=True)
