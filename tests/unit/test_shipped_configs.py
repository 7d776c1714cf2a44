"""Every configuration the project ships or writes still loads under the strict per-kind types.

The kinds-as-types change must not refuse a file people already have: the shipped room, the rule tests'
room, the copy `dutyroom demo` writes, and the stanzas `dutyroom discover` prints for each shipped profile.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from collectors.discover import DiscoveryResult, checks_stanza
from collectors.snmp.profiles import installed_profile_names
from dutyroom.config.load import load_config
from dutyroom.config.types import SnmpTarget
from tui.demo.catalog import SERVICES, SNMP_DEVICES
from tui.demo.config_writer import RoomAddresses, effective_document, generate_secrets

PROJECT = Path(__file__).resolve().parents[2]
SHIPPED = PROJECT / "checks.toml"
RULE_TESTS = sorted((PROJECT / "tests" / "rules").rglob("*.test.toml")) + sorted(
    (PROJECT / "tests" / "rules" / "failing").glob("*.toml")
)


def configs_named_by_rule_tests() -> list[Path]:
    named = {(test.parent / tomllib.loads(test.read_text(encoding="utf-8"))["config"]).resolve() for test in RULE_TESTS}
    return sorted(named)


@pytest.mark.parametrize(
    "path",
    [SHIPPED, *configs_named_by_rule_tests()],
    ids=lambda path: str(path.relative_to(PROJECT)),
)
def test_a_shipped_config_loads(path: Path) -> None:
    loaded = load_config(path, require_env=False)
    assert loaded.parsed.target


def test_the_shipped_room_keeps_every_target_and_rule(tmp_path: Path) -> None:
    document = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    loaded = load_config(SHIPPED, require_env=False)
    assert [(target.id, target.kind) for target in loaded.parsed.target] == [
        (target["id"], target["kind"]) for target in document["target"]
    ]
    assert [(rule.id, rule.kind) for rule in loaded.parsed.rule] == [
        (rule["id"], rule.get("kind", "threshold")) for rule in document["rule"]
    ]


def test_the_demo_copy_of_the_room_loads(tmp_path: Path) -> None:
    addresses = RoomAddresses(
        snmp_ports={device.name: 20000 + index for index, device in enumerate(SNMP_DEVICES)},
        service_ports={service.name: 21000 + index for index, service in enumerate(SERVICES)},
        trap_port=22000,
    )
    document, _ = effective_document(SHIPPED, addresses, generate_secrets(), tmp_path)
    path = tmp_path / "checks.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    loaded = load_config(path, require_env=False)
    assert len(loaded.parsed.target) == len(document["target"])


@pytest.mark.parametrize("profile", sorted(installed_profile_names()))
def test_a_discovered_stanza_loads_for_every_shipped_profile(tmp_path: Path, profile: str) -> None:
    result = DiscoveryResult("127.0.0.1", 1161, profiles=(profile,), interfaces_up=("GE1/0/1",))
    stanza = checks_stanza(result, target_id="found", known_playbooks=())
    stanza["target"][0]["group"] = "found"
    path = tmp_path / "checks.toml"
    path.write_text('[site]\nname = "room"\n\n' + tomli_w.dumps(stanza), encoding="utf-8")
    (target,) = load_config(path, environ={}).parsed.target
    assert isinstance(target, SnmpTarget)
    assert target.profile == profile
