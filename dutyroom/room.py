"""A room's whole configuration: checks.toml plus its playbooks, validated together.

`load_room` is what `dutyroom check`, the console and `serve` (on start and on reload) use, so a room that
passes `check` is exactly a room that runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.config.problems import ConfigError, Problem, ProblemCollector
from dutyroom.config.typed_toml import read_toml_file
from dutyroom.playbooks.library import (
    LibraryFit,
    PlaybookLibrary,
    RuleReference,
    check_playbook_references,
    library_fit,
    read_playbooks,
)


@dataclass(frozen=True)
class Room:
    config: LoadedConfig
    playbooks: PlaybookLibrary
    fit: LibraryFit = field(default_factory=LibraryFit)
    """What `check` tells but does not refuse: shipped rules the (copied) playbooks name that this room lacks."""


def playbooks_dir_for(config_path: Path, override: Path | None = None) -> Path:
    return override if override is not None else config_path.parent / "playbooks"


def check_room(
    config_path: Path, playbooks_dir: Path | None = None, *, require_env: bool = True, resolve_secrets: bool = True
) -> tuple[Room | None, list[Problem]]:
    """Load config and playbooks, reporting every problem of both (sorted by file, line, column)."""
    problems: list[Problem] = []
    config: LoadedConfig | None = None
    try:
        config = load_config(config_path, require_env=require_env, resolve_secrets=resolve_secrets)
    except ConfigError as error:
        problems.extend(error.problems)
    directory = playbooks_dir_for(config_path, playbooks_dir)
    library, playbook_problems = read_playbooks(directory)
    if directory.exists() or _is_seat(config, config_path) is False:
        problems.extend(playbook_problems)  # a seat (with [[site_link]]) may have no playbooks of its own
    if config is not None:
        problems.extend(_reference_problems(config, library))
    if problems or config is None:
        return None, sorted(problems)
    return Room(config, library, _fit(config, library)), []


def _is_seat(config: LoadedConfig | None, config_path: Path) -> bool | None:
    """Whether checks.toml is a seat's (it has `[[site_link]]`), even when it has errors; None when it does not
    parse, so whether it needs playbooks is not known (and its own error is what `check` reports)."""
    if config is not None:
        return bool(config.parsed.site_link)
    data = read_toml_file(config_path, ProblemCollector(str(config_path)))  # its problems are already reported
    return None if data is None else bool(data.get("site_link"))


def room_of(config: LoadedConfig, playbooks_dir: Path | None = None) -> tuple[Room | None, list[Problem]]:
    """A room around a config already loaded (e.g. the poller's published one), with the playbooks beside it."""
    library, problems = read_playbooks(playbooks_dir_for(config.path, playbooks_dir))
    problems.extend(_reference_problems(config, library))
    if problems:
        return None, sorted(problems)
    return Room(config, library, _fit(config, library)), []


def _rule_references(config: LoadedConfig) -> list[RuleReference]:
    return [(rule.id, rule.playbook, config_positions(config, index)) for index, rule in enumerate(config.parsed.rule)]


def _reference_problems(config: LoadedConfig, library: PlaybookLibrary) -> list[Problem]:
    problems = check_playbook_references(
        library.all(), _rule_references(config), str(config.path), config.parsed.defaults.require_playbook
    )
    return problems + _duty_playbook_problems(config, library)


def _fit(config: LoadedConfig, library: PlaybookLibrary) -> LibraryFit:
    return library_fit(library.all(), _rule_references(config), str(config.path))


def _duty_playbook_problems(config: LoadedConfig, library: PlaybookLibrary) -> list[Problem]:
    """A duty's checklist (and its missed-duty playbook) must exist; the checklist must be a checklist."""
    problems: list[Problem] = []
    for index, duty in enumerate(config.parsed.duty):
        for key, playbook_id in (("playbook", duty.playbook), ("missed_playbook", duty.missed_playbook)):
            if not playbook_id:
                continue
            found = [item for item in library.all() if item.id == playbook_id]
            line, col = config.positions.locate(("duty", index, key), value=True)
            if not found:
                problems.append(Problem(str(config.path), line, col, f"duty '{duty.id}': no playbook '{playbook_id}'"))
            elif key == "playbook" and not found[0].is_checklist:
                message = f"duty '{duty.id}': playbook '{playbook_id}' is not a checklist (kind = \"checklist\")"
                problems.append(Problem(str(config.path), line, col, message))
    return problems


def load_room(config_path: Path, playbooks_dir: Path | None = None) -> Room:
    room, problems = check_room(config_path, playbooks_dir)
    if room is None:
        raise ConfigError(problems)
    return room


def config_positions(config: LoadedConfig, rule_index: int) -> tuple[int, int]:
    """Where rule number `rule_index` names its playbook (or the rule itself), for problems."""
    return config.positions.locate(("rule", rule_index, "playbook"), value=True)
