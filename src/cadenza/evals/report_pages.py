"""The eval reports' pages: jinja2 templates in ``evals/templates/`` with autoescape on, as the
API renders its pages, so a value that came from a prospect, a draft, a label file or a model
is text on the page whatever it holds — escaping is the template engine's job, not each call's.

Every page is one self-contained file (inline CSS and SVG, no script, no external asset), so it
opens from a CI artifact or a mail attachment. ``visible`` shows invisible control and bidi
characters as ``[U+202E]``, so a reviewer sees them instead of being misled by them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

_CONTROL_RE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e"
                         "\u2066-\u2069\ufeff]")


def visible(value: object) -> str:
    """``value`` as text with its control and bidi-override characters spelled out."""
    text = "" if value is None else str(value)
    return _CONTROL_RE.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The reports' environment (cached: templates are package data and never change)."""
    env = Environment(loader=PackageLoader("cadenza.evals", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["visible"] = visible
    return env


def render_page(name: str, /, **context: Any) -> str:
    """Render template ``name`` of ``evals/templates`` strictly, escaping every value."""
    return environment().get_template(name).render(**context)
