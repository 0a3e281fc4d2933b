"""Prompt and message templates (jinja2 ``*.j2`` files shipped in this package).

One ``render`` helper with ``StrictUndefined``: a missing variable raises instead of letting
"Hi ," go out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATE_DIR = Path(__file__).parent


@lru_cache(maxsize=4)
def environment(autoescape: bool = False) -> jinja2.Environment:
    """The jinja2 environment for this package's templates (cached; templates are immutable)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, /, *, autoescape: bool = False, **ctx: Any) -> str:
    """Render template ``name`` (relative to this folder) strictly."""
    return environment(autoescape).get_template(name).render(**ctx)


def template_names() -> list[str]:
    """Every template shipped in the package, for tests that render them all."""
    return sorted(
        str(p.relative_to(TEMPLATE_DIR)) for p in TEMPLATE_DIR.rglob("*.j2")
    )
