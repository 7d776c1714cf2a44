"""The header of a paper across sites is laid out as every other document (`documents.render`): at most 80
cells a line, paragraphs apart, a list of long room names as bullets, a lost site's loud line wrapped."""

from __future__ import annotations

import pytest

from dutyroom.documents.model import Paragraph
from dutyroom.documents.render import render_blocks
from dutyroom.documents.site_bundle import SiteSection, bundle
from dutyroom.textwidth import cell_width

LONG_ROOMS = [
    SiteSection("SZ-MAIN", "Shenzhen Futian primary trading machine room, hall 3", "# main\n"),
    SiteSection("SZ-BAK", "Shenzhen Nanshan backup machine room (cold standby), floor 2", "# backup\n"),
    SiteSection("SH-DR", error="ssh: connect to host dr.example.internal port 2222: Connection timed out after 5 s"),
]
ZH_ROOMS = [
    SiteSection("深圳主", "深圳福田主交易机房三号厅（双路市电、柴油发电机组、两套不间断电源）", "# 主\n"),
    SiteSection("上海灾备", error="ssh：无法连接主机 dr.example.internal 端口 2222：连接超时，已等待五秒钟仍无应答"),
]


def header(text: str, fmt: str) -> str:
    """The part before the first site's own section."""
    marker = "\n# " if fmt == "md" else "\n" + "=" * 72
    return text.split(marker, 1)[0]


@pytest.mark.parametrize("fmt", ["md", "txt"])
@pytest.mark.parametrize(("lang", "sections"), [("en", LONG_ROOMS), ("zh", ZH_ROOMS)], ids=["en", "zh"])
def test_no_header_line_is_wider_than_the_page(fmt: str, lang: str, sections: list[SiteSection]) -> None:
    text = bundle("handover", sections, fmt, lang=lang, when="2026-10-08T08:00+08:00", who="duty")
    lines = header(text, fmt).splitlines()
    assert len(lines) > 5
    too_wide = [line for line in lines if cell_width(line, ambiguous_wide=lang == "zh") > 80]
    assert not too_wide


def test_long_room_names_are_listed_as_bullets() -> None:
    text = bundle("handover", LONG_ROOMS, "md", lang="en", when="w", who="duty")
    top = header(text, "md")
    assert "\nSites:\n\n- SZ-MAIN (Shenzhen Futian primary trading machine room, hall 3)\n" in top
    assert "\n- SZ-BAK (Shenzhen Nanshan backup machine room (cold standby), floor 2)\n- SH-DR\n" in top


def test_in_plain_text_the_bullets_are_stars() -> None:
    text = bundle("report", LONG_ROOMS, "txt", lang="en", when="w", who="duty")
    assert "\nSites:\n\n* SZ-MAIN (Shenzhen Futian primary trading machine room, hall 3)\n" in text


def test_a_short_list_stays_one_line() -> None:
    sections = [SiteSection("MAIN", "main", "# m\n"), SiteSection("BACKUP", "backup", "# b\n")]
    text = bundle("handover", sections, "md", lang="en", when="w", who="duty")
    assert text.startswith("# Handover: 2 sites\n\nSites: MAIN (main), BACKUP (backup)\n\nWritten w by duty.\n")


def test_a_long_loud_line_wraps_and_stays_bold_in_markdown() -> None:
    text = bundle("handover", LONG_ROOMS, "md", lang="en", when="w", who="duty")
    assert (
        "\n\n**SITE SH-DR UNREACHABLE: ssh: connect to host dr.example.internal port 2222:\n"
        "Connection timed out after 5 s**\n\n"
    ) in header(text, "md")


def test_a_long_loud_line_wraps_under_its_marks_in_plain_text() -> None:
    text = bundle("handover", LONG_ROOMS, "txt", lang="en", when="w", who="duty")
    assert (
        "\n\n!! SITE SH-DR UNREACHABLE: ssh: connect to host dr.example.internal port 2222:\n"
        "   Connection timed out after 5 s\n\n"
    ) in header(text, "txt")


def test_header_paragraphs_are_apart_so_markdown_does_not_run_them_together() -> None:
    text = bundle("handover", LONG_ROOMS[1:], "md", lang="en", when="w", who="duty")
    assert "(cold standby), floor 2)\n- SH-DR\n\n**SITE SH-DR UNREACHABLE" in text
    assert "after 5 s**\n\nWritten w by duty.\n" in text


def test_a_room_that_names_itself_in_markdown_is_escaped_once() -> None:
    sections = [SiteSection("MAIN", "*main* [x](http://evil)", "# m\n")]
    text = bundle("handover", sections, "md", lang="en", when="w", who="duty")
    assert "Sites: MAIN (\\*main\\* \\[x\\](http://evil))\n" in text
    assert "\n# MAIN (\\*main\\* \\[x\\](http://evil))\n" in text


def test_the_missing_sites_section_line_is_laid_out_too() -> None:
    text = bundle("handover", LONG_ROOMS, "txt", lang="en", when="w", who="duty")
    section = text.split("\nSH-DR\n" + "=" * 72 + "\n", 1)[1]
    assert all(cell_width(line) <= 80 for line in section.splitlines())
    assert section.startswith("\n!! This site's handover is MISSING: the site could not be reached (ssh: connect\n   ")


def test_a_loud_paragraph_is_bold_in_markdown_and_marked_in_plain_text() -> None:
    loud = Paragraph("SITE *X* LOST: - see below " + "word " * 14, loud=True)
    assert render_blocks([loud], "md", width=40) == (
        "**SITE \\*X\\* LOST: - see below word\nword word word word word word word word\nword word word word word**\n"
    ), "escaped inside, bold around, closed right after the last word"
    assert render_blocks([loud], "txt", width=40) == (
        "!! SITE *X* LOST: - see below word word\n   word word word word word word word\n   word word word word word\n"
    )
