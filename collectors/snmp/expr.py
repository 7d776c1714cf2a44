"""Arithmetic over named SNMP values, as written in profiles: `100 * used / size`, `ticks / 6000`.

Only numbers, names, + - * / ** // %, unary minus, parentheses and `log10(x)` (milliwatts to dBm:
`10 * log10(mw)`; 0 or less gives no value, which is what a dark optic must give) are allowed; the text is
parsed once when the profile loads, never `eval`ed.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_FUNCTIONS: dict[str, Callable[[float], float]] = {"log10": math.log10}
_MAX_TEXT = 200

Evaluator = Callable[[Mapping[str, float]], float]


def _compile(node: ast.expr, names: set[str]) -> Evaluator:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        constant = float(node.value)  # type: ignore[arg-type]
        return lambda env: constant
    if isinstance(node, ast.Name):
        name = node.id
        names.add(name)
        return lambda env: env[name]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _compile(node.operand, names)
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        return lambda env: sign * inner(env)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _compile(node.left, names), _compile(node.right, names)
        apply = _BINARY[type(node.op)]
        return lambda env: apply(left(env), right(env))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and len(node.args) == 1
        and not node.keywords
    ):
        function, argument = _FUNCTIONS[node.func.id], _compile(node.args[0], names)
        return lambda env: function(argument(env))
    raise ValueError(f"not allowed in an expression: {ast.unparse(node)!r}")


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed expression; `evaluate` gives None when a name is missing or the arithmetic fails."""

    text: str
    names: frozenset[str]
    _evaluator: Evaluator = field(repr=False, compare=False)

    @property
    def bare_name(self) -> str:
        """The name when the expression is just one name, else ""."""
        stripped = self.text.strip()
        return stripped if self.names == {stripped} else ""

    def evaluate(self, env: Mapping[str, float]) -> float | None:
        if not self.names <= env.keys():
            return None
        try:
            result = self._evaluator(env)
        except (ArithmeticError, ValueError, TypeError):
            return None
        return result if isinstance(result, float) and math.isfinite(result) else None


def parse_expression(text: str) -> Expression:
    """Parse `text`; ValueError names the first thing that is not plain arithmetic."""
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_TEXT:
        raise ValueError("an expression must be a non-empty string of at most 200 characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ValueError(f"cannot parse expression {text!r}: {error.msg}") from None
    names: set[str] = set()
    evaluator = _compile(tree.body, names)
    return Expression(text.strip(), frozenset(names), evaluator)
