"""``cadenza demo``: the main job on embedded defaults, in a temporary workspace.

For now it exercises the foundation: a temporary SQLite database, a workspace with the sample
sender, the import of the sample prospects and their enrollment in the default playbook.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cadenza.agent.enrollment import EnrollReport, enroll_prospects
from cadenza.importer import ImportReport, import_prospects
from cadenza.playbooks import load_builtin
from cadenza.store import Database
from cadenza.store.workspaces import ensure_workspace

DATASET = "cadenza.evals.datasets"


def sample_file(*parts: str) -> Path:
    """A file of the shipped sample datasets."""
    return Path(str(resources.files(DATASET).joinpath(*parts)))


@dataclass
class DemoResult:
    """What the demo did, for the CLI to print."""

    workdir: Path
    imported: ImportReport
    enrolled: EnrollReport


def run_demo(*, workdir: Path | None = None, now: dt.datetime | None = None) -> DemoResult:
    """Run the demo in ``workdir`` (a new temporary folder by default)."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="cadenza-demo-"))
    db = Database(f"sqlite:///{workdir / 'demo.db'}")
    db.migrate()
    with db.session() as session:
        ws, _ = ensure_workspace(session=session, slug="demo", name="Demo agency")
        imported = import_prospects(session=session, workspace_id=ws.id or 0,
                                    path=sample_file("prospects", "prospects.jsonl"))
        enrolled = enroll_prospects(session=session, workspace=ws,
                                    playbook=load_builtin("ai-sdr-first-four"), now=now)
    db.dispose()
    return DemoResult(workdir=workdir, imported=imported, enrolled=enrolled)
