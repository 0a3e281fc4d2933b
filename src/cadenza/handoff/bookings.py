"""Booking-page callbacks: ``POST /api/bookings`` records a meeting without a person.

A scheduling tool (a booking page, a calendar service, a Zapier step) posts JSON —
``{"workspace": "acme", "email": "dana@client.example", "start": "2026-12-09T14:00:00Z",
"booking_id": "…"}`` (``handoff_id`` instead of ``email`` also works) — signed like our own
webhooks (:mod:`cadenza.handoff.webhook`): ``X-Cadenza-Signature: t=<unix seconds>,v1=<hex>``
with ``hex = HMAC-SHA256(key, f"{t}.{body}")``, refused when older than five minutes.

The key is the workspace's own, derived from ``CADENZA_SECRET_KEY`` (``cadenza outcomes
booking-secret`` prints it): one workspace's key cannot sign for another, and no new secret
has to be stored or rotated separately — rotating the secret key rotates these too.
"""

from __future__ import annotations

import hashlib
import hmac

from pydantic import BaseModel, ConfigDict, Field

from cadenza.handoff.webhook import SIGNATURE_HEADER, sign, verify_signature

__all__ = ["SIGNATURE_HEADER", "Booking", "booking_secret", "sign", "verify_booking"]


class Booking(BaseModel):
    """The callback's body (other fields a tool sends are ignored)."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [
        {"workspace": "acme", "email": "dana@kestrel.example",
         "start": "2026-12-10T15:00:00Z", "booking_id": "bk_123"}]})

    workspace: str = Field(max_length=64)
    email: str | None = Field(default=None, max_length=320)
    handoff_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    start: str = Field(max_length=64)
    booking_id: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=200)


def booking_secret(signing_key: bytes, workspace_slug: str) -> str:
    """The key a workspace's booking tool signs callbacks with."""
    return hmac.new(signing_key, f"bookings:{workspace_slug}".encode(),
                    hashlib.sha256).hexdigest()


def verify_booking(body: bytes, header: str, *, signing_key: bytes, workspace_slug: str,
                   now: float) -> bool:
    """Whether ``header`` signs ``body`` with the workspace's booking key, within 5 minutes."""
    return verify_signature(body, header, booking_secret(signing_key, workspace_slug), now=now)
