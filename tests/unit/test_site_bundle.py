"""One paper for several sites (issue 17): every site named, a lost one loud, each site's text kept as written."""

from __future__ import annotations

import csv
import io

import pytest

from dutyroom.documents.site_bundle import BOM, SiteSection, bundle, demote_headings

MAIN = SiteSection("MAIN", "main", "# Shift handover: main\n\n## Open alerts (1)\n\n- x\n", kept="handover-1.md")
LOST = SiteSection("SH-DR", error="ssh: connect to host dr port 22: Connection refused")


def test_every_site_is_named_and_a_lost_one_is_loud() -> None:
    text = bundle("handover", [MAIN, LOST], "md", lang="en", when="2026-10-08T08:00+08:00", who="duty")
    header = text.split("\n# MAIN")[0]
    assert header.startswith("# Handover: 2 sites\n")
    assert "Sites: MAIN (main), SH-DR" in header
    assert "**SITE SH-DR UNREACHABLE: ssh: connect to host dr port 22: Connection refused**" in header
    assert "Written 2026-10-08T08:00+08:00 by duty." in header
    assert (
        "\n# MAIN (main)\n\nKept at MAIN as handover-1.md.\n\n## Shift handover: main\n\n### Open alerts (1)\n" in text
    )
    assert text.endswith(
        "# SH-DR\n\n**This site's handover is MISSING: the site could not be reached (ssh: connect\n"
        "to host dr port 22: Connection refused).**\n"
    )


def test_plain_text_keeps_the_sites_text_and_marks_the_lost_one() -> None:
    text = bundle("report", [MAIN, LOST], "txt", lang="en", when="w", who="duty", period="2026-10-01 .. now")
    assert text.startswith("Operations report: 2 sites (2026-10-01 .. now)\n")
    assert "!! SITE SH-DR UNREACHABLE" in text
    assert "# Shift handover: main\n\n## Open alerts (1)" in text  # not Markdown: left as it came


def test_chinese_header() -> None:
    text = bundle("handover", [MAIN, LOST], "md", lang="zh", when="w", who="值班")
    assert text.startswith("# 交接班记录: 2 个站点\n")
    assert "站点 SH-DR 无法连接" in text


@pytest.mark.parametrize(
    ("markdown", "demoted"),
    [
        ("# a\ntext\n## b", "## a\ntext\n### b"),
        ("```\n# not a heading\n```\n# h", "```\n# not a heading\n```\n## h"),
        ("~~~\n# code\n~~~", "~~~\n# code\n~~~"),
        ("#hashtag", "#hashtag"),
        ("###### six", "###### six"),
        ("    # indented code", "    # indented code"),
    ],
)
def test_headings_move_one_level_down_outside_code(markdown: str, demoted: str) -> None:
    assert demote_headings(markdown) == demoted


def test_csv_has_one_header_a_site_column_and_the_lost_site_first() -> None:
    backup = SiteSection("BACKUP", "backup", f'{BOM}section,detail\nincident,a\nincident,"two\nlines"\n')
    main = SiteSection("MAIN", "main", f"{BOM}section,detail\nincident,b\n")
    text = bundle("report", [main, LOST, backup], "csv", lang="en", when="w", who="duty")
    assert text.startswith(BOM)
    assert text.count(BOM) == 1
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows == [
        ["site", "section", "detail"],
        ["SH-DR", "unreachable", LOST.error],
        ["MAIN", "incident", "b"],
        ["BACKUP", "incident", "a"],
        ["BACKUP", "incident", "two\nlines"],
    ]


def test_a_site_that_refused_is_named_as_refusing_not_as_lost() -> None:
    refused = SiteSection("BACKUP", "backup", error="handovers: Permission denied", refused=True)
    text = bundle("handover", [MAIN, refused], "txt", lang="en", when="w", who="duty")
    assert "!! SITE BACKUP REFUSED: handovers: Permission denied" in text
    missing = "!! This site's handover is MISSING: the site's service refused it (handovers:\n   Permission denied)."
    assert missing in text
    assert "UNREACHABLE" not in text
