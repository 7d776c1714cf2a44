"""A profile's problem as `file:line:col: message`, so `dutyroom check` can point into a site's own profile.

The profile loader stops at the first problem and names the entry it concerns (`scalars.ups_load`,
`table[0].metric[2] (if.in_bps)`); here that entry is placed on its line with the same key scanner that
places checks.toml's problems, instead of duplicating position tracking in every profile parser.
"""

from __future__ import annotations

import re
from pathlib import Path

from collectors.snmp.profile_model import Profile
from collectors.snmp.profile_parts import ProfileError
from collectors.snmp.profiles import parse_profile, read_profile_document
from dutyroom.config.problems import Problem
from dutyroom.config.toml_positions import KeyPath, TomlPositions

_ENTRY = re.compile(r"^(?P<entry>[a-z_]+(?:\[\d+\])?(?:\.[a-z0-9_]+(?:\[\d+\])?)*)(?: \([^)]*\))?(?::|\.| )")
_PART = re.compile(r"([a-z0-9_]+)(?:\[(\d+)\])?")
_NAMED_KEY = re.compile(r"`([a-z_]+)`")
_AT = re.compile(r"^(?P<line>\d+):(?P<col>\d+): ")


def checked_profile(path: Path) -> tuple[Profile | None, Problem | None]:
    """The profile in `path`, or the problem that keeps it from loading, placed at its entry."""
    try:
        document = read_profile_document(path)
    except ProfileError as error:
        return None, _problem_without_entry(path, str(error))
    try:
        profile = parse_profile(document, source=str(path))
    except ProfileError as error:
        message = str(error)
        text = path.read_text(encoding="utf-8")
        line, col = TomlPositions.scan(text).locate(entry_key_path(message), value=True)
        return None, Problem(str(path), line, col, message)
    except (TypeError, AttributeError, KeyError, RecursionError) as error:
        return None, Problem(str(path), 1, 1, f"malformed profile ({type(error).__name__})")
    if profile.name != path.stem:
        line, col = TomlPositions.scan(path.read_text(encoding="utf-8")).locate(("name",), value=True)
        return None, Problem(str(path), line, col, f"name {profile.name!r} must match the file name")
    return profile, None


def entry_key_path(message: str) -> KeyPath:
    """`table[0].metric[2] (if.x): ...` -> ("table", 0, "metric", 2); () when the message names no entry.

    A problem with an expression is placed at the entry's `value`, and one that names a key in backticks
    (`` `range` must be [min, max] ``) at that key, when the entry has it.
    """
    match = _ENTRY.match(message)
    if match is None:
        return ()
    path: list[str | int] = []
    for part in _PART.finditer(match.group("entry")):
        path.append(part.group(1))
        if part.group(2) is not None:
            path.append(int(part.group(2)))
    rest = message[match.end() :]
    named = _NAMED_KEY.search(rest)
    if named is not None:
        path.append(named.group(1))
    elif "expression" in rest or "unknown name" in rest:
        path.append("value")
    return tuple(path)


def _problem_without_entry(path: Path, message: str) -> Problem:
    """A read or syntax error: its own line and column when the message gives them, else the file's start."""
    body = message.removeprefix(f"{path}: ").removeprefix(f"{path}:")
    where = _AT.match(body)
    if where:
        return Problem(str(path), int(where.group("line")), int(where.group("col")), body[where.end() :])
    syntax = re.search(r"\(at line (\d+), column (\d+)\)", body)
    if syntax:
        return Problem(str(path), int(syntax.group(1)), int(syntax.group(2)), body)
    return Problem(str(path), 1, 1, body)
