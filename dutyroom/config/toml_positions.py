"""Where each key of a TOML document is, so config problems can name `line:col`.

tomllib gives values but no positions; this scanner walks the text line by line, tracking table headers,
arrays of tables, dotted keys and inline tables, and records the 1-based line and column of every key and
of its value. Unmapped paths fall back to their nearest mapped ancestor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KeyPath = tuple[str | int, ...]
Position = tuple[int, int]

_BARE_KEY = r"[A-Za-z0-9_-]+"
_QUOTED_KEY = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE_KEY}|{_QUOTED_KEY})"
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_ASSIGN = re.compile(rf"({_DOTTED})\s*=\s*")
_KEY_PART = re.compile(_KEY)


def _split_dotted(dotted: str) -> list[str]:
    return [part.strip("\"'") for part in _KEY_PART.findall(dotted)]


@dataclass
class TomlPositions:
    """Positions of keys (`key`) and their values (`value`) by key path."""

    keys: dict[KeyPath, Position]
    values: dict[KeyPath, Position]

    @classmethod
    def empty(cls) -> TomlPositions:
        return cls({}, {})

    @classmethod
    def scan(cls, text: str, *, first_line: int = 1) -> TomlPositions:
        positions = cls({}, {})
        positions._scan(text.splitlines(), first_line)
        return positions

    def locate(self, path: KeyPath, *, value: bool = False) -> Position:
        """The position of `path`, or of its nearest known ancestor, or the file's start."""
        table = self.values if value else self.keys
        for length in range(len(path), 0, -1):
            prefix = path[:length]
            if prefix in table:
                return table[prefix]
            if prefix in self.keys:
                return self.keys[prefix]
        return (1, 1)

    def _scan(self, lines: list[str], first_line: int) -> None:
        table: KeyPath = ()
        array_counts: dict[KeyPath, int] = {}
        for offset, line in enumerate(lines):
            line_no = first_line + offset
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            header = _HEADER.match(line)
            if header and stripped.startswith("["):
                parts = _split_dotted(header.group(2))
                base = self._resolve(tuple(parts), array_counts)
                col = line.index(header.group(2)) + 1
                if header.group(1) == "[[":
                    index = array_counts.get(base, 0)
                    array_counts[base] = index + 1
                    table = (*base, index)
                    self.keys.setdefault(base, (line_no, col))
                else:
                    table = base
                self.keys.setdefault(table, (line_no, col))
                continue
            self._scan_assignments(line, line_no, table)

    def _resolve(self, parts: KeyPath, array_counts: dict[KeyPath, int]) -> KeyPath:
        """Map a header path onto the latest element of any array of tables it passes through."""
        resolved: list[str | int] = []
        for part in parts:
            resolved.append(part)
            count = array_counts.get(tuple(resolved))
            if count is not None and len(resolved) < len(parts):
                resolved.append(count - 1)
        return tuple(resolved)

    def _scan_assignments(self, line: str, line_no: int, table: KeyPath) -> None:
        match = _ASSIGN.match(line, len(line) - len(line.lstrip()))
        if not match:
            return
        path = (*table, *_split_dotted(match.group(1)))
        self.keys.setdefault(path, (line_no, match.start(1) + 1))
        self.values.setdefault(path, (line_no, match.end() + 1))
        rest = line[match.end() :]
        if rest.startswith("{"):
            self._scan_inline(line, match.end(), line_no, path)

    def _scan_inline(self, line: str, start: int, line_no: int, path: KeyPath) -> None:
        depth_paths: list[KeyPath] = [path]
        index = start + 1
        while index < len(line) and depth_paths:
            char = line[index]
            if char in "\"'":
                end = line.find(char, index + 1)
                if end < 0:
                    return
                index = end + 1
                continue
            if char == "}":
                depth_paths.pop()
                index += 1
                continue
            match = _ASSIGN.match(line, index)
            if match and line[index - 1] in "{, \t":
                inner = (*depth_paths[-1], *_split_dotted(match.group(1)))
                self.keys.setdefault(inner, (line_no, match.start(1) + 1))
                self.values.setdefault(inner, (line_no, match.end() + 1))
                index = match.end()
                if index < len(line) and line[index] == "{":
                    depth_paths.append(inner)
                    index += 1
                continue
            index += 1
