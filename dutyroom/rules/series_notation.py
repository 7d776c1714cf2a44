"""promtool's expanding notation for rule-test series: `1 2 3-10x4 _x2 stale`.

Written to agree with Prometheus's series grammar (`promql/parser/generated_parser.y`, `series_item`) and
its lexer (`lex.go`, `lexValueSequence`), token for token: `a+bxN` and `a-bxN` are a and N further samples,
each adding b to the last (`1x3` is four samples); `axN` is `a+0xN`; `_` is a missing sample and `_xN` is
N of them; `stale` is a staleness marker; numbers are decimal (hexadecimal is refused, as in series
descriptions), with `Inf` and `NaN`. dutyroom adds two things promtool has no use for: `fail` (the poll of
the target failed) and a word (a text sample such as `online`). Anything else is a problem at its offset,
every one of them reported, so that a typo is never read as a text value.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import Enum

from dutyroom.model import MetricValue


class Marker(Enum):
    """Series entries that are not samples."""

    MISSING = "_"
    """No sample at this step (promtool's `_`)."""
    STALE = "stale"
    """The series ends here (promtool's `stale`, Prometheus's staleness marker)."""
    FAIL = "fail"
    """The poll of the target failed at this step (dutyroom's own)."""


MISSING = Marker.MISSING
STALE = Marker.STALE
FAIL = Marker.FAIL

SeriesValue = MetricValue | Marker
MAX_SAMPLES = 1_000_000
"""More samples than a rule test can mean; refusing them keeps a typo such as `1x99999999` from eating memory."""

_DECIMAL = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_INTEGER_WITH_UNDERSCORES = r"\d+(?:_\d+)+"
_NUMBER = rf"(?:[Ii][Nn][Ff]|[Nn][Aa][Nn]|{_INTEGER_WITH_UNDERSCORES}|{_DECIMAL})"
_PLAIN = re.compile(rf"[+-]?{_NUMBER}")
_REPEATED = re.compile(rf"(?P<base>[+-]?{_NUMBER})(?:(?P<sign>[+-])(?P<step>{_NUMBER}))?x(?P<count>\d+)")
_STEP_WITHOUT_REPEAT = re.compile(rf"[+-]?{_NUMBER}[+-]{_NUMBER}")
_MISSING_REPEATED = re.compile(r"_x(?P<count>\d+)")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.:/-]*")
_WORD_REPEATED = re.compile(r".*x\d+")
_LEADING_ZERO = re.compile(r"[+-]?0[0-9_]+")
_HEXADECIMAL = re.compile(r"[+-]?0[xX][0-9a-fA-F_]+")
_TOKEN = re.compile(r"\S+")
_HINT = "use a number, a+bxN, a-bxN, axN, _, _xN, stale, fail or a word"


@dataclass(frozen=True, slots=True)
class NotationProblem:
    """One token that does not parse, at its 0-based character offset in the series string."""

    offset: int
    message: str


@dataclass
class SeriesExpansion:
    """A series string expanded to one entry per step, and every token that did not parse."""

    values: list[SeriesValue] = field(default_factory=list)
    problems: list[NotationProblem] = field(default_factory=list)


def expand_series(text: str) -> SeriesExpansion:
    """Expand `text` the way promtool expands `input_series` values (see the module docstring)."""
    expansion = SeriesExpansion()
    for match in _TOKEN.finditer(text):
        token = match.group()
        try:
            items = _expand_token(token, room=MAX_SAMPLES - len(expansion.values))
        except _BadTokenError as error:
            expansion.problems.append(NotationProblem(match.start(), str(error)))
            continue
        expansion.values.extend(items)
    return expansion


class _BadTokenError(ValueError):
    """A token that is not part of the notation; the message says what is wrong with it."""


def _expand_token(token: str, *, room: int) -> list[SeriesValue]:
    if token in ("_", "stale", "fail"):
        return [Marker(token)]
    if missing := _MISSING_REPEATED.fullmatch(token):
        return [MISSING] * _count(token, missing.group("count"), room, extra=0)
    if _PLAIN.fullmatch(token):
        return [_number(token)]
    if repeated := _REPEATED.fullmatch(token):
        if (repeated.group("step") or repeated.group("base"))[-1].isalpha():
            raise _BadTokenError(f"'{token}' is one word to promtool (Inf or NaN before x); write e.g. Inf+0x3")
        base = _number(repeated.group("base"))
        step = _number(repeated.group("step")) if repeated.group("step") else 0.0
        if repeated.group("sign") == "-":
            step = -step
        samples: list[SeriesValue] = []
        for _index in range(_count(token, repeated.group("count"), room, extra=1)):
            samples.append(base)
            base += step  # as Prometheus does (`$1 += $2`): the running sum, not base + index * step
        return samples
    if _is_text_value(token):
        return [token]
    raise _BadTokenError(_why_bad(token))


def _count(token: str, digits: str, room: int, *, extra: int) -> int:
    count = int(digits) + extra if len(digits) <= len(str(MAX_SAMPLES)) else room + 1
    if count > room:
        raise _BadTokenError(f"too many samples in '{token}' (a series holds at most {MAX_SAMPLES})")
    return count


def _number(text: str) -> float:
    if _LEADING_ZERO.fullmatch(text):
        raise _BadTokenError(f"ambiguous number '{text}' with a leading zero (promtool reads it as octal)")
    value = float(text)
    if math.isinf(value) and "inf" not in text.lower():
        raise _BadTokenError(f"number '{text}' is out of range")
    return value


def _why_bad(token: str) -> str:
    lowered = token.lower()
    if lowered in ("stale", "fail"):
        return f"unknown word '{token}' in a series (did you mean '{lowered}'?)"
    if lowered.startswith("stalex") or lowered.startswith("failx"):
        word = "stale" if lowered.startswith("stale") else "fail"
        return f"'{word}' cannot repeat ('{token}'); write it once per step"
    if _HEXADECIMAL.fullmatch(token):
        return f"hexadecimal '{token}' is not allowed in a series (the x would be ambiguous)"
    if _STEP_WITHOUT_REPEAT.fullmatch(token):
        return f"'{token}' steps but does not repeat (write e.g. {token}x4)"
    if token == "x":
        return f"a lone 'x' (write the repetition against its value, e.g. 1x4; {_HINT})"
    if _WORD.fullmatch(token):
        return f"'{token}': a word cannot repeat; write it once per step"
    return f"bad sample '{token}' ({_HINT})"


def _is_text_value(token: str) -> bool:
    """A word that is not a reserved word in another case, a lone `x` or an attempt to repeat a word."""
    if not _WORD.fullmatch(token) or token == "x" or _WORD_REPEATED.fullmatch(token):
        return False
    return token.lower() not in ("stale", "fail")
