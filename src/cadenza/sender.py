"""The sender identity of a workspace (the public ``sender`` format of ``shared/formats.md``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ValueProposition(_Loose):
    id: str
    text: str
    #: The same claim written in other languages ({"de": "…"}), when the sender has it.
    localized: dict[str, str] = Field(default_factory=dict)


class ProofPoint(_Loose):
    id: str
    customer: str = ""
    text: str
    #: The number as written in the text ("40%"), when the sender states it.
    metric: str | None = None
    localized: dict[str, str] = Field(default_factory=dict)


class SenderPerson(_Loose):
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""


class Unsubscribe(_Loose):
    url: str = ""
    text: str = "If you'd rather not hear from me again, just reply \"unsubscribe\"."
    localized: dict[str, str] = Field(default_factory=dict)


class SenderPolicies(_Loose):
    email_max_words: int = 120
    linkedin_note_max_chars: int = 300
    offers: str = ""
    claims: str = ""
    links: str = ""
    signature: str = ""


class SenderProfile(_Loose):
    """Who is writing, what they sell, and what they may claim."""

    company: str
    website: str = ""
    product_name: str = ""
    product_description: str = ""
    product_description_localized: dict[str, str] = Field(default_factory=dict)
    value_propositions: list[ValueProposition] = Field(default_factory=list)
    proof_points: list[ProofPoint] = Field(default_factory=list)
    sender: SenderPerson = Field(default_factory=SenderPerson)
    postal_address: str = ""
    meeting_link: str = ""
    unsubscribe: Unsubscribe = Field(default_factory=Unsubscribe)
    competitors: list[str] = Field(default_factory=list)
    policies: SenderPolicies = Field(default_factory=SenderPolicies)

    def own_contacts(self) -> list[str]:
        """The sender's own links and contact data (website, meeting and unsubscribe links,
        email, phone): the only ones a draft may carry, and never a claim to ground."""
        return [v.strip() for v in (self.website, self.meeting_link, self.unsubscribe.url,
                                    self.sender.email, self.sender.phone) if v.strip()]
