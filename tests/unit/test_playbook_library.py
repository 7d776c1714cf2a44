"""The playbook library: language selection and fallback, matching alerts, and references to and from rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.playbooks.library import PlaybookLibrary, check_playbook_references, load_playbooks


def write(root: Path, lang: str, playbook_id: str, front: str = "", title: str = "", steps: int = 2) -> Path:
    path = root / lang / f"{playbook_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    heading = "## Steps" if lang == "en" else "## 步骤"
    items = "".join(f"{number}. Step {number}.\n" for number in range(1, steps + 1))
    text = (
        f'+++\nid = "{playbook_id}"\nlang = "{lang}"\ntitle = "{title or playbook_id}"\nseverity = "critical"\n'
        f"{front}+++\n\n{heading}\n\n{items}"
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path: Path) -> PlaybookLibrary:
    write(tmp_path, "en", "mains", 'applies_to = { rules = ["ups-on-battery"] }\n', "Mains failure")
    write(tmp_path, "zh", "mains", 'applies_to = { rules = ["ups-on-battery"] }\n', "市电中断")
    write(tmp_path, "zh", "leak", 'applies_to = { groups = ["environment"] }\n', "漏水")
    write(tmp_path, "en", "ups-a-only", 'applies_to = { targets = ["ups-a"] }\n', "UPS A")
    write(tmp_path, "en", "pre-open", 'kind = "checklist"\n', "Pre-open check")
    return load_playbooks(tmp_path)


def shown(library: PlaybookLibrary, playbook_id: str, lang: str) -> tuple[str, str]:
    playbook = library.get(playbook_id, lang)
    assert playbook is not None
    return playbook.lang, playbook.title


def test_get_prefers_the_language_and_falls_back(library: PlaybookLibrary) -> None:
    assert shown(library, "mains", "zh") == ("zh", "市电中断")
    assert shown(library, "mains", "en") == ("en", "Mains failure")
    assert shown(library, "leak", "en") == ("zh", "漏水")
    assert shown(library, "pre-open", "zh") == ("en", "Pre-open check")
    assert library.get("absent", "en") is None


def test_ids_languages_and_checklists(library: PlaybookLibrary) -> None:
    assert library.ids() == ("leak", "mains", "pre-open", "ups-a-only")
    assert library.languages("mains") == ("en", "zh")
    assert library.languages("leak") == ("zh",)
    assert [playbook.id for playbook in library.checklists("zh")] == ["pre-open"]
    assert [playbook.lang for playbook in library.in_language("zh")] == ["zh", "zh", "en", "en"]


def test_for_alert_ranks_rule_then_target_then_group(library: PlaybookLibrary) -> None:
    found = library.for_alert("ups-on-battery", "environment", "ups-a", "zh")
    assert [(playbook.id, playbook.lang) for playbook in found] == [
        ("mains", "zh"),
        ("ups-a-only", "en"),
        ("leak", "zh"),
    ]
    assert library.for_alert("other-rule", "power", "ups-b", "en") == ()


def test_ids_for_rule(library: PlaybookLibrary) -> None:
    assert library.ids_for_rule("ups-on-battery") == frozenset({"mains"})
    assert library.ids_for_rule("nothing") == frozenset()


def test_references_from_rules(library: PlaybookLibrary) -> None:
    rules = [
        ("ups-on-battery", "mains", (10, 1)),
        ("water-leak", "leek", (20, 1)),
        ("humidity", None, (30, 1)),
        ("pre-open-rule", "pre-open", (40, 3)),
    ]
    problems = [str(problem) for problem in check_playbook_references(library.all(), rules, "checks.toml", True)]
    assert problems == [
        "checks.toml:20:1: rule 'water-leak' names playbook 'leek', which is not in the playbook library"
        " (did you mean 'leak'?)",
        "checks.toml:30:1: rule 'humidity' names no playbook",
        "checks.toml:40:3: rule 'pre-open-rule' names checklist 'pre-open'; checklists are run by hand, not by alerts",
    ]
    optional = check_playbook_references(library.all(), rules, "checks.toml", False)
    assert all("names no playbook" not in problem.message for problem in optional)


def test_applies_to_naming_a_missing_rule_is_placed_at_the_entry(tmp_path: Path) -> None:
    front = 'applies_to = { rules = [\n  "ups-on-battery",\n  "ups-runtime-lo",\n] }\n'
    path = write(tmp_path, "en", "mains", front)
    library = load_playbooks(tmp_path)
    rules = [("ups-on-battery", "mains", (3, 1)), ("ups-runtime-low", "mains", (9, 1))]
    problems = [str(problem) for problem in check_playbook_references(library.all(), rules, "checks.toml", False)]
    assert problems == [
        f"{path}:8:3: applies_to names rule 'ups-runtime-lo', which is not in checks.toml"
        " (did you mean 'ups-runtime-low'?)"
    ]
