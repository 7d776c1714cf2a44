"""Threshold conditions as written in checks.toml: `> 80`, `< 10`, `== 1`, `!= "up"`, `< 30 or > 70`."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dutyroom.model import MetricValue

_COMPARISON = re.compile(
    r"""\s*(>=|<=|==|!=|>|<)\s*(?:(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|"([^"]*)"|'([^']*)'|([A-Za-z][\w.-]*))\s*"""
)
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


class ExpressionError(ValueError):
    """A condition that does not parse."""


class NotComparable(ValueError):  # noqa: N818 - reads as a state, like StopIteration
    """The value cannot be compared with the threshold (a word against a number)."""


@dataclass(frozen=True, slots=True)
class Comparison:
    op: str
    operand: float | str

    def matches(self, value: MetricValue) -> bool:
        if isinstance(self.operand, str):
            if self.op not in ("==", "!="):
                raise ExpressionError(f"'{self.op}' needs a number, not \"{self.operand}\"")
            return _OPERATORS[self.op](str(value), self.operand)
        number = _as_number(value)
        return _OPERATORS[self.op](number, self.operand)


@dataclass(frozen=True, slots=True)
class Condition:
    """One or more comparisons joined by `or`; true when any matches."""

    text: str
    comparisons: tuple[Comparison, ...]

    def matches(self, value: MetricValue) -> bool:
        return any(comparison.matches(value) for comparison in self.comparisons)


def parse_condition(text: str) -> Condition:
    """Parse a condition or raise ExpressionError saying what is wrong."""
    comparisons = []
    for part in re.split(r"\s+or\s+|\s*\|\|\s*", text.strip()):
        match = _COMPARISON.fullmatch(part)
        if not match:
            raise ExpressionError(
                f"bad condition '{text}' (write an operator and a value, e.g. '> 80', '== 1', '!= \"up\"')"
            )
        op, number, double_quoted, single_quoted, word = match.groups()
        operand: float | str
        if number is not None:
            operand = float(number)
        else:
            operand = next(item for item in (double_quoted, single_quoted, word) if item is not None)
            if op not in ("==", "!="):
                raise ExpressionError(f"bad condition '{text}': '{op}' needs a number")
        comparisons.append(Comparison(op, operand))
    return Condition(text.strip(), tuple(comparisons))


def _as_number(value: MetricValue) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except ValueError:
        raise NotComparable(f"value '{value}' is not a number") from None
