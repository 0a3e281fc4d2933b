"""The FastAPI app: REST API, OpenAPI, and the rep/operator web pages.

``create_app`` is imported lazily so that importing a submodule (the unsubscribe router, say)
does not pull in the agent and LangGraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cadenza.api.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from cadenza.api.app import create_app

        return create_app
    raise AttributeError(f"module 'cadenza.api' has no attribute {name!r}")
