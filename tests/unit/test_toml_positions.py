"""`TomlPositions` places every key tomllib returns at its own text, on generated TOML documents.

The scanner is hand-written, so it is checked against what it stands beside: hypothesis writes documents
(tables, arrays of tables, dotted and quoted keys, inline tables, multi-line arrays and strings holding
text that looks like keys, headers and comments), noting where it wrote each key and value; tomllib must
accept the document, and the scanner must find each key and value where it was written.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dutyroom.config.load import load_config
from dutyroom.config.toml_positions import KeyPath, Position, TomlPositions

TRICKY_TEXT = [
    "k = 1",
    "[t]",
    "[[t]]",
    "# no",
    "x.y = 2",
    "{ a = 1 }",
    "'",
    '"',
    "\\",
    ",",
    "]",
    "}",
    "=",
    "设备",
    "\t",
]
KEY_CHARACTERS = ["a", "b", ".", " ", "=", "#", "[", '"', "\\", "设"]


@dataclass
class Writer:
    """Builds a document and notes where each key and value starts, as the oracle."""

    text: str = ""
    line: int = 1
    col: int = 1
    keys: dict[KeyPath, Position] = field(default_factory=dict)
    values: dict[KeyPath, Position] = field(default_factory=dict)

    def write(self, chunk: str) -> None:
        for char in chunk:
            if char == "\n":
                self.line, self.col = self.line + 1, 1
            else:
                self.col += 1
        self.text += chunk

    def here(self) -> Position:
        return (self.line, self.col)


@dataclass(frozen=True)
class Key:
    """A dotted key as written (`parts` raw) and as tomllib reads it (`names`)."""

    parts: tuple[str, ...]
    names: tuple[str, ...]
    dot: str


@dataclass(frozen=True)
class Array:
    items: tuple[Any, ...]
    multiline: bool


@dataclass(frozen=True)
class Inline:
    pairs: tuple[tuple[Key, Any], ...]


def simple_keys() -> st.SearchStrategy[tuple[str, str]]:
    """(as written, as read) for a bare, basic-quoted or literal-quoted key."""
    bare = st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True).map(lambda name: (name, name))
    quoted_text = st.lists(st.sampled_from(KEY_CHARACTERS), min_size=1, max_size=5).map("".join)
    basic = quoted_text.map(lambda name: (json.dumps(name, ensure_ascii=False), name))
    literal = quoted_text.filter(lambda name: "'" not in name).map(lambda name: (f"'{name}'", name))
    return st.one_of(bare, bare, basic, literal)


SIMPLE_KEYS = simple_keys()


@st.composite
def keys(draw: st.DrawFn) -> Key:
    parts = draw(st.lists(SIMPLE_KEYS, min_size=1, max_size=2))
    dot = draw(st.sampled_from([".", " . ", "."]))
    return Key(tuple(raw for raw, _ in parts), tuple(name for _, name in parts), dot)


KEYS = keys()


def unique_first(pairs: list[tuple[Key, Any]]) -> list[tuple[Key, Any]]:
    """Keys of one table with distinct first names, so no two define the same key or implicit table."""
    seen: set[str] = set()
    kept = []
    for key, value in pairs:
        if key.names[0] not in seen:
            seen.add(key.names[0])
            kept.append((key, value))
    return kept


STRING_PIECES = st.lists(st.one_of(st.sampled_from(TRICKY_TEXT), st.just("\n"), st.text("ab ", max_size=3)), max_size=6)


@st.composite
def strings(draw: st.DrawFn) -> str:
    """A string value in one of the four TOML styles its content allows."""
    content = "".join(draw(STRING_PIECES))
    escaped = content.replace("\\", "\\\\").replace('"', '\\"')
    styles = [json.dumps(content.replace("\n", ""), ensure_ascii=False), f'"""{escaped}"""', f'"""\n{escaped}"""']
    if "'''" not in content and not content.endswith("''"):
        styles += [f"'''{content}'''", f"'''\n{content}'''"]
    if "'" not in content and "\n" not in content:
        styles.append(f"'{content}'")
    return draw(st.sampled_from(styles))


def values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.sampled_from(["42", "-7", "1.5", "true", "false", "1979-05-27 07:32:00", "2026-10-01"]), strings()
    )

    def nested(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        arrays = st.builds(Array, st.lists(children, max_size=3).map(tuple), st.booleans())
        inline = st.lists(st.tuples(KEYS, children), max_size=3).map(lambda pairs: Inline(tuple(unique_first(pairs))))
        return st.one_of(arrays, inline)

    return st.recursive(scalars, nested, max_leaves=6)


PAIR_LISTS = st.lists(st.tuples(KEYS, values()), max_size=4).map(unique_first)


def write_key(writer: Writer, key: Key) -> None:
    writer.write(key.dot.join(key.parts))


def write_value(writer: Writer, path: KeyPath, value: Any) -> None:
    if isinstance(value, str):
        writer.write(value)
    elif isinstance(value, Array):
        writer.write("[")
        for index, item in enumerate(value.items):
            writer.write("\n  " if value.multiline else (" " if index else ""))
            writer.values[(*path, index)] = writer.here()
            write_value(writer, (*path, index), item)
            writer.write(",")
            if value.multiline and index % 2:
                writer.write("  # [not] = a key")
        writer.write("\n]" if value.multiline else "]")
    else:
        writer.write("{")
        for index, (key, item) in enumerate(value.pairs):
            writer.write(", " if index else " ")
            write_pair(writer, path, key, item)
        writer.write(" }")


def write_pair(writer: Writer, table: KeyPath, key: Key, value: Any, *, indent: str = "", equals: str = " = ") -> None:
    writer.write(indent)
    path = (*table, *key.names)
    writer.keys[path] = writer.here()
    write_key(writer, key)
    writer.write(equals)
    writer.values[path] = writer.here()
    write_value(writer, path, value)


@st.composite
def documents(draw: st.DrawFn) -> Writer:
    """A document: root pairs, then tables and arrays of tables (some with sub-arrays), with comments."""
    writer = Writer()
    taken: set[str] = set()

    def pairs_of(table: KeyPath) -> set[str]:
        pairs = draw(PAIR_LISTS)
        for key, value in pairs:
            if not table:
                taken.add(key.names[0])
            indent = draw(st.sampled_from(["", "", "  ", "\t"]))
            equals = draw(st.sampled_from([" = ", "=", "  =\t"]))
            write_pair(writer, table, key, value, indent=indent, equals=equals)
            writer.write(draw(st.sampled_from(["\n", "  # k = 1\n", "\n\n", "\n# [t]\n"])))
        return {key.names[0] for key, _ in pairs}

    def header(raw: str, *, array: bool, path: KeyPath) -> None:
        writer.write("[[" if array else "[")
        writer.write(draw(st.sampled_from(["", " "])))
        writer.keys.setdefault(path[: len(path) - 1] if array else path, writer.here())
        writer.keys[path] = writer.here()
        writer.write(raw)
        writer.write(draw(st.sampled_from(["", " "])) + ("]]\n" if array else "]\n"))

    pairs_of(())
    for _ in range(draw(st.integers(0, 3))):
        key = draw(KEYS)
        if key.names[0] in taken:
            continue
        taken.add(key.names[0])
        raw = key.dot.join(key.parts)
        if not draw(st.booleans()):
            header(raw, array=False, path=key.names)
            pairs_of(key.names)
            continue
        child = draw(SIMPLE_KEYS)
        for index in range(draw(st.integers(1, 3))):
            element = (*key.names, index)
            header(raw, array=True, path=element)
            if child[1] in pairs_of(element):
                continue
            for child_index in range(draw(st.integers(0, 2))):
                header(f"{raw}.{child[0]}", array=True, path=(*element, child[1], child_index))
                pairs_of((*element, child[1], child_index))
    return writer


def leaf_paths(value: Any, path: KeyPath = ()) -> list[KeyPath]:
    """Every path tomllib returns that ends at a value rather than at a table."""
    if isinstance(value, dict):
        if not value and path:
            return [path]
        return [leaf for key, item in value.items() for leaf in leaf_paths(item, (*path, key))]
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        nested = [leaf for index, item in enumerate(value) for leaf in leaf_paths(item, (*path, index))]
        return [path, *nested]
    return [path]


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(documents())
def test_every_key_is_placed_at_its_own_text(writer: Writer) -> None:
    data = tomllib.loads(writer.text)
    positions = TomlPositions.scan(writer.text)
    assert set(leaf_paths(data)) <= set(writer.keys) | set(writer.values), writer.text
    for path, where in writer.keys.items():
        assert positions.keys.get(path) == where, (path, writer.text)
    for path, where in writer.values.items():
        assert positions.values.get(path) == where, (path, writer.text)


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from([*"ab =.,[]{}#\"'\\\n\t"]), max_size=40))
def test_text_that_is_not_toml_never_breaks_the_scan(text: str) -> None:
    positions = TomlPositions.scan(text)
    assert all(line >= 1 and col >= 1 for line, col in positions.keys.values())


def test_a_key_after_a_multiline_string_in_an_array_is_on_its_own_line() -> None:
    text = 'notes = [\n  """first\nk = 1\n[elsewhere]\n""",\n]\nk = 2\n'
    assert tomllib.loads(text)["k"] == 2
    positions = TomlPositions.scan(text)
    assert positions.locate(("k",)) == (7, 1)
    assert positions.locate(("k",), value=True) == (7, 5)


def test_a_key_inside_an_array_of_inline_tables_is_placed() -> None:
    text = 'communities = [\n  { env = "A" },\n  { file = "b" },\n]\n'
    positions = TomlPositions.scan(text)
    assert positions.locate(("communities", 1, "file")) == (3, 5)
    assert positions.locate(("communities", 1), value=True) == (3, 3)


def test_first_line_offsets_every_position() -> None:
    assert TomlPositions.scan("a = 1\n", first_line=5).locate(("a",)) == (5, 1)


def test_a_document_is_scanned_only_when_a_position_is_first_asked_for() -> None:
    """A config without problems (every console start) never pays for the scan."""
    positions = TomlPositions.scan('[site]\nname = "room"\n')
    assert positions._unscanned is not None
    assert positions.locate(("site", "name"), value=True) == (2, 8)
    assert positions._unscanned is None
    assert positions == TomlPositions.scan('[site]\nname = "room"\n')


def test_loading_a_clean_room_scans_no_positions(tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    config.write_text(
        '[site]\nname = "room"\n\n[[target]]\nid = "a"\ngroup = "g"\nkind = "tcp"\naddress = "tcp://127.0.0.1:9"\n'
    )
    assert load_config(config).positions._unscanned is not None
