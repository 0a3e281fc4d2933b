"""Production refuses to start without a strong secret key (#12 item 10)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from pydantic import SecretStr

from cadenza.api import create_app
from cadenza.config import Settings
from cadenza.errors import ConfigError


def _settings(tmp_path: Path, key: str | None) -> Settings:
    return Settings(environment="production", home=tmp_path,
                    database_url=f"sqlite:///{tmp_path / 'c.db'}",
                    secret_key=SecretStr(key) if key is not None else None)


@pytest.mark.parametrize("key", [None, "x", "a" * 64, "short-but-mixed-9"])
def test_the_api_refuses_to_start_with_no_or_a_weak_key(tmp_path: Path, key: str | None) -> None:
    with pytest.raises(ConfigError, match="CADENZA_SECRET_KEY"):
        create_app(_settings(tmp_path, key))


def test_a_strong_key_starts(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path, secrets.token_urlsafe(48)))
    assert app.title == "Cadenza"


def test_development_still_generates_its_own_key(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'c.db'}")
    create_app(settings)
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
