"""The JSON Schema shipped for editors is generated from the config types and kept up to date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dutyroom.config.types import json_schema

SHIPPED = Path(__file__).resolve().parents[2] / "schema" / "checks.schema.json"
TARGET_KINDS = {
    "SnmpTarget": "snmp",
    "HttpTarget": "http",
    "TcpTarget": "tcp",
    "HostTarget": "host",
    "TrapTarget": "trap",
}
RULE_KINDS = {"ThresholdRule": "threshold", "ReachabilityRule": "reachability", "CapacityRule": "capacity"}


def definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = json_schema()["$defs"]  # type: ignore[assignment]
    return definitions


def keys_of(name: str) -> set[str]:
    return set(definitions()[name]["properties"])


def test_shipped_schema_matches_the_types() -> None:
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == json_schema(), (
        "schema/checks.schema.json is out of date: run `dutyroom schema > schema/checks.schema.json`"
    )


def test_schema_documents_every_rule_key() -> None:
    every_rule_key = set().union(*(keys_of(name) for name in RULE_KINDS))
    assert {"for", "keep_firing_for", "when", "severity", "clear", "playbook", "factor"} <= every_rule_key
    assert definitions()["ThresholdRule"]["properties"]["when"]["description"]


def test_the_schema_says_per_kind_which_keys_a_target_has() -> None:
    assert {"address", "profile", "interfaces", "retries", "trap_sources"} <= keys_of("SnmpTarget")
    assert not {"url", "fields", "mounts"} & keys_of("SnmpTarget")
    assert {"url", "fields", "prometheus", "credentials"} <= keys_of("HttpTarget")
    assert not {"profile", "interfaces", "community", "address"} & keys_of("HttpTarget")
    assert not {"interfaces", "credentials", "retries"} & keys_of("TcpTarget")
    assert {"trap_sources"} <= keys_of("TrapTarget")
    assert not {"interval", "timeout", "attempts"} & keys_of("TrapTarget")
    for name, kind in TARGET_KINDS.items():
        target = definitions()[name]
        assert target["additionalProperties"] is False
        assert target["properties"]["kind"] == {"enum": [kind]}
        assert {"id", "group", "kind"} <= set(target["required"])


def test_only_a_threshold_rule_may_leave_out_its_kind() -> None:
    rule_items = definitions()["Config"]["properties"]["rule"]["items"]
    assert "discriminator" not in rule_items
    assert {item["$ref"].rsplit("/", 1)[-1] for item in rule_items["anyOf"]} == set(RULE_KINDS)
    for name, kind in RULE_KINDS.items():
        rule = definitions()[name]
        assert rule["properties"]["kind"] == {"enum": [kind]}
        assert ("kind" in rule["required"]) == (kind != "threshold")
    assert "metric" not in keys_of("ReachabilityRule")
    assert "factor" not in keys_of("ThresholdRule")
