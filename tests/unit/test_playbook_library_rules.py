"""A shipped playbook library works with any room: a shipped rule the room lacks is noted, a typo is refused.

A site copies the shipped playbooks (`dutyroom init`) and writes a smaller checks.toml. The playbooks'
`applies_to.rules` then name rules the room does not define; `check` notes them (the playbook simply is not
started by alerts of that rule here) instead of failing. A name that is neither a rule of the room nor a
shipped rule (a typo, a rule the site deleted) stays an error at file:line:col.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from dutyroom.playbooks.library import check_playbook_references, library_fit, load_playbooks
from dutyroom.playbooks.library_rules import SHIPPED_RULE_IDS
from dutyroom.room import check_room
from tui.cli.check import validate_all
from tui.demo.shipped import shipped_config, shipped_room

WRITTEN_AT = 1_780_000_000.0
"""2026-05-28: inside the shipped calendars, so `check` says nothing about them."""


def write(root: Path, lang: str, playbook_id: str, rules: str) -> Path:
    path = root / lang / f"{playbook_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    heading = "## Steps" if lang == "en" else "## 步骤"
    path.write_text(
        f'+++\nid = "{playbook_id}"\nlang = "{lang}"\ntitle = "{playbook_id}"\nseverity = "critical"\n'
        f"applies_to = {{ rules = [\n{rules}] }}\n+++\n\n{heading}\n\n1. Call.\n2. Check.\n",
        encoding="utf-8",
    )
    return path


ROOM_RULES = [("ups-on-battery", "mains-failure", (3, 1))]
"""A small room: one rule of the shipped library, naming a shipped playbook."""


def test_a_shipped_rule_the_room_lacks_is_no_problem(tmp_path: Path) -> None:
    write(tmp_path, "en", "mains-failure", '  "ups-on-battery",\n  "ups-output-off",\n')
    library = load_playbooks(tmp_path)
    assert check_playbook_references(library.all(), ROOM_RULES, "checks.toml", True) == []


def test_a_shipped_rule_the_room_lacks_is_noted_once_per_playbook_at_its_first_entry(tmp_path: Path) -> None:
    english = write(tmp_path, "en", "mains-failure", '  "ups-on-battery",\n  "ups-output-off",\n  "ups-on-bypass",\n')
    write(tmp_path, "zh", "mains-failure", '  "ups-on-battery",\n  "ups-output-off",\n  "ups-on-bypass",\n')
    library = load_playbooks(tmp_path)
    fit = library_fit(library.all(), ROOM_RULES, "checks.toml")
    assert [str(note) for note in fit.notes] == [
        f"{english}:8:3: applies_to names shipped rules that checks.toml does not define: 'ups-output-off',"
        " 'ups-on-bypass' (their alerts cannot start it here)"
    ]
    assert fit.idle == ()


def test_a_playbook_naming_only_shipped_rules_the_room_lacks_is_idle_not_a_note_each(tmp_path: Path) -> None:
    write(tmp_path, "en", "mains-failure", '  "ups-on-battery",\n')
    write(tmp_path, "en", "ups-bypass", '  "ups-on-bypass",\n')
    write(tmp_path, "zh", "ups-bypass", '  "ups-on-bypass",\n')
    write(tmp_path, "en", "pdu-overload", '  "pdu-overload",\n  "pdu-load-state",\n')
    library = load_playbooks(tmp_path)
    fit = library_fit(library.all(), ROOM_RULES, "checks.toml")
    assert (fit.notes, fit.idle) == ((), ("pdu-overload", "ups-bypass"))


def test_a_playbook_a_rule_of_the_room_names_is_in_use_even_if_its_applies_to_is_all_shipped(tmp_path: Path) -> None:
    path = write(tmp_path, "en", "mains-failure", '  "ups-output-off",\n')
    library = load_playbooks(tmp_path)
    fit = library_fit(library.all(), ROOM_RULES, "checks.toml")
    assert [(note.file, note.line) for note in fit.notes] == [(str(path), 7)]
    assert fit.idle == ()


def test_no_note_when_the_room_defines_every_rule_named(tmp_path: Path) -> None:
    write(tmp_path, "en", "mains-failure", '  "ups-on-battery",\n')
    library = load_playbooks(tmp_path)
    assert library_fit(library.all(), ROOM_RULES, "checks.toml") == library_fit([], ROOM_RULES, "checks.toml")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("ups-on-batery", "rule 'ups-on-batery', which is not in checks.toml (did you mean 'ups-on-battery'?)"),
        ("ups-on-bypas", "rule 'ups-on-bypas', which is not in checks.toml (did you mean 'ups-on-bypass'?)"),
        ("frobnicate", "rule 'frobnicate', which is not in checks.toml"),
    ],
)
def test_a_name_neither_in_the_room_nor_shipped_stays_an_error_at_its_entry(
    tmp_path: Path, entry: str, expected: str
) -> None:
    path = write(tmp_path, "en", "mains-failure", f'  "ups-on-battery",\n  "{entry}",\n')
    library = load_playbooks(tmp_path)
    problems = [str(problem) for problem in check_playbook_references(library.all(), ROOM_RULES, "checks.toml", True)]
    assert problems == [f"{path}:8:3: applies_to names {expected}"]
    assert library_fit(library.all(), ROOM_RULES, "checks.toml").notes == ()


def test_the_shipped_rule_ids_are_the_rules_of_the_shipped_checks_toml() -> None:
    document = tomllib.loads(shipped_config().read_text(encoding="utf-8"))
    assert frozenset(rule["id"] for rule in document["rule"]) == SHIPPED_RULE_IDS


SMALL_ROOM = """
[site]
name = "a small room"

