"""Moving a test database along the migration chain, for the tests that write rows at an old
revision and check what an upgrade or a downgrade does with them."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from cadenza.store import Database
from cadenza.store.engine import MIGRATIONS


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def move(db: Database, revision: str, *, down: bool = False) -> None:
    """Upgrade (or, with ``down``, downgrade) ``db`` to ``revision`` in one transaction."""
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def before(revision: str) -> str:
    """The revision ``revision`` follows, read from the chain rather than named in a test (the
    chain is re-ordered when branches merge)."""
    down = ScriptDirectory.from_config(_config()).get_revision(revision).down_revision
    assert isinstance(down, str)
    return down
