"""``POST /api/prospects/bulk``: the prospect import over the API, with an idempotency key.

The body is a JSON array of records in the shape of a line of the JSONL import, and every
record goes through the importer's own row pipeline (:func:`cadenza.importer.import_rows`):
the same validation, deduplication (inside the request and against the workspace),
suppression check and ``created``/``updated``/``unchanged``/``rejected`` outcome per record,
all in one transaction. The body is read as bytes and parsed here rather than by FastAPI, so
that a record naming a key twice is rejected as a JSONL line is, instead of silently keeping
the last value.

With ``Idempotency-Key``, the first answer is stored with the import (see
:mod:`cadenza.store.idempotency`): the same key with the same body, byte for byte, gets that
answer back (``Idempotent-Replayed: true``) without importing again; the same key with
another body is a 409 (the key is bound to its first request).
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from fastapi.responses import JSONResponse
from sqlmodel import Session

from cadenza.api.admin_schemas import BulkImportResult, BulkRowOutcome, ImportCounts
from cadenza.api.auth import Operator
from cadenza.api.invalid import from_input_error
from cadenza.api.routes_records import ERRORS, DbDep
from cadenza.api.schemas import Problem
from cadenza.api.unsubscribe import NowDep
from cadenza.errors import ConflictError, InputError
from cadenza.importer import ImportReport, RowOutcome, import_rows
from cadenza.prospect_files import array_rows, json_array
from cadenza.prospects import ProspectIn
from cadenza.store.events import record_event
from cadenza.store.idempotency import run_once

MAX_RECORDS = 1000
MAX_BODY_BYTES = 16 * 1024 * 1024
ROUTE = "POST /api/prospects/bulk"

router = APIRouter(prefix="/api", responses=ERRORS)


async def bulk_body(request: Request) -> bytes:
    """The raw body, refused with 413 past :data:`MAX_BODY_BYTES` before it is all held."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, _too_large())
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, _too_large())
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> str:
    return (f"the body is larger than {MAX_BODY_BYTES // 1048576} MiB: send at most "
            f"{MAX_RECORDS:,} records per request")


IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$",
    description="Any string you choose (a UUID, say), printable ASCII: the same key with the "
                "same body gets the first answer back without importing again.")]


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``$ref`` to ``defs`` replaced by its definition (the record's schema
    is documented in the request body itself, not among the response models)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return _inline(defs[ref.rsplit("/", 1)[1]], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _body_schema() -> dict[str, Any]:
    record = ProspectIn.model_json_schema()
    record = _inline(record, record.pop("$defs", {}))
    record["description"] = ("A prospect as a line of the JSONL import (shared/formats.md): "
                             "extra fields are ignored; every field but id and email may be "
                             "missing or empty.")
    example = [{"id": "p001", "first_name": "Zoë", "last_name": "Ångström",
                "email": "zoe@example.com", "title": "VP Operations", "company": "Example Corp",
                "company_domain": "example.com", "country": "SE",
                "timezone": "Europe/Stockholm", "language": "en",
                "facts": [{"id": "f1", "kind": "funding", "text": "Raised a Series B",
                           "date": "2026-09-14", "source": "https://example.com/news"}]},
               {"id": "p002", "email": "li.wei@haldenhealth.example", "first_name": "Li"}]
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "array", "minItems": 1, "maxItems": MAX_RECORDS, "items": record,
        "examples": [example]}}}}


@router.post(
    "/prospects/bulk", tags=["prospects"], response_model=BulkImportResult,
    summary="Create or update up to 1,000 prospects",
    openapi_extra={"requestBody": _body_schema()},
    responses={413: {"model": Problem, "description": "The body is too large"},
               409: {"model": Problem, "description": "This Idempotency-Key was used for "
                                                      "another request, or one with it is "
                                                      "still running"}})
def bulk_import(p: Operator, db: DbDep, now: NowDep,
                body: Annotated[bytes, Depends(bulk_body)],
                idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Import a JSON array of prospect records exactly as `cadenza import` imports a JSONL
    file: each record is created, updated, unchanged or rejected (with the reason and the
    field), all in one transaction. A body that is not a JSON array of 1 to 1,000 records is
    a 422 and imports nothing."""
    try:
        records = json_array(body, max_items=MAX_RECORDS)
    except InputError as exc:
        raise from_input_error(exc) from None

    def work(session: Session) -> tuple[int, Any]:
        report = ImportReport(file="request")
        outcomes: list[RowOutcome] = []
        import_rows(session=session, workspace_id=p.workspace_id, rows=array_rows(records),
                    source="api", report=report, unit="row", on_row=outcomes.append)
        record_event(session=session, kind="prospects.imported", workspace_id=p.workspace_id,
                     subject_type="workspace", subject_id=p.workspace_id, by=p.actor,
                     via="api", counts=dict(report.counts), idempotency_key=idempotency_key,
                     at=now.isoformat())
        result = BulkImportResult(counts=ImportCounts(**report.counts), rows=[
            BulkRowOutcome(index=r.line, prospect_id=r.prospect_id, email=r.email,
                           outcome=r.outcome, reason=r.reason or None, field=r.field,
                           warnings=list(r.warnings))
            for r in sorted(outcomes, key=lambda r: r.line)])
        return status.HTTP_200_OK, result.model_dump(mode="json")

    if idempotency_key is None:
        with db.session() as session:
            code, content = work(session)
        return JSONResponse(content, status_code=code)
    fingerprint = hashlib.sha256(ROUTE.encode() + b"\n" + body).hexdigest()
    try:
        answer = run_once(db=db, workspace_id=p.workspace_id, key=idempotency_key,
                          request_hash=fingerprint, work=work, now=now)
    except ConflictError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, exc.detail) from None
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else {}
    return JSONResponse(answer.body, status_code=answer.status_code, headers=headers)
