"""The document renderer: Markdown escaping, 80-column tables with CJK, plain-text headings, fallbacks."""

from __future__ import annotations

import re
import unicodedata

import pytest

from dutyroom.documents.model import Document, Item
from dutyroom.documents.render import md_escape, render


def cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in line)


def sample_document() -> Document:
    doc = Document("交接班记录：张江主机房 Zhangjiang DC with a rather long site name that goes on and on")
    doc.bullets([Item("结论：2 条严重告警未恢复，其中 1 条未确认；另有 3 条警告未恢复，请下一班重点关注核心交换机")])
    doc.heading("未恢复告警（2）")
    doc.bullets(
        [
            Item(
                "X 严重 ups-a (UPS-A 一号主机房) / ups-runtime-low",
                ("root 于 04:47 确认：" + "vendor [bold]called[/] <b>x</b> | # " * 6,),
            )
        ],
        "无。",
    )
    doc.heading("Capacity headroom")
    doc.table(
        ("Target", "Rule", "Headroom", "Peak", "Status"),
        [
            (
                "报盘网关 1 号机 trade-gateway-primary-01",
                "orders-capacity-for-the-main-gateway",
                "2.73x",
                "1,100",
                "BELOW",
            ),
            ("oms", "orders", "4.00x", "750", "ok"),
        ],
        align=("left", "left", "right", "right", "left"),
        flexible=(0, 1),
    )
    doc.table(("A",), [], empty="Nothing to show.")
    return doc


@pytest.mark.parametrize("fmt", ["md", "txt"])
@pytest.mark.parametrize("wide", [False, True])
def test_every_line_fits_80_cells(fmt: str, wide: bool) -> None:
    text = render(sample_document(), fmt, ambiguous_wide=wide)
    assert not [line for line in text.splitlines() if cells(line) > 80]
    assert "Nothing to show." in text
    assert text.endswith("\n")


def test_markdown_escapes_device_text_and_keeps_intraword_underscores() -> None:
    assert md_escape("disk_used_pct") == "disk_used_pct"
    assert md_escape("_x_ *y* [a](b) <i> `c` # h | t ~s~ \\") == (
        "\\_x\\_ \\*y\\* \\[a\\](b) \\<i\\> \\`c\\` \\# h \\| t \\~s\\~ \\\\"
    )
    text = render(sample_document(), "md")
    assert not re.search(r"(?<!\\)[<>\[\]]", text)


def test_markdown_table_is_a_pipe_table_with_aligned_cells() -> None:
    doc = Document("t")
    doc.table(
        ("Target", "Rule", "Headroom", "Peak", "Status"),
        [("报盘网关 1 号机", "orders-capacity", "2.73x", "1,100", "BELOW"), ("oms", "orders", "4.00x", "750", "ok")],
        align=("left", "left", "right", "right", "left"),
        flexible=(0, 1),
    )
    text = render(doc, "md")
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == 4
    assert len({cells(line) for line in table}) == 1, "rows of one table must line up"
    assert re.fullmatch(r"\|-+\|-+\|-+:\|-+:\|-+\|", table[1])
    assert table[2].split("|")[1].strip() == "报盘网关 1 号机"
    long_rows = render(sample_document(), "md")
    assert "- 报盘网关 1 号机 trade-gateway-primary-01" in long_rows, "too long to fit whole: bullets"


def test_plain_text_headings_are_underlined_to_their_width() -> None:
    lines = render(sample_document(), "txt").splitlines()
    index = lines.index("未恢复告警（2）")
    assert lines[index + 1] == "-" * 15
    assert lines[1] == "=" * cells(lines[0])


def test_a_table_too_wide_for_the_page_becomes_bullets() -> None:
    doc = Document("t")
    headers = tuple(f"column {number}" for number in range(12))
    doc.table(headers, [tuple(f"value-{number}" for number in range(12))], flexible=())
    text = render(doc, "txt")
    assert "* value-0" in text
    assert "column 11: value-11" in text.replace("\n    ", " ")


def test_wrapped_markdown_lines_cannot_start_a_list() -> None:
    doc = Document("t")
    doc.paragraph("word " * 14 + "- not a list item, 1. nor a numbered one")
    for line in render(doc, "md").splitlines()[2:]:
        assert not re.match(r"\s*([-+]|\d+[.)])\s", line), line


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(Document("t"), "html")


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_a_table_never_cuts_a_name_it_would_have_to_shorten(fmt: str) -> None:
    """A handover is a record: a target name cut to fit 80 columns ("trade-gateway-prim…") names no device.
    A table that fits only by cutting a cell is written as one bullet per row, every cell whole."""
    doc = Document("Handover")
    long_target = "trade-gateway-primary-01 (报盘网关 1 号机, Zhangjiang room A, row 3)"
    doc.table(
        ("Target", "Rule", "Worst", "Times", "First", "Total", "Session", "Trading"),
        [(long_target, "orders-capacity-for-the-main-gateway", "critical", "3", "09:31", "12 min", "trading", "7 min")],
        align=("left", "left", "left", "right", "left", "right", "left", "right"),
        flexible=(0, 1),
    )
    text = render(doc, fmt).replace("\\", "")
    flat = " ".join(line.strip() for line in text.splitlines())
    assert "trade-gateway-primary-01 (报盘网关 1 号机, Zhangjiang room A, row 3)" in flat
    assert "orders-capacity-for-the-main-gateway" in flat
    assert "…" not in text
    short = Document("Handover")
    short.table(("Target", "Rule"), [("ups-a", "ups-runtime-low")])
    assert "…" not in render(short, fmt)
    assert "| ups-a" in render(short, "md") or fmt == "txt"
