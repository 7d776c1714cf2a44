"""One handover or report for several sites: a header naming every site, then each site's own document.

A team that hands over all rooms at once (两地三中心) reads one file; each section is the document as that
site's service wrote it, untouched but for its Markdown headings moved one level down under the site's own. A
site that could not be reached is a loud line in the header and its section says so: a site is never silently
left out. Pure text in, text out: the command (`tui.cli.site_papers`) does the fetching.

The bundle's own words (the header, a section's kept or missing line) are a `Document` laid out by
`documents.render`, as every other paper: escaped in Markdown, wrapped at 80 cells (CJK counted as two), and
the sites listed as bullets when their names do not fit one line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dutyroom.documents.model import Block, Document, Item, Paragraph
from dutyroom.documents.render import PAGE_WIDTH, md_escape, render, render_blocks
from dutyroom.textwidth import cell_width

PaperKind = Literal["handover", "report"]
BOM = "\ufeff"
"""The byte-order mark a report's CSV starts with (for spreadsheets): once, at the start of the whole file."""

_WORDS = {
    "en": {
        "handover": "Handover",
        "report": "Operations report",
        "handover-paper": "handover",
        "report-paper": "report",
        "sites": "sites",
        "written": "Written {when} by {who}.",
        "every": "Sites",
        "unreachable": "SITE {site} UNREACHABLE: {why}",
        "refused": "SITE {site} REFUSED: {why}",
        "missing": "This site's {paper} is MISSING: the site could not be reached ({why}).",
        "missing-refused": "This site's {paper} is MISSING: the site's service refused it ({why}).",
        "kept": "Kept at {site} as {file}.",
    },
    "zh": {
        "handover": "交接班记录",
        "report": "运行报告",
        "handover-paper": "交接班记录",
        "report-paper": "运行报告",
        "sites": "个站点",
        "written": "{when} 由 {who} 生成。",
        "every": "站点",
        "unreachable": "站点 {site} 无法连接：{why}",
        "refused": "站点 {site} 拒绝：{why}",
        "missing": "本站点的{paper}缺失：无法连接该站点（{why}）。",
        "missing-refused": "本站点的{paper}缺失：该站点的服务拒绝了请求（{why}）。",
        "kept": "已保存于 {site}：{file}。",
    },
}


@dataclass(frozen=True)
class SiteSection:
    """One site's part: its document as its service wrote it, or why there is none."""

    site: str
    """The site's name on this seat (SH-DR)."""
    room: str = ""
    """The room's own name, as its service calls it ("" when it was not reached)."""
    text: str | None = None
    error: str = ""
    refused: bool = False
    """The site answered but would not make its paper (e.g. its handover directory is not writable)."""
    kept: str = ""
    """The file the site kept in its own handover directory, "" when none."""

    @property
    def reached(self) -> bool:
        return self.text is not None


def bundle(
    kind: PaperKind, sections: Sequence[SiteSection], fmt: str, *, lang: str, when: str, who: str, period: str = ""
) -> str:
    """Every site's document in one, in the format each was asked in (md, txt or csv)."""
    if fmt == "csv":
        return _bundle_csv(sections)
    words = _WORDS.get(lang, _WORDS["en"])
    wide = lang == "zh"
    written = words["written"].format(when=when, who=who)
    lines = [render(_header(kind, sections, words, period, written, wide), fmt, ambiguous_wide=wide)]
    for section in sections:
        lines += _section(kind, section, fmt, words, wide)
    return "\n".join(lines).rstrip("\n") + "\n"


def _header(
    kind: PaperKind, sections: Sequence[SiteSection], words: dict[str, str], period: str, written: str, wide: bool
) -> Document:
    """The title, every site by name, a loud line for each site lost, and who wrote the bundle when."""
    title = f"{words[kind]}: {len(sections)} {words['sites']}" + (f" ({period})" if period else "")
    doc = Document(title)
    names = [_name(section) for section in sections]
    every = f"{words['every']}: {', '.join(names)}"
    if cell_width(every, wide) <= PAGE_WIDTH - 1:  # Markdown keeps one cell spare
        doc.paragraph(every)
    else:
        doc.paragraph(f"{words['every']}:")
        doc.bullets([Item(name) for name in names])
    doc.blocks += [Paragraph(_lost_line(words, section), loud=True) for section in sections if not section.reached]
    doc.paragraph(written)
    return doc


def _lost_line(words: dict[str, str], section: SiteSection) -> str:
    return words["refused" if section.refused else "unreachable"].format(site=section.site, why=section.error)


def _name(section: SiteSection) -> str:
    """`MAIN (Zhangjiang room)`: the link's name and the room's own (plain text: the renderer escapes it)."""
    return f"{section.site} ({section.room})" if section.room else section.site


def _section(kind: PaperKind, section: SiteSection, fmt: str, words: dict[str, str], wide: bool) -> list[str]:
    name = md_escape(_name(section)) if fmt == "md" else _name(section)  # a room names itself
    heading = [f"# {name}", ""] if fmt == "md" else ["=" * 72, name, "=" * 72, ""]
    own: list[Block] = []
    if section.text is None:
        missing = words["missing-refused" if section.refused else "missing"]
        own.append(Paragraph(missing.format(paper=words[f"{kind}-paper"], why=section.error), loud=True))
    elif section.kept:
        own.append(Paragraph(words["kept"].format(site=section.site, file=section.kept)))
    lines = [*heading, render_blocks(own, fmt, ambiguous_wide=wide)] if own else heading
    if section.text is None:
        return lines
    body = demote_headings(section.text) if fmt == "md" else section.text
    return [*lines, body.rstrip("\n"), ""]


def demote_headings(markdown: str) -> str:
    """Every ATX heading one level down (outside fenced code), so a site's document sits under its site's heading."""
    lines: list[str] = []
    fence = ""
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        marker = stripped[:3]
        if marker in ("```", "~~~"):
            fence = "" if fence == marker else (fence or marker)
        elif not fence and _is_heading(line):
            line = "#" + stripped
        lines.append(line)
    return "\n".join(lines)


def _is_heading(line: str) -> bool:
    """An ATX heading of level 1 to 5 (a sixth level has nowhere to go, and stays)."""
    stripped = line.lstrip(" ")
    level = len(stripped) - len(stripped.lstrip("#"))
    return len(line) - len(stripped) < 4 and 1 <= level <= 5 and stripped[level : level + 1] in (" ", "")


def _bundle_csv(sections: Sequence[SiteSection]) -> str:
    """One CSV: a `site` column before each site's own columns and its header row once, the sites that could not
    be reached first (a row each saying so). The sites' reports share one layout (the same program wrote them)."""
    tables = [list(csv.reader(io.StringIO(s.text.removeprefix(BOM)))) for s in sections if s.text is not None]
    header = next((["site", *table[0]] for table in tables if table), ["site", "section", "detail"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([s.site, "refused" if s.refused else "unreachable", s.error] for s in sections if s.text is None)
    reached = [section.site for section in sections if section.text is not None]
    for site, table in zip(reached, tables, strict=True):
        writer.writerows([site, *row] for row in table[1:])
    return BOM + out.getvalue()
