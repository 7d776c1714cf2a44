"""Playbook files with problems: every problem reported at once, each at its exact file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.problems import ConfigError
from dutyroom.playbooks.library import load_playbooks, read_playbooks

FRONT = """+++
id = "{id}"
lang = "{lang}"
title = "UPS on battery"
severity = "critical"
applies_to = {{ rules = ["ups-on-battery"] }}

[[contact]]
name = "Duty desk"
role = "Duty"
phone = "0755-8888-0100"

[[deadline]]
id = "call-vendor"
minutes = 10
step = 2
what = "Call the UPS vendor"
+++
"""
BODY = """
# UPS on battery

## Steps

1. Check the UPS panel.
2. {marker} Switch the UPS to bypass.
"""
MARKERS = {"en": "[two-person]", "zh": "【双人确认】"}


def playbook_text(playbook_id: str = "ups", lang: str = "en") -> str:
    return FRONT.format(id=playbook_id, lang=lang) + BODY.format(marker=MARKERS[lang])


def write(root: Path, lang: str, name: str, text: str) -> Path:
    path = root / lang / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(root: Path) -> list[str]:
    _, problems = read_playbooks(root)
    return [str(problem) for problem in problems]


def test_a_valid_playbook_loads_with_its_parts(tmp_path: Path) -> None:
    path = write(tmp_path, "en", "ups", playbook_text())
    library = load_playbooks(tmp_path)
    playbook = library.get("ups", "en")
    assert playbook is not None
    assert playbook.path == path
    assert [step.two_person for step in playbook.steps] == [False, True]
    assert playbook.steps[1].text == "Switch the UPS to bypass."
    assert playbook.steps[1].line == 25
    assert playbook.contacts[0].phone == "0755-8888-0100"
    assert playbook.deadlines[0].step == 2
    assert playbook.applies_to.rule_positions == ((6, 25),)


def test_toml_syntax_error_is_placed_on_the_file_line(tmp_path: Path) -> None:
    text = playbook_text().replace('title = "UPS on battery"', 'title = "UPS on battery')
    path = write(tmp_path, "en", "ups", text)
    problems = problems_of(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:4:")
    assert "TOML syntax error" in problems[0]


def test_unknown_key_and_wrong_type_are_both_reported(tmp_path: Path) -> None:
    text = playbook_text().replace('severity = "critical"', 'severity = 3\ncolour = "red"')
    path = write(tmp_path, "en", "ups", text)
    assert problems_of(tmp_path) == [
        f"{path}:5:12: Expected `str`, got `int` for 'severity'",
        f"{path}:6:1: unknown key 'colour'",
    ]


def test_unknown_key_in_a_deadline_suggests_the_right_one(tmp_path: Path) -> None:
    text = playbook_text().replace("minutes = 10", "minute = 10")
    path = write(tmp_path, "en", "ups", text)
    problems = problems_of(tmp_path)
    assert f"{path}:15:1: unknown key 'minute' in [deadline] (did you mean 'minutes'?)" in problems
    assert f"{path}:13:3: missing required key 'minutes' in [deadline]" in problems


def test_missing_id_and_title(tmp_path: Path) -> None:
    text = playbook_text().replace('id = "ups"\n', "").replace('title = "UPS on battery"\n', "")
    path = write(tmp_path, "en", "ups", text)
    assert problems_of(tmp_path) == [
        f"{path}:1:1: missing required key 'id'",
        f"{path}:1:1: missing required key 'title'",
    ]


def test_id_must_match_the_file_name_and_be_lower_case(tmp_path: Path) -> None:
    first = write(tmp_path, "en", "other", playbook_text("ups"))
    second = write(tmp_path, "en", "Bad", playbook_text("Bad"))
    assert problems_of(tmp_path) == [
        f"{second}:2:6: id 'Bad' must be lower-case letters, digits and '-'",
        f"{first}:2:6: id 'ups' does not match the file name 'other.md' (use ups.md)",
    ]


def test_duplicate_id_and_language(tmp_path: Path) -> None:
    write(tmp_path, "en", "a-ups", playbook_text("ups"))
    second = write(tmp_path, "en", "ups", playbook_text("ups"))
    problems = problems_of(tmp_path)
    first_path = tmp_path / "en" / "a-ups.md"
    assert f"{first_path}:2:6: id 'ups' does not match the file name 'a-ups.md' (use ups.md)" in problems
    assert f"{second}:2:6: playbook 'ups' (en) is already defined in {first_path}" in problems


def test_language_must_match_its_folder(tmp_path: Path) -> None:
    path = write(tmp_path, "en", "ups", playbook_text(lang="zh"))
    problems = problems_of(tmp_path)
    assert f"{path}:3:8: lang 'zh' in a file under 'en/'" in problems


def test_an_unknown_language_value(tmp_path: Path) -> None:
    path = write(tmp_path, "en", "ups", playbook_text().replace('lang = "en"', 'lang = "fr"'))
    assert problems_of(tmp_path) == [f"{path}:3:8: Invalid enum value 'fr' for 'lang'"]


def test_an_incident_playbook_without_steps(tmp_path: Path) -> None:
    path = write(tmp_path, "en", "ups", FRONT.format(id="ups", lang="en") + "\n# UPS\n\nCall someone.\n")
    problems = problems_of(tmp_path)
    assert f"{path}:19:1: no numbered steps ('1. ...') under a '## Steps' / '## 步骤' heading (incident)" in problems
    assert f"{path}:16:8: deadline step 2 does not exist (the playbook has 0 steps)" in problems


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        ("minutes = 0", "15:11: deadline minutes must be 1 to 10080 (a week), not 0"),
        ("minutes = 20000", "15:11: deadline minutes must be 1 to 10080 (a week), not 20000"),
        ('minutes = "10m"', "15:11: Expected `int`, got `str` for 'deadline.minutes'"),
        ("minutes = 1.5", "15:11: Expected `int`, got `float` for 'deadline.minutes'"),
    ],
)
def test_a_deadline_with_a_bad_duration(tmp_path: Path, replacement: str, expected: str) -> None:
    path = write(tmp_path, "en", "ups", playbook_text().replace("minutes = 10", replacement))
    assert problems_of(tmp_path) == [f"{path}:{expected}"]


def test_a_deadline_start_and_period_must_be_known(tmp_path: Path) -> None:
    text = playbook_text().replace("step = 2", 'step = 2\nfrom = "page"\nduring = ["lunch"]')
    path = write(tmp_path, "en", "ups", text)
    assert problems_of(tmp_path) == [
        f"{path}:17:8: Invalid enum value 'page' for 'deadline.from'",
        f"{path}:18:10: Invalid enum value 'lunch' for 'deadline.during'",
    ]


def test_misnumbered_steps_and_wrong_markers(tmp_path: Path) -> None:
    body = "\n## Steps\n\n1. One.\n3. 【双人确认】 Two.\n4. Three [two-person] here.\n"
    path = write(tmp_path, "en", "ups", FRONT.format(id="ups", lang="en") + body)
    assert problems_of(tmp_path) == [
        f"{path}:23:1: step numbered 3, expected 2 (number steps 1, 2, 3 ...)",
        f"{path}:23:4: unknown step marker '【双人确认】'; the two-person marker is '[two-person]'",
        f"{path}:24:1: step numbered 4, expected 3 (number steps 1, 2, 3 ...)",
        f"{path}:24:4: a two-person marker must be the first thing in a step: '[two-person] ...'",
    ]


def test_front_matter_missing_or_unclosed(tmp_path: Path) -> None:
    missing = write(tmp_path, "en", "a", "# No front matter\n\n## Steps\n\n1. One.\n")
    unclosed = write(tmp_path, "en", "b", '+++\nid = "b"\n\n## Steps\n\n1. One.\n')
    assert problems_of(tmp_path) == [
        f"{missing}:1:1: a playbook must start with a '+++' line, then TOML front matter, then '+++'",
        f"{unclosed}:1:1: the front matter opened here is never closed by a '+++' line",
    ]


def test_a_checklist_is_not_for_alerts(tmp_path: Path) -> None:
    text = playbook_text().replace('severity = "critical"', 'severity = "info"\nkind = "checklist"')
    path = write(tmp_path, "en", "ups", text)
    assert problems_of(tmp_path) == [f"{path}:7:1: a checklist is run by hand, not by alerts: remove applies_to"]


def test_contacts_need_a_phone_number(tmp_path: Path) -> None:
    path = write(tmp_path, "en", "ups", playbook_text().replace('"0755-8888-0100"', '"call the desk"'))
    problems = problems_of(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:11:9: phone 'call the desk' should be digits")


def test_files_outside_a_language_folder(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# about\n", encoding="utf-8")
    (tmp_path / "ups.md").write_text(playbook_text(), encoding="utf-8")
    write(tmp_path, "fr", "ups", playbook_text())
    problems = problems_of(tmp_path)
    assert len(problems) == 2
    assert all("outside a language folder" in problem for problem in problems)


def test_translations_must_agree_on_steps_and_two_person_steps(tmp_path: Path) -> None:
    write(tmp_path, "en", "ups", playbook_text())
    zh_text = playbook_text(lang="zh").replace("2. 【双人确认】 Switch", "2. Switch") + "3. 多出来的一步。\n"
    zh = write(tmp_path, "zh", "ups", zh_text)
    assert problems_of(tmp_path) == [
        f"{zh}:22:1: 3 steps here but 2 in the other (translation en/ups.md)",
        f"{zh}:25:1: step 2 is not two-person here, unlike the other (translation en/ups.md)",
    ]


def test_translations_must_agree_on_deadlines_and_contacts(tmp_path: Path) -> None:
    write(tmp_path, "en", "ups", playbook_text())
    zh_text = playbook_text(lang="zh").replace("minutes = 10", "minutes = 15").replace("0100", "0199")
    zh = write(tmp_path, "zh", "ups", zh_text)
    assert problems_of(tmp_path) == [
        f"{zh}:8:3: contact phone numbers (in order) differ (translation en/ups.md)",
        f"{zh}:13:3: deadlines (id, minutes, from, during, step) differ (translation en/ups.md)",
    ]


def test_load_playbooks_raises_with_every_problem(tmp_path: Path) -> None:
    write(tmp_path, "en", "a", playbook_text("a").replace('severity = "critical"', 'severity = "urgent"'))
    write(tmp_path, "zh", "b", playbook_text("b", "zh").replace("minutes = 10", "minutes = -1"))
    with pytest.raises(ConfigError) as caught:
        load_playbooks(tmp_path)
    messages = [problem.message for problem in caught.value.problems]
    assert messages == [
        "Invalid enum value 'urgent' for 'severity'",
        "deadline minutes must be 1 to 10080 (a week), not -1",
    ]


def test_a_missing_directory_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="playbook directory not found"):
        load_playbooks(tmp_path / "absent")
