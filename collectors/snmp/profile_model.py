"""A profile as data: which OIDs to fetch from one kind of device and how they become named metrics.

Profiles are TOML files (collectors/profiles/NAME.toml, or a site's own directory); `profiles.py` loads
and checks them. The file format is documented in collectors/snmp/PROFILES.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from collectors.snmp.expr import Expression
from collectors.snmp.oids import Oid


class MetricKind(StrEnum):
    GAUGE = "gauge"
    """A number: the first of `value` expressions that evaluates."""
    ENUM = "enum"
    """A word from `enum` for the raw integer."""
    FLAG = "flag"
    """1 when the raw integer is one of `flag`, else 0."""
    BITS = "bits"
    """The `enum` words of the bits set in a BITS column (bit 0 = the first octet's high bit), joined by ","
    in bit order, or "none"; tables only (an optic's alarm flags)."""
    RATE = "rate"
    """Per-second rate of a counter column (x `scale`), checked against `limit`, or in % of `percent_of`."""


class Aggregate(StrEnum):
    NONE = ""
    MEAN = "mean"
    SUM = "sum"
    MIN = "min"
    MAX = "max"
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class Condition:
    """A row filter on one column: equal to one of `equals` (text or number), or matching `pattern`."""

    column: str
    equals: tuple[str | float, ...] = ()
    pattern: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class LabelSource:
    """Where a label's value comes from: the first non-empty of `columns` ("index" = the row index),
    through `words` when the column holds an enumeration; or fixed `text`, for what a MIB keeps in
    separate columns of one row (phases A, B, C) and a rule reads as one labelled metric."""

    columns: tuple[str, ...]
    words: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    text: str = ""


LabelSpecs = tuple[tuple[str, LabelSource], ...]


@dataclass(frozen=True, slots=True)
class MetricSpec:
    name: str
    kind: MetricKind
    values: tuple[Expression, ...]
    """Tried in order; the first whose names are all present is used (fallbacks, e.g. HC then 32-bit)."""
    unit: str = ""
    unit_from: str = ""
    """Table column holding the unit (APC cooling), used instead of `unit` when present."""
    scale: float = 1.0
    enum: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    flag: frozenset[int] = frozenset()
    ignore: frozenset[float] = frozenset()
    """Raw sentinel values meaning "not available" (65535 minutes, -273 degrees): skipped, not an error."""
    valid_range: tuple[float, float] | None = None
    where: tuple[Condition, ...] = ()
    labels: LabelSpecs | None = None
    """Label name -> source; None keeps the table's labels, () means none."""
    aggregate: Aggregate = Aggregate.NONE
    limit: tuple[Expression, ...] = ()
    """Rates above 1.1x this (the first that evaluates on the row) are rejected as impossible."""
    percent_of: tuple[Expression, ...] = ()
    required: bool = False
    """A required scalar that is absent makes the whole poll UNKNOWN."""


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    columns: Mapping[str, Oid]
    metrics: tuple[MetricSpec, ...]
    labels: LabelSpecs = ()
    where: tuple[Condition, ...] = ()
    select_by: str = ""
    """Column matched against the target's `interfaces` list (ifName for if-mib)."""
    discontinuity: str = ""
    """Column whose change means the row's counters restarted (ifCounterDiscontinuityTime)."""


@dataclass(frozen=True, slots=True)
class Detect:
    """How discovery recognises a device: any of `oids` answers, or sysObjectID starts with a prefix."""

    oids: tuple[Oid, ...] = ()
    sys_object_ids: tuple[Oid, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    description: str = ""
    priority: int = 0
    """Higher is more specific; discovery proposes the highest-priority match as the target's profile."""
    group: str = ""
    """The checks.toml group `discover` proposes for a device of this kind (power, cooling, links, ...)."""
    detect: Detect = field(default_factory=Detect)
    scalars: Mapping[str, Oid] = field(default_factory=lambda: MappingProxyType({}))
    metrics: tuple[MetricSpec, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    suggested_rules: tuple[Mapping[str, object], ...] = ()
    source: str = ""

    @property
    def metric_names(self) -> tuple[str, ...]:
        names = [metric.name for metric in self.metrics]
        names += [metric.name for table in self.tables for metric in table.metrics]
        return tuple(dict.fromkeys(names))


def empty_profile() -> Profile:
    return Profile(name="none", description="fetches nothing but the agent's clock")


def combine_profiles(name: str, *profiles: Profile) -> Profile:
    """One profile fetching what all of `profiles` fetch (scalar names must not clash)."""
    scalars: dict[str, Oid] = {}
    for profile in profiles:
        for key, oid in profile.scalars.items():
            if scalars.get(key, oid) != oid:
                raise ValueError(f"profiles disagree on scalar {key!r}")
            scalars[key] = oid
    return Profile(
        name=name,
        description=" + ".join(profile.name for profile in profiles),
        priority=max((profile.priority for profile in profiles), default=0),
        scalars=MappingProxyType(scalars),
        metrics=tuple(metric for profile in profiles for metric in profile.metrics),
        tables=tuple(table for profile in profiles for table in profile.tables),
        suggested_rules=tuple(rule for profile in profiles for rule in profile.suggested_rules),
    )
