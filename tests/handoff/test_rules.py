"""Routing rules YAML: validation errors name file, line and field; saving applies rep rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from handoff_world import MONDAY_10, rep, workspace
from sqlmodel import select

from cadenza.handoff.rules import (
    RoutingError,
    load_routing_file,
    parse_routing,
    routing_for,
    save_routing,
)
from cadenza.store import Database
from cadenza.store.models import Rep, Workspace

GOOD = """\
sla_minutes: 20
timezone: Europe/Berlin
working_hours:
  mon-fri: ["09:00-12:30", "13:30-17:30"]
fallback_queue: sales-desk
cc_owner: true
escalation:
  reassign_after: 45
  max_reassignments: 1
  notify: [lead@agency.test]
regions:
  alps: [CH, AT, LI]
reps:
  - email: Anna@Agency.test
    name: Anna
    timezone: Europe/Vienna
    territories: [ALPS, DE]
    languages: [de, en-GB]
    capacity: 25
    weight: 2
  - email: ben@agency.test
    away: true
"""


def test_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text(GOOD)
    cfg = load_routing_file(path)
    assert cfg.sla_minutes == 20 and cfg.escalation.reassign_after == 45
    assert cfg.reps[0].email == "anna@agency.test" and cfg.reps[0].languages == ["de", "en"]
    assert cfg.countries_of("alps") == {"CH", "AT", "LI"}
    assert cfg.countries_of("EMEA") is not None and "DE" in cfg.countries_of("EMEA")  # type: ignore[operator]
    assert cfg.hours().timezone == "Europe/Berlin"


@pytest.mark.parametrize("text, line, field, message", [
    ("sla_minutes: 15\ncapcity: 3\n", 2, "capcity", "Extra inputs are not permitted"),
    ("reps:\n  - email: a@b.test\n    weight: 0\n", 3, "reps.0.weight", "greater than 0"),
    ("reps:\n  - email: a@b.test\n  - email: c@d.test\n    timezone: Mars/Base\n", 4,
     "reps.1.timezone", "unknown time zone"),
    ("working_hours:\n  mon-fri: 17:00-09:00\n", 2, "working_hours", "ends before it starts"),
    ("escalation:\n  reassign_after: soon\n", 2, "escalation.reassign_after", "integer"),
    ("reps:\n  - email: a@b.test\n  - email: A@b.test\n", 1, None, "listed twice"),
])
def test_errors_name_file_line_and_field(tmp_path: Path, text: str, line: int,
                                         field: str | None, message: str) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text(text)
    with pytest.raises(RoutingError) as info:
        load_routing_file(path)
    err = info.value
    assert err.file == str(path)
    assert err.line == line
    assert err.field == field
    assert message in str(err)
    assert str(err).startswith(f"{path}:{line}: ")


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(RoutingError) as info:
        parse_routing("reps:\n  - email: [unclosed\n", origin="r.yaml")
    assert info.value.file == "r.yaml" and info.value.line == 3


def test_not_a_mapping_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RoutingError, match="must be a mapping"):
        parse_routing("- a\n- b\n", origin="r.yaml")
    with pytest.raises(RoutingError, match="cannot read"):
        load_routing_file(tmp_path / "nope.yaml")


def test_save_validates_stores_and_applies_reps(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        ben = rep(s, ws, "ben@agency.test", capacity=7)
        assert ws.id is not None
        save_routing(session=s, workspace_id=ws.id, config=parse_routing(GOOD, origin="x"),
                     now=MONDAY_10)
        reps = {r.email: r for r in s.exec(select(Rep).where(Rep.workspace_id == ws.id))}
        anna = reps["anna@agency.test"]
        assert (anna.name, anna.timezone, anna.capacity, anna.weight) == \
            ("Anna", "Europe/Vienna", 25, 2.0)
        assert anna.territories == ["ALPS", "DE"]
        assert reps["ben@agency.test"].away is True
        assert ben.capacity == 7  # not written in the file: left alone
        stored = s.get(Workspace, ws.id)
        assert stored is not None
        assert routing_for(stored).fallback_queue == "sales-desk"

        with pytest.raises(RoutingError) as info:
            save_routing(session=s, workspace_id=ws.id,
                         config={"reps": [{"email": "typo@agency.test"}]}, now=MONDAY_10)
        assert info.value.field == "reps.0.email"
        with pytest.raises(RoutingError) as info:
            save_routing(session=s, workspace_id=ws.id, config={"sla_minutes": 0},
                         now=MONDAY_10)
        assert info.value.field == "sla_minutes"


def test_defaults_when_nothing_saved(database: Database) -> None:
    with database.session() as s:
        cfg = routing_for(workspace(s))
        assert (cfg.sla_minutes, cfg.fallback_queue, cfg.cc_owner) == (15, "unassigned", False)