[[target]]
id = "ups-1"
group = "power"
kind = "tcp"
address = "tcp://127.0.0.1:1"

[[rule]]
id = "ups-on-battery"
kind = "reachability"
targets = ["ups-1"]
playbook = "mains-failure"
"""


@pytest.fixture
def small_room(tmp_path: Path) -> Path:
    """A room with one rule and every shipped playbook, as `dutyroom init` copies them."""
    (tmp_path / "checks.toml").write_text(SMALL_ROOM, encoding="utf-8")
    shutil.copytree(shipped_room() / "playbooks", tmp_path / "playbooks")
    return tmp_path


def test_a_small_room_with_the_whole_shipped_library_passes_check_with_notes(small_room: Path) -> None:
    room, problems = check_room(small_room / "checks.toml")
    assert problems == []
    assert room is not None
    mains = small_room / "playbooks" / "en" / "mains-failure.md"
    assert [note.file for note in room.fit.notes] == [str(mains)]  # the one playbook a rule of the room links
    assert "ups-bypass" in room.fit.idle
    assert "mains-failure" not in room.fit.idle
    report = validate_all(small_room / "checks.toml", now=WRITTEN_AT)
    assert report.problems == []
    assert f"{len(room.fit.idle)} playbooks name only shipped rules this room does not define" in report.summary
    assert [warning for warning in report.warnings if "applies_to" in warning] == [
        f"{mains}:8:43: warning: applies_to names shipped rules that {small_room / 'checks.toml'} does not define:"
        " 'ups-runtime-low', 'ups-output-off', 'dc-on-battery' (their alerts cannot start it here)"
    ]


def test_a_typo_in_a_copied_playbook_still_fails_check(small_room: Path) -> None:
    for lang in ("en", "zh"):
        path = small_room / "playbooks" / lang / "mains-failure.md"
        path.write_text(path.read_text(encoding="utf-8").replace('"ups-output-off"', '"ups-output-of"'), "utf-8")
    room, problems = check_room(small_room / "checks.toml")
    assert room is None
    assert [problem.message for problem in problems] == [
        "applies_to names rule 'ups-output-of', which is not in"
        f" {small_room / 'checks.toml'} (did you mean 'ups-output-off'?)"
    ] * 2
