"""The screen and the handover file break a line in the same places: one kinsoku table, one wrapping function.

A note an operator writes on the console reads the same in the handover the next shift opens. These tests put
the same mixed Chinese and English note through both paths at several widths and compare the lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.documents.model import Bullets, Item
from dutyroom.documents.render import render_blocks
from dutyroom.handover.writer import build_handover, record_handover_note, write_handover
from dutyroom.model import Identity
from dutyroom.playbooks.library import PlaybookLibrary
from dutyroom.room import Room
from dutyroom.store.database import Store
from tui.render import device_text, wrap_text

from .fakes import FIXED_NOW

NOTE = (
    "交易网关 GW-02 于 14:05 重启（值班经理「张三」已确认），UPS 厂商工单号 INC-20260302-17。"
    "请下一班继续观察电池温度、负载和告警……如有异常，致电 vendor hotline (24x7)，并在【工单】里记录。"
)
"""Closing marks that must not start a line (，。、）」】) and opening ones that must not end one (（「【)."""


def screen_lines(text: str, width: int) -> list[str]:
    """What the console shows: the text as device text, broken for `width` cells."""
    return wrap_text(device_text(text, 600), width).plain.split("\n")


def file_lines(text: str, width: int, fmt: str) -> list[str]:
    """What the handover file holds for a bullet of `text` on a page `width` cells wide, without its marker."""
    rendered = render_blocks([Bullets((Item(text),))], fmt, width=width).rstrip("\n").split("\n")
    return [line[2:] for line in rendered]


@pytest.mark.parametrize("width", [10, 14, 21, 30, 37, 52, 80, 200])
def test_a_note_wraps_the_same_on_screen_and_in_a_text_handover(width: int) -> None:
    assert file_lines(NOTE, width, "txt") == screen_lines(NOTE, width - 2)


@pytest.mark.parametrize("width", [10, 14, 21, 30, 37, 52, 80, 200])
def test_a_note_wraps_the_same_on_screen_and_in_a_markdown_handover(width: int) -> None:
    """Markdown keeps one cell spare (for an escape at a line start), so its text column is one cell narrower."""
    assert file_lines(NOTE, width, "md") == screen_lines(NOTE, width - 3)


@pytest.mark.parametrize("width", range(8, 60))
def test_the_note_never_starts_a_line_with_closing_punctuation_on_screen(width: int) -> None:
    lines = screen_lines(NOTE, width)
    assert not [line for line in lines[1:] if line[:1] in "，。、）」】…"], lines
    assert not [line for line in lines[:-1] if line[-1:] in "（「【"], lines


def test_a_recorded_note_in_a_written_handover_reads_as_on_screen(tmp_path: Path) -> None:
    (tmp_path / "checks.toml").write_text('[site]\nname = "Line breaks"\nlanguage = "en"\n')
    room = Room(load_config(tmp_path / "checks.toml"), PlaybookLibrary())
    alice = Identity("alice")
    now = FIXED_NOW
    with Store.open(tmp_path / "state") as store:
        record_handover_note(room, store, now - 60, actor=alice, text=NOTE)
        document, _ = build_handover(room, store, now, actor=alice)
        written = write_handover(room, store, now, actor=alice, fmt="txt")
    bullets = [block for block in document.blocks if isinstance(block, Bullets)]
    (note_item,) = [item for block in bullets for item in block.items if NOTE[:8] in item.text]
    expected = screen_lines(note_item.text, 78)
    lines = written.text.split("\n")
    first = lines.index("* " + expected[0])
    assert [line[2:] for line in lines[first : first + len(expected)]] == expected
    assert len(expected) > 2, "the note is long enough to wrap several times"
