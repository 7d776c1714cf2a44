"""Everything `dutyroom check` validates: checks.toml, its playbooks, and the SNMP profiles it names."""

from __future__ import annotations

from pathlib import Path

from dutyroom.problems import Problem
from dutyroom.room import check_room


def validate_all(config_path: Path, playbooks_dir: Path | None = None) -> tuple[list[Problem], str]:
    """Every problem found (sorted), and a one-line summary when there are none."""
    room, problems = check_room(config_path, playbooks_dir, require_env=False)
    if room is None:
        return problems, ""
    config = room.config.config
    summary = f"{len(config.target)} targets, {len(config.rule)} rules, {len(room.playbooks.ids())} playbooks"
    if room.config.unset_env:
        names = ", ".join(sorted(set(room.config.unset_env)))
        summary += f" (secrets from environment variables not set here: {names}; set them where dutyroom runs)"
    return problems, summary
