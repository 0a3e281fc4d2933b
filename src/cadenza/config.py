"""Settings: one typed object, built at the entry point and passed down.

Read from ``CADENZA_*`` environment variables and a ``.env`` file in the working directory.
``OPENAI_API_KEY`` keeps its conventional name. Secrets are ``SecretStr`` so they never print.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """Where Cadenza keeps local state (the generated secret key) when nothing else is set."""
    return Path(os.environ.get("CADENZA_HOME") or Path.home() / ".cadenza")


MIN_PRODUCTION_KEY = 32


class Settings(BaseSettings):
    """Everything configurable, in one place."""

    model_config = SettingsConfigDict(
        env_prefix="CADENZA_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
    )

    home: Path = Field(default_factory=default_home)
    database_url: str = "sqlite:///cadenza.db"
    checkpoint_url: str | None = None
    #: When the touch graph writes its checkpoint: ``exit`` (when a run ends or pauses for a
    #: person; the outbox makes a re-run after a crash safe), ``async`` or ``sync`` (after
    #: every node).
    checkpoint_durability: Literal["exit", "async", "sync"] = "exit"
    secret_key: SecretStr | None = None

    llm_base_url: str | None = None
    llm_model: str | None = None
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "CADENZA_OPENAI_API_KEY"),
    )

    environment: Literal["development", "production", "test"] = "development"
    classify_threshold: float = Field(default=0.55, ge=0.0, le=1.0)
    max_revisions: int = Field(default=2, ge=0, le=5)
    public_base_url: str = "http://127.0.0.1:8000"
    #: Requests one API token may make in a minute before the API answers 429 (per process).
    api_requests_per_minute: int = Field(default=600, ge=1, le=1_000_000)
    #: The bearer token a Prometheus scraper sends to ``GET /metrics``; unset: no endpoint.
    metrics_token: SecretStr | None = None
    log_level: str = "INFO"

    def llm_api_key(self) -> str | None:
        """The LLM key in clear, only for the one adapter that needs it."""
        return self.openai_api_key.get_secret_value() if self.openai_api_key else None

    def check_production_key(self) -> None:
        """In production the key must be set and strong: at least 32 characters, not one
        repeated character. A weak key makes every unsubscribe link and webhook signature
        forgeable, so the service refuses to start rather than answer with it."""
        from cadenza.errors import ConfigError

        if self.secret_key is None:
            raise ConfigError("CADENZA_SECRET_KEY must be set in production (e.g. the output "
                              "of `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")
        key = self.secret_key.get_secret_value()
        if len(key) < MIN_PRODUCTION_KEY or len(set(key)) < 8:
            raise ConfigError(f"CADENZA_SECRET_KEY is too weak for production: use at least "
                              f"{MIN_PRODUCTION_KEY} random characters")

    def check_production_base_url(self) -> None:
        """In production ``CADENZA_PUBLIC_BASE_URL`` must be the service's public https address:
        every unsubscribe link, ticket link and page redirect is built from it, and the default
        (loopback) would put a link that works for nobody into every email sent."""
        from ipaddress import ip_address
        from urllib.parse import urlsplit

        from cadenza.errors import ConfigError

        url = self.public_base_url.strip()
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        try:
            loopback = ip_address(host).is_loopback or ip_address(host).is_private
        except ValueError:
            loopback = host in ("localhost", "") or host.endswith(".localhost")
        if parts.scheme != "https" or loopback or parts.query or parts.fragment:
            raise ConfigError("CADENZA_PUBLIC_BASE_URL must be the service's public https "
                              f"address in production (e.g. https://cadenza.example.com), "
                              f"not {url!r}")

    def signing_key(self) -> bytes:
        """The HMAC key for unsubscribe and webhook signatures.

        Taken from ``CADENZA_SECRET_KEY``; in development a random key is generated once into
        ``CADENZA_HOME/secret.key`` (mode 0600) so tokens stay valid across restarts. Production
        refuses to run without an explicit key.
        """
        if self.environment == "production":
            self.check_production_key()
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.home / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()
