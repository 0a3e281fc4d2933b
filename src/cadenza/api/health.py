"""Liveness and readiness for load balancers and orchestrators, without a token.

``/healthz`` answers as long as the process serves requests. ``/readyz`` also asks the database
(a connection and the schema at the code's migration): a process that cannot reach it, or runs
against a database not yet migrated, is taken out of rotation instead of answering 500s. They
say nothing about any workspace.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

#: Outside the OpenAPI schema, like the pages: the schema documents the JSON API, every
#: operation of which needs a token.
router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database answers and its schema is the one this code expects."""
    db = request.app.state.db
    try:
        current = db.is_current()
    except Exception as exc:  # any failure to reach the database means: not ready
        return JSONResponse({"status": "unavailable",
                             "database": f"{type(exc).__name__}"}, status_code=503)
    if not current:
        return JSONResponse({"status": "unavailable",
                             "database": "not migrated (run `cadenza init`)"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
