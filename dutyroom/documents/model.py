"""A small document model shared by the handover file and the period report, rendered by `documents.render`.

Builders put plain text in (already cleaned of control characters); the renderer escapes it for Markdown,
wraps it to the page width and aligns tables, so no builder needs to know the output format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    loud: bool = False
    """A line the reader must not miss (a site lost): bold in Markdown, after `!! ` in plain text."""


@dataclass(frozen=True, slots=True)
class Item:
    """One bullet: a first line and detail lines below it (each wrapped on its own)."""

    text: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Item, ...]
    empty: str = ""
    """What to print when there are no items (e.g. "none")."""


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells; `align` per column ("left"/"right"); `flexible` columns narrow to fit the page; a table
    that would fit only by cutting a cell is written as bullets instead (a record never cuts a name)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] = ()
    flexible: tuple[int, ...] = (0,)
    empty: str = ""


Block = Heading | Paragraph | Bullets | Table


@dataclass
class Document:
    """Blocks in reading order; `title` is the level-1 heading."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(Heading(text, level))

    def paragraph(self, text: str) -> None:
        self.blocks.append(Paragraph(text))

    def bullets(self, items: Sequence[Item], empty: str = "") -> None:
        self.blocks.append(Bullets(tuple(items), empty))

    def table(
        self,
        headers: tuple[str, ...],
        rows: Sequence[tuple[str, ...]],
        *,
        align: tuple[str, ...] = (),
        flexible: tuple[int, ...] = (0,),
        empty: str = "",
    ) -> None:
        self.blocks.append(Table(headers, tuple(rows), align, flexible, empty))
