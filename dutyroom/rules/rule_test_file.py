"""Reading a rule test file (the format is in `rule_tests.py`): strict types, times, every problem placed.

A rule test is read the way checks.toml is (typed_toml, ProblemCollector), so a bad `start`, `step`, `at`
or series string is a `file:line:col` line an editor can jump to, never a traceback. A time without an
offset is the site's local time (from the checks.toml the test names): a test written for a Shanghai room
must mean the same on a laptop set to London.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Literal

import msgspec

from dutyroom.config.durations import DurationError, parse_duration
from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.config.problems import ConfigError, ProblemCollector
from dutyroom.config.toml_positions import KeyPath, Position
from dutyroom.config.typed_toml import convert_table, parse_toml_text
from dutyroom.rules.series_notation import STALE, SeriesValue, expand_series

DEFAULT_STEP = "10s"
_STALE_TOKEN = re.compile(rf"(?<!\S){STALE.value}(?!\S)")


class SeriesSpec(msgspec.Struct, forbid_unknown_fields=True):
    target: str
    values: str
    metric: str = ""
    labels: dict[str, str] = {}
    unit: str = ""


class ExpectedAlert(msgspec.Struct, forbid_unknown_fields=True):
    rule: str
    target: str
    labels: dict[str, str] | None = None
    phase: str | None = None
    state: str | None = None
    severity: str | None = None
    suppressed_by: str | None = None
    flapping: bool | None = None
    value: str | None = None


class Expectation(msgspec.Struct, forbid_unknown_fields=True):
    at: str
    alerts: list[ExpectedAlert] = []
    calendar: Literal["confirmed", "draft", "provisional"] | None = None
    """How the calendar stands at `at`: a provisional day is one no calendar file covers."""


class RuleTestFile(msgspec.Struct, forbid_unknown_fields=True):
    config: str
    start: str | int
    """An ISO time (the site's timezone when it has no offset) or Unix seconds, as promtool's start_timestamp."""
    step: str | None = None
    interval: str | None = None
    """promtool's name for `step`."""
    name: str = ""
    series: list[SeriesSpec] = []
    expect: list[Expectation] = []


@dataclass(frozen=True)
class Series:
    """One input series, expanded to one entry per step."""

    spec: SeriesSpec
    values: list[SeriesValue]


@dataclass(frozen=True)
class Checkpoint:
    """When (epoch seconds) an expectation is checked."""

    at: float
    expectation: Expectation


@dataclass(frozen=True)
class RuleTest:
    """A rule test file read and checked: ready to run."""

    name: str
    config: LoadedConfig
    start: float
    step_s: float
    series: list[Series]
    checkpoints: list[Checkpoint]
    """In time order."""


def load_rule_test(path: Path) -> RuleTest:
    """Read `path` and the checks.toml it names; raises ConfigError with every problem found in either."""
    problems = ProblemCollector(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.add((1, 1), f"cannot read file: {error.strerror if isinstance(error, OSError) else error}")
        raise ConfigError(problems.problems) from None
    data = parse_toml_text(text, problems)
    if data is not None and isinstance(data.get("start"), datetime):
        data["start"] = data["start"].isoformat()  # a TOML date-time reads as the same ISO text
    spec = convert_table(data, RuleTestFile, (), problems) if data is not None else None
    if spec is None:
        raise ConfigError(problems.problems)  # parse_toml_text or convert_table said why
    return _Reader(path, text.splitlines(), problems).read(spec)


class _Reader:
    """Checks one parsed rule test file, placing each problem at the text it concerns."""

    def __init__(self, path: Path, lines: list[str], problems: ProblemCollector) -> None:
        self.path = path
        self.lines = lines
        self.problems = problems

    def read(self, spec: RuleTestFile) -> RuleTest:
        config = self._config(spec.config)
        start = self._start(spec.start, config.timezone if config else None)
        step_s = self._step(spec)
        series = [self._series(index, item, config) for index, item in enumerate(spec.series)]
        offsets = [self._duration(item.at, ("expect", index, "at")) for index, item in enumerate(spec.expect)]
        if config is not None:
            self._expected_names(spec.expect, config)
        if start is not None and step_s is not None:
            steps = max((len(item.values) for item in series), default=0)
            self._representable(start + max([0.0, (steps - 1) * step_s, *(at or 0.0 for at in offsets)]))
        if self.problems.problems or config is None or start is None or step_s is None:
            raise ConfigError(self.problems.problems)
        checkpoints = [
            Checkpoint(start + at, item) for at, item in zip(offsets, spec.expect, strict=True) if at is not None
        ]
        checkpoints.sort(key=lambda checkpoint: checkpoint.at)
        return RuleTest(spec.name or self.path.stem, config, start, step_s, series, checkpoints)

    def _config(self, name: str) -> LoadedConfig | None:
        config_path = (self.path.parent / name).resolve()
        if not config_path.is_file():
            self.problems.at(("config",), f"config file {config_path} does not exist", value=True)
            return None
        try:
            return load_config(config_path, require_env=False)
        except ConfigError as error:
            self.problems.extend(error.problems)
            return None

    def _start(self, start: str | int, timezone: tzinfo | None) -> float | None:
        if isinstance(start, int):
            return self._representable(float(start))
        try:
            moment = datetime.fromisoformat(start)
        except ValueError:
            self.problems.at(
                ("start",),
                f"bad start time '{start}' (use an ISO 8601 time such as 2026-11-23T09:30:00+08:00; "
                "without an offset it is read in the site's timezone)",
                value=True,
            )
            return None
        if moment.tzinfo is None:
            if timezone is None:
                return None  # the config did not load; its problems say why
            moment = moment.replace(tzinfo=timezone)
        return moment.timestamp()

    def _representable(self, moment: float) -> float | None:
        """The engine reads the calendar at every time it evaluates, so each time must be a real date."""
        try:
            datetime.fromtimestamp(moment, UTC)
        except (OverflowError, OSError, ValueError):
            self.problems.at(
                ("start",), "the start, or its last step or expectation, falls outside the years 1 to 9999", value=True
            )
            return None
        return moment

    def _step(self, spec: RuleTestFile) -> float | None:
        if spec.step is not None and spec.interval is not None:
            self.problems.at(("interval",), "give 'step' or 'interval' (promtool's name for it), not both")
            return None
        key = "interval" if spec.interval is not None else "step"
        step_s = self._duration(spec.interval or spec.step or DEFAULT_STEP, (key,))
        if step_s is not None and step_s <= 0:
            self.problems.at((key,), f"{key} must be longer than 0s", value=True)
            return None
        return step_s

    def _duration(self, text: str, path: KeyPath) -> float | None:
        try:
            return parse_duration(text)
        except DurationError as error:
            self.problems.at(path, str(error), value=True)
            return None

    def _series(self, index: int, spec: SeriesSpec, config: LoadedConfig | None) -> Series:
        path: KeyPath = ("series", index)
        if config is not None and spec.target not in config.targets_by_id:
            self.problems.at(
                (*path, "target"), f"unknown target '{spec.target}' (not in {config.path.name})", value=True
            )
        expansion = expand_series(spec.values)
        for problem in expansion.problems:
            self.problems.add(self._inside_string((*path, "values"), spec.values, problem.offset), problem.message)
        if not spec.metric:
            for marker in _STALE_TOKEN.finditer(spec.values):
                self.problems.add(
                    self._inside_string((*path, "values"), spec.values, marker.start()),
                    "'stale' ends a metric's series: give this series a 'metric'",
                )
        return Series(spec, expansion.values)

    def _expected_names(self, expectations: list[Expectation], config: LoadedConfig) -> None:
        rule_ids = {rule.id for rule in config.rules}
        for index, expectation in enumerate(expectations):
            for alert in expectation.alerts:
                if alert.rule not in rule_ids:
                    self.problems.at(("expect", index, "alerts"), f"unknown rule '{alert.rule}'", value=True)
                if alert.target not in config.targets_by_id:
                    self.problems.at(("expect", index, "alerts"), f"unknown target '{alert.target}'", value=True)

    def _inside_string(self, path: KeyPath, value: str, offset: int) -> Position:
        """The place of character `offset` of a string value, when the file spells the value as it reads."""
        line, col = self.problems.positions.locate(path, value=True)
        if path not in self.problems.positions.values or line > len(self.lines):
            return line, col
        raw = self.lines[line - 1][col - 1 :]
        quote = raw[:1]
        spelled_as_read = quote in ('"', "'") and raw[1:].startswith(value + quote) and not raw.startswith(quote * 3)
        return (line, col + 1 + offset) if spelled_as_read else (line, col)
