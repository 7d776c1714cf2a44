"""Load a TOML file into strict msgspec Structs, collecting every problem with its line and column.

msgspec stops at the first error, so tables are converted key by key: unknown keys, missing keys and wrong
types are all reported, each at its own position, before anything is constructed. A tagged union of Structs
(msgspec `tag_field`) is read as the member its tag names, so a key of another member is refused by name.
tomllib recurses once per nesting level, so arrays nested a few hundred deep would raise RecursionError (and
crash a reload): nesting deeper than `MAX_NESTING` is refused at its bracket before tomllib reads the text.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from dutyroom.config.problems import ProblemCollector
from dutyroom.config.toml_positions import KeyPath, TomlPositions

T = TypeVar("T", bound=msgspec.Struct)
_TOML_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_MSGSPEC_AT = re.compile(r"\s*-\s*at\s*`\$[^`]*`")
MAX_NESTING = 32
"""Arrays and inline tables nested deeper than this are refused; checks.toml needs three levels at most."""


@dataclass(frozen=True, slots=True)
class DefaultTag:
    """`Annotated` marker of a tagged union whose tag key may be left out: such a table is `member`.

    msgspec itself requires the tag, so the default is resolved here before the table is converted.
    """

    member: type[msgspec.Struct]

    @property
    def tag(self) -> str:
        return str(self.member.__struct_config__.tag)


def parse_toml_text(text: str, collector: ProblemCollector, *, first_line: int = 1) -> dict[str, Any] | None:
    """Parse TOML, reporting a syntax error at its line and column; positions go into `collector`."""
    too_deep = nesting_too_deep(text)
    if too_deep is not None:
        line, col = too_deep
        collector.add((line + first_line - 1, col), f"arrays and inline tables nested more than {MAX_NESTING} deep")
        return None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        collector.add((first_line, 1), "TOML nested too deeply to read")
        return None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_ERROR_AT.search(message)
        line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        collector.add((line + first_line - 1, col), "TOML syntax error: " + _TOML_ERROR_AT.sub("", message).strip())
        return None
    collector.positions = TomlPositions.scan(text, first_line=first_line)
    return data


def nesting_too_deep(text: str, limit: int = MAX_NESTING) -> tuple[int, int] | None:
    """Line and column of the first `[` or `{` that opens level `limit + 1`, or None.

    Brackets inside strings and comments do not count; table headers count as one or two levels, closed on
    their own line. Text that is not TOML is left for tomllib to report.
    """
    depth = 0
    at = 0
    length = len(text)
    while at < length:
        char = text[at]
        if char == "#":
            newline = text.find("\n", at)
            at = length if newline < 0 else newline
        elif char in "\"'":
            at = _string_end(text, at)
        elif char in "[{":
            depth += 1
            if depth > limit:
                line = text.count("\n", 0, at)
                return line + 1, at - (text.rfind("\n", 0, at) + 1) + 1
            at += 1
        else:
            if char in "]}":
                depth = max(0, depth - 1)
            at += 1
    return None


def _string_end(text: str, start: int) -> int:
    """Index just past the string that starts at `start` (basic, literal or multi-line)."""
    quote = text[start]
    escapes = quote == '"'
    if text.startswith(quote * 3, start):
        closing, at = quote * 3, start + 3
    else:
        closing, at = quote, start + 1
    while at < len(text):
        if escapes and text[at] == "\\":
            at += 2
        elif text.startswith(closing, at):
            end = at + len(closing)
            while len(closing) == 3 and text.startswith(quote, end) and end - at < 5:
                end += 1
            return end
        elif len(closing) == 1 and text[at] == "\n":
            return at
        else:
            at += 1
    return len(text)


def read_toml_file(path: Path, collector: ProblemCollector) -> dict[str, Any] | None:
    """Read and parse `path`; an unreadable file is a problem at 1:1."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        collector.add((1, 1), f"cannot read file: {error.strerror if isinstance(error, OSError) else error}")
        return None
    return parse_toml_text(text, collector)


def convert_table(
    data: Any, cls: type[T], path: KeyPath, problems: ProblemCollector, *, kinds: Sequence[type[msgspec.Struct]] = ()
) -> T | None:
    """Convert one TOML table to `cls`, reporting every unknown, missing or mistyped key.

    A bad optional key falls back to its default (and a bad list item is left out) so that later checks
    still run and every problem is reported in one go; the caller must still refuse the result when the
    collector holds problems. `kinds` are the other members of the tagged union `cls` was chosen from: a
    key one of them has is reported as belonging to that kind.
    """
    if not isinstance(data, dict):
        problems.at(path, f"expected a table, got {_toml_type(data)}", value=True)
        return None
    fields = _fields_by_key(cls)
    converted: dict[str, Any] = {}
    complete = True
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            owners = [kind for kind in kinds if key in _encode_names(kind)]
            if owners:
                problems.at((*path, key), _other_kind_message(key, cls, owners, path))
            else:
                problems.at((*path, key), _unknown_key_message(key, path, list(fields)))
            continue
        result, good = convert_value(value, field.type, (*path, key), problems)
        if good:
            converted[field.name] = result
        elif field.required:
            complete = False
    for field in fields.values():
        if field.required and field.encode_name not in data:
            problems.at(path, f"missing required key '{field.encode_name}'{_where(path)}")
            complete = False
    if not complete:
        return None
    try:
        return cls(**converted)
    except (TypeError, ValueError) as error:
        problems.at(path, str(error))
        return None


