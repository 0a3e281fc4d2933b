"""Schemathesis against the OpenAPI schema: no 500s, every response matches its schema.

The schema is loaded from the live app inside the test (the app needs a database fixture) and
each operation gets a bounded Hypothesis run of its own (``operation.as_strategy()``), because
schemathesis' lazy pytest loader does not run under this pytest version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from api_world import monday, seed_tenant, settings_for
from hypothesis import HealthCheck, given, settings

from cadenza.api import create_app
from cadenza.store import Database
from cadenza.store.tokens import create_token

RUN = settings(max_examples=15, deadline=None, database=None,
               suppress_health_check=list(HealthCheck))


def test_api_conforms_to_its_schema(sqlite_db: Database, tmp_path: Path) -> None:
    tenant = seed_tenant(sqlite_db, "alpha")
    seed_tenant(sqlite_db, "beta")  # another workspace's ids exist and must stay invisible
    app = create_app(settings_for(sqlite_db, tmp_path), sqlite_db, clock=monday)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @RUN
        def check(case: Any) -> None:
            # A token of its own for every case: a generated case may revoke the token it is
            # sent with, and the clock is pinned, so one token would soon meet its rate limit.
            with sqlite_db.session() as s:
                token = create_token(session=s, workspace_id=tenant.workspace_id,
                                     role="operator", name="schemathesis")
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

        check()
        tested.append(operation.label)
    assert len(tested) >= 25, tested
