"""Cell widths, padding, truncation and wrapping for files read at 80 columns, CJK counted as two cells."""

from __future__ import annotations

import pytest

from dutyroom.textwidth import cell_width, char_width, pad, truncate, wrap


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        ("ups-a", 5),
        ("核心交换机", 10),
        ("UPS-A 一号主机房", 16),
        ("ＡＢ", 4),  # fullwidth Latin
        ("（）。，", 8),  # fullwidth punctuation
        ("e\u0301", 1),  # a combining accent takes no cell
        ("a\u200db", 2),  # nor does a zero-width joiner
        ("", 0),
    ],
)
def test_cell_width(text: str, cells: int) -> None:
    assert cell_width(text) == cells


def test_ambiguous_characters_are_wide_only_when_asked() -> None:
    assert char_width("…") == 1
    assert char_width("…", ambiguous_wide=True) == 2
    assert cell_width("▲ 警告", ambiguous_wide=True) == 7


def test_pad_counts_cells() -> None:
    assert pad("中文", 6) == "中文  "
    assert pad("中文", 6, "right") == "  中文"
    assert pad("too long", 3) == "too long"


@pytest.mark.parametrize("width", [1, 3, 4, 5, 9])
def test_truncate_never_exceeds_the_width(width: int) -> None:
    for text in ("报盘网关 1 号机", "trade-gateway-01", "a中b文c"):
        cut = truncate(text, width)
        assert cell_width(cut) <= width
        if cell_width(text) > width and width >= 3:
            assert cut.endswith("...")
    assert truncate("short", 10) == "short"


def test_wrap_latin_at_spaces_and_cuts_words_longer_than_a_line() -> None:
    text = "the quick brown fox jumps over the lazy dog " + "x" * 25
    lines = wrap(text, 12)
    assert lines[:4] == ["the quick", "brown fox", "jumps over", "the lazy dog"]
    assert "".join(lines[4:]) == "x" * 25
    assert all(cell_width(line) <= 12 for line in lines)


def test_wrap_cjk_between_characters_with_kinsoku() -> None:
    text = "第 3 步 未完成：致电 UPS 厂商值班电话并记录工单号。（务必）"
    for width in range(6, 40):
        lines = wrap(text, width, first_indent="* ", indent="  ")
        assert all(cell_width(line) <= width for line in lines), (width, lines)
        assert not [line for line in lines[1:] if line.strip()[:1] in "。，）：、"], (width, lines)
        assert not [line for line in lines if line.rstrip().endswith("（")], (width, lines)
        assert "".join(line[2:] for line in lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_keeps_indents_and_never_loses_text() -> None:
    lines = wrap("alpha beta gamma", 10, first_indent="- ", indent="    ")
    assert lines == ["- alpha", "    beta", "    gamma"]
    assert wrap("", 10) == [""]
