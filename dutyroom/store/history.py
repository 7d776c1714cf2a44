"""Metric history, bounded: raw samples for sparklines, minute roll-ups, and daily peaks for capacity rules.

| table                | what                                       | kept (`prune(now)`)     |
|----------------------|--------------------------------------------|-------------------------|
| `samples_raw`        | every numeric sample (series, at, value)   | 1 hour                  |
| `samples_minute`     | min / max / sum / count per UTC minute     | 48 hours                |
| `samples_daily_peak` | max per UTC day                            | 400 days                |
| `latest_samples`     | each series' newest value, number or text  | one row per series      |

A series is (target, metric, labels as canonical JSON), numbered once in `series` (with its unit); every
table is keyed by (series, time), so one series' range is a single index range. Roll-ups and peaks are
updated in the same transaction as the raw rows, so they always agree with what was recorded. Text values
(a sysDescr, a status word) only update the latest value; non-finite values are skipped. A sample repeated
at the same (series, at) keeps its first raw value (the roll-ups count it twice; collectors never repeat a
timestamp).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence

from dutyroom.model import Labels, Sample
from dutyroom.store.records import MinuteRollup, labels_from_json, labels_json

RAW_RETENTION_S = 3600.0
MINUTE_RETENTION_S = 48 * 3600.0
DAILY_RETENTION_S = 400 * 86400.0
MINUTE_S = 60
DAY_S = 86400

SeriesKey = tuple[str, str, str]
"""(target, metric, labels as canonical JSON)."""


class MetricHistory:
    """Reads and writes the history tables on a connection the Store hands in (inside its transaction)."""

    def __init__(self) -> None:
        self._series_ids: dict[SeriesKey, int] = {}

    def record(self, connection: sqlite3.Connection, samples: Sequence[Sample]) -> dict[SeriesKey, int]:
        """Store the numeric samples; returns series numbered by this call, to `remember` once committed."""
        new_ids: dict[SeriesKey, int] = {}
        raw_rows: list[tuple[int, float, float]] = []
        latest: dict[int, tuple[float, float | str]] = {}
        for sample in samples:
            value = sample.value if isinstance(sample.value, str) else float(sample.value)
            if not math.isfinite(sample.at) or (isinstance(value, float) and not math.isfinite(value)):
                continue
            key = (sample.target, sample.metric, labels_json(sample.labels))
            series_id = self._series_ids.get(key) or new_ids.get(key) or _number_series(connection, key, sample.unit)
            if key not in self._series_ids:
                new_ids[key] = series_id
            if isinstance(value, float):
                raw_rows.append((series_id, float(sample.at), value))
            if series_id not in latest or latest[series_id][0] <= sample.at:
                latest[series_id] = (float(sample.at), value)
        connection.executemany("INSERT OR IGNORE INTO samples_raw(series, at, value) VALUES (?, ?, ?)", raw_rows)
        _roll_up(connection, raw_rows)
        connection.executemany(
            "INSERT INTO latest_samples(series, at, value) VALUES (?, ?, ?) ON CONFLICT(series) DO UPDATE"
            " SET at = excluded.at, value = excluded.value WHERE excluded.at >= latest_samples.at",
            [(series_id, at, value) for series_id, (at, value) in latest.items()],
        )
        return new_ids

    def remember(self, new_ids: dict[SeriesKey, int]) -> None:
        """Cache series numbers once their transaction committed (a rolled-back number may be reused)."""
        self._series_ids.update(new_ids)

    def series_of(self, connection: sqlite3.Connection, target: str) -> list[tuple[str, Labels, str]]:
        rows = connection.execute(
            "SELECT metric, labels, unit FROM series WHERE target = ? ORDER BY metric, labels", (target,)
        )
        return [(str(metric), labels_from_json(str(labels)), str(unit)) for metric, labels, unit in rows]

    def latest(
        self, connection: sqlite3.Connection, target: str, metric: str, labels: Labels
    ) -> tuple[float | str, float] | None:
        series_id = self._lookup(connection, target, metric, labels)
        if series_id is None:
            return None
        row = connection.execute("SELECT value, at FROM latest_samples WHERE series = ?", (series_id,)).fetchone()
        if row is None:
            return None
        value, at = row
        return (value if isinstance(value, str) else float(value)), float(at)

    def raw_series(
        self, connection: sqlite3.Connection, target: str, metric: str, labels: Labels, since: float
    ) -> list[tuple[float, float]]:
        series_id = self._lookup(connection, target, metric, labels)
        if series_id is None:
            return []
        rows = connection.execute(
            "SELECT at, value FROM samples_raw WHERE series = ? AND at >= ? ORDER BY at", (series_id, since)
        )
        return [(float(at), float(value)) for at, value in rows]

    def minute_series(
        self, connection: sqlite3.Connection, target: str, metric: str, labels: Labels, since: float
    ) -> list[MinuteRollup]:
        series_id = self._lookup(connection, target, metric, labels)
        if series_id is None:
            return []
        rows = connection.execute(
            "SELECT minute, min_value, max_value, sum_value, count FROM samples_minute"
            " WHERE series = ? AND minute >= ? ORDER BY minute",
            (series_id, _floor(since, MINUTE_S)),
        )
        return [MinuteRollup(int(m), float(lo), float(hi), float(total) / n, int(n)) for m, lo, hi, total, n in rows]

    def peak_since(
        self, connection: sqlite3.Connection, target: str, metric: str, labels: Labels, since: float
    ) -> float | None:
        """The highest value since `since`: daily peaks of whole days, minute roll-ups of a partial first day.

        When the partial first day is older than the minute roll-ups, its whole-day peak counts (at most one
        extra day: an over-estimate, the safe side for capacity planning).
        """
        series_id = self._lookup(connection, target, metric, labels)
        if series_id is None:
            return None
        first_whole_day = math.ceil(since / DAY_S) * DAY_S
        (whole_days_peak,) = connection.execute(
            "SELECT max(max_value) FROM samples_daily_peak WHERE series = ? AND day >= ?",
            (series_id, first_whole_day),
        ).fetchone()
        (oldest_minute,) = connection.execute(
            "SELECT min(minute) FROM samples_minute WHERE series = ?", (series_id,)
        ).fetchone()
        if oldest_minute is not None and oldest_minute <= since:
            (partial_peak,) = connection.execute(
                "SELECT max(max_value) FROM samples_minute WHERE series = ? AND minute >= ? AND minute < ?",
                (series_id, _floor(since, MINUTE_S), first_whole_day),
            ).fetchone()
        else:
            (partial_peak,) = connection.execute(
                "SELECT max(max_value) FROM samples_daily_peak WHERE series = ? AND day = ?",
                (series_id, _floor(since, DAY_S)),
            ).fetchone()
        peaks = [float(peak) for peak in (whole_days_peak, partial_peak) if peak is not None]
        return max(peaks) if peaks else None

    def prune(self, connection: sqlite3.Connection, now: float) -> dict[str, int]:
        """Delete history beyond retention; returns the number of rows deleted per table."""
        series_ids = [int(row[0]) for row in connection.execute("SELECT id FROM series")]
        deleted: dict[str, int] = {}
        for table, column, cutoff in (
            ("samples_raw", "at", now - RAW_RETENTION_S),
            ("samples_minute", "minute", now - MINUTE_RETENTION_S),
            ("samples_daily_peak", "day", now - DAILY_RETENTION_S),
        ):
            cursor = connection.executemany(
                f"DELETE FROM {table} WHERE series = ? AND {column} < ?",
                [(series_id, cutoff) for series_id in series_ids],
            )
            deleted[table] = max(cursor.rowcount, 0)
        return deleted

    def _lookup(self, connection: sqlite3.Connection, target: str, metric: str, labels: Labels) -> int | None:
        key = (target, metric, labels_json(labels))
        if key in self._series_ids:
            return self._series_ids[key]
        row = connection.execute("SELECT id FROM series WHERE target = ? AND metric = ? AND labels = ?", key).fetchone()
        if row is None:
            return None
        self._series_ids[key] = int(row[0])  # committed rows of `series` are never deleted
        return self._series_ids[key]


def _number_series(connection: sqlite3.Connection, key: SeriesKey, unit: str) -> int:
    connection.execute("INSERT OR IGNORE INTO series(target, metric, labels, unit) VALUES (?, ?, ?, ?)", (*key, unit))
    row = connection.execute("SELECT id FROM series WHERE target = ? AND metric = ? AND labels = ?", key).fetchone()
    return int(row[0])


def _roll_up(connection: sqlite3.Connection, raw_rows: list[tuple[int, float, float]]) -> None:
    """Fold a batch into minute roll-ups and daily peaks: aggregated in memory, then one upsert per bucket."""
    minutes: dict[tuple[int, int], list[float]] = {}
    days: dict[tuple[int, int], float] = {}
    for series_id, at, value in raw_rows:
        bucket = minutes.setdefault((series_id, _floor(at, MINUTE_S)), [value, value, 0.0, 0.0])
        bucket[0], bucket[1] = min(bucket[0], value), max(bucket[1], value)
        bucket[2] += value
        bucket[3] += 1
        day_key = (series_id, _floor(at, DAY_S))
        days[day_key] = max(days.get(day_key, value), value)
    connection.executemany(
        "INSERT INTO samples_minute(series, minute, min_value, max_value, sum_value, count)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(series, minute) DO UPDATE SET"
        " min_value = min(min_value, excluded.min_value), max_value = max(max_value, excluded.max_value),"
        " sum_value = sum_value + excluded.sum_value, count = count + excluded.count",
        [(sid, minute, lo, hi, total, int(n)) for (sid, minute), (lo, hi, total, n) in minutes.items()],
    )
    connection.executemany(
        "INSERT INTO samples_daily_peak(series, day, max_value) VALUES (?, ?, ?)"
        " ON CONFLICT(series, day) DO UPDATE SET max_value = max(max_value, excluded.max_value)",
        [(sid, day, peak) for (sid, day), peak in days.items()],
    )


def _floor(at: float, width: int) -> int:
    return math.floor(at / width) * width
