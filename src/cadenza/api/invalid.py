"""422 answers from our own checks, in the shape FastAPI gives its own validation errors.

A client reads one shape for every 422 — ``{"detail": [{"loc": [...], "msg": ..., "type":
...}]}``, as the OpenAPI schema documents — whether pydantic refused the payload or a check
that needs the database or a loader (the workspace policy as a whole, a playbook's YAML, the
bulk import's body as a whole) did. ``loc`` names the field, from where it was sent
(``body``, ``header``, ``path``) down to the key at fault.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fastapi import FastAPI, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from cadenza.errors import InputError

#: Fields whose refused value is not repeated in the answer: a password sent where a
#: reference belongs would otherwise travel back and into whatever logs the client keeps.
_SECRET_FIELD = re.compile(r"password|secret", re.IGNORECASE)


def unprocessable(loc: Sequence[str | int], msg: str) -> RequestValidationError:
    """The 422 for one problem at ``loc``; raise it."""
    return RequestValidationError([{"type": "value_error", "loc": tuple(loc), "msg": msg}])


def from_input_error(exc: InputError, *, at: Sequence[str | int] = ("body",)) -> \
        RequestValidationError:
    """The 422 for an :class:`InputError`: its field (dotted, as loaders name it) below ``at``,
    and its line when it points into a document sent inside the payload."""
    parts: list[str | int] = [int(p) if p.isdigit() else p
                              for p in (exc.field or "").split(".") if p]
    msg = f"line {exc.line}: {exc.detail}" if exc.line is not None else exc.detail
    return unprocessable((*at, *parts), msg)


def install_validation_handler(app: FastAPI) -> None:
    """FastAPI's 422 answer, except that a secret field's refused value is left out."""

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [{k: v for k, v in e.items() if k not in ("input", "ctx")}
                  if any(isinstance(p, str) and _SECRET_FIELD.search(p) for p in e["loc"])
                  else e for e in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)},
                            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    app.add_exception_handler(RequestValidationError, invalid)
