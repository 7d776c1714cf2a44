"""Render a `Document` as Markdown or plain text that fits a page width (80 cells by default).

Widths count CJK characters as two cells (`dutyroom.textwidth`); Chinese documents also count ambiguous
characters as two, as CJK-configured terminals draw them. In Markdown every piece of text is escaped, so a
device name such as `[x](http://...)` or `<b>` stays literal text when the file is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dutyroom.documents.model import Block, Bullets, Document, Heading, Item, Paragraph, Table
from dutyroom.textwidth import cell_width, pad, truncate, wrap

PAGE_WIDTH = 80
MIN_FLEXIBLE_WIDTH = 8
FORMATS = ("md", "txt")

_MD_SPECIAL = re.compile(r"[\\`*\[\]<>|#~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])(\s|$)")


def md_escape(text: str) -> str:
    """`text` with Markdown's special characters backslash-escaped (intra-word underscores kept)."""
    return _MD_SPECIAL.sub(lambda match: "\\" + match.group(0), text)


def render(document: Document, fmt: str, *, width: int = PAGE_WIDTH, ambiguous_wide: bool = False) -> str:
    """The document as `fmt` ("md" or "txt"), every line at most `width` cells, ending in a newline."""
    return render_blocks(
        [Heading(document.title, 1), *document.blocks], fmt, width=width, ambiguous_wide=ambiguous_wide
    )


def render_blocks(blocks: Iterable[Block], fmt: str, *, width: int = PAGE_WIDTH, ambiguous_wide: bool = False) -> str:
    """Blocks rendered as `fmt`, separated by blank lines, ending in a newline (empty blocks are left out)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use md or txt)")
    renderer = _Renderer(fmt, width, ambiguous_wide)
    chunks = [renderer.block(block) for block in blocks]
    return "\n\n".join("\n".join(lines) for lines in chunks if lines) + "\n"


class _Renderer:
    def __init__(self, fmt: str, width: int, ambiguous_wide: bool) -> None:
        self.md = fmt == "md"
        self.width = width
        self.wide = ambiguous_wide

    def text(self, text: str) -> str:
        return md_escape(text) if self.md else text

    def cells(self, text: str) -> int:
        return cell_width(text, self.wide)

    def wrap(self, text: str, first_indent: str = "", indent: str = "", *, bold: bool = False) -> list[str]:
        # Markdown leaves one cell spare: a wrapped line that would start like a list item gets a backslash.
        width = self.width - 1 if self.md else self.width
        body = f"**{self.text(text.strip())}**" if bold and self.md else self.text(text)
        lines = wrap(body, width, self.wide, first_indent=first_indent, indent=indent)
        if self.md:
            lines = [lines[0], *(_MD_LINE_START.sub(r"\1\\\2\3", line) for line in lines[1:])]
        return lines

    def block(self, block: Block) -> list[str]:
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Paragraph):
            return self.loud(block.text) if block.loud else self.wrap(block.text)
        if isinstance(block, Bullets):
            return self.bullets(block)
        return self.table(block)

    def loud(self, text: str) -> list[str]:
        """Bold in Markdown; in plain text (no bold there) after `!! `, its wrapped lines under its first word."""
        return self.wrap(text, bold=True) if self.md else self.wrap(text, first_indent="!! ", indent="   ")

    def heading(self, heading: Heading) -> list[str]:
        if self.md:
            marker = "#" * max(1, heading.level) + " "
            return [marker + truncate(self.text(heading.text), self.width - len(marker), self.wide)]
        text = truncate(heading.text, self.width, self.wide)
        return [text, ("=" if heading.level <= 1 else "-") * self.cells(text)]

    def bullets(self, bullets: Bullets) -> list[str]:
        if not bullets.items:
            return self.wrap(bullets.empty) if bullets.empty else []
        lines: list[str] = []
        for item in bullets.items:
            lines.extend(self.item(item))
        return lines

    def item(self, item: Item) -> list[str]:
        mark = "- " if self.md else "* "
        lines = self.wrap(item.text, first_indent=mark, indent="  ")
        for detail in item.details:
            if self.md:
                lines.extend(self.wrap(detail, first_indent="  - ", indent="    "))
            else:
                lines.extend(self.wrap(detail, first_indent="    ", indent="    "))
        return lines

    def table(self, table: Table) -> list[str]:
        if not table.rows:
            return self.wrap(table.empty) if table.empty else []
        headers = [self.text(header) for header in table.headers]
        rows = [[self.text(cell) for cell in row] for row in table.rows]
        natural = [max(self.cells(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
        overhead = 3 * len(natural) + 1 if self.md else 2 * (len(natural) - 1)
        widths = _fit(natural, self.width - overhead, table.flexible, [self.cells(header) for header in headers])
        if widths is None or any(
            self.cells(cell) > width for row in rows for cell, width in zip(row, widths, strict=True)
        ):
            return self.table_as_bullets(table)  # a record never cuts a name: whole cells, as bullets
        align = [table.align[index] if index < len(table.align) else "left" for index in range(len(widths))]
        lines = [self.row(headers, widths, align)]
        if self.md:
            rules = [
                ("-" * (w + 1) + ":") if a == "right" else "-" * (w + 2) for w, a in zip(widths, align, strict=True)
            ]
            lines.append("|" + "|".join(rules) + "|")
        else:
            lines.append("  ".join("-" * width for width in widths))
        lines.extend(self.row(row, widths, align) for row in rows)
        return lines

    def row(self, cells: Iterable[str], widths: list[int], align: list[str]) -> str:
        fitted = [
            pad(truncate(cell, width, self.wide), width, side, self.wide)
            for cell, width, side in zip(cells, widths, align, strict=True)
        ]
        if self.md:
            return "| " + " | ".join(fitted) + " |"
        return "  ".join(fitted).rstrip()

    def table_as_bullets(self, table: Table) -> list[str]:
        """A table that would fit the page only with a cell cut: one bullet per row, every cell whole."""
        items = []
        for row in table.rows:
            pairs = [f"{header}: {cell}" for header, cell in zip(table.headers[1:], row[1:], strict=True) if cell]
            items.append(Item(row[0], ("; ".join(pairs),) if pairs else ()))
        return self.bullets(Bullets(tuple(items)))


def _fit(widths: list[int], room: int, flexible: tuple[int, ...], minimums: list[int]) -> list[int] | None:
    """Column widths that fit `room` by narrowing flexible columns (widest first), or None when impossible.

    The caller writes the table as bullets when a narrowed column would cut a cell."""
    fitted = list(widths)
    excess = sum(fitted) - room
    candidates = [index for index in flexible if 0 <= index < len(fitted)]
    while excess > 0 and candidates:
        widest = max(candidates, key=lambda index: fitted[index])
        floor = max(MIN_FLEXIBLE_WIDTH, min(minimums[widest], 12))
        if fitted[widest] <= floor:
            candidates.remove(widest)
            continue
        fitted[widest] -= 1
        excess -= 1
    return fitted if excess <= 0 else None
