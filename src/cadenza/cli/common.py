"""What every command shares: the consoles, the workspace option, errors turned into exit codes,
the database check, and the configured LLM and handoff notifier."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from cadenza.config import Settings
from cadenza.errors import CadenzaError, InputError, NotFoundError
from cadenza.store import Database

console = Console()
err = Console(stderr=True)

WorkspaceOpt = Annotated[str, typer.Option("--workspace", "-w", envvar="CADENZA_WORKSPACE",
                                           help="Workspace slug.")]


def _fail(message: str, code: int) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn Cadenza's errors into a one-line message and a trustworthy exit code."""
    try:
        yield
    except (InputError, NotFoundError) as exc:
        _fail(str(exc), 2)
    except CadenzaError as exc:
        _fail(str(exc), 1)


def _database(settings: Settings, *, migrate: bool = False) -> Database:
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
        return db
    db.check()
    if not db.is_current():
        _fail("the database is not initialised or is out of date: run `cadenza init`", 1)
    return db


def _database_when_up(settings: Settings, stop: threading.Event) -> Database:
    """The database for a long-running command: one that cannot be reached yet (a restart,
    a machine booting before its database) is waited for up to
    ``CADENZA_DATABASE_WAIT_SECONDS``, a line on the log each try; then as :func:`_database`."""
    from cadenza.store.outage import wait_for_database

    db = Database(settings.database_url)
    # still away after that: the check's one-line error, which _errors() turns into exit 1
    wait_for_database(db.check, stop=stop, patience=settings.database_wait_seconds)
    if not db.is_current():
        _fail("the database is not initialised or is out of date: run `cadenza init`", 1)
    return db


def _handoff_notifier(settings: Settings) -> Any:
    """Each workspace's handoff channels (rep email, webhook, the thread introduction)."""
    from cadenza.handoff.dispatch import service_notifier

    return service_notifier(signing_key=settings.signing_key(),
                            public_base_url=settings.public_base_url,
                            environment=settings.environment)


def _configured_llm(settings: Settings) -> object | None:
    from cadenza.llm import llm_from_settings

    return llm_from_settings(base_url=settings.llm_base_url, model=settings.llm_model,
                             api_key=settings.llm_api_key())


#: ``--json``: print JSON for scripts instead of a table.
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts).")]
