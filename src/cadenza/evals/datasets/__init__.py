"""The datasets shipped with Cadenza: labeled replies, and prospects with a sender."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def dataset_file(*parts: str) -> Path:
    """A file of the shipped datasets, e.g. ``dataset_file("prospects", "sender.json")``."""
    return Path(str(resources.files(__name__).joinpath(*parts)))
