"""From raw values to a metric value: enums, flags, sentinels, scale and range (scalars and rows)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from collectors.snmp.profile_model import MetricKind, MetricSpec
from collectors.snmp.values import Kind, SnmpValue
from dutyroom.model import MetricValue

Index = tuple[int, ...]


class RateSource(Protocol):
    """Turns successive counter readings into per-second rates (state lives in the collector)."""

    def rate(self, key: Hashable, value: SnmpValue, discontinuity: float | None) -> float | None: ...


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one poll brought back, by the profile's names: scalars, and table rows by index."""

    scalars: Mapping[str, SnmpValue] = field(default_factory=dict)
    tables: Mapping[str, Mapping[Index, Mapping[str, SnmpValue]]] = field(default_factory=dict)


class InvalidValueError(Exception):
    """A value is present but not what the metric needs (wrong type, unparsable)."""


def numbers_of(values: Mapping[str, SnmpValue], names: frozenset[str] | set[str]) -> dict[str, float]:
    """Numbers for the `names` present; InvalidValueError for a present value that is not a number."""
    env: dict[str, float] = {}
    for name in names:
        value = values.get(name)
        if value is None or value.absent:
            continue
        number = value.number()
        if number is None:
            raise InvalidValueError(f"{name}: expected a number, got {value.describe()}")
        env[name] = number
    return env


def metric_value(metric: MetricSpec, env: Mapping[str, float]) -> MetricValue | None:
    """The value from `env` (names -> raw numbers); None when absent, a sentinel or out of range."""
    for expression in metric.values:
        if not expression.names <= env.keys():
            continue
        if metric.ignore and any(env[name] in metric.ignore for name in expression.names):
            return None
        if metric.kind == MetricKind.ENUM:
            code = int(env[expression.bare_name])
            return metric.enum.get(code, f"code-{code}")
        if metric.kind == MetricKind.FLAG:
            return 1.0 if int(env[expression.bare_name]) in metric.flag else 0.0
        raw = expression.evaluate(env)
        if raw is None:
            return None
        return checked(metric, raw * metric.scale)
    return None


def checked(metric: MetricSpec, value: float) -> float | None:
    if metric.valid_range and not metric.valid_range[0] <= value <= metric.valid_range[1]:
        return None
    return round(value, 6)


MAX_BITS_OCTETS = 32
"""A longer octet string is not a BITS value a profile reads (and could make a word list of any length)."""


def bits_words(metric: MetricSpec, values: Mapping[str, SnmpValue]) -> str | None:
    """The words of the bits set in the metric's BITS column (SNMP order: bit 0 is the first octet's high
    bit; an unnamed bit reads `bit-N`), "none" when no bit is set, None when it is not a BITS octet string."""
    value = next((values[name] for value in metric.values if (name := value.bare_name) in values), None)
    if value is None or value.kind != Kind.OCTETS or not isinstance(value.payload, bytes):
        return None
    if len(value.payload) > MAX_BITS_OCTETS:  # the BITS read here fit in 4 octets: a longer value is garbage
        return None
    bits = [
        position * 8 + bit for position, octet in enumerate(value.payload) for bit in range(8) if octet & (0x80 >> bit)
    ]
    return ",".join(metric.enum.get(bit, f"bit-{bit}") for bit in bits) or "none"
