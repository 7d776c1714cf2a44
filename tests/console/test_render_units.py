"""Pure parts of the console: text fitting and wrapping by cells, sparklines, column layout, strings, step keys."""

from __future__ import annotations

import re
from typing import get_args

import pytest
from rich.cells import cell_len
from rich.text import Text

from dutyroom.actions_model import StepConfirm, StepTick
from dutyroom.config.types import Language
from tui.i18n import _STRINGS, Translator, language_of
from tui.render import device_text, fit, sparkline, wrap_text
from tui.screens.step_keys import StepRequest, plan_step
from tui.widgets.line_table import Column, column_widths

from .fakes import RUN_ID, make_alert, ups_run

CJK_STEP = "在 UPS 面板上查看告警：记录电池容量（%）、剩余后备时间（分钟）和电池温度。"


@pytest.mark.parametrize("width", [6, 11, 20, 33, 50])
@pytest.mark.parametrize("text", [CJK_STEP, "Call the UPS vendor's 24x7 line: model, serial, alarm.", "x" * 70])
def test_wrapped_lines_fit_and_lose_nothing(text: str, width: int) -> None:
    lines = wrap_text(Text(text), width).plain.split("\n")
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_cjk_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    lines = wrap_text(Text(CJK_STEP), 30).plain.split("\n")
    assert lines[0].startswith("在 UPS 面板上查看告警"), "the sentence does not jump to a new line whole"
    assert cell_len(lines[0]) >= 28
    assert not any(line[0] in "，。、；：）%" for line in lines[1:])
    assert wrap_text(Text("short"), 10).plain == "short"
    assert wrap_text(Text(CJK_STEP), 0).plain == CJK_STEP, "no width: rich wraps"


def test_fit_pads_and_cuts_by_cells() -> None:
    assert fit(Text("深交所专线"), 12).plain == "深交所专线  "
    assert cell_len(fit(Text("深交所专线 A"), 7).plain) == 7
    assert fit(Text("abcdef"), 4).plain == "abc…"
    assert fit(Text("42"), 5, "right").plain == "   42"


def test_device_text_is_inert() -> None:
    text = device_text("[bold]x[/] \x1b[31m\x00", 200)
    assert text.plain == "[bold]x[/] \\x1b[31m\\x00"
    assert text.spans == []
    assert len(device_text("y" * 100_000, 50).plain) == 51


def test_sparkline_scales_cuts_and_falls_back_to_ascii() -> None:
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8) == "▁▂▃▄▅▆▇█"
    assert sparkline([0, 7], 8, ascii_only=True) == "_#"
    assert sparkline([3, 3, 3, 0, 7], 2) == "▁█", "the most recent values are kept"
    assert sparkline([5, 5, 5], 3) == "▄▄▄"
    assert sparkline([1, float("nan"), 3], 3) == "▁ █"
    assert sparkline([], 5) == ""


def test_columns_fill_the_width_and_drop_the_least_needed_first() -> None:
    columns = [Column("a", 5, keep=9), Column("b", 10, flex=1, keep=9), Column("c", 6, keep=1), Column("d", 4, flex=2)]
    widths = column_widths(columns, 60)
    assert sum(widths) + len(widths) - 1 == 60
    narrow = column_widths(columns, 22)
    assert narrow[2] == 0
    assert narrow[0] == 5
    assert narrow[1] >= 10
    assert all(width >= 0 for width in column_widths(columns, 1))


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, (english, chinese) in _STRINGS.items():
        assert english, key
        assert chinese, key
        assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", chinese)), key
    assert Translator("zh")("status.unhandled", count=2) == "2 条严重告警未确认"
    assert Translator("en")("no.such.key") == "no.such.key"
    assert language_of("zh_CN.UTF-8") == "zh"
    assert language_of("en") == "en"
    assert language_of("fr") == "en"


def test_every_language_the_config_accepts_is_a_console_language() -> None:
    """One `Language`, in the domain: the console speaks each one checks.toml may name."""
    for language in get_args(Language):
        assert language_of(language) == language
        assert Translator(language)("state.ok") == _STRINGS["state.ok"][get_args(Language).index(language)]


def test_step_keys_follow_the_step_state() -> None:
    translate = Translator("en")
    alert = make_alert("a1")
    run = ups_run(ticked=(1,), awaiting=(4,))
    assert plan_step("step", alert, run, 2, translate) == StepRequest(StepTick(run=RUN_ID, step=2), "a1")
    assert "already done" in str(plan_step("step", alert, run, 1, translate))
    assert plan_step("step-confirm", alert, run, 4, translate) == StepRequest(StepConfirm(run=RUN_ID, step=4), "a1")
    assert "not awaiting" in str(plan_step("step-confirm", alert, run, 2, translate))
    assert "nothing to take back" in str(plan_step("step-undo", alert, run, 2, translate))
    assert "no open playbook run" in str(plan_step("step", alert, None, 2, translate))
    assert "Select an alert" in str(plan_step("step", None, run, 2, translate))
    assert "Select a playbook step" in str(plan_step("step", alert, run, None, translate))
