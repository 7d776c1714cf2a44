"""Capacity headroom: capacity divided by the peak over a window, from daily peaks kept per series.

The regulator asks for bandwidth at least 2x the past year's peak and throughput at least 3x the historical
peak; a capacity rule fires when capacity / peak falls below its factor.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dutyroom.model import MetricValue


def _day(at: float, timezone: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, timezone).date().isoformat()


def record_peak(
    peaks: dict[str, float], value: MetricValue, at: float, timezone: ZoneInfo, window_s: float
) -> dict[str, float]:
    """Daily peaks with `value` recorded for its day, dropping days older than the window."""
    if not isinstance(value, int | float):
        return dict(peaks)
    day = _day(at, timezone)
    updated = dict(peaks)
    updated[day] = max(float(value), updated.get(day, float("-inf")))
    oldest = _day(at - window_s, timezone)
    return {key: peak for key, peak in updated.items() if key >= oldest}


def headroom_of(
    capacity: float | None, peaks: dict[str, float], at: float, timezone: ZoneInfo, window_s: float
) -> tuple[float | None, str]:
    """capacity / peak over the window, or None with the reason it cannot be computed."""
    if capacity is None:
        return None, "capacity unknown"
    oldest = (datetime.fromtimestamp(at, timezone) - timedelta(seconds=window_s)).date().isoformat()
    in_window = [peak for day, peak in peaks.items() if day >= oldest]
    peak = max(in_window, default=0.0)
    if peak <= 0:
        return None, "no peak yet"
    return capacity / peak, f"capacity {capacity:g} / peak {peak:g}"
