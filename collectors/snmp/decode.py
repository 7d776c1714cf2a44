"""Apply a profile to what one poll fetched: named samples with units and labels, or the reason it failed."""

from __future__ import annotations

from dataclasses import dataclass, field

from collectors.snmp.decode_common import Fetched, InvalidValueError, RateSource, metric_value, numbers_of
from collectors.snmp.decode_table import decode_table
from collectors.snmp.oids import format_oid
from collectors.snmp.profile_model import Profile
from dutyroom.model import Sample


@dataclass(slots=True)
class Decoded:
    samples: list[Sample] = field(default_factory=list)
    problem: str = ""
    """Why the answer cannot be used (a scalar of the wrong type, a required object missing), else ""."""


def decode(
    profile: Profile,
    fetched: Fetched,
    *,
    target: str,
    at: float,
    rates: RateSource | None = None,
    selected: tuple[str, ...] = (),
) -> Decoded:
    """Samples for `profile`; a problem makes the poll UNKNOWN, absent optional objects are skipped."""
    decoded = Decoded()
    try:
        env = numbers_of(fetched.scalars, set(profile.scalars))
    except InvalidValueError as invalid:
        decoded.problem = str(invalid)
        return decoded
    for metric in profile.metrics:
        value = metric_value(metric, env)
        if value is not None:
            decoded.samples.append(Sample(target, metric.name, value, at, (), metric.unit))
        elif metric.required:
            decoded.problem = _absent_reason(profile, fetched, metric.name, metric.values[0].names)
            return decoded
    for table in profile.tables:
        rows = fetched.tables.get(table.name, {})
        decoded.samples.extend(decode_table(table, rows, env, target=target, at=at, rates=rates, selected=selected))
    return decoded


def _absent_reason(profile: Profile, fetched: Fetched, metric: str, names: frozenset[str]) -> str:
    for name in sorted(names):
        value = fetched.scalars.get(name)
        state = value.describe() if value is not None else "missing"
        return f"{metric}: {name} ({format_oid(profile.scalars[name])}) {state}"
    return f"{metric}: no value"
