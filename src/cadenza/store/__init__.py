"""Persistence: sqlmodel tables, the engine, migrations and keyword-only data-access functions.

``store`` imports no domain package; domain packages import it.
"""

import cadenza.store.results  # noqa: F401  (registers the outcome and variant tables)
from cadenza.store import idempotency as _idempotency  # noqa: F401  (registers its table)
from cadenza.store.database import Database

__all__ = ["Database"]
