"""The JSON Schema shipped for editors is generated from the config types and kept up to date."""

from __future__ import annotations

import json
from pathlib import Path

from dutyroom.config.types import json_schema

SHIPPED = Path(__file__).resolve().parents[2] / "schema" / "checks.schema.json"


def test_shipped_schema_matches_the_types() -> None:
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == json_schema(), (
        "schema/checks.schema.json is out of date: run `dutyroom schema > schema/checks.schema.json`"
    )


def test_schema_documents_every_rule_key() -> None:
    rule = json_schema()["$defs"]["Rule"]  # type: ignore[index]
    assert {"for", "keep_firing_for", "when", "severity", "clear", "playbook"} <= set(rule["properties"])
    assert rule["properties"]["when"]["description"]
