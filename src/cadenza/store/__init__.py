"""Persistence: sqlmodel tables, the engine, migrations and keyword-only data-access functions.

``store`` imports no domain package; domain packages import it.
"""

from cadenza.store import idempotency as _idempotency  # noqa: F401  (registers its table)
from cadenza.store.database import Database

__all__ = ["Database"]
