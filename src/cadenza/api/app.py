"""The ASGI application factory: REST API, OpenAPI, web pages, and the unsubscribe pages.

Nothing happens at import time. ``create_app()`` with no arguments reads settings from the
environment (``CADENZA_*``) and opens the configured database; tests pass both in. Serve it with
``uvicorn.run(create_app(), host=…, port=…)``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cadenza.api.approvals import ApprovalService
from cadenza.api.health import router as health_router
from cadenza.api.invalid import install_validation_handler
from cadenza.api.ops_metrics import router as ops_metrics_router
from cadenza.api.pages import install_page_handlers
from cadenza.api.pages import router as pages_router
from cadenza.api.pages_results import router as results_pages_router
from cadenza.api.redaction import install_redaction
from cadenza.api.routes_admin import router as admin_router
from cadenza.api.routes_import import router as import_router
from cadenza.api.routes_leads import router as leads_router
from cadenza.api.routes_metrics import router as metrics_router
from cadenza.api.routes_outcomes import router as outcomes_router
from cadenza.api.routes_records import router as records_router
from cadenza.api.routes_rotation import router as rotation_router
from cadenza.api.routes_webhooks import router as webhooks_router
from cadenza.api.routes_webhooks import schema_router as event_schema_router
from cadenza.api.routes_work import router as work_router
from cadenza.api.throttle import RateLimit
from cadenza.api.unsubscribe import unsubscribe_router
from cadenza.config import Settings
from cadenza.handoff.dispatch import service_notifier
from cadenza.leads.runner import LeadRunner
from cadenza.store import Database
from cadenza.store.models import utcnow

log = logging.getLogger(__name__)

#: Every page is server-rendered from our own origin: no inline script, no remote image or
#: style, no framing. Untrusted reply HTML is never rendered as HTML in the first place; this is
#: the second wall.
CSP = ("default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]

#: Failed logins a client may make in a minute before the form answers 429.
LOGIN_FAILURES_PER_MINUTE = 10

TAGS = [
    {"name": "auth", "description": "API tokens: scoped to a workspace and a role; "
                                    "listed without their secret, revoked by id."},
    {"name": "prospects", "description": "People to contact and their research facts; the "
                                         "bulk import, with an idempotency key."},
    {"name": "settings", "description": "The workspace policy and its mailboxes (passwords "
                                        "as env:/file: references only)."},
    {"name": "enrollments", "description": "Prospects running through a playbook."},
    {"name": "touches", "description": "Executed cadence steps."},
    {"name": "approvals", "description": "Drafts waiting for a person's decision."},
    {"name": "tasks", "description": "LinkedIn, call and manual steps a person does."},
    {"name": "replies", "description": "Classified inbound replies (stripped text only)."},
    {"name": "triage", "description": "Replies the classifier was unsure about."},
    {"name": "handoffs", "description": "Tickets in a rep's queue."},
    {"name": "reps", "description": "The people who receive handoffs."},
    {"name": "outcomes", "description": "Meetings, opportunities and disqualifications "
                                        "reported back; signed booking-page callbacks."},
    {"name": "variants", "description": "A/B tests of playbook steps: each variant's rates, "
                                        "the sequential test's verdict, promoting a winner."},
    {"name": "metrics", "description": "Counts by state and intent; cadence metrics per "
                                       "dimension (JSON or CSV) and the dashboard's data."},
    {"name": "leads", "description": "Inbound leads: enrolled and contacted at once."},
    {"name": "webhooks", "description": "Event subscriptions, their delivery log and replays; "
                                        "the events' JSON schemas."},
]


class SecurityHeaders:
    """Adds the CSP and friends to every response that does not set its own (pure ASGI, so
    it costs nothing measurable on the queue endpoint)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: Settings | None = None, db: Database | None = None, *,
               clock: Callable[[], dt.datetime] = utcnow) -> FastAPI:
    """Build the app; the agent for approvals opens on first use and closes at shutdown.

    ``clock`` is what every request, the request limits and the approvals' agent take as now
    (tests pin it).
    """
    settings = settings or Settings()
    settings.signing_key()  # refuse to start without a usable key (production: a strong one)
    if settings.environment == "production":
        settings.check_production_base_url()
    owns_db = db is None
    database = db or Database(settings.database_url)
    approvals = ApprovalService(settings, database, clock=clock)
    leads = LeadRunner(settings, database, clock=clock)

    install_redaction()  # unsubscribe tokens never reach a log line

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_redaction()  # again, over the handlers a server's logging set-up installed
        try:
            yield
        finally:
            approvals.close()
            leads.close()
            if owns_db:
                database.dispose()

    app = FastAPI(
        title="Cadenza", version="0.1.0", lifespan=lifespan, openapi_tags=TAGS,
        docs_url=None, redoc_url=None,  # their CDN scripts would break the CSP; the schema stays
        description="The AI SDR agent's API: approvals, tasks, replies, triage, handoffs. "
                    "Every data endpoint needs `Authorization: Bearer <token>`.",
    )
    app.state.settings = settings
    app.state.db = database
    app.state.approvals = approvals
    app.state.leads = leads
    app.state.notifier = service_notifier(signing_key=settings.signing_key(),
                                          public_base_url=settings.public_base_url,
                                          environment=settings.environment)
    app.state.clock = clock
    app.state.login_throttle = RateLimit(limit=LOGIN_FAILURES_PER_MINUTE, clock=clock)
    app.state.token_throttle = RateLimit(limit=settings.api_requests_per_minute, clock=clock)
    app.include_router(health_router)
    app.include_router(ops_metrics_router)
    app.include_router(records_router)
    app.include_router(import_router)
    app.include_router(rotation_router)  # before admin's /mailboxes/{mailbox_id}
    app.include_router(admin_router)
    app.include_router(work_router)
    app.include_router(webhooks_router)
    app.include_router(leads_router)
    app.include_router(event_schema_router)
    app.include_router(metrics_router)
    app.include_router(outcomes_router)
    app.include_router(unsubscribe_router)
    app.include_router(pages_router)
    app.include_router(results_pages_router)
    install_page_handlers(app)
    install_validation_handler(app)
    app.mount("/static", StaticFiles(directory=str(files("cadenza.api") / "static")),
              name="static")
    app.add_middleware(SecurityHeaders)
    return app


def serve(settings: Settings | None = None, *, host: str = "127.0.0.1", port: int = 8000,
          **uvicorn_options: Any) -> None:
    """``cadenza api``: serve the app with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level=(
        settings.log_level if settings else "info").lower(), **uvicorn_options)
