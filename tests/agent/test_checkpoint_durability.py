"""CADENZA_CHECKPOINT_DURABILITY decides when a touch's checkpoint is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from world import Clock, add_prospects, enroll, make_world

from cadenza.agent.graph import thread_config
from cadenza.agent.service import open_agent
from cadenza.config import Settings
from cadenza.store import Database

from support.smtp import SmtpServer


@pytest.mark.parametrize(("durability", "per_node"), [("exit", False), ("sync", True)])
def test_the_setting_decides_how_many_checkpoints_a_run_leaves(
        durability: str, per_node: bool, sqlite_db: Database, tmp_path: Path,
        smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, [{"id": "d1", "email": "dana@kestrel.example", "first_name": "Dana"}])
    enroll(world)
    settings = world.settings.model_copy(update={"checkpoint_durability": durability})
    with open_agent(settings, world.db, clock=Clock(), jitter=(0.0, 0.0)) as agent:
        assert agent.runner.durability == durability
        report = agent.scheduler.tick()
        assert report.count("sent") == 1
        history = list(agent.runner.graph.get_state_history(
            thread_config(report.results[0].touch_id)))  # type: ignore[arg-type]
    # load_context, guard, draft, check, approve, deliver, record: one checkpoint each when
    # written per node; only the final one (and the input) when written at exit
    assert (len(history) >= 7) is per_node
    assert history[0].values["outcome"] == "sent"
    assert len(smtp_server.sink.messages) == 1


def test_an_unknown_durability_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_CHECKPOINT_DURABILITY", "sometimes")
    with pytest.raises(ValidationError, match="checkpoint_durability"):
        Settings()
