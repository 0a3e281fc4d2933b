"""Settings: one typed object, built at the entry point and passed down.

Read from ``CADENZA_*`` environment variables and a ``.env`` file in the working directory.
``OPENAI_API_KEY`` keeps its conventional name. Secrets are ``SecretStr`` so they never print.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from ipaddress import ip_address
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """Where Cadenza keeps local state (the generated secret key) when nothing else is set."""
    return Path(os.environ.get("CADENZA_HOME") or Path.home() / ".cadenza")


MIN_PRODUCTION_KEY = 32


def production_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the service's public address in production, or None: it must be
    https, reach a public host (not loopback or a private network) and carry no query or
    fragment. The one rule for ``CADENZA_PUBLIC_BASE_URL`` and a workspace's own address."""
    parts = urlsplit(url.strip())
    try:
        host = (parts.hostname or "").lower()
    except ValueError:
        host = ""
    try:
        loopback = ip_address(host).is_loopback or ip_address(host).is_private
    except ValueError:
        loopback = host in ("localhost", "") or host.endswith(".localhost")
    if parts.scheme != "https" or loopback or parts.query or parts.fragment:
        return ("must be the service's public https address in production "
                "(e.g. https://cadenza.example.com)")
    return None


class WorkspaceOverrides(BaseModel):
    """The process settings a workspace may set for itself, as keys of its policy: an agency
    serving each client under the client's own address, or trusting the classifier more for
    one client than another. Unset (``None``, or an empty address), the process's value holds.

    Validated with the environment in the context (``{"environment": "production"}``): in
    production the address obeys :func:`production_url_problem`, as the variable does.
    """

    model_config = ConfigDict(extra="ignore")

    public_base_url: str | None = Field(default=None, max_length=2000, description=(
        "The address this workspace's unsubscribe and ticket links use, instead of "
        "CADENZA_PUBLIC_BASE_URL; empty or null: the process's"))
    classify_threshold: float | None = Field(default=None, ge=0.0, le=1.0, description=(
        "Below this confidence this workspace's replies go to a person, instead of "
        "CADENZA_CLASSIFY_THRESHOLD; null: the process's"))

    @field_validator("public_base_url")
    @classmethod
    def _address(cls, value: str | None, info: ValidationInfo) -> str | None:
        url = (value or "").strip()
        if not url:
            return None
        parts = urlsplit(url)
        try:
            host = parts.hostname
        except ValueError:
            host = None
        if parts.scheme not in ("http", "https") or not host:
            raise ValueError("must be an http(s) URL such as https://cadenza.example.com")
        if (info.context or {}).get("environment") == "production":
            problem = production_url_problem(url)
            if problem is not None:
                raise ValueError(problem)
        return url


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
    #: How long a watch process's lease on a mailbox lasts unless renewed (renewed every third
    #: of it): a process that dies is replaced after about this long.
    watch_lease_seconds: float = Field(default=10.0, ge=1.0, le=600.0)
    #: How long ``cadenza worker``, ``watch`` and ``run`` wait at start for a database that
    #: cannot be reached (restarting, not up yet) before giving up with exit code 1. Once
    #: running, they wait out an outage however long it lasts.
    database_wait_seconds: float = Field(default=300.0, ge=0.0, le=86400.0)
    #: The waits, in minutes, before each new try of a touch that failed for a reason that
    #: passes (a 4xx, a lost connection, the LLM endpoint down); the touch fails once they are
    #: spent (:mod:`cadenza.agent.retry_later`). Comma-separated, e.g. ``5,15,60``.
    retry_minutes: str = Field(default="5,15,60,180,360,720",
                               pattern=r"^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$")

    def retry_schedule(self) -> tuple[dt.timedelta, ...]:
        """``retry_minutes`` as waits."""
        return tuple(dt.timedelta(minutes=float(m)) for m in self.retry_minutes.split(","))
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
        from cadenza.errors import ConfigError

        url = self.public_base_url.strip()
        problem = production_url_problem(url)
        if problem is not None:
            raise ConfigError(f"CADENZA_PUBLIC_BASE_URL {problem}, not {url!r}")

    def public_base_url_for(self, workspace_settings: Mapping[str, Any] | None) -> str:
        """The address one workspace's links are built from (see
        :func:`workspace_public_base_url`)."""
        return workspace_public_base_url(workspace_settings, default=self.public_base_url,
                                         environment=self.environment)

    def classify_threshold_for(self, workspace_settings: Mapping[str, Any] | None) -> float:
        """The confidence below which one workspace's replies go to a person (see
        :func:`workspace_classify_threshold`)."""
        return workspace_classify_threshold(workspace_settings,
                                            default=self.classify_threshold)

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


def workspace_public_base_url(workspace_settings: Mapping[str, Any] | None, *, default: str,
                              environment: str) -> str:
    """The address one workspace's links are built from: its ``public_base_url`` policy key
    when set, else ``default`` (``CADENZA_PUBLIC_BASE_URL``). A stored value this process would
    refuse (an http address, say, once it runs in production) is a
    :class:`~cadenza.errors.ConfigError` rather than a link that works for nobody."""
    value = _override(workspace_settings, "public_base_url", environment).public_base_url
    return default if value is None else value


def workspace_classify_threshold(workspace_settings: Mapping[str, Any] | None, *,
                                 default: float) -> float:
    """The confidence below which one workspace's replies go to a person: its
    ``classify_threshold`` policy key when set, else ``default``
    (``CADENZA_CLASSIFY_THRESHOLD``)."""
    value = _override(workspace_settings, "classify_threshold", "").classify_threshold
    return default if value is None else value


def _override(workspace_settings: Mapping[str, Any] | None, key: str,
              environment: str) -> WorkspaceOverrides:
    """The workspace's value of ``key`` alone, validated as this process would set it."""
    from cadenza.errors import ConfigError

    try:
        return WorkspaceOverrides.model_validate({key: (workspace_settings or {}).get(key)},
                                                 context={"environment": environment})
    except ValidationError as exc:
        msg = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise ConfigError(f"the workspace's {key} {msg}: change it with "
                          f"`cadenza workspace set {key} …` or PATCH /api/policy") from None
