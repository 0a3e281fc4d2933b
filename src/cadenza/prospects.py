"""Prospect records as they arrive from files (the public format of ``shared/formats.md``).

These are input models: every field but ``id`` and ``email`` may be missing, extra fields are
ignored, and validation of the email address is left to the importer, which reports it per row
instead of refusing the whole record.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

FactKind = Literal[
    "news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch",
    "pain_point",
]
FACT_KINDS: tuple[str, ...] = (
    "news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch",
    "pain_point",
)


class FactIn(BaseModel):
    """One research fact about a prospect or their company."""

    model_config = ConfigDict(extra="ignore")

    id: str
    kind: FactKind = "news"
    text: str = ""
    date: dt.date | None = None
    source: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _empty_date(cls, v: object) -> object:
        return None if v in ("", None) else v


class ProspectIn(BaseModel):
    """A prospect record from JSONL or CSV."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    id: str = Field(min_length=1)
    email: str = ""
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    company: str | None = None
    company_domain: str | None = None
    industry: str | None = None
    company_size: int | None = None
    country: str | None = None
    timezone: str | None = None
    linkedin_url: str | None = None
    language: str | None = None
    facts: list[FactIn] = Field(default_factory=list)

    @field_validator("company_size", mode="before")
    @classmethod
    def _empty_size(cls, v: object) -> object:
        return None if v in ("", None) else v

    @field_validator("email", mode="before")
    @classmethod
    def _strip_email(cls, v: object) -> object:
        return v.strip() if isinstance(v, str) else ("" if v is None else v)
