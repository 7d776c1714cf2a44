"""Small parsers shared by the profile loader: key checks, row conditions and labels."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from collectors.snmp.profile_model import Condition, LabelSource, LabelSpecs

_LABEL = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class ProfileError(ValueError):
    """A profile file is malformed; the message names the file and the entry."""


def check_keys(entry: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")


def parse_conditions(entry: Any, columns: set[str], where: str) -> tuple[Condition, ...]:
    """`{ online = 1, type = ["a", "b"], description = { match = "(?i)water" } }` -> conditions."""
    if not isinstance(entry, Mapping):
        raise ProfileError(f"{where}: `where` must be a table of column = condition")
    conditions = []
    for column, spec in entry.items():
        if column not in columns and column != "index":
            raise ProfileError(f"{where}: `where` names unknown column {column!r}")
        conditions.append(_condition(column, spec, f"{where}.where.{column}"))
    return tuple(conditions)


def _condition(column: str, spec: Any, where: str) -> Condition:
    if isinstance(spec, Mapping):
        check_keys(spec, {"match"}, where)
        pattern = spec.get("match")
        if not isinstance(pattern, str):
            raise ProfileError(f"{where}: `match` must be a regular expression string")
        try:
            return Condition(column, pattern=re.compile(pattern))
        except re.error as error:
            raise ProfileError(f"{where}: bad regular expression: {error}") from None
    options = spec if isinstance(spec, list) else [spec]
    if not options or not all(isinstance(item, str | int | float) and item is not True for item in options):
        raise ProfileError(f"{where}: a condition is a string, a number, a list of them or {{ match = ... }}")
    return Condition(column, equals=tuple(item if isinstance(item, str) else float(item) for item in options))


def parse_labels(entry: Any, columns: set[str], where: str) -> LabelSpecs:
    """`{ sensor = ["name", "descr"], type = { column = "type", words = { 8 = "celsius" } } }`.

    A label is a column, a list of columns (the first non-empty wins), a column with words for its
    numbers, or `{ text = "A" }` (fixed); "index" means the row index, which is also the fallback when
    every column is empty.
    """
    if not isinstance(entry, Mapping):
        raise ProfileError(f"{where}: `labels` must be a table of label = column")
    labels = []
    for label, spec in entry.items():
        if not _LABEL.match(label):
            raise ProfileError(f"{where}: bad label name {label!r}")
        labels.append((label, _label_source(spec, columns, f"{where}: label {label!r}")))
    return tuple(labels)


def _label_source(spec: Any, columns: set[str], where: str) -> LabelSource:
    words: Mapping[int, str] = {}
    if isinstance(spec, Mapping) and "text" in spec:
        check_keys(spec, {"text"}, where)
        if not isinstance(spec["text"], str) or not spec["text"]:
            raise ProfileError(f"{where}: `text` must be a non-empty string")
        return LabelSource((), text=spec["text"])
    if isinstance(spec, Mapping):
        check_keys(spec, {"column", "words"}, where)
        words = spec.get("words", {})
        if not isinstance(words, Mapping) or not all(isinstance(word, str) for word in words.values()):
            raise ProfileError(f"{where}: `words` must map integers to words")
        try:
            words = {int(key): word for key, word in words.items()}
        except ValueError:
            raise ProfileError(f"{where}: `words` keys must be integers") from None
        spec = spec.get("column")
    names = spec if isinstance(spec, list) else [spec]
    for name in names:
        if name != "index" and name not in columns:
            raise ProfileError(f"{where} names unknown column {name!r}")
    return LabelSource(tuple(names), MappingProxyType(dict(words)))
