"""Shared fixtures: isolation from the developer's machine, and the real local servers."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from cadenza.store import Database

from support.browser import ARGS as BROWSER_ARGS
from support.browser import CHROMIUM
from support.dovecot import ImapServer, dovecot_binary, run_dovecot
from support.openai_server import FakeOpenAIServer, run_openai_server
from support.postgres import postgres_available, temporary_database
from support.smtp import SmtpServer, run_smtp


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's CADENZA_*/OPENAI_* settings or writes outside a temp dir."""
    for key in list(os.environ):
        if key.startswith(("CADENZA_", "OPENAI_")) and not key.startswith("CADENZA_TEST_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("CADENZA_HOME", str(tmp_path / "cadenza-home"))
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture(scope="session")
def _shared_openai_server() -> Iterator[FakeOpenAIServer]:
    with run_openai_server() as server:
        yield server


@pytest.fixture
def openai_server(_shared_openai_server: FakeOpenAIServer) -> Iterator[FakeOpenAIServer]:
    """A real OpenAI-compatible server on loopback; script it, point the real SDK at .base_url.

    One server for the session (starting and stopping uvicorn took ~0.2 s a test), reset before
    and after each test: no script, pending failure or delay, or recorded request crosses over.
    """
    _shared_openai_server.reset()
    yield _shared_openai_server
    _shared_openai_server.reset()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file the real migrations built, once a session. Each test's SQLite database is
    a byte copy of it: the same schema, for a millisecond instead of the ~0.1 s alembic takes
    (tests of the migrations themselves migrate their own files)."""
    path = tmp_path_factory.mktemp("schema") / "migrated.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    db.dispose()  # the last connection closed: the WAL is checkpointed into the file
    return path


def _sqlite_copy(template: Path, tmp_path: Path) -> Database:
    """A fresh migrated database at ``tmp_path / 'test.db'`` (owner-only, as Cadenza makes it)."""
    target = tmp_path / "test.db"
    shutil.copy(template, target)
    db = Database(f"sqlite:///{target}")
    _share_compiled_sql(db.engine)
    return db


_FIRST_ENGINE: list[Engine] = []


def _share_compiled_sql(engine: Engine) -> None:
    """Let this test's engine reuse the SQL the earlier tests' engines compiled.

    SQLAlchemy caches compiled statements per engine, keyed by the engine's dialect object, so a
    fresh engine per test compiled every statement again: half the time of a typical database
    test. Production keeps one engine for the life of the process, so this is also closer to
    it. Each test still has its own file, engine and connections; only the (stateless, same
    settings) SQLite dialect and its compiled statements are shared.
    """
    if not _FIRST_ENGINE:
        _FIRST_ENGINE.append(engine)
        return
    first = _FIRST_ENGINE[0]
    assert type(engine.dialect) is type(first.dialect)
    engine.dialect = first.dialect
    engine.pool._dialect = first.dialect
    engine._compiled_cache = first._compiled_cache


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path,
             migrated_sqlite: Path) -> Iterator[Database]:
    """A migrated, empty database: SQLite in a temp file, and PostgreSQL on the machine.

    PostgreSQL is part of the test environment (the test command starts it); if it is not
    reachable the test fails rather than skips, unless CADENZA_TEST_SKIP_PG=1 says otherwise.
    """
    if request.param == "sqlite":
        db = _sqlite_copy(migrated_sqlite, tmp_path)
        yield db
        db.dispose()
        return
    with _migrated_postgres() as db:
        yield db


@pytest.fixture
def pg() -> Iterator[Database]:
    """A migrated, empty PostgreSQL database alone, for what only PostgreSQL has (many
    worker or watch processes, advisory locks); fails like ``database`` when it is down."""
    with _migrated_postgres() as db:
        yield db


@contextmanager
def _migrated_postgres() -> Iterator[Database]:
    reason = postgres_available()
    if reason is not None:
        if os.environ.get("CADENZA_TEST_SKIP_PG") == "1":
            pytest.skip(f"PostgreSQL unavailable: {reason}")
        pytest.fail(f"PostgreSQL unavailable ({reason}); start it with pg_ctlcluster")
    with temporary_database() as url:
        db = Database(url)
        db.migrate()
        yield db
        db.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Database]:
    """A migrated SQLite database, for tests that do not need to run on both engines."""
    db = _sqlite_copy(migrated_sqlite, tmp_path)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    """Dovecot on loopback for the whole session; each test should use its own user name."""
    if dovecot_binary() is None:
        pytest.fail("dovecot is not installed: the test command installs dovecot-imapd")
    with run_dovecot() as server:
        yield server


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """aiosmtpd on loopback collecting messages."""
    with run_smtp() as server:
        yield server


@pytest.fixture(scope="session")
def browser_context() -> Iterator[Any]:
    """Debian's headless Chromium, once for the whole session (Playwright's sync API allows one
    instance per thread), with an empty profile; Playwright never downloads a browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail("/usr/bin/chromium is not installed (the test command installs it)")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="cadenza-chromium-")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A fresh tab with no cookies."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        tab.close()


#: Modules whose tests take seconds each (end-to-end runs, property tests, many graph runs):
#: left out of the quick edit-test loop (``-m "not slow"``), always in the full suite. Single
#: tests elsewhere carry ``@pytest.mark.slow`` with the reason (a volume or benchmark run, a
#: sweep over every endpoint, a whole dataset); full matrices keep a slice in the quick loop.
SLOW_MODULES = frozenset({
    "test_reply_loop_e2e.py", "test_invariants_property.py", "test_concurrency.py",
    "test_durability.py", "test_checkpoint_durability.py", "test_api_pages.py",
    "test_api_schema.py", "test_eval_reports.py", "test_watcher_imap.py", "test_servers.py",
    "test_api_bench.py", "test_gate_bench.py",
    # whole-tree and equivalence scans: every source and test file; fast detectors against
    # their plain forms on a dataset and random text
    "test_wall_clock.py", "test_detector_speedups.py",
})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by what it needs, from the fixtures it uses, so the markers always say
    the truth: ``postgres`` (the database fixture's PostgreSQL run), ``imap`` (dovecot),
    ``browser`` (Chromium); and ``slow`` by module (see :data:`SLOW_MODULES`)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database") == "postgres":
            item.add_marker(pytest.mark.postgres)
        if "imap_server" in names:
            item.add_marker(pytest.mark.imap)
        if "browser_context" in names:
            item.add_marker(pytest.mark.browser)
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
