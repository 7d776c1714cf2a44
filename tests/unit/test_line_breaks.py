"""The one line breaker (`dutyroom.textwidth.wrap`), checked on 3,000 random mixed Chinese and English texts.

Rich's `cell_len` is the oracle for width: it is what the console measures with, and it is written
independently of `dutyroom.textwidth`. Each random text must wrap into lines that fit, lose nothing but the
spaces at the breaks, and start (or end) with forbidden punctuation only where no other break was possible.
"""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from dutyroom.textwidth import NO_LINE_END, NO_LINE_START, break_offsets, cell_width, wrap

CHINESE = "交易网关报盘主机房电池温度负载告警值班经理已确认请下一班继续观察厂商工单号"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/:#"
PUNCTUATION = "，。、；：？！）」』】》〉％（「『【《〈“”‘’…,.;:?!()[]{}%"
FULLWIDTH = "ＡＢＣ０１２"
COMBINING = "\u0301\u0308"
ALPHABET = CHINESE + LATIN + PUNCTUATION + FULLWIDTH + COMBINING
SAMPLES = 3000


def random_text(rng: random.Random) -> str:
    """Runs of Chinese, Latin words, punctuation and spaces, sometimes a long unbreakable word."""
    pieces: list[str] = []
    for _ in range(rng.randint(0, 14)):
        kind = rng.random()
        if kind < 0.35:
            pieces.append("".join(rng.choice(CHINESE) for _ in range(rng.randint(1, 12))))
        elif kind < 0.6:
            pieces.append(" " + "".join(rng.choice(LATIN) for _ in range(rng.randint(1, 9))) + " ")
        elif kind < 0.85:
            pieces.append("".join(rng.choice(PUNCTUATION) for _ in range(rng.randint(1, 3))))
        elif kind < 0.9:
            pieces.append(" " * rng.randint(1, 4))
        elif kind < 0.95:
            pieces.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6))))
        else:
            pieces.append("".join(rng.choice(LATIN) for _ in range(rng.randint(20, 50))))
    return "".join(pieces)


def cases() -> list[tuple[str, int, str, str]]:
    rng = random.Random(20260302)
    indents = [("", ""), ("* ", "  "), ("  - ", "    "), ("    ", "    ")]
    """(first indent, indent) as the document renderer uses them: the same cells on every line."""
    chosen = [(random_text(rng), rng.randint(2, 40), rng.choice(indents)) for _ in range(SAMPLES)]
    return [(text, width + len(indent), first, indent) for text, width, (first, indent) in chosen]


def may_break_before(text: str, index: int) -> bool:
    """The test's own reading of the rule: at a space, or beside a wide character, never against kinsoku."""
    char, before = text[index], text[:index].rstrip()
    if not before or char == " " or char in NO_LINE_START or before[-1] in NO_LINE_END or cell_len(char) == 0:
        return False
    return text[index - 1] == " " or cell_len(before[-1]) == 2 or cell_len(char) == 2


def clean_cut(text: str, index: int) -> bool:
    """A cut inside a run with no break (a long word) that still keeps kinsoku."""
    char, before = text[index], text[index - 1]
    return before not in NO_LINE_END and char not in NO_LINE_START and cell_len(char) > 0 and " " not in (before, char)


def test_the_oracle_agrees_with_the_domain_on_every_character_used() -> None:
    assert [char for char in ALPHABET + " " if cell_len(char) != cell_width(char)] == []


def test_the_table_holds_the_marks_operators_write() -> None:
    assert set("，。、；：？！）」』】》…") <= NO_LINE_START
    assert set("（「『【《“") <= NO_LINE_END


def test_random_texts_wrap_into_lines_that_fit_lose_nothing_and_respect_kinsoku() -> None:
    for text, width, first_indent, indent in cases():
        lines = wrap(text, width, first_indent=first_indent, indent=indent)
        context = (text, width, lines)
        assert all(cell_len(line) <= width for line in lines), context
        assert lines[0].startswith(first_indent.rstrip()), context
        assert all(line.startswith(indent) for line in lines[1:]), context
        bodies = [lines[0][len(first_indent) :], *(line[len(indent) :] for line in lines[1:])]
        stripped = text.strip()
        position = 0
        for body in bodies:
            position += len(stripped[position:]) - len(stripped[position:].lstrip(" "))
            assert stripped.startswith(body, position), ("text lost or changed", *context)
            position += len(body)
        assert stripped[position:].strip() == "", ("text lost at the end", *context)


def test_chinese_files_count_ambiguous_marks_as_two_cells_and_still_fit() -> None:
    for text, width, first_indent, indent in cases():
        lines = wrap(text, width, True, first_indent=first_indent, indent=indent)
        assert all(cell_width(line, ambiguous_wide=True) <= width for line in lines), (text, width, lines)


def test_forbidden_marks_start_or_end_a_line_only_when_nothing_else_fits() -> None:
    """A line may start with `，` (or end with `（`) only if the line before it had no other place to end."""
    for text, width, _, _ in cases():
        stripped = text.strip()
        offsets = break_offsets(stripped, width)
        starts = [0, *offsets]
        for start, end in zip(starts, offsets, strict=False):
            forced = not any(
                may_break_before(stripped, index) or clean_cut(stripped, index) for index in range(start + 1, end)
            )
            if stripped[end] in NO_LINE_START or stripped[start:end].rstrip()[-1:] in NO_LINE_END:
                assert forced, (stripped, width, start, end)


def test_lines_are_full_a_break_is_taken_only_when_the_next_piece_does_not_fit() -> None:
    for text, width, _, _ in cases():
        stripped = text.strip()
        offsets = break_offsets(stripped, width)
        for start, end in zip([0, *offsets], [*offsets, len(stripped)], strict=True):
            if end == len(stripped):
                continue
            later = [index for index in range(end + 1, len(stripped)) if may_break_before(stripped, index)]
            longer = stripped[start : later[0] if later else len(stripped)].rstrip()
            assert cell_len(longer) > width, (stripped, width, start, end)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("中，", 2, ["中", "，"]),
        ("中文，好", 4, ["中", "文，", "好"]),
        ("请确认（务必）。", 8, ["请确认", "（务", "必）。"]),
        ("alpha beta", 5, ["alpha", "beta"]),
        ("x" * 7, 3, ["xxx", "xxx", "x"]),
        ("INC-20260302-17。请", 15, ["INC-20260302-1", "7。请"]),
        ("（（（（", 4, ["（（", "（（"]),
        ("", 5, [""]),
        ("呼叫 UPS厂商", 6, ["呼叫", "UPS厂", "商"]),
    ],
)
def test_small_cases_break_where_a_reader_expects(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


def test_a_character_wider_than_the_line_still_gets_a_line_of_its_own() -> None:
    assert wrap("中文", 1) == ["中", "文"]
    assert wrap("中 文", 1) == ["中", "文"]
    assert break_offsets("中  文", 1) == [3]
