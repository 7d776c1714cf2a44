"""Where each key of a TOML document is, so config problems can name `line:col`.

tomllib gives values but no positions. This scanner reads the document the way a TOML parser does, one
token at a time, so text inside a string, a multi-line string or an array is never taken for a key or a
header; it records the 1-based line and column of every key (tables, arrays of tables, dotted and quoted
keys, keys of inline tables, also inside arrays) and of every value and array item. Unmapped paths fall
back to their nearest mapped ancestor. It is only given text tomllib has accepted; on anything else it
skips to the next line rather than fail. `tests/unit/test_toml_positions.py` checks it against tomllib.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right

KeyPath = tuple[str | int, ...]
Position = tuple[int, int]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}#\r\n]")


class TomlPositions:
    """Positions of keys (`keys`) and their values (`values`) by key path.

    `scan` reads the text only when a position is first asked for: a file without problems (the console's every
    start) never needs one, and scanning a room of a thousand targets is a tenth of a second.
    """

    def __init__(self, keys: dict[KeyPath, Position], values: dict[KeyPath, Position]) -> None:
        self._keys, self._values = keys, values
        self._unscanned: tuple[str, int] | None = None

    @classmethod
    def empty(cls) -> TomlPositions:
        return cls({}, {})

    @classmethod
    def scan(cls, text: str, *, first_line: int = 1) -> TomlPositions:
        positions = cls({}, {})
        positions._unscanned = (text, first_line)
        return positions

    @property
    def keys(self) -> dict[KeyPath, Position]:
        self._scan()
        return self._keys

    @property
    def values(self) -> dict[KeyPath, Position]:
        self._scan()
        return self._values

    def _scan(self) -> None:
        if self._unscanned is not None:
            (text, first_line), self._unscanned = self._unscanned, None
            _Scanner(text, first_line, self).document()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TomlPositions):
            return NotImplemented
        return (self.keys, self.values) == (other.keys, other.values)

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


class _MalformedError(Exception):
    """Text that is not TOML; the scanner resumes at the next line."""


class _Scanner:
    """One pass over the text with a cursor `at`; positions are computed from line starts."""

    def __init__(self, text: str, first_line: int, positions: TomlPositions) -> None:
        self.text = text
        self.at = 0
        self.first_line = first_line
        self.positions = positions
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def position(self, index: int) -> Position:
        line = bisect_right(self.line_starts, index) - 1
        return (self.first_line + line, index - self.line_starts[line] + 1)

    def document(self) -> None:
        table: KeyPath = ()
        array_counts: dict[KeyPath, int] = {}
        while True:
            self.skip_blank(newlines=True)
            if self.at >= len(self.text):
                return
            try:
                if self.text[self.at] == "[":
                    table = self.header(array_counts)
                else:
                    self.pair(table)
                self.skip_blank()
                if self.at < len(self.text) and self.text[self.at] not in "#\r\n":
                    raise _MalformedError
            except _MalformedError:
                newline = self.text.find("\n", self.at)
                self.at = len(self.text) if newline < 0 else newline + 1

    def header(self, array_counts: dict[KeyPath, int]) -> KeyPath:
        """`[table]` or `[[array]]`: the path of the table that the following keys belong to."""
        is_array = self.text.startswith("[[", self.at)
        self.at += 2 if is_array else 1
        self.skip_blank()
        where = self.position(self.at)
        base = _resolve(self.key(), array_counts)
        self.skip_blank()
        self.expect("]]" if is_array else "]")
        table = base
        if is_array:
            index = array_counts.get(base, 0)
            array_counts[base] = index + 1
            self.positions.keys.setdefault(base, where)
            table = (*base, index)
        self.positions.keys.setdefault(table, where)
        return table

    def pair(self, table: KeyPath) -> None:
        """`key = value`, at the top level or inside an inline table."""
        where = self.position(self.at)
        path = (*table, *self.key())
        self.positions.keys.setdefault(path, where)
        self.skip_blank()
        self.expect("=")
        self.skip_blank()
        self.positions.values.setdefault(path, self.position(self.at))
        self.value(path)

    def key(self) -> list[str]:
        """A dotted key's names, unquoted as tomllib reads them."""
        names = [self.simple_key()]
        while True:
            self.skip_blank()
            if not self.text.startswith(".", self.at):
                return names
            self.at += 1
            self.skip_blank()
            names.append(self.simple_key())

    def simple_key(self) -> str:
        start = self.at
        if self.text.startswith(('"', "'"), start):
            self.string()
            try:
                quoted: str = tomllib.loads("k = " + self.text[start : self.at])["k"]
            except tomllib.TOMLDecodeError:
                raise _MalformedError from None
            return quoted
        bare = _BARE_KEY.match(self.text, start)
        if bare is None:
            raise _MalformedError
        self.at = bare.end()
        return bare.group()

    def value(self, path: KeyPath) -> None:
        char = self.text[self.at : self.at + 1]
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            end = _SCALAR_END.search(self.text, self.at)
            stop = len(self.text) if end is None else end.start()
            if stop == self.at:
                raise _MalformedError
            self.at = stop

    def array(self, path: KeyPath) -> None:
        self.at += 1
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.text.startswith("]", self.at):
                self.at += 1
                return
            item = (*path, index)
            self.positions.values.setdefault(item, self.position(self.at))
            self.value(item)
            index += 1
            self.skip_blank(newlines=True)
            if self.text.startswith(",", self.at):
                self.at += 1
            elif not self.text.startswith("]", self.at):
                raise _MalformedError

    def inline_table(self, path: KeyPath) -> None:
        self.at += 1
        while True:
            self.skip_blank(newlines=True)
            if self.text.startswith("}", self.at):
                self.at += 1
                return
            self.pair(path)
            self.skip_blank(newlines=True)
            if self.text.startswith(",", self.at):
                self.at += 1
            elif not self.text.startswith("}", self.at):
                raise _MalformedError

    def string(self) -> None:
        """Skip a basic, literal or multi-line string; up to two quotes may end its content."""
        quote = self.text[self.at]
        if self.text.startswith(quote * 3, self.at):
            self.at += 3
            self.until(quote * 3, escapes=quote == '"')
            for _ in range(2):
                if self.text.startswith(quote, self.at):
                    self.at += 1
        else:
            self.at += 1
            self.until(quote, escapes=quote == '"', single_line=True)

    def until(self, closing: str, *, escapes: bool, single_line: bool = False) -> None:
        while self.at < len(self.text):
            char = self.text[self.at]
            if escapes and char == "\\":
                self.at += 2
            elif self.text.startswith(closing, self.at):
                self.at += len(closing)
                return
            elif single_line and char == "\n":
                raise _MalformedError
            else:
                self.at += 1
        raise _MalformedError

    def skip_blank(self, *, newlines: bool = False) -> None:
        """Spaces and tabs; with `newlines`, also line ends and comments."""
        while self.at < len(self.text):
            char = self.text[self.at]
            if char in " \t" or (newlines and char in "\r\n"):
                self.at += 1
            elif newlines and char == "#":
                newline = self.text.find("\n", self.at)
                self.at = len(self.text) if newline < 0 else newline
            else:
                return

    def expect(self, token: str) -> None:
        if not self.text.startswith(token, self.at):
            raise _MalformedError
        self.at += len(token)


def _resolve(parts: list[str], array_counts: dict[KeyPath, int]) -> KeyPath:
    """Map a header path onto the latest element of any array of tables it passes through."""
    resolved: list[str | int] = []
    for offset, part in enumerate(parts):
        resolved.append(part)
        count = array_counts.get(tuple(resolved))
        if count is not None and offset < len(parts) - 1:
            resolved.append(count - 1)
    return tuple(resolved)