def convert_value(value: Any, annotation: Any, path: KeyPath, problems: ProblemCollector) -> tuple[Any, bool]:
    """Convert `value` to `annotation`, recursing into Structs, lists and dicts of Structs."""
    tagged = _tagged_union(annotation)
    if tagged is not None and isinstance(value, dict):
        result = _convert_tagged(value, *tagged, path, problems)
        return result, result is not None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        result = convert_table(value, annotation, path, problems)
        return result, result is not None
    if origin in (list, tuple) and args and _has_struct(args[0]) and isinstance(value, list):
        items = [convert_value(item, args[0], (*path, index), problems) for index, item in enumerate(value)]
        seq = [item for item, item_ok in items if item_ok]
        return (tuple(seq) if origin is tuple else seq), True
    if origin is dict and len(args) == 2 and _has_struct(args[1]) and isinstance(value, dict):
        entries = {key: convert_value(item, args[1], (*path, key), problems) for key, item in value.items()}
        return {key: item for key, (item, item_ok) in entries.items() if item_ok}, True
    if _is_union(annotation) and isinstance(value, dict):
        for member in args:
            if isinstance(member, type) and issubclass(member, msgspec.Struct):
                return convert_value(value, member, path, problems)
    try:
        return msgspec.convert(value, type=annotation, strict=True), True
    except msgspec.ValidationError as error:
        problems.at(path, f"{_MSGSPEC_AT.sub('', str(error))} for '{_key_name(path)}'", value=True)
        return None, False


def _tagged_union(annotation: Any) -> tuple[tuple[type[msgspec.Struct], ...], DefaultTag | None] | None:
    """The members of a union of tagged Structs (and its default), or None for any other annotation."""
    default = None
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extras = typing.get_args(annotation)
        default = next((extra for extra in extras if isinstance(extra, DefaultTag)), None)
    if not _is_union(annotation):
        return None
    members = typing.get_args(annotation)
    if not all(isinstance(member, type) and issubclass(member, msgspec.Struct) for member in members):
        return None
    if not all(member.__struct_config__.tag_field for member in members):
        return None
    return members, default


def _convert_tagged(
    value: dict[str, Any],
    members: tuple[type[msgspec.Struct], ...],
    default: DefaultTag | None,
    path: KeyPath,
    problems: ProblemCollector,
) -> msgspec.Struct | None:
    """Read `value` as the union member its tag names, refusing keys that only other members have."""
    tag_field = str(members[0].__struct_config__.tag_field)
    by_tag = {str(member.__struct_config__.tag): member for member in members}
    if tag_field not in value and default is None:
        problems.at(path, f"missing required key '{tag_field}'{_where(path)}")
        return None
    tag = value.get(tag_field, default.tag if default is not None else None)
    member = by_tag.get(tag) if isinstance(tag, str) else None
    if member is None:
        choices = ", ".join(list(by_tag)[:-1]) + f" or {list(by_tag)[-1]}"
        problems.at((*path, tag_field), f"unknown {tag_field} '{tag}'{_where(path)} (use {choices})", value=True)
        return None
    others = [other for other in members if other is not member]
    table = {key: item for key, item in value.items() if key != tag_field}
    return convert_table(table, member, path, problems, kinds=others)


@functools.cache
def _fields_by_key(cls: type[msgspec.Struct]) -> dict[str, msgspec.structs.FieldInfo]:
    """A Struct's fields by their TOML key, worked out once per class.

    `msgspec.structs.fields` resolves the type hints on every call; a room of 1,000 targets called it once per
    table and spent most of its config load there (PERFORMANCE.md, issue 18).
    """
    return {field.encode_name: field for field in msgspec.structs.fields(cls)}


def _encode_names(cls: type[msgspec.Struct]) -> set[str]:
    return set(_fields_by_key(cls))


def _other_kind_message(key: str, cls: type[msgspec.Struct], owners: list[type[msgspec.Struct]], path: KeyPath) -> str:
    """E.g. "'url' is not a key of snmp targets (http targets have it)"."""
    noun = (_key_name(path).rsplit(".", 1)[-1] or "table") + "s"
    tags = [str(owner.__struct_config__.tag) for owner in owners]
    owned_by = tags[0] if len(tags) == 1 else ", ".join(tags[:-1]) + f" and {tags[-1]}"
    return f"'{key}' is not a key of {cls.__struct_config__.tag} {noun} ({owned_by} {noun} have it)"


def _has_struct(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return True
    return any(_has_struct(arg) for arg in typing.get_args(annotation))


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _unknown_key_message(key: str, path: KeyPath, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{_where(path)}{hint}"


def _where(path: KeyPath) -> str:
    names = [str(part) for part in path if not isinstance(part, int)]
    return f" in [{'.'.join(names)}]" if names else ""


def _key_name(path: KeyPath) -> str:
    return ".".join(str(part) for part in path if not isinstance(part, int))


def _toml_type(value: Any) -> str:
    return {str: "a string", int: "an integer", float: "a float", bool: "a boolean", list: "an array"}.get(
        type(value), type(value).__name__
    )
