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
from schemathesis.config import SchemathesisConfig

from cadenza.api import create_app
from cadenza.store import Database
from cadenza.store.tokens import create_token

RUN = settings(max_examples=15, deadline=None, database=None,
               suppress_health_check=list(HealthCheck))

#: Operations whose payload holds what no schema can fully say, checked after it by the code
#: the CLI uses too: a 422 naming the field is a right answer to schema-valid data there.
CHECKED_BEYOND_THE_SCHEMA = {
    "POST /api/enrollments": "playbook_yaml is a YAML document for the playbook loader, and "
                             "only one of playbook and playbook_yaml may be given",
    "POST /api/mailboxes": "the address is checked as mail systems read one",
    "PATCH /api/policy": "the policy is validated as a whole; public_base_url must be an "
                         "http(s) URL with a host",
}
ACCEPTED = '["2xx", "401", "403", "404", "409", "422", "429", "5xx"]'
CONFIG = SchemathesisConfig.from_str("".join(
    f'[[operations]]\ninclude-name = "{label}"\n'
    f"checks.positive_data_acceptance.expected-statuses = {ACCEPTED}\n"
    for label in CHECKED_BEYOND_THE_SCHEMA))


def test_api_conforms_to_its_schema(sqlite_db: Database, tmp_path: Path) -> None:
    tenant = seed_tenant(sqlite_db, "alpha")
    seed_tenant(sqlite_db, "beta")  # another workspace's ids exist and must stay invisible
    app = create_app(settings_for(sqlite_db, tmp_path), sqlite_db, clock=monday)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)
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
