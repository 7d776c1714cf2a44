"""The status line's fitting: parts give way in the order asked, kept parts stay, widths are terminal cells."""

from __future__ import annotations

from dutyroom.textwidth import cell_width
from tui.widgets.status_fit import fit_line

PARTS = {
    "site": ("SZ core machine room",),
    "phase": ("continuous trading",),
    "collectors": ("collectors 40 on time, 1 stale, 1 failing", "collectors 1 stale, 1 failing"),
    "mode": ("attached viewer",),
    "user": ("alice (operator)", "operator"),
}
ORDER = ("user", "collectors", "user", "site", "collectors")


def test_a_wide_line_shows_every_part_in_full() -> None:
    assert fit_line(PARTS, ORDER, " | ", 200) == (
        "SZ core machine room | continuous trading | collectors 40 on time, 1 stale, 1 failing"
        " | attached viewer | alice (operator)"
    )


def test_parts_give_way_one_step_at_a_time_in_the_order_asked() -> None:
    assert fit_line(PARTS, ORDER, " | ", 120) == (
        "SZ core machine room | continuous trading | collectors 40 on time, 1 stale, 1 failing"
        " | attached viewer | operator"
    )
    assert fit_line(PARTS, ORDER, " | ", 100) == (
        "SZ core machine room | continuous trading | collectors 1 stale, 1 failing | attached viewer"
    )
    assert fit_line(PARTS, ORDER, " | ", 70) == "continuous trading | collectors 1 stale, 1 failing | attached viewer"
    assert fit_line(PARTS, ORDER, " | ", 40) == "continuous trading | attached viewer"


def test_room_freed_by_a_later_step_takes_back_an_earlier_part_that_fits() -> None:
    """Dropping the site (step 4) frees enough for the role given up at step 3, not for the user's name."""
    assert fit_line(PARTS, ORDER, " | ", 80) == (
        "continuous trading | collectors 1 stale, 1 failing | attached viewer | operator"
    )


def test_when_only_kept_parts_are_left_the_widest_is_cut_not_the_line_wrapped() -> None:
    assert fit_line(PARTS, ORDER, " | ", 30) == "continuous… | attached viewer"


def test_wide_characters_count_two_cells() -> None:
    parts = {"phase": ("连续竞价，15:00 休市",), "collectors": ("采集 40 正常，1 过期，1 失败",), "mode": ("附加查看",)}
    line = fit_line(parts, ("collectors",), " | ", 40)
    assert line == "连续竞价，15:00 休市 | 附加查看"
    assert cell_width(line) <= 40
    full = "连续竞价，15:00 休市 | 采集 40 正常，1 过期，1 失败 | 附加查看"
    assert cell_width(full) == 62
    assert fit_line(parts, ("collectors",), " | ", 62) == full
