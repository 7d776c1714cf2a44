"""dutyroom metric names and units as Prometheus wants them: base units, one unit per name, rates as counters.

A sample's unit (the profile's `unit`, else the suffix of its metric name) decides the exported name's unit
suffix and the factor to the base unit: `ups.runtime_min` (min) becomes `dutyroom_ups_runtime_seconds` x 60,
`if.util_in_pct` (%) `dutyroom_if_util_in_ratio` x 0.01. Because the unit is part of the name, two units of one
metric never share a name. A per-second rate (`if.in_bps`, `if.in_errors_rate`, unit `/s`) is what dutyroom
computed from a device counter (wraps and resets handled); it is exported as a counter again
(`dutyroom_if_in_bits_total`) so that `rate()` in PromQL gives back the device's rate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_NAME = re.compile(r"[^a-zA-Z0-9_]")


@dataclass(frozen=True, slots=True)
class Unit:
    """How one dutyroom unit is exported: the name suffix, the factor to it, and whether it is a rate."""

    suffix: str
    factor: float = 1.0
    rate: bool = False


UNITS: dict[str, Unit] = {
    "%": Unit("ratio", 0.01),
    "pct": Unit("ratio", 0.01),
    "s": Unit("seconds"),
    "ms": Unit("seconds", 0.001),
    "min": Unit("seconds", 60.0),
    "h": Unit("seconds", 3600.0),
    "c": Unit("celsius"),
    "w": Unit("watts"),
    "kw": Unit("watts", 1000.0),
    "kva": Unit("volt_amperes", 1000.0),
    "va": Unit("volt_amperes"),
    "kwh": Unit("joules", 3.6e6),
    "v": Unit("volts"),
    "a": Unit("amperes"),
    "hz": Unit("hertz"),
    "mb": Unit("bytes", 2.0**20),
    "gb": Unit("bytes", 2.0**30),
    "mbit/s": Unit("bits_per_second", 1e6),
    "mbps": Unit("bits_per_second", 1e6),
    "bit/s": Unit("bits", rate=True),
    "bps": Unit("bits", rate=True),
    "/s": Unit("", rate=True),
    "rate": Unit("", rate=True),
    "per_s": Unit("", rate=True),
}
"""Keyed by unit (lower case) as profiles write it, and by the metric-name suffix that stands for it."""

NAME_SUFFIXES = ("per_s", "pct", "ms", "min", "kwh", "kva", "kw", "mbps", "bps", "rate", "gb", "mb", "c", "s")
"""Metric-name suffixes that are units: dropped from the exported name, which gets the base unit instead."""


@dataclass(frozen=True, slots=True)
class Exposed:
    """One dutyroom metric (in one unit) as a Prometheus family: its name, factor, and counter or gauge."""

    name: str
    factor: float
    counter: bool

    @property
    def help(self) -> str:
        return "counter rebuilt from the per-second rate dutyroom computed" if self.counter else "gauge"


def _clean(text: str) -> str:
    return _NOT_NAME.sub("_", text)


def exposed(metric: str, unit: str) -> Exposed:
    """The family for `metric` sampled in `unit` (the profile's unit; "" to go by the metric name's suffix)."""
    stem = _clean(metric)
    head, _, tail = stem.rpartition("_")
    suffix = next((item for item in NAME_SUFFIXES if stem.endswith("_" + item)), "")
    if suffix:
        stem = stem[: -len(suffix) - 1]
    elif tail and head and tail in UNITS:
        stem = head
    chosen = UNITS.get(unit.strip().lower()) or UNITS.get(suffix) or (UNITS.get(tail) if not unit else None)
    if chosen is None:
        extra = _clean(unit.strip().lower()).strip("_")
        return Exposed(f"dutyroom_{stem}" + (f"_{extra}" if extra else ""), 1.0, counter=False)
    name = f"dutyroom_{stem}" + (f"_{chosen.suffix}" if chosen.suffix else "")
    if chosen.rate:
        return Exposed(name, chosen.factor, counter=True)
    return Exposed(name, chosen.factor, counter=False)


def label_name(name: str, taken: frozenset[str] = frozenset()) -> str:
    """A sample label as a Prometheus label name; one that clashes with a label dutyroom sets gets `sample_`."""
    cleaned = _clean(name)
    if cleaned[:1].isdigit() or cleaned.startswith("__"):
        cleaned = "l_" + cleaned.lstrip("_")
    return f"sample_{cleaned}" if cleaned in taken else cleaned
