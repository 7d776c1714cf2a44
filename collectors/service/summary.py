"""The poller's one-line account of itself, for `systemctl status` (STATUS=) and the log.

Problems come first, because `systemctl status` may cut the line: the state not being saved, a listener the
poller runs without; then what is polled and how it goes; then when the configuration in force was loaded, or
that the last reload failed (and where), since a person reading it wants to know which config is running.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dutyroom.config.load import LoadedConfig
from dutyroom.rules.alert import Check, TargetHealth
from dutyroom.views.alerts import collector_health


@dataclass(frozen=True, slots=True)
class ReloadNote:
    """The last time the configuration was read: at start, or a reload that worked or failed."""

    at: float
    failure: str = ""
    """'' when it worked; else 'reload failed: file:line:col: message'."""
    initial: bool = False


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def clock_time(at: float, timezone: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, timezone).strftime("%H:%M:%S")


def service_status(
    config: LoadedConfig,
    checks: Iterable[Check],
    health: Mapping[str, TargetHealth],
    now: float,
    reload: ReloadNote,
    problems: Iterable[str] = (),
) -> str:
    """E.g. 'polling 14 targets: 13 on time, 1 failing, 0 stale; 2 alerts firing; config loaded 08:00:03'."""
    counts = collector_health(config, health, now)
    firing = sum(1 for check in checks if check.firing)
    polling = (
        f"polling {plural(counts.targets, 'target')}: {counts.on_time} on time, "
        f"{counts.failing} failing, {counts.stale} stale; {plural(firing, 'alert')} firing"
    )
    when = clock_time(reload.at, config.timezone)
    if reload.failure:
        loaded = f"{reload.failure.removeprefix('reload failed: ')} (reload failed {when}, old config kept)"
    else:
        loaded = f"config {'loaded' if reload.initial else 'reloaded'} {when}"
    return "; ".join([*problems, polling, loaded])
