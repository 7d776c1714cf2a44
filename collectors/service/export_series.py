"""The values the exporter shows: the latest sample of each live series, and counters rebuilt from rates.

Only what is current is kept. A target whose poll failed loses its series at once (a switch that is down has
no `if_in_bits`, not the last one it sent); a series not refreshed within its target's staleness limit goes;
a target removed by a reload goes with everything it had. Prometheus then marks the series stale, as it does
for a target that stops exporting one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from collectors.service.metric_names import Exposed, exposed
from dutyroom.model import Labels, PollResult

SeriesKey = tuple[str, str, Labels]
"""(target, metric, labels) as the engine keys a series."""


@dataclass(frozen=True, slots=True)
class ExportedValue:
    """One series as exported: its family, its value in base units (the running total for a counter)."""

    family: Exposed
    value: float
    at: float


class SeriesBook:
    """The latest value per series, fed poll by poll; never reads the clock."""

    def __init__(self) -> None:
        self._values: dict[SeriesKey, ExportedValue] = {}

    def record(self, result: PollResult) -> None:
        """Take one poll's samples, or drop the target's series when the poll failed."""
        if not result.ok:
            self.drop_target(result.target)
            return
        for sample in result.samples:
            if isinstance(sample.value, bool) or not isinstance(sample.value, int | float):
                continue
            key = (sample.target, sample.metric, sample.labels)
            family = exposed(sample.metric, sample.unit)
            value = float(sample.value) * family.factor
            previous = self._values.get(key)
            if family.counter:
                if previous is None or previous.family != family or sample.at <= previous.at:
                    value = 0.0 if previous is None or previous.family != family else previous.value
                else:
                    value = previous.value + max(value, 0.0) * (sample.at - previous.at)
            self._values[key] = ExportedValue(family, value, sample.at)

    def drop_target(self, target: str) -> None:
        for key in [key for key in self._values if key[0] == target]:
            del self._values[key]

    def prune(self, stale_after_s: Mapping[str, float], now: float) -> None:
        """Drop series of targets not configured any more, and series older than their target's limit."""
        for key, item in list(self._values.items()):
            limit = stale_after_s.get(key[0])
            if limit is None or now - item.at > limit:
                del self._values[key]

    def items(self) -> Iterable[tuple[SeriesKey, ExportedValue]]:
        return sorted_series(self._values)

    def snapshot(self) -> dict[SeriesKey, ExportedValue]:
        """A copy for the exporter's thread (cheap: the values are frozen; sorting waits for a scrape)."""
        return dict(self._values)


def sorted_series(values: Mapping[SeriesKey, ExportedValue]) -> list[tuple[SeriesKey, ExportedValue]]:
    """Series grouped by family, as the exposition writes them."""
    return sorted(values.items(), key=lambda pair: (pair[1].family.name, pair[0]))
