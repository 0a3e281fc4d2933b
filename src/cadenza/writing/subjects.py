"""Subject styles: the same email under another subject line, for an A/B variant to test.

The style is applied by code after either drafter has written its subject, so a variant means
the same thing with the template drafter and with an LLM (and the LLM's cached prompt does not
change). ``company`` is the prospect's company name alone — short subjects that name the
reader's company are a classic of cold email; ``first_name`` puts the prospect's first name
before the drafted subject. A follow-up keeps its ``Re:`` subject (it is a reply in a thread),
and a style that cannot be applied (no usable company or name, a subject that would pass the
checker's 60 characters) leaves the drafted subject as it is.
"""

from __future__ import annotations

from cadenza.prospects import ProspectIn
from cadenza.writing.fields import safe_field
from cadenza.writing.names import display_first_name, fix_field_case

MAX_SUBJECT = 60


def styled_subject(subject: str, style: str, prospect: ProspectIn) -> str:
    """``subject`` written in ``style`` (``template``, ``company`` or ``first_name``)."""
    if style == "template" or not subject or subject.lower().startswith("re:"):
        return subject
    styled = subject
    if style == "company":
        company = safe_field(prospect.company, max_len=MAX_SUBJECT)
        styled = fix_field_case(company) if company else subject
    elif style == "first_name":
        name = display_first_name(prospect)
        if name:
            lowered = subject[:1].lower() + subject[1:] if subject[1:2].islower() else subject
            styled = f"{name}, {lowered}"
    return styled if len(styled) <= MAX_SUBJECT else subject


def fitted_subject(subject: str) -> str:
    """A subject over :data:`MAX_SUBJECT` characters said without its " at <company>" or
    " for <company>" tail ("audit-ready sustainability numbers at Emerald Isle Contract
    Foods" is 65): the checker would hold the email for its length, and the topic alone
    still says what it is about."""
    if len(subject) <= MAX_SUBJECT or subject.lower().startswith("re:"):
        return subject
    for joint in (" at ", " for ", " bei ", " für ", " chez ", " pour ", " para ", " en ",
                  " per ", " voor ", " bij ", " dla ", " w ", " hos ", " för ", " på ", " til "):
        head = subject.rsplit(joint, 1)[0]
        if head != subject and 0 < len(head) <= MAX_SUBJECT:
            return head
    return subject

