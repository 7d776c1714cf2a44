"""Reading the steps out of a playbook body: numbering, two-person markers, commands, wrapped lines."""

from __future__ import annotations

from dutyroom.config.problems import ProblemCollector
from dutyroom.playbooks.markdown import parse_steps, split_front_matter


def steps_of(
    body: str, lang: str = "en", first_line: int = 1
) -> tuple[list[tuple[int, str, bool, str | None]], list[str]]:
    collector = ProblemCollector("p.md")
    parsed = parse_steps(body, first_line, lang, collector)
    steps = [(step.line, step.text, step.two_person, step.command) for step in parsed.steps]
    return steps, [str(problem) for problem in collector.problems]


def test_only_items_of_the_steps_section_are_steps() -> None:
    body = "# T\n\n1. Not a step.\n\n## Steps\n\n1. First.\n2. Second.\n\n## Appendix\n\n1. Not a step either.\n"
    steps, problems = steps_of(body)
    assert steps == [(7, "First.", False, None), (8, "Second.", False, None)]
    assert problems == []


def test_chinese_heading_and_marker() -> None:
    body = "## 步骤\n\n1. 确认 UPS 输出来源。\n2. 【双人确认】切换到维修旁路。\n"
    steps, problems = steps_of(body, "zh", first_line=10)
    assert steps == [(12, "确认 UPS 输出来源。", False, None), (13, "切换到维修旁路。", True, None)]
    assert problems == []


def test_wrapped_lines_join_with_a_space_but_not_between_chinese() -> None:
    body = "## Steps\n\n1. Call the vendor\n   and note the ticket.\n2. 致电厂商\n   并记录工单号。\n"
    steps, _ = steps_of(body)
    assert [text for _, text, _, _ in steps] == ["Call the vendor and note the ticket.", "致电厂商并记录工单号。"]


def test_sub_items_stay_on_their_own_lines() -> None:
    body = "## Steps\n\n1. Check:\n   - power LEDs\n   - fans\n2. Next.\n"
    steps, _ = steps_of(body)
    assert steps[0][1] == "Check:\n- power LEDs\n- fans"
    assert len(steps) == 2


def test_an_indented_code_block_is_the_command() -> None:
    body = "## Steps\n\n1. Read the log:\n\n        display logbuffer\n        display alarm active\n\n2. Next.\n"
    steps, problems = steps_of(body)
    assert steps[0] == (3, "Read the log:", False, "display logbuffer\ndisplay alarm active")
    assert steps[1][1] == "Next."
    assert problems == []


def test_a_fenced_block_inside_a_step_is_the_command() -> None:
    body = "## Steps\n\n1. Check the clock:\n\n   ```\n   chronyc tracking\n   ```\n2. Next.\n"
    steps, _ = steps_of(body)
    assert steps[0][3] == "chronyc tracking"
    assert steps[1][1] == "Next."


def test_inline_code_is_the_command_when_there_is_no_block() -> None:
    steps, _ = steps_of("## Steps\n\n1. List processes: `top -b -n 1` then `free -m`.\n")
    assert steps[0][3] == "top -b -n 1"


def test_a_heading_inside_a_code_block_is_not_a_heading() -> None:
    body = "```\n## Steps\n1. fake\n```\n\n## Steps\n\n1. Real.\n"
    steps, problems = steps_of(body)
    assert [text for _, text, _, _ in steps] == ["Real."]
    assert problems == []


def test_a_paragraph_after_the_list_ends_the_step() -> None:
    body = "## Steps\n\n1. Only step.\n\nA closing remark.\n"
    steps, _ = steps_of(body)
    assert steps[0][1] == "Only step."


def test_a_second_steps_section_is_a_problem() -> None:
    _, problems = steps_of("## Steps\n\n1. A.\n\n## Steps\n\n1. B.\n")
    assert problems == ["p.md:5:1: a second steps section; the first is at line 1"]


def test_task_list_boxes_and_unknown_tags_are_reported() -> None:
    _, problems = steps_of("## Steps\n\n1. [ ] Tick me.\n2. [two person] Switch.\n3. [UPS panel](x.md) is a link.\n")
    assert problems == [
        "p.md:3:4: unknown step marker '[ ]'; the two-person marker is '[two-person]'",
        "p.md:4:4: unknown step marker '[two person]'; the two-person marker is '[two-person]'",
    ]


def test_an_empty_step_is_a_problem() -> None:
    _, problems = steps_of("## Steps\n\n1. [two-person]\n")
    assert problems == ["p.md:3:4: step 1 is empty"]


def test_front_matter_split_keeps_line_numbers() -> None:
    collector = ProblemCollector("p.md")
    document = split_front_matter('\ufeff+++\nid = "x"\n+++\n# Body\n', collector)
    assert document is not None
    assert (document.front_text, document.front_first_line) == ('id = "x"', 2)
    assert (document.body_text, document.body_first_line) == ("# Body\n", 4)
