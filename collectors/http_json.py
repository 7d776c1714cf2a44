"""Read fields out of a JSON health document by dotted path (`throughput.orders`, `queues[0].depth`).

Numbers (and booleans, as 1/0) become float samples; strings become cleaned text samples. Anything
else at a path (missing, null, object, array, non-finite) is a problem named after the path.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping

from dutyroom.model import Sample
from dutyroom.textclean import clean_text

JsonStep = str | int
_PATH_SHAPE = re.compile(r"(?:[^.\[\]]+|\[\d+\])(?:\.[^.\[\]]+|\[\d+\])*")
_PATH_STEP = re.compile(r"[^.\[\]]+|\[\d+\]")


def parse_json_path(path: str) -> tuple[JsonStep, ...]:
    """`queues[0].depth` -> ("queues", 0, "depth"); ValueError for a malformed path."""
    if not _PATH_SHAPE.fullmatch(path):
        raise ValueError(f"malformed JSON path {clean_text(path, 80)!r}")
    return tuple(int(step[1:-1]) if step.startswith("[") else step for step in _PATH_STEP.findall(path))


class InvalidJsonError(ValueError):
    """The body is not JSON; the message is the short clean reason."""


def decode_json(body: bytes) -> object:
    """The parsed document, or InvalidJsonError with where it broke (`invalid JSON at line 1 col 5`)."""
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise InvalidJsonError(f"invalid JSON at line {exc.lineno} col {exc.colno}") from None
    except UnicodeDecodeError:
        raise InvalidJsonError("invalid JSON: not UTF-8 text") from None
    except RecursionError:
        raise InvalidJsonError("invalid JSON: nested too deeply") from None
    except ValueError:  # e.g. an integer literal beyond Python's digit limit
        raise InvalidJsonError("invalid JSON: value out of range") from None


def _walk(document: object, steps: tuple[JsonStep, ...]) -> tuple[bool, object]:
    node = document
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return False, None
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return False, None
            node = node[step]
    return True, node


def _as_finite_float(value: int | float) -> float | None:
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def extract_fields(
    document: object, fields: Mapping[str, str], target: str, at: float
) -> tuple[list[Sample], list[str]]:
    """Samples for the fields found, and one problem per field that is missing or of the wrong kind."""
    samples: list[Sample] = []
    problems: list[str] = []
    for metric, path in fields.items():
        found, value = _walk(document, parse_json_path(path))
        shown = clean_text(path, 80)
        if not found:
            problems.append(f"field {shown} missing")
        elif isinstance(value, bool):
            samples.append(Sample(target, metric, 1.0 if value else 0.0, at))
        elif isinstance(value, int | float):
            number = _as_finite_float(value)
            if number is None:
                problems.append(f"field {shown} is not a finite number")
            else:
                samples.append(Sample(target, metric, number, at))
        elif isinstance(value, str):
            samples.append(Sample(target, metric, clean_text(value), at))
        elif value is None:
            problems.append(f"field {shown} is null")
        else:
            kind = "an object" if isinstance(value, dict) else "a list"
            problems.append(f"field {shown} is {kind}, not a value")
    return samples, problems
