"""Inbound leads over the API: ``POST /api/leads`` with an operator token, or ``POST
/api/leads/inbound?workspace=…`` signed by the workspace's own secret (a form tool, a website,
a CRM), so no API token has to live in a third party's settings.

Both take the lead in one transaction (:func:`cadenza.leads.intake.take_lead`) and answer 202
at once; the first touch then runs after the response is sent, through the scheduler's claim
and the touch graph (:class:`cadenza.leads.runner.LeadRunner`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from cadenza.agent.policy import workspace_policy
from cadenza.api.auth import Operator
from cadenza.api.invalid import from_input_error
from cadenza.api.routes_records import ERRORS, DbDep
from cadenza.api.schemas import Problem
from cadenza.api.unsubscribe import NowDep
from cadenza.errors import CadenzaError, InputError, NotFoundError
from cadenza.handoff.webhook import SIGNATURE_HEADER, verify_signature
from cadenza.leads.intake import LeadIn, LeadResult, Via, take_lead
from cadenza.leads.runner import LeadRunner
from cadenza.secrets import resolve_secret
from cadenza.store import Database
from cadenza.store.models import Workspace

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["leads"])

#: An inbound lead is one record: anything bigger is not one.
MAX_BODY = 256 * 1024
INVALID: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such playbook"},
    422: {"description": "The body is not a lead, or the playbook is not an inbound one "
                         "(a record the importer rejects is a 202 with status rejected)"}}


class LeadAccepted(BaseModel):
    """What became of the lead; its first touch runs after this answer when ``queued``."""

    status: Literal["queued", "scheduled", "not_enrolled", "suppressed", "rejected"]
    record: Literal["created", "updated", "unchanged", "rejected"]
    playbook: str
    prospect_id: int | None
    external_id: str
    enrollment_id: int | None
    next_due_at: dt.datetime | None
    reason: str
    field: str | None = Field(description="of a rejected record: prospect.email, …")


def _runner(request: Request) -> LeadRunner:
    runner = getattr(request.app.state, "leads", None)
    if not isinstance(runner, LeadRunner):
        raise RuntimeError("app.state.leads must be a cadenza.leads.runner.LeadRunner")
    return runner


def _take(db: Database, workspace_id: int, lead: LeadIn, now: dt.datetime, via: Via,
          by: str) -> LeadResult:
    with db.session() as s:
        ws = s.get(Workspace, workspace_id)
        assert ws is not None
        try:
            return take_lead(s, ws, lead, arrived_at=now, via=via, by=by)
        except NotFoundError as exc:
            raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
        except InputError as exc:
            raise from_input_error(exc) from None


def _answer(result: LeadResult, request: Request, background: BackgroundTasks) -> LeadAccepted:
    if result.status == "queued" and result.enrollment_id is not None:
        background.add_task(_runner(request).run, result.enrollment_id)
    return LeadAccepted(status=result.status, record=result.record,
                        playbook=result.playbook, prospect_id=result.prospect_id,
                        external_id=result.external_id, enrollment_id=result.enrollment_id,
                        next_due_at=result.next_due_at, reason=result.reason,
                        field=result.field)


@router.post("/leads", response_model=LeadAccepted, status_code=status.HTTP_202_ACCEPTED,
             responses={**ERRORS, **INVALID})
def post_lead(data: LeadIn, p: Operator, db: DbDep, now: NowDep, request: Request,
              background: BackgroundTasks) -> LeadAccepted:
    """Take an inbound lead: create or update the prospect, enroll it in an inbound playbook
    and run its first touch now (inside the send window; else at its opening). A record the
    importer rejects is answered ``rejected`` with the reason and the field, and logged."""
    return _answer(_take(db, p.workspace_id, data, now, "api", p.actor), request, background)


@router.post("/leads/inbound", response_model=LeadAccepted,
             status_code=status.HTTP_202_ACCEPTED,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": LeadIn.model_json_schema()}}}},
             responses={401: {"model": Problem, "description": "No valid signature for this "
                                                                "workspace"},
                        413: {"model": Problem, "description": "Not one lead"},
                        503: {"model": Problem, "description": "The workspace's inbound secret "
                                                                "cannot be read here"},
                        **INVALID})
async def inbound_lead(request: Request, now: NowDep, background: BackgroundTasks,
                       workspace: Annotated[str | None, Query(
                           max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$",
                           description="the workspace's slug (required)")] = None
                       ) -> LeadAccepted:
    """The same as ``POST /api/leads`` without a token: the body is signed with the
    workspace's ``inbound_secret`` (``X-Cadenza-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
    "<t>.<body>")>``, the scheme of Cadenza's own webhooks; at most 5 minutes old). A body that
    is not a lead is a 422 whatever the signature (its shape is public); then any refusal of
    the signature or the workspace is the same 401."""
    body = await _capped_body(request)
    try:
        lead = LeadIn.model_validate_json(body)
    except ValidationError as exc:  # FastAPI's own 422 shape, the fields below ``body``
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])}
                                      for e in exc.errors(include_url=False)]) from None
    header = request.headers.get(SIGNATURE_HEADER, "")
    db: Database = request.app.state.db
    workspace_id = await run_in_threadpool(_signed_by, db, workspace or "", body, header, now)
    result = await run_in_threadpool(_take, db, workspace_id, lead, now, "inbound_webhook",
                                     "inbound webhook")
    return _answer(result, request, background)


async def _capped_body(request: Request) -> bytes:
    """The body, refused with 413 past :data:`MAX_BODY` before more of it is read (this
    endpoint answers anyone, so nobody may make it buffer a large upload)."""
    too_large = HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "one lead per request")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _signed_by(db: Database, slug: str, body: bytes, header: str, now: dt.datetime) -> int:
    """The workspace whose inbound secret signed ``body``; one answer for every refusal, so
    the endpoint does not tell which workspaces exist."""
    refused = HTTPException(status.HTTP_401_UNAUTHORIZED,
                            "no valid X-Cadenza-Signature for this workspace")
    from sqlmodel import select

    with db.session() as s:
        ws = s.exec(select(Workspace).where(Workspace.slug == slug)).first()
        reference = workspace_policy(ws.settings).inbound_secret if ws is not None else ""
    if not slug or ws is None or ws.id is None or not reference or not header:
        raise refused
    try:
        secret = resolve_secret(reference)
    except CadenzaError as exc:
        log.error("inbound leads of workspace %s: %s", slug, exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                            "the inbound secret is not available on this server") from None
    if not secret or not verify_signature(body, header, secret, now=now.timestamp()):
        raise refused
    return ws.id
