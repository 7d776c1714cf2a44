"""Everything `dutyroom check` validates: checks.toml, the SNMP profiles it names, and the playbooks."""

from __future__ import annotations

from pathlib import Path

from dutyroom.config import load_config
from dutyroom.problems import ConfigError, Problem


def validate_all(config_path: Path, playbooks_dir: Path | None = None) -> tuple[list[Problem], str]:
    """Every problem found (sorted), and a one-line summary when there are none."""
    try:
        config = load_config(config_path)
    except ConfigError as error:
        return list(error.problems), ""
    problems: list[Problem] = []
    summary = f"{len(config.config.target)} targets, {len(config.rules)} rules"
    return sorted(problems), summary
