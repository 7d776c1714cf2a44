"""`dutyroom check`, `dutyroom schema`, `dutyroom test-rules`: validate config, publish its schema, test rules."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutyroom.config.problems import Problem


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    check = commands.add_parser("check", parents=[common], help="validate checks.toml, profiles and playbooks")
    check.add_argument("--playbooks", type=Path, help="playbooks directory (default: beside checks.toml)")
    check.set_defaults(handler=cmd_check)

    schema = commands.add_parser("schema", help="print the JSON Schema of checks.toml")
    schema.set_defaults(handler=cmd_schema)

    rules = commands.add_parser("test-rules", help="run rule unit tests (see dutyroom/rules/rule_tests.py)")
    rules.add_argument("files", nargs="+", type=Path)
    rules.set_defaults(handler=cmd_test_rules)


def cmd_check(args: argparse.Namespace) -> int:
    report = validate_all(args.config, args.playbooks, now=time.time())
    for problem in report.problems:
        print(problem)
    if report.problems:
        print(f"{len(report.problems)} problem(s)")
        return 1
    print(f"ok: {report.summary}")
    for warning in report.warnings:
        print(warning)
    return 0


@dataclass(frozen=True)
class CheckReport:
    problems: list[Problem]
    """Sorted; any problem fails the check."""
    summary: str
    """One line, when there are no problems."""
    warnings: list[str]
    """Things to do that do not fail the check (a calendar running out, a draft calendar, a copied playbook naming a
    shipped rule the room lacks), as `where: warning: ...`."""


def validate_all(config_path: Path, playbooks_dir: Path | None = None, *, now: float) -> CheckReport:
    """Every problem found, a one-line summary when there are none, and the warnings as of `now`.

    checks.toml and the playbooks are checked by `dutyroom.room`; what only the collectors know (profiles,
    the metrics targets give, the trap receiver) by `collectors.config_check`, once checks.toml itself loads.
    """
    from datetime import UTC, datetime

    from collectors.config_check import assess_collectors
    from dutyroom.config.calendar_coverage import calendar_notices
    from dutyroom.config.load import load_config
    from dutyroom.config.problems import ConfigError
    from dutyroom.room import check_room

    room, problems = check_room(config_path, playbooks_dir, require_env=False)
    loaded = room.config if room is not None else None
    if loaded is None and not any(problem.file == str(config_path) for problem in problems):
        try:  # checks.toml is fine and only playbooks are not: the collectors' checks still apply
            loaded = load_config(config_path, require_env=False)
        except ConfigError:
            loaded = None
    collectors = assess_collectors(loaded) if loaded is not None else None
    if collectors is not None:
        problems = sorted(set(problems) | set(collectors.problems))
    if room is None or collectors is None or problems:
        return CheckReport(problems, "", [])
    config = room.config.parsed
    summary = f"{len(config.target)} targets, {len(config.rule)} rules, {len(room.playbooks.ids())} playbooks"
    if room.config.unset_env:
        names = ", ".join(sorted(set(room.config.unset_env)))
        summary += f" (secrets from environment variables not set here: {names}; set them where dutyroom runs)"
    if room.config.unwritten_secret_files:
        paths = ", ".join(sorted(set(room.config.unwritten_secret_files)))
        summary += f" (secret files not written yet here: {paths}; write them, mode 0600, where dutyroom runs)"
    if idle := room.fit.idle:
        names = ", ".join(idle[:5]) + (f" and {len(idle) - 5} more" if len(idle) > 5 else "")
        summary += f" ({len(idle)} playbooks name only shipped rules this room does not define: {names})"
    if collectors.waiting_rules:
        waiting = collectors.waiting_rules
        names = ", ".join(waiting[:5]) + (f" and {len(waiting) - 5} more" if len(waiting) > 5 else "")
        summary += f" ({len(waiting)} rules wait for a target that gives their metric: {names})"
    calendar = room.config.calendar
    notices = calendar_notices(calendar, datetime.fromtimestamp(now, UTC)) if calendar is not None else []
    warnings = [f"{notice.where + ': ' if notice.where else ''}warning: {notice.en}" for notice in notices]
    warnings += [f"{note.file}:{note.line}:{note.col}: warning: {note.message}" for note in room.fit.notes]
    return CheckReport(problems, summary, warnings)


def cmd_schema(args: argparse.Namespace) -> int:
    from dutyroom.config.types import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_test_rules(args: argparse.Namespace) -> int:
    from dutyroom.rules.rule_tests import run_rule_test

    failed = 0
    for path in args.files:
        result = run_rule_test(path)
        for problem in result.problems:
            print(problem)
        status = "PASS" if result.passed else "FAIL"
        about = f"{len(result.problems)} problem(s)" if result.problems else result.name
        print(f"{status} {path}: {about}")
        for failure in result.failures:
            print(f"  {failure}")
        failed += 0 if result.passed else 1
    print(f"{len(args.files) - failed} passed, {failed} failed")
    return 1 if failed else 0
